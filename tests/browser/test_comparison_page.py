"""What a person sees on the comparison page, in headless chromium at phone and desktop
widths: the tables, the calculator and the pair picker, all without JavaScript needs."""

from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import gemini_seed_pair

CHROMIUM = Path("/usr/bin/chromium")
SEED_PATH = "/compare/gemini-2-5-flash-live-api-vs-gemini-3-1-flash-lite/"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed"),
]


@pytest.fixture(scope="session")
def site_url(request):
    """The live server over plain HTTP. SecurityMiddleware reads SECURE_SSL_REDIRECT when
    the server's handler is built, so it is switched off before the server starts."""
    saved = settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS
    settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS = False, 0
    yield request.getfixturevalue("live_server").url
    settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS = saved


@pytest.fixture
def browser(chromium):
    return chromium


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("label", "width", "height"), [("phone", 390, 844), ("desktop", 1280, 900)]
)
def test_comparison_page_calculator_and_picker(site_url, browser, tmp_path, label, width, height):
    gemini_seed_pair()
    context = browser.new_context(
        viewport={"width": width, "height": height}, java_script_enabled=False
    )
    page = context.new_page()
    external = []
    page.on(
        "request",
        lambda request: (
            external.append(request.url) if not request.url.startswith(site_url) else None
        ),
    )
    page.goto(site_url + SEED_PATH)

    assert page.locator("h1").inner_text() == "Gemini 2.5 Flash Live API vs Gemini 3.1 Flash-Lite"
    pricing = page.locator("table", has=page.locator("caption", has_text="Pricing on the cheapest"))
    assert pricing.locator("thead th").all_inner_texts() == [
        "Pricing",
        "Gemini 2.5 Flash Live API",
        "Gemini 3.1 Flash-Lite",
    ]
    providers_row = pricing.locator("tr", has=page.locator("th", has_text="Providers"))
    assert "2 providers: Google AI Studio, OpenRouter" in providers_row.inner_text()
    assert page.get_by_text("Gemini 3.1 Flash-Lite is 50% cheaper").first.is_visible()
    # Nothing spills sideways on a phone: the page is no wider than the viewport.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=tmp_path / f"{label}-comparison.png", full_page=True)

    # The calculator: a plain GET form.
    page.fill("#id_input_tokens", "1000000")
    page.fill("#id_output_tokens", "1000000")
    page.click("text=Calculate monthly cost")
    page.wait_for_load_state()  # the click navigates: let the page load
    costs = page.locator("table.costs tbody tr")
    assert costs.count() == 3
    first = costs.nth(0).inner_text()
    assert "Gemini 3.1 Flash-Lite" in first and "$1.75" in first and "Cheapest" in first
    assert "$2.50" in costs.nth(2).inner_text()
    assert "Cheapest" not in costs.nth(2).inner_text()
    page.screenshot(path=tmp_path / f"{label}-calculator.png", full_page=True)

    # A bad number is a message on the form, not an error page.
    page.fill("#id_input_tokens", "-4")
    page.click("text=Calculate monthly cost")
    page.wait_for_load_state()  # the click navigates: let the page load
    assert page.locator(".calculator .error").first.is_visible()

    # The pair picker, in reverse order, lands on the canonical page.
    page.goto(site_url + "/")
    page.select_option("#id_a", "gemini-3-1-flash-lite")
    page.select_option("#id_b", "gemini-2-5-flash-live-api")
    page.click("form.picker button")
    page.wait_for_load_state()  # the click navigates: let the page load
    assert page.url == site_url + SEED_PATH
    # Picking the same model twice re-renders the form with a message.
    page.goto(site_url + "/")
    page.select_option("#id_a", "gemini-3-1-flash-lite")
    page.select_option("#id_b", "gemini-3-1-flash-lite")
    page.click("form.picker button")
    page.wait_for_load_state()  # the click navigates: let the page load
    assert page.get_by_text("Pick two different models").is_visible()
    page.screenshot(path=tmp_path / f"{label}-picker-error.png", full_page=True)

    assert external == []
    context.close()
