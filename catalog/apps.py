from django.apps import AppConfig


class CatalogConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "catalog"
    verbose_name = "Catalog"

    def ready(self):
        # Models import only once apps are ready.
        from catalog.changelog import connect_changelog_signals  # noqa: PLC0415
        from catalog.page_stamps import connect_page_stamp_signals  # noqa: PLC0415

        # First: stored prices are right before the change log moves `updated_at`.
        connect_page_stamp_signals()
        connect_changelog_signals()
