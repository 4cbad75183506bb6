"""The review queue ("New from sources"): a proxy of LanguageModel for drafts, and the
Editor group's permissions for it, for remembered rejections, model aliases and the
sources' evidence."""

from importlib import import_module

from django.db import migrations

editor_group = import_module("catalog.migrations.0002_editor_group")

REVIEW_PERMISSIONS = {
    ("catalog", "draftmodel"): ("change", "delete", "view"),
    ("catalog", "rejectedmodel"): ("add", "view"),
    ("catalog", "modelalias"): ("add", "change", "delete", "view"),
    ("catalog", "modelevidence"): ("view",),
}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=editor_group.EDITOR_GROUP)
    for (app_label, model), actions in REVIEW_PERMISSIONS.items():
        for action in actions:
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label=app_label,
                    content_type__model=model,
                    codename=f"{action}_{model}",
                )
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=editor_group.EDITOR_GROUP).first()
    if group is not None:
        group.permissions.remove(
            *group.permissions.filter(
                content_type__app_label="catalog",
                content_type__model__in=[model for _, model in REVIEW_PERMISSIONS],
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_growth_from_sources"),
    ]

    operations = [
        migrations.CreateModel(
            name="DraftModel",
            fields=[],
            options={
                "verbose_name": "new model from sources",
                "verbose_name_plural": "new from sources",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("catalog.languagemodel",),
        ),
        migrations.RunPython(grant, revoke),
    ]
