from django.db import migrations
from django.utils import timezone


def create_row(apps, schema_editor):
    apps.get_model("sitecache", "CatalogVersion").objects.get_or_create(
        pk=1, defaults={"version": 1, "changed_at": timezone.now()}
    )


class Migration(migrations.Migration):
    dependencies = [("sitecache", "0001_initial")]
    operations = [migrations.RunPython(create_row, migrations.RunPython.noop)]
