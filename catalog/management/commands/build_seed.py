"""python manage.py build_seed --data ../shared/data

Rebuild catalog/seed/catalog.json from the public source files, curated.json and
decisions.toml (see catalog/seed_builder.py and docs/catalog-growth.md)."""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalog.importers.source import ImportFormatError
from catalog.seed_builder import CURATED_PATH, DECISIONS_PATH, OUTPUT_PATH, build, dumps


class Command(BaseCommand):
    help = (
        "Rebuild the shipped seed catalog from the public source files and the editors' decisions."
    )

    def add_arguments(self, parser):
        parser.add_argument("--data", type=Path, required=True, help="Folder of the source files.")
        parser.add_argument("--out", type=Path, default=OUTPUT_PATH)
        parser.add_argument("--curated", type=Path, default=CURATED_PATH)
        parser.add_argument("--decisions", type=Path, default=DECISIONS_PATH)
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="The build's date (YYYY-MM-DD): which prices are in force. Default: today.",
        )
        parser.add_argument("--verbose-report", action="store_true")

    def handle(self, *args, data, out, curated, decisions, today, verbose_report, **options):
        if not data.is_dir():
            raise CommandError(f"{data} is not a folder of source files.")
        try:
            document, report = build(
                data, curated_path=curated, decisions_path=decisions, today=today
            )
        except ImportFormatError as exc:
            raise CommandError(f"Cannot read a source file: {exc}") from None
        out.write_text(dumps(document), encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {out}: {report.summary(document)}"))
        if verbose_report:
            for line in report.conflicts:
                self.stdout.write(f"conflict: {line}")
            for slug, why in report.left_out:
                self.stdout.write(f"left out: {slug}: {why}")
