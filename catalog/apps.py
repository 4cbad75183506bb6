from django.apps import AppConfig


class CatalogConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "catalog"
    verbose_name = "Catalog"

    def ready(self):
        # Models import only once apps are ready.
        from catalog.changelog import connect_changelog_signals  # noqa: PLC0415

        connect_changelog_signals()
