"""The offering page: its dated prices and aliases, plus the workbench, import and export URLs."""

from __future__ import annotations

from django.contrib import admin
from django.urls import path
from django.utils.html import format_html_join

from catalog.admin.concurrency import OptimisticLockingAdmin, OptimisticLockingInline
from catalog.admin.history import CatalogHistoryAdmin
from catalog.admin.imports import (
    IMPORT_PERMISSION,
    csv_response,
    export_view,
    import_view,
    job_status_view,
    job_view,
)
from catalog.admin.lists import BoundedListMixin
from catalog.admin.prices import RECENT_CHANGES_LIMIT, PriceForm
from catalog.admin.staleness import BehindMakerFilter, StaleFilter, mark_reviewed_today
from catalog.admin.workbench import workbench_view
from catalog.changes import recent_price_changes
from catalog.formatting import format_tokens, format_usd_exact
from catalog.models import Offering, OfferingAlias, Price
from catalog.services import save_price


@admin.action(description="Export selected as CSV (prices in force today)")
def export_selected_as_csv(modeladmin, request, queryset):
    return csv_response(queryset, name="prices-selection")


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
    list_filter = ["provider", "lifecycle", StaleFilter, BehindMakerFilter]
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
        wrap = self.admin_site.admin_view
        return [
            path(
                "workbench/",
                wrap(lambda request: workbench_view(self, request)),
                name="catalog_offering_workbench",
            ),
            path(
                "import/",
                wrap(lambda request: import_view(self, request)),
                name="catalog_offering_import",
            ),
            path(
                "import/<int:job_id>/",
                wrap(lambda request, job_id: job_view(self, request, job_id)),
                name="catalog_offering_import_job",
            ),
            path(
                "import/<int:job_id>/status/",
                wrap(lambda request, job_id: job_status_view(self, request, job_id)),
                name="catalog_offering_import_job_status",
            ),
            path(
                "export/",
                wrap(lambda request: export_view(self, request)),
                name="catalog_offering_export",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_import": request.user.has_perm(IMPORT_PERMISSION),
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
