"""In a real browser the admin works under the Content Security Policy: nothing it needs
is refused (scripts, styles, images), so editors keep autocomplete, inlines, calendars.

The browser's requests are answered by Django's test client in this thread (static
files from the finders), so the test needs no server thread, and the browser enforces
the real response headers.
"""

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.factories import LanguageModelFactory, ProviderFactory, offer

CHROMIUM = "/usr/bin/chromium"
ORIGIN = "http://testserver"

pytestmark = [
    pytest.mark.browser,
    # Transactional: on PostgreSQL a model this module creates was found committed after it
    # (a later transactional test's full API walk listed it), so the writes of the requests
    # the browser makes are not all inside the test's transaction; the flush at the end
    # removes whatever they committed.
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no browser at {CHROMIUM}"),
]


@pytest.fixture
def page(chromium):
    return chromium.new_page()


def serve_with(client):
    """A playwright route handler answering from the Django test client."""

    def handle(route):
        request = route.request
        url = urlsplit(request.url)
        if url.path.startswith("/static/"):
            found = finders.find(url.path.removeprefix("/static/"))
            if found:
                return route.fulfill(path=found)
            return route.fulfill(status=404, body="")
        response = client.generic(
            request.method,
            url.path + (f"?{url.query}" if url.query else ""),
            data=request.post_data_buffer or b"",
            content_type=request.headers.get("content-type", ""),
        )
        route.fulfill(
            status=response.status_code, headers=dict(response.items()), body=response.content
        )

    return handle


def csp_violations(page) -> list[str]:
    """The console messages about the Content Security Policy refusing something, as
    they come."""
    found = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return found


def test_the_admin_change_page_runs_without_csp_violations(page, admin_client):
    model = LanguageModelFactory(name="DeepSeek V4")
    offer(model, ProviderFactory(name="DeepSeek"))
    violations = csp_violations(page)
    page.route(f"{ORIGIN}/**", serve_with(admin_client))
    page.goto(ORIGIN + reverse("admin:catalog_languagemodel_change", args=[model.pk]))
    # Admin JavaScript ran: the autocomplete widget and the date shortcuts are built.
    page.wait_for_selector(".select2-container")
    page.wait_for_selector(".datetimeshortcuts")
    assert violations == []


def test_the_history_pages_run_without_csp_violations(page, admin_client):
    provider = ProviderFactory(name="Acme")
    provider.name = "Acme Cloud"
    provider.save()
    violations = csp_violations(page)
    page.route(f"{ORIGIN}/**", serve_with(admin_client))
    page.goto(ORIGIN + reverse("admin:catalog_provider_history", args=[provider.pk]))
    page.wait_for_selector("#change-history")
    assert page.locator("#change-history").inner_text().count("Acme") >= 1
    first = provider.history.earliest("history_date")
    page.goto(
        ORIGIN + reverse("admin:catalog_provider_simple_history", args=[provider.pk, first.pk])
    )
    page.wait_for_selector("input[name=name]")
    assert violations == []
