"""In a real browser the admin works under the Content Security Policy: nothing it needs
is refused (scripts, styles, images), so editors keep autocomplete, inlines, calendars."""

import os
from pathlib import Path

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.handlers.wsgi import WSGIHandler
from django.urls import reverse

from tests.factories import LanguageModelFactory, ProviderFactory, offer

CHROMIUM = "/usr/bin/chromium"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no browser at {CHROMIUM}"),
]


def base_url(live_server) -> str:
    # The session-wide live server built its middleware before the suite turned the
    # HTTPS redirect off for plain-HTTP tests; rebuild it with the current settings.
    live_server.thread.httpd.set_app(StaticFilesHandler(WSGIHandler()))
    return live_server.url


@pytest.fixture
def page():
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        yield browser.new_page()
        browser.close()


def test_the_admin_change_page_runs_without_csp_violations(page, live_server, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.contrib.auth.models import User

    User.objects.create_superuser("root", "root@example.com", "a long passphrase here")
    model = LanguageModelFactory(name="DeepSeek V4")
    offer(model, ProviderFactory(name="DeepSeek"))
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    url = base_url(live_server)
    page.goto(url + reverse("admin:login"))
    page.fill("#id_username", "root")
    page.fill("#id_password", "a long passphrase here")
    page.click("input[type=submit]")
    page.goto(url + reverse("admin:catalog_languagemodel_change", args=[model.pk]))
    # Admin JavaScript ran: the autocomplete widget and the date shortcuts are built.
    page.wait_for_selector(".select2-container")
    page.wait_for_selector(".datetimeshortcuts")
    assert violations == []
