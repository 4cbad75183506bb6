"""An editor imports a price list in a real browser: upload -> preview -> confirm, then
sees the new price in the admin and on the public model page."""

import shutil
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from tests import factories
from tests.factories import LanguageModelFactory, ProviderFactory, offer

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"{CHROMIUM} is not installed"),
    pytest.mark.django_db(transaction=True),
]
PASSWORD = "correct horse battery"


def editor_group() -> Group:
    """The Editor group (a transactional test database is flushed between tests: the
    migrations' own functions build it again)."""
    return factories.editor_group()


@pytest.fixture
def plain_http_server(live_server, settings):
    """The live server over plain HTTP. It is shared by the session and built its
    middleware before any test's settings, so rebuild the chain once they apply."""
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_HSTS_SECONDS = 0
    handler = live_server.thread.httpd.get_app()
    while handler is not None:  # each wrapping handler holds its own middleware chain
        handler.load_middleware()
        handler = getattr(handler, "application", None)
    return live_server


@pytest.fixture
def browser_page(chromium):
    browser = chromium
    page = browser.new_page()
    page.set_default_timeout(15_000)
    yield page


def test_editor_imports_a_price_list(
    plain_http_server, browser_page, django_user_model, tmp_path, settings
):
    settings.IMPORT_STAGING_DIR = str(tmp_path / "staging")
    user = django_user_model.objects.create_user(username="edith", password=PASSWORD, is_staff=True)
    user.groups.add(editor_group())
    model = LanguageModelFactory(name="Gemini 3.1 Flash-Lite")
    offering = offer(
        model,
        ProviderFactory(name="Google AI Studio", slug="google-ai-studio"),
        input="0.25",
        output="1.5",
    )
    price_list = tmp_path / "prices.csv"
    price_list.write_text(
        "provider,provider_model_id,model,tier,context_threshold,input,output\n"
        f"google-ai-studio,{offering.provider_model_id},{model.slug},standard,0,0.2,1.25\n",
        encoding="utf-8",
    )
    page = browser_page

    page.goto(f"{plain_http_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "edith")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_load_state()  # the click navigates: let the page load
    page.wait_for_url(f"{plain_http_server.url}/admin/")
    assert "What needs doing" in page.content()

    page.click("text=Import a price list")
    page.wait_for_load_state()  # the click navigates: let the page load
    page.select_option("#id_format", "csv")
    page.set_input_files("#id_file", str(price_list))
    page.click("input[name=preview]")
    page.wait_for_load_state()  # the click navigates: let the page load

    summary = page.locator("#import-summary").inner_text()
    assert "1 changed prices" in summary and "0 errors" in summary
    changed = page.locator("#import-changed").inner_text()
    assert "$0.25" in changed and "$0.20" in changed and "−20%" in changed
    offering.refresh_from_db()
    assert offering.current_price.input == Decimal("0.25")  # the preview wrote nothing

    page.click("input[name=confirm]")
    page.wait_for_load_state()  # the click navigates: let the page load
    report = page.locator("#import-report").inner_text()
    assert "Imported: 0 offerings created, 1 prices recorded." in report
    offering.refresh_from_db()
    assert offering.current_price.input == Decimal("0.2")

    page.goto(f"{plain_http_server.url}/admin/catalog/offering/{offering.pk}/change/")
    history = page.locator(".field-price_history").inner_text()
    assert "$0.20 in / $1.25 out" in history
    assert "$0.25 in / $1.50 out" in history  # the old price stays in the history

    # The public model page shows the new price at once.
    page.goto(f"{plain_http_server.url}/models/{model.slug}/")
    prices = page.locator("table", has=page.locator("caption", has_text="Current standard"))
    assert "$0.20" in prices.inner_text() and "$1.25" in prices.inner_text()
