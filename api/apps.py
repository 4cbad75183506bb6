from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "Partner API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported once apps are ready (it reads DRF settings); registers the OpenAPI
        # auth extension.
        from api import schema  # noqa: F401, PLC0415
