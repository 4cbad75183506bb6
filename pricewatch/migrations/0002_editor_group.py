"""Editors see and work through price-watch findings."""

import importlib

from django.db import migrations

_editor = importlib.import_module("catalog.migrations.0002_editor_group")

PRICEWATCH_PERMISSIONS = {
    ("pricewatch", "finding"): ("change", "view"),
    ("pricewatch", "offeringcheck"): ("view",),
}


def extend_editor_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=_editor.EDITOR_GROUP)
    for (app_label, model), actions in PRICEWATCH_PERMISSIONS.items():
        for action in actions:
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label=app_label,
                    content_type__model=model,
                    codename=f"{action}_{model}",
                )
            )


def shrink_editor_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=_editor.EDITOR_GROUP).first()
    if group is not None:
        group.permissions.remove(
            *group.permissions.filter(content_type__app_label="pricewatch")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("pricewatch", "0001_initial"),
        ("catalog", "0002_editor_group"),
    ]

    operations = [migrations.RunPython(extend_editor_group, shrink_editor_group)]
