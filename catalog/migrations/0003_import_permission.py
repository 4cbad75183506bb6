"""Editors may import price lists: a custom permission on offerings, added to the
"Editor" group (and nothing else)."""

from importlib import import_module

from django.db import migrations

editor_group = import_module("catalog.migrations.0002_editor_group")

IMPORT_PERMISSION = ("catalog", "offering", "can_import_prices")


def grant_import(apps, schema_editor):
    # Creates the permission (and any other missing ones) and resets the base set.
    editor_group.sync_editor_group(apps, schema_editor)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    app_label, model, codename = IMPORT_PERMISSION
    permission = Permission.objects.get(
        content_type__app_label=app_label, content_type__model=model, codename=codename
    )
    Group.objects.get(name=editor_group.EDITOR_GROUP).permissions.add(permission)


def revoke_import(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    app_label, model, codename = IMPORT_PERMISSION
    group = Group.objects.filter(name=editor_group.EDITOR_GROUP).first()
    if group is not None:
        group.permissions.remove(
            *group.permissions.filter(content_type__app_label=app_label, codename=codename)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_editor_group"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="offering",
            options={
                "ordering": ["model__name", "provider__name"],
                "permissions": [("can_import_prices", "Can import price lists")],
            },
        ),
        migrations.RunPython(grant_import, revoke_import),
    ]
