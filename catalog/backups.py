"""Backup and restore of the whole catalog, history included, as one JSON file.

The file is Django's JSON serialization of every model of the catalog and comparisons
apps (the django-simple-history tables are models of those apps), in dependency order
with primary keys kept, so prices, current prices and historical records point at the
same rows after a restore. Users appear only as natural keys (usernames) in history.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, time
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction

from catalog import changelog
from catalog.formatting import iso_timestamp
from catalog.page_stamps import refresh_cheapest_inputs
from sitecache.versioning import bump_catalog_version

BACKUP_APPS = ("catalog", "comparisons")


def backup_models() -> list[type[models.Model]]:
    """Every concrete model of the backed-up apps, in an order that restores cleanly."""
    app_models = [
        (app_config, list(app_config.get_models()))
        for app_config in (apps.get_app_config(label) for label in BACKUP_APPS)
    ]
    return [m for m in serializers.sort_dependencies(app_models) if not m._meta.proxy]


def _objects(model: type[models.Model]) -> Iterator[models.Model]:
    yield from model._default_manager.order_by(model._meta.pk.name).iterator(chunk_size=2000)


def write_backup(path: Path) -> dict[str, int]:
    """Write the catalog to `path`; returns how many rows of each model were written."""
    counts: dict[str, int] = {}

    def every_object():
        for model in backup_models():
            counts[model._meta.label] = 0
            for obj in _objects(model):
                counts[model._meta.label] += 1
                yield obj

    with open(path, "w", encoding="utf-8") as stream:
        serializers.serialize(
            "json",
            every_object(),
            stream=stream,
            indent=1,
            use_natural_foreign_keys=True,
            use_natural_primary_keys=False,
            cls=ExactJSONEncoder,
        )
    return counts


def catalog_row_counts() -> dict[str, int]:
    """Rows currently in each backed-up table (only non-empty tables are listed)."""
    counts = {m._meta.label: m._default_manager.count() for m in backup_models()}
    return {label: count for label, count in counts.items() if count}


def _usernames_in(raw_objects: list[dict]) -> set[str]:
    """Usernames referenced (as natural keys) by foreign keys to the user model."""
    user_model = get_user_model()
    names: set[str] = set()
    for raw in raw_objects:
        model = apps.get_model(raw["model"])
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is user_model:
                value = raw["fields"].get(field.name)
                if isinstance(value, list) and value:
                    names.add(value[0])
    return names


def ensure_users(usernames: set[str]) -> list[str]:
    """Create an inactive account, unable to sign in, for each username the history
    names that this database lacks, so "who changed it" survives; returns those made."""
    user_model = get_user_model()
    existing = set(
        user_model._default_manager.filter(
            **{f"{user_model.USERNAME_FIELD}__in": usernames}
        ).values_list(user_model.USERNAME_FIELD, flat=True)
    )
    created = sorted(usernames - existing)
    for username in created:
        user = user_model(**{user_model.USERNAME_FIELD: username}, is_active=False)
        user.set_unusable_password()
        user.save()
    return created


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds (it cuts them to
    milliseconds), so a restore gives back every timestamp exactly."""

    def default(self, o):
        if isinstance(o, datetime | time):
            return iso_timestamp(o)
        return super().default(o)


class CatalogNotEmpty(Exception):
    pass


def restore_backup(path: Path, *, using: str = DEFAULT_DB_ALIAS) -> tuple[dict[str, int], list]:
    """Load a backup into an empty catalog, all or nothing.

    Returns the rows restored per model and the usernames created for the history.
    Raises CatalogNotEmpty when any backed-up table already has rows.
    """
    text = Path(path).read_text(encoding="utf-8")
    raw_objects = json.loads(text)
    if not isinstance(raw_objects, list):
        raise ValueError("expected a list of serialized records")
    connection = connections[using]
    counts: dict[str, int] = {}
    with transaction.atomic(using=using):
        present = catalog_row_counts()
        if present:
            raise CatalogNotEmpty(present)
        created_users = ensure_users(_usernames_in(raw_objects))
        restored_models = set()
        # Offerings point at their current price and prices at their offering: check
        # the constraints once everything is in, as loaddata does.
        with connection.constraint_checks_disabled(), changelog.restoring():
            for deserialized in serializers.deserialize("json", text, using=using):
                deserialized.save(using=using)
                label = deserialized.object._meta.label
                counts[label] = counts.get(label, 0) + 1
                restored_models.add(type(deserialized.object))
        connection.check_constraints(table_names=[m._meta.db_table for m in restored_models])
        # New rows after a restore must not collide with restored primary keys.
        sequence_sql = connection.ops.sequence_reset_sql(no_style(), list(restored_models))
        if sequence_sql:
            with connection.cursor() as cursor:
                for statement in sequence_sql:
                    cursor.execute(statement)
        # Raw saves skip the signals that keep the page stamps (a backup may predate
        # them) and bump the catalog version: recompute and bump once, so no cache serves
        # the catalog as it was before the restore.
        refresh_cheapest_inputs()
        bump_catalog_version()
    return counts, created_users
