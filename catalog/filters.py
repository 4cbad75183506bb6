"""The FilterSet of the HTML models list (`/models/`).

The API has its own (`api.filters.LanguageModelFilter`): its parameter names are a
published contract (`vision=true`, `min_context_window`, `ordering`, strict 400s) that
the page's form-friendly ones (`capability`, `min_context`, `sort`) cannot change into.

This one expects a queryset from `catalog.selectors.model_list()` (or any queryset
annotated with `cheapest_input`), because the price filter and sort work on that
annotation.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import F
from django.db.models.functions import Lower

from catalog.models import CAPABILITIES, LanguageModel, Offering, Organization, Provider


class ModelListOrdering(django_filters.OrderingFilter):
    """Names sort as people read them (case-insensitive: "gpt-oss" among the G's, not
    after "Qwen"); models without a price or date sort last either way; equal values
    keep name order."""

    def get_ordering_value(self, param):
        descending = param.startswith("-")
        field = self.param_map[param.lstrip("-")]
        value = Lower(field) if field == "name" else F(field)
        return value.desc(nulls_last=True) if descending else value.asc(nulls_last=True)

    def filter(self, qs, value):
        if value in ([], (), {}, "", None):
            return qs
        ordering = [self.get_ordering_value(param) for param in value]
        return qs.order_by(*ordering, Lower("name"), "pk")


class LanguageModelFilter(django_filters.FilterSet):
    organization = django_filters.ModelChoiceFilter(
        queryset=Organization.objects.order_by("name"),
        to_field_name="slug",
        label="Organisation",
        empty_label="Any organisation",
    )
    provider = django_filters.ModelChoiceFilter(
        queryset=Provider.objects.order_by("name"),
        to_field_name="slug",
        label="Provider",
        empty_label="Any provider",
        method="filter_provider",
    )
    capability = django_filters.MultipleChoiceFilter(
        choices=CAPABILITIES,
        label="Capabilities (all of)",
        method="filter_capability",
        widget=forms.CheckboxSelectMultiple,
    )
    open_weights = django_filters.BooleanFilter(
        label="Open weights",
        widget=forms.Select(choices=[("", "Either"), ("true", "Open"), ("false", "Closed")]),
    )
    min_context = django_filters.NumberFilter(
        field_name="context_window", lookup_expr="gte", label="Context window at least (tokens)"
    )
    max_input_price = django_filters.NumberFilter(
        field_name="cheapest_input",
        lookup_expr="lte",
        label="Input price at most (USD / 1M)",
        min_value=0,
    )
    sort = ModelListOrdering(
        fields=(
            ("cheapest_input", "price"),
            ("context_window", "context"),
            ("release_date", "released"),
            ("name", "name"),
        ),
        field_labels={
            "cheapest_input": "Input price",
            "context_window": "Context window",
            "release_date": "Release date",
            "name": "Name",
        },
        label="Sort by",
    )

    class Meta:
        model = LanguageModel
        fields = ["organization", "provider", "capability", "open_weights"]

    def filter_provider(self, queryset, name, value):
        # A subquery, not a join, so the cheapest-price annotation is not skewed.
        return queryset.filter(pk__in=Offering.objects.filter(provider=value).values("model_id"))

    def filter_capability(self, queryset, name, value):
        return queryset.filter(**{key: True for key in value})
