"""Search in headless chromium at phone and desktop widths: the header's type-ahead
reaches a model page from the keyboard alone, the picker's type-ahead fills the pair,
the header never overflows a phone, and without JavaScript the same box is a form."""

import pytest

from catalog.models import ModelAlias
from tests.browser import IN_CHROMIUM
from tests.browser.test_editor_import import plain_http_server
from tests.factories import LanguageModelFactory, OrganizationFactory, gemini_seed_pair

SEED_PATH = "/compare/gemini-2-5-flash-live-api-vs-gemini-3-1-flash-lite/"
WIDTHS = [("phone", 390, 844), ("desktop", 1280, 800)]

pytestmark = IN_CHROMIUM
__all__ = ["plain_http_server"]


@pytest.fixture
def catalog():
    live, lite = gemini_seed_pair()
    anthropic = OrganizationFactory(name="Anthropic", slug="anthropic")
    sonnet = LanguageModelFactory(name="Claude Sonnet 4.5", organization=anthropic)
    LanguageModelFactory(name="Claude Opus 4.5", organization=anthropic)
    ModelAlias.objects.create(model=sonnet, key="claude-sonnet-4-5-20250929")
    return live, lite, sonnet


def new_page(chromium, width, height, **options):
    context = chromium.new_context(viewport={"width": width, "height": height}, **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def header_fits(page, width: int) -> bool:
    return page.evaluate(
        "w => document.documentElement.scrollWidth <= w"
        " && document.querySelector('.site-header').scrollWidth <= w"
        " && document.querySelector('.site-header').getBoundingClientRect().right <= w",
        width,
    )


@pytest.mark.parametrize(("label", "width", "height"), WIDTHS)
def test_header_search_picks_a_suggestion_with_the_keyboard(
    plain_http_server, chromium, catalog, tmp_path, label, width, height
):
    _live, _lite, sonnet = catalog
    site = plain_http_server.url
    page = new_page(chromium, width, height)
    page.goto(site + "/models/")
    assert header_fits(page, width)

    box = page.get_by_role("combobox", name="Search models")
    box.click()
    box.press_sequentially("claud sonet", delay=20)  # a typo, typed key by key
    # The suggestions for the whole query, not those of a prefix still on their way.
    listbox = page.locator(f"#{box.get_attribute('aria-controls')}[data-query='claud sonet']")
    first = listbox.get_by_role("option").first
    first.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    assert sonnet.name in first.inner_text()
    assert header_fits(page, width)
    page.screenshot(path=tmp_path / f"{label}-suggestions.png")

    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert first.get_attribute("aria-selected") == "true"
    box.press("Escape")  # closes, keeps the text
    assert box.get_attribute("aria-expanded") == "false"
    assert box.input_value() == "claud sonet" and listbox.is_hidden()
    box.press("ArrowDown")  # opens again on the same suggestions
    assert box.get_attribute("aria-expanded") == "true"
    with page.expect_navigation():
        box.press("Enter")
    assert page.url == site + f"/models/{sonnet.slug}/"
    assert page.locator("h1").inner_text().startswith(sonnet.name)
    page.screenshot(path=tmp_path / f"{label}-model.png", full_page=True)
    page.context.close()


@pytest.mark.parametrize(("label", "width", "height"), WIDTHS)
def test_picker_fields_search_and_fill_the_pair(
    plain_http_server, chromium, catalog, tmp_path, label, width, height
):
    live, lite, _sonnet = catalog
    site = plain_http_server.url
    page = new_page(chromium, width, height)
    page.goto(site + "/")
    for field, query, model in (("first", "flash lite", lite), ("second", "live api", live)):
        box = page.get_by_role("combobox", name=f"Search for the {field} model")
        box.press_sequentially(query, delay=20)
        listbox = page.locator(f"#{box.get_attribute('aria-controls')}[data-query='{query}']")
        listbox.get_by_role("option", name=model.name).wait_for()
        for _ in range(listbox.get_by_role("option").count()):
            box.press("ArrowDown")
            active = page.locator(f"#{box.get_attribute('aria-activedescendant')}")
            if model.name in active.inner_text():
                break
        box.press("Enter")
        assert box.input_value() == model.name
    assert page.locator("#id_a").input_value() == lite.slug
    assert page.locator("#id_b").input_value() == live.slug
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=tmp_path / f"{label}-picker.png", full_page=True)
    with page.expect_navigation():
        page.click("form.picker button")
    assert page.url == site + SEED_PATH
    page.context.close()


@pytest.mark.parametrize(("label", "width", "height"), WIDTHS)
def test_without_javascript_the_header_search_is_a_form(
    plain_http_server, chromium, catalog, tmp_path, label, width, height
):
    _live, _lite, sonnet = catalog
    site = plain_http_server.url
    page = new_page(chromium, width, height, java_script_enabled=False)
    page.goto(site + "/")
    assert header_fits(page, width)
    page.fill("#site-search-q", "claude-sonnet-4-5-20250929")
    with page.expect_navigation():
        page.press("#site-search-q", "Enter")
    assert page.url.startswith(site + "/search/?q=claude-sonnet-4-5-20250929")
    page.get_by_role("link", name=sonnet.name, exact=True).click()
    assert page.url == site + f"/models/{sonnet.slug}/"
    page.context.close()
