"""Admin lists that stay fast on a large catalog: searching, filtering and paging
without joining (or sorting) the whole catalog.

Django's admin searches each `search_fields` path with a join: across a to-many relation
(an offering's aliases, a model's offerings) that repeats rows, so the list adds
DISTINCT over every column, and the count, the page and the date hierarchy each sort
the catalog to remove the duplicates; across a foreign key (a price's offering's model)
it joins every row of the list before filtering. That made a search of the offerings
list cost 0.1 s at 5,000 offerings and 0.3 s at 15,000 (docs/benchmarks.md, "Admin").
Here each related path is matched in its own
table and the list keeps only rows whose key is in that (small) result: no join, no
duplicates, so no DISTINCT. The matching is the admin's own: every word of the search
must match one of the fields, case-insensitively, anywhere in it.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin import helpers
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.html import format_html
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext as _

from catalog.admin.widgets import TemplateFreeCheckbox
from catalog.models import ModelEvidence, Offering, Provider


def search_words(search_term: str) -> list[str]:
    """The words of a search as the admin splits them ("a quoted phrase" is one)."""
    words = []
    for bit in smart_split(search_term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        words.append(bit)
    return words


def match_anywhere(model, paths: list[str], word: str) -> Q:
    """One of `paths` of `model` contains `word`. The paths through one relation are
    matched together in the related table and compared by key (one IN subquery per
    relation) instead of joined."""
    either = Q()
    through: dict[str, list[str]] = {}
    for path in paths:
        name, _sep, rest = path.partition("__")
        if rest:
            through.setdefault(name, []).append(rest)
        else:
            either |= Q(**{f"{path}__icontains": word})
    for name, rests in through.items():
        field = model._meta.get_field(name)
        related = field.related_model._base_manager.filter(
            match_anywhere(field.related_model, rests, word)
        )
        if field.many_to_one or (field.one_to_one and field.concrete):  # a foreign key
            either |= Q(**{f"{field.attname}__in": related.values("pk")})
        elif field.one_to_many:  # the reverse of a foreign key: the rows pointing here
            either |= Q(pk__in=related.values(field.field.attname))
        else:  # many-to-many or a reverse one-to-one: the admin's own join
            for rest in rests:
                either |= Q(**{f"{name}__{rest}__icontains": word})
    return either


class SubquerySearchMixin:
    """ModelAdmin mixin: `search_fields` (plain paths, no ^ = @ prefixes) matched as in
    match_anywhere, so a search never needs DISTINCT. Autocomplete uses it too."""

    def get_search_results(self, request, queryset: QuerySet, search_term: str):
        fields = self.get_search_fields(request)
        words = search_words(search_term)
        if not fields or not words:
            return queryset, False
        if any(
            f.startswith(("^", "=", "@")) or _through_many_to_many(self.model, f) for f in fields
        ):
            return super().get_search_results(request, queryset, search_term)
        for word in words:
            queryset = queryset.filter(match_anywhere(self.model, list(fields), word))
        return queryset, False


def _through_many_to_many(model, path: str) -> bool:
    name, _sep, rest = path.partition("__")
    if not rest:
        return False
    field = model._meta.get_field(name)
    return bool(field.many_to_many) or _through_many_to_many(field.related_model, rest)


class OfferedByFilter(admin.SimpleListFilter):
    """A model list's "offered by" provider filter: the models with an offering on the
    chosen provider, by key (no join with the offerings, so no duplicate rows to
    remove)."""

    title = "offered by"
    parameter_name = "offered_by"

    def lookups(self, request, model_admin):
        offering = Offering.objects.filter(provider=OuterRef("pk"))
        providers = Provider.objects.filter(Exists(offering)).order_by("name")
        return [(str(pk), name) for pk, name in providers.values_list("pk", "name")]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if not value.isdigit():
            return queryset.none()
        offered = Offering.objects.filter(provider_id=int(value)).values("model_id")
        return queryset.filter(pk__in=offered)


class ChosenModelFilter(admin.RelatedFieldListFilter):
    """An offering list's model filter, shown only once a model is chosen (the link
    from a model's page): listing every model in the catalog as a filter choice read
    each one in full on every page, a third of a second at 1,500 models; the search box
    finds a model faster."""

    def field_choices(self, field, request, model_admin):
        chosen = [value for value in self.lookup_val or [] if str(value).isdigit()]
        if not chosen:
            return []
        return field.get_choices(include_blank=False, limit_choices_to={"pk__in": chosen})

    def has_output(self):
        return bool(self.lookup_choices)


class EvidenceSourceFilter(admin.SimpleListFilter):
    """The review queue's source filter: drafts a source spoke of, by key (the field
    filter it replaces joined the evidence and removed the duplicate rows)."""

    title = "source"
    parameter_name = "evidence__source"

    def lookups(self, request, model_admin):
        sources = ModelEvidence.objects.values_list("source", flat=True).distinct()
        return [(source, source) for source in sources.order_by("source")]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        spoke = ModelEvidence.objects.filter(source=self.value()).values("model_id")
        return queryset.filter(pk__in=spoke)


class KeysFirstPaginator(Paginator):
    """Pages a list by reading the page's keys first, then only those rows.

    A list page selects its rows with their related records (a price's offering, model
    and provider) and annotations (a model's cheapest price); sorting that wide join
    to keep one page made the database build it for every row of the catalog: 116 ms
    for the offerings' first page on SQLite at 15,000 offerings, against 8 ms to sort
    their keys alone (and 12 ms against 0.7 ms on PostgreSQL). The rows are then read
    by key from `rows` (the admin's queryset: its annotations, not the list's filters
    and search, which SQLite would evaluate again for nothing), with the list's
    related records."""

    def __init__(self, *args, rows: QuerySet | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows

    def _get_page(self, object_list, number, paginator):
        if isinstance(object_list, QuerySet):
            keys = list(object_list.values_list("pk", flat=True))
            rows = self.rows if self.rows is not None else object_list.model._base_manager.all()
            rows = rows.filter(pk__in=keys)
            rows.query.select_related = self.object_list.query.select_related
            by_key = {row.pk: row for row in rows}
            object_list = [by_key[key] for key in keys if key in by_key]
        return super()._get_page(object_list, number, paginator)


class BoundedListMixin(SubquerySearchMixin):
    """ModelAdmin mixin for the catalog's big lists: search by key (SubquerySearchMixin),
    pages read by key (KeysFirstPaginator), no second count of the whole table
    ("12 results (Show all)" instead of "12 results (15,000 total)"), and 50 rows a
    page, two screens at 1280 px (Django's 100 doubled the time spent drawing rows an
    editor who searches or filters never reads)."""

    paginator = KeysFirstPaginator
    show_full_result_count = False
    list_per_page = 50

    def action_checkbox(self, obj):
        """Django's row checkbox, without rendering its template for every row."""
        attrs = {
            "class": "action-select",
            "aria-label": format_html(_("Select this object for an action - {}"), str(obj)),
        }
        checkbox = TemplateFreeCheckbox(attrs, lambda value: False)
        return checkbox.render(helpers.ACTION_CHECKBOX_NAME, str(obj.pk))

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        return self.paginator(
            queryset,
            per_page,
            orphans,
            allow_empty_first_page,
            rows=self.get_queryset(request),
        )
