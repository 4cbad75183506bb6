"""Review status in the lists: the stale filter and the *Mark reviewed today* action."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Q
from django.utils import timezone

from catalog.services import mark_reviewed


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
