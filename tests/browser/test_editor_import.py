"""An editor imports a price list in a real browser: upload -> preview -> confirm, then
sees the new price in the admin and on the public model page."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from catalog.models import Offering
from tests import factories
from tests.browser import IN_CHROMIUM
from tests.factories import (
    LanguageModelFactory,
    OfferingFactory,
    PriceFactory,
    ProviderFactory,
    offer,
)

pytestmark = IN_CHROMIUM
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
    assert "Imported: 0 offerings created, 1 price recorded." in report
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


def log_in(page, site: str) -> None:
    page.goto(f"{site}/admin/login/?next=/admin/")
    page.fill("#id_username", "edith")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_load_state()  # the click navigates: let the page load
    page.wait_for_url(f"{site}/admin/")


def test_editor_imports_openrouters_listing_and_follows_the_result_to_each_change(
    plain_http_server, chromium, django_user_model, tmp_path, settings, shared_data
):
    """The real OpenRouter listing, uploaded with the page's default format (detect): the
    preview warns only about the price it changes, the apply's result page lists each
    change with its old and new figures, and its links open the offering."""
    # That module imports this one's live-server fixture, hence the late import.
    from tests.browser.test_accessibility import AXE, serious_violations  # noqa: PLC0415

    settings.IMPORT_STAGING_DIR = str(tmp_path / "staging")
    user = django_user_model.objects.create_user(username="edith", password=PASSWORD, is_staff=True)
    user.groups.add(editor_group())
    openrouter = ProviderFactory(name="OpenRouter", slug="openrouter", kind="aggregator")

    def priced(name: str, model_id: str, **figures: str) -> Offering:
        """An offering on OpenRouter priced (figures, USD per 1M) as of January."""
        model = LanguageModelFactory(name=name)
        offering = OfferingFactory(model=model, provider=openrouter, provider_model_id=model_id)
        PriceFactory(offering=offering, **{k: Decimal(v) for k, v in figures.items()})
        return offering

    same = {"cache_write": "0.083333", "web_search": "14"}
    # As the listing prices it: unchanged. Its cache-write figure is rounded (a warning).
    priced(
        "Gemini 3.1 Flash Lite", "google/gemini-3.1-flash-lite", input="0.25", output="1.5",
        cache_read="0.025", audio_input="0.5", reasoning="1.5", **same,
    )  # fmt: skip
    # The listing says $0.30 input: a change, and its rounding warning is worth reading.
    flash = priced(
        "Gemini 2.5 Flash", "google/gemini-2.5-flash", input="0.25", output="2.5",
        cache_read="0.03", audio_input="1", reasoning="2.5", **same,
    )  # fmt: skip
    sonnet = LanguageModelFactory(name="Claude Sonnet 4.5", slug="claude-sonnet-4-5")
    site = plain_http_server.url
    page = chromium.new_context(bypass_csp=True).new_page()  # CSP bypassed to inject axe
    page.set_default_timeout(15_000)
    log_in(page, site)

    page.goto(f"{site}/admin/catalog/offering/import/")
    assert page.locator("#id_format").input_value() == "detect"  # the default, untouched
    page.set_input_files("#id_file", str(shared_data / "openrouter" / "models.json"))
    page.click("input[name=preview]")
    page.wait_for_load_state()  # the click navigates: let the page load
    summary = page.locator("#import-summary").inner_text()
    assert summary.startswith("openrouter: 1 new offerings, 1 changed prices, 1 unchanged")
    assert summary.endswith("0 errors.")
    warnings = page.locator("#import-warnings li").all_inner_texts()
    assert len(warnings) == 1 and "google/gemini-2.5-flash" in warnings[0]
    assert (
        "8 warnings about other rows not shown" in page.locator("#import-left-alone").inner_text()
    )
    page.screenshot(path=tmp_path / "1-preview.png", full_page=True)
    preview_violations = serious_violations(page) if AXE.exists() else []

    page.click("input[name=confirm]")
    page.wait_for_load_state()  # the click navigates: let the page load
    report = page.locator("#import-report").inner_text()
    assert report == "Imported: 1 offering created, 2 prices recorded."
    table = page.locator("table#import-changes")
    assert table.locator("caption").inner_text() == "Prices recorded (2)"
    rows = table.locator("tbody tr")
    assert rows.locator("th[scope=row]").all_inner_texts() == [
        "Claude Sonnet 4.5",
        "Gemini 2.5 Flash",
    ]
    assert "Input $3 / 1M tokens" in rows.nth(0).inner_text()
    assert "Input $0.25 → $0.30 / 1M tokens" in rows.nth(1).inner_text()
    created = Offering.objects.get(model=sonnet, provider=openrouter)
    hrefs = [a.get_attribute("href") for a in table.locator("a.import-offering-link").all()]
    assert hrefs == [
        f"/admin/catalog/offering/{created.pk}/change/",
        f"/admin/catalog/offering/{flash.pk}/change/",
    ]
    page.screenshot(path=tmp_path / "2-result.png", full_page=True)
    # On a phone the result's wide table scrolls in its own box, not the page.
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    page.screenshot(path=tmp_path / "2-result-390.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    if AXE.exists():  # axe-core, from `npm ci` (tests/browser/test_accessibility.py)
        assert preview_violations == [] and serious_violations(page) == []

    rows.nth(1).locator("a.import-offering-link").click()
    page.wait_for_load_state()  # the click navigates: let the page load
    assert page.url == f"{site}/admin/catalog/offering/{flash.pk}/change/"
    history = page.locator(".field-price_history").inner_text()
    assert "$0.30 in / $2.50 out" in history and "$0.25 in / $2.50 out" in history
    page.screenshot(path=tmp_path / "3-offering.png", full_page=True)

    page.go_back()
    page.wait_for_load_state()
    page.locator("a.import-history-link").nth(1).click()
    page.wait_for_load_state()  # the click navigates: let the page load
    assert page.url == f"{site}/admin/catalog/offering/{flash.pk}/history/"
    assert "$0.30" in page.locator("#offering-price-changes").inner_text()
