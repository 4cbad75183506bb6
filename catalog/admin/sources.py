"""Admin for the sources: the public pages a model's facts are cited from."""

from __future__ import annotations

from django.contrib import admin

from catalog.models import Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "url", "retrieved_on"]
    search_fields = ["title", "url"]
