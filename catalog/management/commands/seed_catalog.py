from pathlib import Path

from django.core.management.base import BaseCommand

from catalog.seeding import SEED_PATH, load_seed


class Command(BaseCommand):
    help = "Load the shipped seed catalog. Safe to run again: it only adds what is missing."

    def add_arguments(self, parser):
        parser.add_argument("--path", type=Path, default=SEED_PATH, help="Seed JSON file.")

    def handle(self, *args, path: Path, **options):
        report = load_seed(path)
        self.stdout.write(self.style.SUCCESS(report.summary()))
