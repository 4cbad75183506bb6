from django.apps import AppConfig


class PricewatchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pricewatch"
    verbose_name = "Price watch"

    def ready(self):
        # Models import only once apps are ready.
        from catalog.changelog import connect_offering_part  # noqa: PLC0415
        from catalog.seeding import seed_loaded  # noqa: PLC0415
        from pricewatch.models import Finding, OfferingCheck  # noqa: PLC0415
        from pricewatch.seeding import store_seed_checks  # noqa: PLC0415
        from sitecache.signals import stamps_cover  # noqa: PLC0415

        seed_loaded.connect(store_seed_checks, dispatch_uid="pricewatch-seed-checks")
        # An offering's checks are part of its representation (price_check).
        connect_offering_part(OfferingCheck)
        # Checks move their models' stamps through the change log; findings are
        # admin-only: neither makes every cached page cold (sitecache.signals).
        stamps_cover(OfferingCheck)
        stamps_cover(Finding)
