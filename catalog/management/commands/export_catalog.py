"""python manage.py export_catalog [PATH] [--provider SLUG]: prices in force today as our
CSV (docs/csv-format.md); import_catalog --format csv reads it back unchanged."""

import sys

from django.core.management.base import BaseCommand, CommandError

from catalog.importers.csv_format import write
from catalog.importers.export import price_lines
from catalog.models import Offering, Provider


class Command(BaseCommand):
    help = "Export current prices as CSV (to PATH, or standard output)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="Output file; standard output if absent.")
        parser.add_argument("--provider", action="append", help="Only this provider's slug.")

    def handle(self, *args, path, provider, **options):
        offerings = Offering.objects.all()
        if provider:
            unknown = set(provider) - set(
                Provider.objects.filter(slug__in=provider).values_list("slug", flat=True)
            )
            if unknown:
                raise CommandError(f"Unknown provider: {', '.join(sorted(unknown))}.")
            offerings = offerings.filter(provider__slug__in=provider)
        if path:
            with open(path, "w", encoding="utf-8", newline="") as out:
                count = write(price_lines(offerings), out)
            self.stderr.write(f"Wrote {count} price lines to {path}.")
        else:
            write(price_lines(offerings), sys.stdout)
