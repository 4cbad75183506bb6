import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create (or reset) a staff account in the Editor group and print where to log in."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--password", help="Defaults to a random password, printed once.")
        parser.add_argument("--email", default="")

    def handle(self, *args, username: str, password: str | None, email: str, **options):
        try:
            group = Group.objects.get(name="Editor")
        except Group.DoesNotExist as exc:
            raise CommandError("The Editor group is missing: run `manage.py migrate`.") from exc
        password = password or secrets.token_urlsafe(12)
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"email": email}
        )
        user.is_staff = True
        user.set_password(password)
        user.save()
        user.groups.add(group)
        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} editor {username!r}."))
        self.stdout.write(f"Password: {password}")
        self.stdout.write(f"Log in at {settings.SITE_URL.rstrip('/')}/admin/")
