"""python manage.py import_catalog --format litellm PATH [--apply]

Shows what the file would change; writes nothing unless --apply is given, and then all
or nothing."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from catalog.importers import PARSERS
from catalog.importers.plan import ImportRefused, apply_plan, build_plan
from catalog.importers.report import plan_lines
from catalog.importers.source import ImportFormatError


class Command(BaseCommand):
    help = "Preview (and with --apply, import) a provider price list."

    def add_arguments(self, parser):
        parser.add_argument("path", help="File, or for models-dev the tree's folder.")
        parser.add_argument("--format", required=True, choices=sorted(PARSERS))
        parser.add_argument("--apply", action="store_true", help="Write the changes.")
        parser.add_argument(
            "--confirm-warnings",
            action="store_true",
            help="Import prices the plausibility check questions (listed in the preview).",
        )
        parser.add_argument("--user", help="Username the history records the change under.")
        parser.add_argument(
            "--limit", type=int, default=50, help="Entries listed per preview section."
        )

    def handle(self, *args, path, format, apply, user, limit, confirm_warnings=False, **options):
        actor = None
        if user:
            try:
                actor = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"No user {user!r}.") from None
        try:
            parsed = PARSERS[format](path)
        except ImportFormatError as exc:
            message = f"Cannot read {path} as {format}: {exc} Nothing was imported."
            raise CommandError(message) from None
        plan = build_plan(parsed)
        self.stdout.write("\n".join(plan_lines(plan, limit=limit)))
        if not apply:
            self.stdout.write("\nDry run: nothing written. Add --apply to import.")
            return
        try:
            result = apply_plan(plan, user=actor, confirm_warnings=confirm_warnings)
        except ImportRefused as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"\nImported: {result.offerings_created} offerings created, "
                f"{result.prices_recorded} prices recorded."
            )
        )
