"""The editors' workbench. Lists show what an editor scans for (price, status, staleness),
every changelist runs a bounded number of queries, and every save is in the history."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from catalog import admin_import, selectors
from catalog.admin_concurrency import OptimisticLockingAdmin, OptimisticLockingInline
from catalog.admin_lists import BoundedListMixin, OfferedByFilter
from catalog.admin_money import MoneyInput, money_field
from catalog.admin_safety import CatalogHistoryAdmin
from catalog.admin_widgets import RowAutocompleteForm, RowAutocompleteInline
from catalog.changes import OTHERS_WINDOW_DAYS, price_changes_by_others, recent_price_changes
from catalog.formatting import format_tokens, format_usd_exact
from catalog.importers.source import PRICE_FIELDS
from catalog.models import (
    Benchmark,
    BenchmarkScore,
    LanguageModel,
    Offering,
    OfferingAlias,
    Organization,
    Price,
    Provider,
    Source,
)
from catalog.plausibility import check_limits, check_price
from catalog.services import (
    PriceInput,
    delete_price,
    mark_reviewed,
    price_in_force,
    record_price,
    save_price,
)

CONFIRM_LABEL = "I have checked these figures"


def confirm_warnings_field():
    return forms.BooleanField(
        label=CONFIRM_LABEL,
        required=False,
        help_text="Tick to save figures the plausibility check questions.",
    )


def hold_implausible(form, warnings) -> None:
    """Fail validation with each warning on its field unless the editor confirmed."""
    if not warnings or form.cleaned_data.get("confirm_warnings"):
        return
    for warning in warnings:
        target = warning.field if warning.field in form.fields else None
        form.add_error(target, f'Please check: {warning}. Tick "{CONFIRM_LABEL}" to save.')


RECENT_CHANGES_LIMIT = 100


class StaleFilter(admin.SimpleListFilter):
    title = "review status"
    parameter_name = "stale"

    def lookups(self, request, model_admin):
        days = settings.CATALOG_STALE_AFTER_DAYS
        return [("yes", f"Stale (not reviewed for {days} days)"), ("no", "Reviewed recently")]

    def queryset(self, request, queryset):
        cutoff = timezone.localdate() - timedelta(days=settings.CATALOG_STALE_AFTER_DAYS)
        stale = Q(last_reviewed__isnull=True) | Q(last_reviewed__lt=cutoff)
        if self.value() == "yes":
            return queryset.filter(stale)
        if self.value() == "no":
            return queryset.exclude(stale)
        return queryset


@admin.action(description="Mark reviewed today")
def mark_reviewed_today(modeladmin, request, queryset):
    count = mark_reviewed(queryset)
    noun = "record" if count == 1 else "records"
    modeladmin.message_user(request, f"Marked {count} {noun} reviewed today.", messages.SUCCESS)


@admin.action(description="Export selected as CSV (prices in force today)")
def export_selected_as_csv(modeladmin, request, queryset):
    return admin_import.csv_response(queryset, name="prices-selection")


@admin.register(Organization)
class OrganizationAdmin(CatalogHistoryAdmin):
    list_display = ["name", "slug", "url"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Provider)
class ProviderAdmin(OptimisticLockingAdmin, CatalogHistoryAdmin):
    list_display = ["name", "kind", "url"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "url", "retrieved_on"]
    search_fields = ["title", "url"]


class PriceForm(forms.ModelForm):
    """A dated price; implausible figures are held until the editor confirms them."""

    confirm_warnings = confirm_warnings_field()

    class Meta:
        model = Price
        fields = "__all__"  # noqa: DJ007 - the admin chooses the fields
        widgets = dict.fromkeys(PRICE_FIELDS, MoneyInput)

    def clean(self):
        cleaned = super().clean()
        offering = cleaned.get("offering") or (
            self.instance.offering if self.instance.offering_id else None
        )
        if offering is None or cleaned.get("input") is None or cleaned.get("output") is None:
            return cleaned
        previous = price_in_force(
            offering,
            tier=cleaned.get("tier") or Price.Tier.STANDARD,
            context_threshold=cleaned.get("context_threshold") or 0,
            on=cleaned.get("effective_date"),
            excluding=self.instance.pk,
        )
        hold_implausible(
            self,
            check_price(cleaned, previous=previous, provider_model_id=offering.provider_model_id),
        )
        return cleaned


class LanguageModelForm(forms.ModelForm):
    confirm_warnings = confirm_warnings_field()

    class Meta:
        model = LanguageModel
        fields = "__all__"  # noqa: DJ007 - the admin chooses the fields

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk or {"context_window", "max_output_tokens"} & set(self.changed_data):
            hold_implausible(
                self,
                check_limits(
                    context_window=cleaned.get("context_window"),
                    max_output_tokens=cleaned.get("max_output_tokens"),
                ),
            )
        return cleaned


# The figures the model page edits; the cache-write price and the price's source stay as
# they are (the workbench and the offering's page edit them), so the row fits the screen.
INLINE_PRICE_FIELDS = ("input", "output", "cache_read")


class OfferingInlineForm(RowAutocompleteForm, forms.ModelForm):
    """An offering row on the model page, with its current standard price editable.

    Changing a figure records a new dated price (today) through the price service, so
    the old price stays in the history; the new price keeps the current one's
    cache-write figure and source.
    """

    input = money_field("Input $/1M")
    output = money_field("Output $/1M")
    cache_read = money_field("Cached $/1M")
    confirm_warnings = confirm_warnings_field()

    class Meta:
        model = Offering
        fields = ["provider", "provider_model_id", "lifecycle", "last_reviewed"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm_warnings"].label = "Figures checked"
        price = self.instance.current_price if self.instance.pk else None
        if price is not None:
            for field in INLINE_PRICE_FIELDS:
                self.fields[field].initial = getattr(price, field)

    def clean(self):
        cleaned = super().clean()
        given = [cleaned.get(f) is not None for f in ("input", "output")]
        if any(given) and not all(given):
            raise forms.ValidationError("Give both the input and the output price.")
        if any(f in self.changed_data for f in INLINE_PRICE_FIELDS) and all(given):
            previous = self.instance.current_price if self.instance.pk else None
            model_id = cleaned.get("provider_model_id") or self.instance.provider_model_id or ""
            hold_implausible(
                self, check_price(cleaned, previous=previous, provider_model_id=model_id)
            )
        return cleaned

    def price_changed(self) -> bool:
        return any(f in self.changed_data for f in INLINE_PRICE_FIELDS) and (
            self.cleaned_data.get("input") is not None
        )

    def record_price_if_changed(self) -> None:
        if not self.price_changed():
            return
        current = self.instance.current_price
        record_price(
            offering=self.instance,
            price=PriceInput(
                input=self.cleaned_data["input"],
                output=self.cleaned_data["output"],
                cache_read=self.cleaned_data.get("cache_read"),
                cache_write=current.cache_write if current else None,
            ),
            source_url=current.source_url if current else "",
        )


class OfferingInline(RowAutocompleteInline, OptimisticLockingInline, admin.TabularInline):
    model = Offering
    form = OfferingInlineForm
    extra = 0
    autocomplete_fields = ["provider"]
    show_change_link = True
    fields = [
        "provider",
        "provider_model_id",
        "input",
        "output",
        "cache_read",
        "lifecycle",
        "last_reviewed",
        "confirm_warnings",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("model", "provider", "current_price")


class ScoreInlineForm(RowAutocompleteForm, forms.ModelForm):
    class Meta:
        model = BenchmarkScore
        fields = ["benchmark", "score", "self_reported", "source_url", "measured_on"]
        widgets = {"source_url": forms.URLInput}  # one line, not "Currently: ... Change:"


class ScoreInline(RowAutocompleteInline, admin.TabularInline):
    model = BenchmarkScore
    form = ScoreInlineForm
    extra = 0
    autocomplete_fields = ["benchmark"]
    fields = ["benchmark", "score", "self_reported", "source_url", "measured_on"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("model", "benchmark")


@admin.register(LanguageModel)
class LanguageModelAdmin(BoundedListMixin, OptimisticLockingAdmin, CatalogHistoryAdmin):
    form = LanguageModelForm
    # What fits one line beside the sidebar and the filters at 1280 px; providers, review
    # dates and specs are filters or on the model's page.
    list_display = ["name", "organization", "cheapest_input", "status", "lifecycle"]
    list_filter = [
        "status",
        "lifecycle",
        StaleFilter,
        "organization",
        OfferedByFilter,
        "open_weights",
        "reasoning",
    ]
    list_select_related = ["organization"]
    search_fields = ["name", "slug", "organization__name", "offerings__provider_model_id"]
    autocomplete_fields = ["organization", "sources"]
    prepopulated_fields = {"slug": ["name"]}
    date_hierarchy = "release_date"
    actions = [mark_reviewed_today]
    inlines = [OfferingInline, ScoreInline]
    save_on_top = True
    readonly_fields = ["prices_link"]
    fieldsets = [
        (
            None,
            {"fields": ["name", "slug", "organization", "status", "last_reviewed", "prices_link"]},
        ),
        (
            "Specs",
            {
                "fields": [
                    "release_date",
                    ("context_window", "max_output_tokens"),
                    "confirm_warnings",
                    "parameter_count",
                    "architecture",
                    ("license", "open_weights"),
                    "knowledge_cutoff",
                    ("input_modalities", "output_modalities"),
                ]
            },
        ),
        (
            "Capabilities (leave unknown when the maker does not say)",
            {
                "fields": [
                    ("vision", "multimodal", "reasoning", "function_calling"),
                    ("tool_use", "structured_outputs", "code_execution", "prompt_caching"),
                ]
            },
        ),
        ("Lifecycle", {"fields": ["lifecycle", ("deprecation_date", "retirement_date")]}),
        ("Sources and notes", {"fields": ["sources", "description"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                # The figure pages and the API show: buyable offerings only.
                min_input=selectors.cheapest_buyable_price("input"),
            )
        )

    @admin.display(description="Cheapest input / 1M", ordering="min_input")
    def cheapest_input(self, obj):
        return format_usd_exact(obj.min_input)

    @admin.display(description="Prices")
    def prices_link(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        url = reverse("admin:catalog_offering_workbench")
        return format_html(
            '<a href="{}?model__id__exact={}">Edit prices in the workbench</a>'
            " (every figure of each offering, with the date it takes effect)",
            url,
            obj.pk,
        )

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Offering:
            for inline_form in formset.forms:
                if inline_form.instance.pk and not inline_form.cleaned_data.get("DELETE"):
                    inline_form.record_price_if_changed()


class PriceInline(OptimisticLockingInline, admin.TabularInline):
    model = Price
    form = PriceForm
    extra = 1
    can_delete = False
    fields = [
        "effective_date",
        "tier",
        "context_threshold",
        "input",
        "output",
        "cache_read",
        "cache_write",
        "source_url",
        "checked_on",
        "confirm_warnings",
    ]
    ordering = ["tier", "context_threshold", "-effective_date"]


class AliasInline(admin.TabularInline):
    model = OfferingAlias
    extra = 1


@admin.register(Offering)
class OfferingAdmin(BoundedListMixin, OptimisticLockingAdmin, CatalogHistoryAdmin):
    # One line at 1280 px; the provider's model id and review date are on the offering's
    # page (the id is searchable, the review date a filter).
    list_display = ["model", "provider", "input_price", "output_price", "lifecycle"]
    list_filter = ["provider", "lifecycle", StaleFilter]
    list_select_related = ["model", "provider", "current_price"]
    search_fields = ["model__name", "provider__name", "provider_model_id", "aliases__alias"]
    autocomplete_fields = ["model", "provider"]
    actions = [mark_reviewed_today, export_selected_as_csv]
    change_list_template = "admin/catalog/offering/change_list.html"
    object_history_template = "admin/catalog/offering/object_history.html"

    def history_view(self, request, object_id, extra_context=None):
        # Prices are their own records; show their changes on the offering's history too.
        changes = []
        self._require_valid_key(self.model._meta.pk, str(object_id))  # 404 before any query
        if str(object_id).isdigit():
            changes = recent_price_changes(limit=RECENT_CHANGES_LIMIT, offering_id=int(object_id))
        extra_context = {**(extra_context or {}), "price_changes": changes}
        return super().history_view(request, object_id, extra_context)

    def get_urls(self):
        # Imported here: the workbench builds on this module's filters and form helpers.
        from catalog.admin_workbench import workbench_view  # noqa: PLC0415 (import cycle)

        wrap = self.admin_site.admin_view
        return [
            path(
                "workbench/",
                wrap(lambda request: workbench_view(self, request)),
                name="catalog_offering_workbench",
            ),
            path(
                "import/",
                wrap(lambda request: admin_import.import_view(self, request)),
                name="catalog_offering_import",
            ),
            path(
                "import/<int:job_id>/",
                wrap(lambda request, job_id: admin_import.job_view(self, request, job_id)),
                name="catalog_offering_import_job",
            ),
            path(
                "import/<int:job_id>/status/",
                wrap(lambda request, job_id: admin_import.job_status_view(self, request, job_id)),
                name="catalog_offering_import_job_status",
            ),
            path(
                "export/",
                wrap(lambda request: admin_import.export_view(self, request)),
                name="catalog_offering_export",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_import": request.user.has_perm(admin_import.IMPORT_PERMISSION),
        }
        return super().changelist_view(request, extra_context)

    inlines = [PriceInline, AliasInline]
    readonly_fields = ["price_history"]

    @admin.display(description="Input / 1M", ordering="current_price__input")
    def input_price(self, obj):
        return format_usd_exact(obj.current_price.input if obj.current_price else None)

    @admin.display(description="Output / 1M", ordering="current_price__output")
    def output_price(self, obj):
        return format_usd_exact(obj.current_price.output if obj.current_price else None)

    @admin.display(description="Price history (newest first)")
    def price_history(self, obj):
        rows = obj.prices.order_by("-effective_date", "tier", "context_threshold")
        return (
            format_html_join(
                "",
                "<div>{}: {} in / {} out ({}{})</div>",
                (
                    (
                        p.effective_date.isoformat(),
                        format_usd_exact(p.input),
                        format_usd_exact(p.output),
                        p.get_tier_display(),
                        f", above {format_tokens(p.context_threshold)}"
                        if p.context_threshold
                        else "",
                    )
                    for p in rows
                ),
            )
            or "—"
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is not Price:
            return super().save_formset(request, form, formset, change)
        # Price rows go through the price service, which keeps the current price right.
        for price in formset.save(commit=False):
            save_price(price)
        formset.save_m2m()


@admin.register(Price)
class PriceAdmin(BoundedListMixin, OptimisticLockingAdmin, CatalogHistoryAdmin):
    form = PriceForm
    list_display = [
        "offering",
        "effective_date",
        "tier",
        "input_price",
        "output_price",
        "cached_input_price",
    ]
    # A date filter rather than a date hierarchy: the hierarchy reads every price's
    # month on each page (a third of a second at 45,000 prices on SQLite).
    list_filter = [
        "tier",
        "offering__provider",
        ("effective_date", admin.DateFieldListFilter),
        "context_threshold",
    ]
    list_select_related = ["offering__model", "offering__provider"]
    search_fields = ["offering__model__name", "offering__provider__name"]
    autocomplete_fields = ["offering"]

    def get_urls(self):
        return [
            path(
                "recent-changes/",
                self.admin_site.admin_view(self.recent_changes_view),
                name="catalog_price_recent_changes",
            ),
            *super().get_urls(),
        ]

    @admin.display(description="Input / 1M", ordering="input")
    def input_price(self, obj):
        return format_usd_exact(obj.input)

    @admin.display(description="Output / 1M", ordering="output")
    def output_price(self, obj):
        return format_usd_exact(obj.output)

    @admin.display(description="Cached input / 1M", ordering="cache_read")
    def cached_input_price(self, obj):
        return format_usd_exact(obj.cache_read)

    def recent_changes_view(self, request):
        """Price changes across the catalog: who, when, offering, old -> new, %; with
        ?by=others, those of the last days by anyone but the editor (the start page's
        count links here)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        by_others = request.GET.get("by") == "others"
        if by_others:
            events = price_changes_by_others(request.user, limit=RECENT_CHANGES_LIMIT)
            title = f"Price changes by others in the last {OTHERS_WINDOW_DAYS} days"
        else:
            events = recent_price_changes(limit=RECENT_CHANGES_LIMIT)
            title = "Recent price changes"
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "events": events,
            "limit": RECENT_CHANGES_LIMIT,
            "by_others": by_others,
        }
        return TemplateResponse(request, "admin/catalog/price/recent_changes.html", context)

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user  # what SimpleHistoryAdmin.save_model does
        save_price(obj)

    def delete_model(self, request, obj):
        delete_price(obj)

    def delete_queryset(self, request, queryset):
        for price in queryset.select_related("offering"):
            delete_price(price)


@admin.register(Benchmark)
class BenchmarkAdmin(CatalogHistoryAdmin):
    list_display = ["name", "variant", "metric", "scale", "higher_is_better"]
    search_fields = ["name", "variant"]
    prepopulated_fields = {"slug": ["name", "variant"]}


@admin.register(BenchmarkScore)
class BenchmarkScoreAdmin(BoundedListMixin, CatalogHistoryAdmin):
    list_display = ["model", "benchmark", "score", "self_reported", "measured_on"]
    list_filter = ["benchmark", "self_reported"]
    list_select_related = ["model", "benchmark"]
    search_fields = ["model__name", "benchmark__name"]
    autocomplete_fields = ["model", "benchmark"]


# The review queue registers itself (its own module: the import screens live apart too).
from catalog import admin_review  # noqa: E402, F401
