"""The "Editor" group: exactly what catalog editors need, nothing that grants power over
people (users, groups) or partner access (API keys)."""

from django.db import migrations

EDITOR_GROUP = "Editor"

# (app_label, model) -> actions. Editors curate content; they never delete history.
EDITOR_PERMISSIONS = {
    ("catalog", "organization"): ("add", "change", "view"),
    ("catalog", "provider"): ("add", "change", "view"),
    ("catalog", "languagemodel"): ("add", "change", "view"),
    ("catalog", "offering"): ("add", "change", "view"),
    ("catalog", "offeringalias"): ("add", "change", "delete", "view"),
    ("catalog", "price"): ("add", "change", "view"),
    ("catalog", "source"): ("add", "change", "view"),
    ("catalog", "benchmark"): ("add", "change", "view"),
    ("catalog", "benchmarkscore"): ("add", "change", "delete", "view"),
    ("catalog", "historicallanguagemodel"): ("view",),
    ("catalog", "historicaloffering"): ("view",),
    ("catalog", "historicalprice"): ("view",),
    ("comparisons", "comparison"): ("add", "change", "delete", "view"),
}


def sync_editor_group(apps, schema_editor, permissions=EDITOR_PERMISSIONS):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITOR_GROUP)
    wanted = []
    for (app_label, model), actions in permissions.items():
        for action in actions:
            wanted.append(
                Permission.objects.get(
                    content_type__app_label=app_label,
                    content_type__model=model,
                    codename=f"{action}_{model}",
                )
            )
    group.permissions.set(wanted)


def remove_editor_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITOR_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
        ("comparisons", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(sync_editor_group, remove_editor_group)]
