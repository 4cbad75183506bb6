"""python manage.py audit_catalog --data ../shared/data [--all]

Cross-checks every figure of the catalog against the public source files on their dates
and lists each contradiction: explained ones (newer evidence, an editor's note) and the
problems to fix. Exits with an error when a problem is left unexplained."""

from collections import Counter
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from catalog.audit import KINDS, audit_catalog


class Command(BaseCommand):
    help = "Cross-check the catalog against the public source files."

    def add_arguments(self, parser):
        parser.add_argument("--data", type=Path, required=True, help="Folder of source files.")
        parser.add_argument("--today", type=date.fromisoformat, default=None)
        parser.add_argument("--all", action="store_true", help="List explained contradictions too.")

    def handle(self, *args, data, today, all, **options):
        if not data.is_dir():
            raise CommandError(f"{data} is not a folder of source files.")
        findings = audit_catalog(data, today=today or timezone.localdate())
        problems = [f for f in findings if not f.explained]
        for finding in findings:
            if finding.explained and not all:
                continue
            where = f"{finding.model}" + (f" on {finding.provider}" if finding.provider else "")
            line = f"[{finding.kind}] {where}: {finding.message}"
            if finding.explained:
                line += f" — explained: {finding.explanation}"
            self.stdout.write(line)
        counts = Counter(f.kind for f in findings)
        unexplained = Counter(f.kind for f in problems)
        self.stdout.write("")
        for kind, label in KINDS.items():
            if counts[kind]:
                self.stdout.write(f"{label}: {counts[kind]} ({unexplained[kind]} unexplained)")
        if problems:
            raise CommandError(f"{len(problems)} contradictions are unexplained.")
        self.stdout.write(self.style.SUCCESS(f"{len(findings)} contradictions, all explained."))
