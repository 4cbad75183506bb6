"""The model page: specs, capabilities, and inline offering rows (current price) and scores."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from catalog import selectors
from catalog.admin.concurrency import OptimisticLockingAdmin, OptimisticLockingInline
from catalog.admin.confirmation import confirm_warnings_field, hold_implausible
from catalog.admin.history import CatalogHistoryAdmin
from catalog.admin.lists import BoundedListMixin, OfferedByFilter
from catalog.admin.money import money_field
from catalog.admin.staleness import StaleFilter, mark_reviewed_today
from catalog.admin.widgets import RowAutocompleteForm, RowAutocompleteInline
from catalog.formatting import format_usd_exact
from catalog.models import BenchmarkScore, LanguageModel, Offering
from catalog.plausibility import check_limits, check_price
from catalog.services import PriceInput, record_price


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
