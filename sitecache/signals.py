"""Every save, delete or many-to-many change of a catalog record bumps the version."""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from sitecache.versioning import bump_catalog_version

# Apps whose records appear on public pages or in the API.
CATALOG_APPS = ("catalog", "comparisons", "pricewatch")


def _bump(sender, **kwargs):
    if kwargs.get("raw"):  # loaddata / restore: the restore bumps once at the end
        return
    bump_catalog_version()


def _bump_m2m(sender, action, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"}:
        _bump(sender)


def is_catalog_model(model) -> bool:
    """A model of a catalog app whose records pages show. A model only the admin reads
    (an import job's progress) says `shown_on_pages = False`: saving it leaves every
    cached page valid."""
    return (
        model._meta.app_label in CATALOG_APPS
        and not model.__name__.startswith("Historical")
        and getattr(model, "shown_on_pages", True)
    )


def connect_catalog_signals() -> None:
    for model in apps.get_models():
        if not is_catalog_model(model):
            continue
        uid = f"sitecache-{model._meta.label_lower}"
        post_save.connect(_bump, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"{uid}-delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _bump_m2m, sender=field.remote_field.through, dispatch_uid=f"{uid}-{field.name}"
            )
