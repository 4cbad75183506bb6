"""Filters of the API lists. Every parameter is validated: a value that cannot be read
answers 400 naming the parameter and the reason (django-filter's form errors, turned
into the API's error shape by api.exceptions), never a silently ignored filter."""

from __future__ import annotations

from datetime import UTC, date
from decimal import Decimal

import django_filters
from django import forms
from django.db.models import DateField, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from django_filters.fields import IsoDateTimeField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from api import selectors
from catalog.models import (
    CAPABILITIES,
    Benchmark,
    BenchmarkScore,
    LanguageModel,
    Lifecycle,
    Modality,
    Offering,
    Organization,
    Provider,
)
from catalog.selectors import PRICE_FIELD

BOOLEAN_CHOICES = [("true", "true"), ("false", "false")]

# Nullable sort keys are coalesced so keyset pagination compares real values, and so
# records without the value come last in either direction.
# The largest amount a price field holds (catalog.models.MONEY), so a cursor carrying it
# still fits the column's type.
PRICE_LAST_ASC = Value(Decimal("999999.999999"), output_field=PRICE_FIELD)
PRICE_LAST_DESC = Value(Decimal("-1"), output_field=PRICE_FIELD)
DATE_LAST_ASC = Value(date(9999, 12, 31), output_field=DateField())
DATE_LAST_DESC = Value(date(1, 1, 1), output_field=DateField())

# ordering value -> (annotations, order_by); pagination appends the primary key.
MODEL_ORDERINGS = {
    "name": ({}, ["name"]),
    "-name": ({}, ["-name"]),
    "context_window": ({}, ["context_window"]),
    "-context_window": ({}, ["-context_window"]),
    "release_date": ({"sort_key": Coalesce("release_date", DATE_LAST_ASC)}, ["sort_key"]),
    "-release_date": ({"sort_key": Coalesce("release_date", DATE_LAST_DESC)}, ["-sort_key"]),
    "input_price": ({"sort_key": Coalesce("cheapest_input", PRICE_LAST_ASC)}, ["sort_key"]),
    "-input_price": ({"sort_key": Coalesce("cheapest_input", PRICE_LAST_DESC)}, ["-sort_key"]),
    "output_price": ({"sort_key": Coalesce("cheapest_output", PRICE_LAST_ASC)}, ["sort_key"]),
    "-output_price": (
        {"sort_key": Coalesce("cheapest_output", PRICE_LAST_DESC)},
        ["-sort_key"],
    ),
}

OFFERING_ORDERINGS = {
    "input_price": (
        {"sort_key": Coalesce(F("current_price__input"), PRICE_LAST_ASC)},
        ["sort_key"],
    ),
    "-input_price": (
        {"sort_key": Coalesce(F("current_price__input"), PRICE_LAST_DESC)},
        ["-sort_key"],
    ),
    "output_price": (
        {"sort_key": Coalesce(F("current_price__output"), PRICE_LAST_ASC)},
        ["sort_key"],
    ),
    "-output_price": (
        {"sort_key": Coalesce(F("current_price__output"), PRICE_LAST_DESC)},
        ["-sort_key"],
    ),
}


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(django_filters.ChoiceFilter):
    """`true` or `false`; anything else is a 400 (django-filter's BooleanFilter ignores
    values it cannot read, which would hand a partner the unfiltered list)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", BOOLEAN_CHOICES)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        return qs.filter(**{self.field_name: value == "true"})


MAX_PRICE = Decimal("999999")
MAX_TOKENS = 2**31 - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_TOKENS})
class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


@extend_schema_field({"type": "number", "minimum": 0, "maximum": float(MAX_PRICE)})
class PriceFilter(django_filters.NumberFilter):
    """USD per 1M tokens, 0 to 999999."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("max_value", MAX_PRICE)
        kwargs.setdefault("lookup_expr", "lte")
        super().__init__(*args, **kwargs)


