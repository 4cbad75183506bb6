"""python manage.py import_catalog --format litellm PATH [--add-new] [--apply]

Shows what the file would change; writes nothing unless --apply is given, and then all
or nothing. With --add-new it also proposes the models, organisations and providers the
catalog does not carry, as drafts for the review queue."""

from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from catalog.importers import PARSERS
from catalog.importers.additions import apply_additions, build_additions
from catalog.importers.apply import ImportRefused, apply_plan
from catalog.importers.plan import build_plan
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
        parser.add_argument(
            "--add-new",
            action="store_true",
            help="Also propose models we do not carry (drafts for the review queue).",
        )
        parser.add_argument(
            "--as-of",
            type=date.fromisoformat,
            help="The date the file is evidence of (YYYY-MM-DD), when the file does not say.",
        )
        parser.add_argument("--user", help="Username the history records the change under.")
        parser.add_argument(
            "--limit", type=int, default=50, help="Entries listed per preview section."
        )

    def handle(
        self,
        *args,
        path,
        format,
        apply,
        user,
        limit,
        confirm_warnings=False,
        add_new=False,
        as_of=None,
        **options,
    ):
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
        if as_of is not None:
            parsed.as_of = as_of
        plan = build_plan(parsed)
        self.stdout.write("\n".join(plan_lines(plan, limit=limit)))
        additions = build_additions(parsed) if add_new else None
        if additions is not None:
            self.stdout.write("\n" + "\n".join(additions.lines(limit=limit)))
        if not apply:
            self.stdout.write("\nDry run: nothing written. Add --apply to import.")
            return
        try:
            with transaction.atomic():
                result = apply_plan(plan, user=actor, confirm_warnings=confirm_warnings)
                drafts = apply_additions(additions, user=actor) if additions else None
        except ImportRefused as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"\nImported: {result.offerings_created} offerings created, "
                f"{result.prices_recorded} prices recorded."
            )
        )
        if drafts is not None and additions.models:
            self.stdout.write(
                self.style.SUCCESS(
                    f"New from sources: {additions.summary()}; review them in the admin "
                    "under Catalog > New from sources. " + drafts.summary()
                )
            )
