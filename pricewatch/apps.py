from django.apps import AppConfig


class PricewatchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pricewatch"
    verbose_name = "Price watch"
