"""Admins for the makers (organizations) and the providers that sell their models."""

from __future__ import annotations

from django.contrib import admin

from catalog.admin.concurrency import OptimisticLockingAdmin
from catalog.admin.history import CatalogHistoryAdmin
from catalog.models import Organization, Provider


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
