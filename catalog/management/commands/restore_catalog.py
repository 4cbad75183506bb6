from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.base import DeserializationError

from catalog.backups import CatalogNotEmpty, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup_catalog file into a database whose catalog is empty (freshly "
        "migrated, or after `manage.py flush`). All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="A file written by backup_catalog")

    def handle(self, *args, path: Path, **options):
        if not path.is_file():
            raise CommandError(f"No backup file at {path}.")
        try:
            counts, created_users = restore_backup(path)
        except CatalogNotEmpty as error:
            present = ", ".join(f"{label}: {count}" for label, count in error.args[0].items())
            raise CommandError(
                "The catalog is not empty, so nothing was restored (a restore never merges "
                f"into existing data). Found {present}. Restore into a freshly migrated "
                "database, or empty this one first with `manage.py flush`."
            ) from None
        except (ValueError, KeyError, DeserializationError) as error:
            raise CommandError(
                f"{path} is not a catalog backup; nothing was restored ({error})."
            ) from None
        total = sum(counts.values())
        self.stdout.write(self.style.SUCCESS(f"Restored {total} records from {path}."))
        if created_users:
            self.stdout.write(
                "Created inactive accounts (no password) for people named in the history: "
                + ", ".join(created_users)
            )
