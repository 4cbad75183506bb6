"""python manage.py refresh_current_prices: run daily, just after midnight."""

from django.core.management.base import BaseCommand

from catalog.services import refresh_current_prices


class Command(BaseCommand):
    help = (
        "Point every offering at the price in force today. A price recorded for a later "
        "date takes effect on that day without any write, so schedule this daily."
    )

    def handle(self, *args, **options):
        moved = refresh_current_prices()
        noun = "offering" if moved == 1 else "offerings"
        self.stdout.write(f"{moved} {noun} now show the price in force today.")
