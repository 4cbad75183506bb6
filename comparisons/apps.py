from django.apps import AppConfig


class ComparisonsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "comparisons"
    verbose_name = "Comparisons"

    def ready(self):
        # Models import only once apps are ready.
        from comparisons import page_dependencies  # noqa: PLC0415

        page_dependencies.register()
