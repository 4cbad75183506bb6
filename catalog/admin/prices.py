"""The price admin and form (plausibility-checked), and the recent price changes page."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path

from catalog.admin.concurrency import OptimisticLockingAdmin
from catalog.admin.confirmation import confirm_warnings_field, hold_implausible
from catalog.admin.history import CatalogHistoryAdmin
from catalog.admin.lists import BoundedListMixin
from catalog.admin.money import MoneyInput
from catalog.changes import OTHERS_WINDOW_DAYS, price_changes_by_others, recent_price_changes
from catalog.formatting import format_usd_exact
from catalog.importers.source import PRICE_FIELDS
from catalog.models import Price
from catalog.plausibility import check_price
from catalog.services import delete_price, price_in_force, save_price

RECENT_CHANGES_LIMIT = 100


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
