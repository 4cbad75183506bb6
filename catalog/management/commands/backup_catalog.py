from pathlib import Path

from django.core.management.base import BaseCommand

from catalog.backups import write_backup


class Command(BaseCommand):
    help = (
        "Write the whole catalog, with its history and comparisons, to one JSON file. "
        "Restore it with restore_catalog. For a full production backup use pg_dump."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The file to write, e.g. catalog.json")

    def handle(self, *args, path: Path, **options):
        counts = write_backup(path)
        total = sum(counts.values())
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {total} records from {len(counts)} tables to {path}.")
        )
        for label, count in counts.items():
            if count:
                self.stdout.write(f"  {label}: {count}")
