"""Admins for benchmarks and the scores models reach on them."""

from __future__ import annotations

from django.contrib import admin

from catalog.admin.history import CatalogHistoryAdmin
from catalog.admin.lists import BoundedListMixin
from catalog.models import Benchmark, BenchmarkScore


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
