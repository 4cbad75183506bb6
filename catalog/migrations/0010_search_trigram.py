"""pg_trgm for the search's close matches (catalog.search). Django's CreateExtension does
nothing on other databases, so SQLite migrates unchanged."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("catalog", "0009_change_log")]

    operations = [TrigramExtension()]
