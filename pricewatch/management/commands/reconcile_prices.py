"""python manage.py reconcile_prices --source litellm=PATH --source openrouter=PATH"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalog.importers import PARSERS
from catalog.importers.source import ImportFormatError
from pricewatch.models import SOURCES
from pricewatch.reconcile import reconcile


class Command(BaseCommand):
    help = (
        "Compare published price sources with our catalog and store the disagreements "
        "(never changes a price). Give one --source NAME=PATH per file; NAME is one of "
        + ", ".join(SOURCES)
        + "."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            action="append",
            required=True,
            metavar="NAME=PATH",
            help="A source and its file (models-dev: the directory). Repeat for several.",
        )
        parser.add_argument(
            "--verbose-disagreements",
            action="store_true",
            help="List every disagreement found, with both values.",
        )

    def handle(self, *args, source, verbose_disagreements=False, **options):
        pairs = []
        for item in source:
            name, sep, path = item.partition("=")
            if not sep or not path:
                raise CommandError(f"--source {item!r}: write NAME=PATH, e.g. litellm=prices.json")
            if name not in SOURCES or name not in PARSERS:
                raise CommandError(
                    f"--source {item!r}: unknown source {name!r}; one of {', '.join(SOURCES)}"
                )
            if not Path(path).exists():
                raise CommandError(f"--source {item!r}: {path} does not exist")
            pairs.append((name, Path(path)))
        parsed_all = []
        for name, path in pairs:  # read everything first: a bad file changes nothing
            try:
                parsed_all.append((name, PARSERS[name](path)))
            except ImportFormatError as exc:
                raise CommandError(f"{name}: {exc}") from exc
        for name, parsed in parsed_all:
            report = reconcile(name, parsed)
            self.stdout.write(report.summary())
            if verbose_disagreements:
                for offering, comp in report.disagreements:
                    diff = comp.relative_difference
                    pct = f" ({diff * 100:.1f}%)" if diff is not None else ""
                    self.stdout.write(
                        f"  {offering} {comp.field}: ours {comp.ours}, theirs {comp.theirs}{pct}"
                    )
