from django.apps import AppConfig


class SiteCacheConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sitecache"
    verbose_name = "Site cache"

    def ready(self) -> None:
        from sitecache import checks, signals  # noqa: F401 (checks register on import)

        signals.connect_catalog_signals()