class OrderingChoiceFilter(django_filters.ChoiceFilter):
    """One ordering out of a fixed map; unknown values answer 400."""

    def __init__(self, *args, orderings: dict, **kwargs):
        self.orderings = orderings
        kwargs["choices"] = [(key, key) for key in orderings]
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        annotations, order_by = self.orderings[value]
        return qs.annotate(**annotations).order_by(*order_by, "pk")


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time, converted to UTC (databases reject some offsets Python
    accepts, such as -20:52); one that leaves the calendar in UTC is a 400."""

    def to_python(self, value):
        parsed = super().to_python(value)
        if parsed is None:
            return None
        try:
            return parsed.astimezone(UTC)
        except (OverflowError, ValueError) as error:
            raise forms.ValidationError("Enter a date-time between years 1 and 9999.") from error


class UpdatedSinceFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "help_text",
            "ISO 8601 date-time (e.g. 2026-05-07T00:00:00Z): only records changed at or after it.",
        )
        super().__init__(*args, **kwargs)


# One true/false filter per capability flag, from the capability list itself, so a flag
# added to catalog.models.CAPABILITIES is filterable (and in the schema) at once.
CapabilityFilters = type(
    "CapabilityFilters",
    (django_filters.FilterSet,),
    {
        name: StrictBooleanFilter(help_text=f"{label}: true or false.")
        for name, label in CAPABILITIES
    },
)


class LanguageModelFilter(CapabilityFilters):
    organization = django_filters.ModelChoiceFilter(
        queryset=Organization.objects.all(),
        to_field_name="slug",
        help_text="Organisation slug.",
    )
    provider = django_filters.ModelChoiceFilter(
        queryset=Provider.objects.all(),
        to_field_name="slug",
        field_name="offerings__provider",
        method="filter_provider",
        help_text="Provider slug: models offered by this provider.",
    )
    open_weights = StrictBooleanFilter(help_text="true or false.")
    modality = django_filters.ChoiceFilter(
        choices=Modality.choices,
        method="filter_modality",
        help_text="Models accepting or producing this modality.",
    )
    min_context_window = IntegerFilter(
        field_name="context_window",
        lookup_expr="gte",
        min_value=1,
        max_value=MAX_TOKENS,
        help_text="Tokens.",
    )
    max_input_price = PriceFilter(
        field_name="cheapest_input",
        help_text="USD per 1M input tokens, cheapest current offering that can be bought "
        "(ga or preview).",
    )
    max_output_price = PriceFilter(
        field_name="cheapest_output",
        help_text="USD per 1M output tokens, cheapest current offering that can be bought "
        "(ga or preview).",
    )
    released_after = django_filters.DateFilter(
        field_name="release_date", lookup_expr="gte", help_text="ISO date, inclusive."
    )
    released_before = django_filters.DateFilter(
        field_name="release_date", lookup_expr="lte", help_text="ISO date, inclusive."
    )
    search = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", help_text="Part of the model name."
    )
    updated_since = UpdatedSinceFilter(method="filter_updated_since")
    ordering = OrderingChoiceFilter(
        orderings=MODEL_ORDERINGS,
        help_text="Sort order; prefix with - for descending. Default: id (stable while "
        "the catalog is edited).",
    )

    class Meta:
        model = LanguageModel
        fields: list[str] = []

    def filter_provider(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(Exists(Offering.objects.filter(model=OuterRef("pk"), provider=value)))

    def filter_modality(self, qs, name, value):
        if not value:
            return qs
        pattern = rf"(^|,){value}(,|$)"
        return qs.filter(Q(input_modalities__regex=pattern) | Q(output_modalities__regex=pattern))

    def filter_updated_since(self, qs, name, value):
        return selectors.models_changed_since(qs, value) if value else qs


class OfferingFilter(django_filters.FilterSet):
    model = django_filters.CharFilter(field_name="model__slug", help_text="Model slug.")
    provider = django_filters.ModelChoiceFilter(
        queryset=Provider.objects.all(), to_field_name="slug", help_text="Provider slug."
    )
    organization = django_filters.ModelChoiceFilter(
        field_name="model__organization",
        queryset=Organization.objects.all(),
        to_field_name="slug",
        help_text="Organisation slug of the model.",
    )
    lifecycle = django_filters.MultipleChoiceFilter(
        choices=Lifecycle.choices,
        help_text="Offerings in this lifecycle state; repeat for several "
        "(`?lifecycle=ga&lifecycle=preview`: the ones that can be bought).",
    )
    max_input_price = PriceFilter(field_name="current_price__input")
    max_output_price = PriceFilter(field_name="current_price__output")
    updated_since = UpdatedSinceFilter(method="filter_updated_since")
    ordering = OrderingChoiceFilter(
        orderings=OFFERING_ORDERINGS, help_text="Sort order; default: id."
    )

    class Meta:
        model = Offering
        fields: list[str] = []

    def filter_updated_since(self, qs, name, value):
        return selectors.offerings_changed_since(qs, value) if value else qs


class UpdatedSinceFilterSet(django_filters.FilterSet):
    updated_since = UpdatedSinceFilter(field_name="updated_at", lookup_expr="gte")


class OrganizationFilter(UpdatedSinceFilterSet):
    class Meta:
        model = Organization
        fields: list[str] = []


class ProviderFilter(UpdatedSinceFilterSet):
    class Meta:
        model = Provider
        fields: list[str] = []


class BenchmarkFilter(django_filters.FilterSet):
    updated_since = UpdatedSinceFilter(method="filter_updated_since")

    class Meta:
        model = Benchmark
        fields: list[str] = []

    def filter_updated_since(self, qs, name, value):
        if not value:
            return qs
        score_changed = BenchmarkScore.objects.filter(
            benchmark=OuterRef("pk"), updated_at__gte=value
        )
        return qs.filter(Q(updated_at__gte=value) | Exists(score_changed))
