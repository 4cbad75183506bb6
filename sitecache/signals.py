"""Every save, delete or many-to-many change of a catalog record bumps the version.

Whether it also bumps the structure (CatalogVersion.structure, which every page that
records its dependencies is checked against) is for the record's app to say: an app
that keeps per-record stamps for what its pages show registers, per model, which writes
those stamps do not cover (`stamps_cover`). A model nobody registered is structural on
every write, so a new model can make pages cold but never stale."""

from collections.abc import Callable

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from sitecache.versioning import bump_catalog_version

# Apps whose records appear on public pages or in the API.
CATALOG_APPS = ("catalog", "comparisons", "pricewatch")

# model -> (instance, action) -> True when the write changes only what per-record stamps
# cover; action is "created", "saved", "deleted" or "linked" (many-to-many).
Coverage = Callable[[object, str], bool]
_covered: dict[type, Coverage] = {}


def stamps_cover(model: type, when: Coverage | None = None) -> None:
    """Declare that writes of `model` move the stamps of what they change (all of them,
    or those `when(instance, action)` accepts), so they need not make every page cold."""
    _covered[model] = when or (lambda instance, action: True)


def is_structural(instance, action: str) -> bool:
    model = type(instance)
    when = _covered.get(model) or _covered.get(model._meta.concrete_model)  # a proxy's own
    return when is None or not when(instance, action)


def _bump(sender, instance=None, created=False, raw=False, action="saved", **kwargs):
    if raw:  # loaddata / restore: the restore bumps once at the end
        return
    if action == "saved" and created:
        action = "created"
    bump_catalog_version(structure=is_structural(instance, action))


def _bump_deleted(sender, instance=None, **kwargs):
    _bump(sender, instance=instance, action="deleted")


def _bump_m2m(sender, action, instance=None, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"}:
        through = sender
        covered = _covered.get(through)
        structure = covered is None or not covered(instance, "linked")
        bump_catalog_version(structure=structure)


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
        post_delete.connect(_bump_deleted, sender=model, dispatch_uid=f"{uid}-delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _bump_m2m, sender=field.remote_field.through, dispatch_uid=f"{uid}-{field.name}"
            )
