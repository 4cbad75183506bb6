from django.apps import AppConfig


class SiteCacheConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sitecache"
    verbose_name = "Site cache"

    def ready(self) -> None:
        # Models import only once apps are ready; checks register on import.
        from sitecache import checks, signals  # noqa: F401, PLC0415

        signals.connect_catalog_signals()
