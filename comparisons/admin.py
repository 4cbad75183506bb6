"""Editors' layer over a pair: feature it on the home page, add a note, or replace the
generated verdict with their own (the page marks it as the editor's)."""

from django.contrib import admin
from django.utils.html import format_html

from catalog.admin.concurrency import OptimisticLockingAdmin
from catalog.admin.history import CatalogHistoryAdmin
from comparisons.models import Comparison


@admin.register(Comparison)
class ComparisonAdmin(OptimisticLockingAdmin, CatalogHistoryAdmin):
    list_display = ["__str__", "featured", "has_verdict", "noindex", "updated_at", "page"]
    list_filter = ["featured", "noindex"]
    list_editable = ["featured"]
    list_select_related = ["model_a", "model_b"]
    search_fields = ["model_a__name", "model_b__name", "model_a__slug", "model_b__slug"]
    autocomplete_fields = ["model_a", "model_b"]
    fieldsets = [
        (None, {"fields": ["model_a", "model_b", "featured", "noindex"]}),
        (
            "What the page says",
            {
                "fields": ["verdict_override", "editor_note"],
                "description": "Leave the verdict empty to show the generated one. A verdict "
                "written here replaces it and is labelled “Editor's verdict”; the note "
                "shows beside it as “Editor's note”. Plain text: nothing is rendered as HTML.",
            },
        ),
    ]

    @admin.display(boolean=True, description="Editor's verdict")
    def has_verdict(self, obj: Comparison) -> bool:
        return bool(obj.verdict_override.strip())

    @admin.display(description="Page")
    def page(self, obj: Comparison) -> str:
        return format_html('<a href="{}">View page</a>', obj.get_absolute_url())
