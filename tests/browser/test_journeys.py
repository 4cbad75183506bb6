"""Whole journeys in headless chromium at phone and desktop widths: a visitor from the
home page through the picker, a comparison, a related pair, a model page and the
calculator; an editor changing a price in the admin that visitors see at once."""

import re

import pytest

from catalog.models import Benchmark
from tests.browser import IN_CHROMIUM
from tests.browser.test_editor_import import PASSWORD, editor_group, plain_http_server
from tests.factories import catalog_of, gemini_seed_pair

SEED_PATH = "/compare/gemini-2-5-flash-live-api-vs-gemini-3-1-flash-lite/"
WIDTHS = [("phone", 390, 844), ("desktop", 1280, 800)]

pytestmark = IN_CHROMIUM
__all__ = ["plain_http_server"]  # the fixture, shared with the import journey


@pytest.fixture
def browser(chromium):
    return chromium


def new_page(browser, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.mark.parametrize(("label", "width", "height"), WIDTHS)
def test_visitor_journey(plain_http_server, browser, tmp_path, label, width, height):
    live, lite = gemini_seed_pair()
    catalog_of(models=3, providers=2, offerings_per_model=1)
    site = plain_http_server.url
    page = new_page(browser, width, height)

    page.goto(site + "/")
    page.select_option("#id_a", live.slug)
    page.select_option("#id_b", lite.slug)
    page.click("form.picker button")
    page.wait_for_load_state()  # the click navigates: let the page load
    assert page.url == site + SEED_PATH
    assert page.locator("h1").inner_text() == f"{live.name} vs {lite.name}"
    headings = page.locator("h2").all_inner_texts()
    for heading in ("Workload cost calculator", "FAQ", "Continue comparing"):
        assert heading in headings
    pricing = page.locator("table", has=page.locator("caption", has_text="Pricing on the cheapest"))
    assert pricing.locator("thead th").all_inner_texts()[1:] == [live.name, lite.name]
    assert re.search(r"\$\d+\.\d\d", pricing.inner_text())
    assert page.locator("dl.faq dt").count() > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=tmp_path / f"{label}-1-comparison.png", full_page=True)

    # Continue comparing: a related pair is another comparison page.
    related = page.locator("ul.related a").first
    title = related.inner_text()
    related.click()
    page.wait_for_load_state()  # the click navigates: let the page load
    assert "/compare/" in page.url and page.url != site + SEED_PATH
    assert page.locator("h1").inner_text() == title
    page.screenshot(path=tmp_path / f"{label}-2-related.png", full_page=True)

    # Through the model list to a model page, and from it back to a comparison.
    page.click("header >> text=Models")
    page.wait_for_load_state()  # the click navigates: let the page load
    assert page.url == site + "/models/"
    page.get_by_role("link", name=lite.name, exact=True).first.click()
    page.wait_for_load_state()  # the click navigates: let the page load
    assert page.url == site + f"/models/{lite.slug}/"
    assert page.locator("h1").inner_text().startswith(lite.name)
    prices = page.locator("table", has=page.locator("caption", has_text="Current standard prices"))
    assert "$" in prices.inner_text()
    page.screenshot(path=tmp_path / f"{label}-3-model.png", full_page=True)
    page.locator("ul.related a", has_text=live.name).first.click()
    page.wait_for_load_state()  # the click navigates: let the page load
    assert "/compare/" in page.url

    page.fill("#id_input_tokens", "1000000")
    page.fill("#id_output_tokens", "1000000")
    page.click("text=Calculate monthly cost")
    page.wait_for_load_state()  # the click navigates: let the page load
    rows = page.locator("table.costs tbody tr")
    assert rows.count() >= 2
    costs = [
        float(re.search(r"\$([\d,.]+)", rows.nth(i).inner_text()).group(1).replace(",", ""))
        for i in range(rows.count())
    ]
    # The cheapest rows (ties included) and only they are highlighted, with a badge.
    highlighted = [
        "cheapest" in (rows.nth(i).get_attribute("class") or "") for i in range(rows.count())
    ]
    assert highlighted == [cost == min(costs) for cost in costs]
    assert any(highlighted) and not all(highlighted)
    assert "Cheapest" in page.locator("table.costs tr.cheapest").first.inner_text()
    page.screenshot(path=tmp_path / f"{label}-4-calculator.png", full_page=True)
    page.context.close()


@pytest.mark.parametrize(("label", "width", "height"), WIDTHS)
def test_editor_changes_a_price_and_visitors_see_it_at_once(
    plain_http_server, browser, django_user_model, tmp_path, label, width, height
):
    live, lite = gemini_seed_pair()
    offering = lite.offerings.select_related("provider").order_by("provider__slug").first()
    user = django_user_model.objects.create_user(username="edith", password=PASSWORD, is_staff=True)
    user.groups.add(editor_group())
    site = plain_http_server.url
    visitor = new_page(browser, width, height)
    model_url = f"{site}/models/{lite.slug}/"

    # The visitor's pages are cached before the change.
    visitor.goto(site + SEED_PATH)
    visitor.goto(model_url)
    assert "$0.07" not in visitor.content()

    editor = new_page(browser, width, height)
    editor.goto(f"{site}/admin/login/?next=/admin/")
    editor.fill("#id_username", "edith")
    editor.fill("#id_password", PASSWORD)
    editor.click("input[type=submit]")
    editor.wait_for_load_state()  # the click navigates: let the page load
    editor.wait_for_url(f"{site}/admin/")
    editor.goto(f"{site}/admin/catalog/languagemodel/{lite.pk}/change/")
    row = editor.locator(f"tr:has(input[name$='-id'][value='{offering.pk}'])")
    row.locator("input[name$='-input']").fill("0.07")
    row.locator("input[name$='-output']").fill("0.3")
    editor.screenshot(path=tmp_path / f"{label}-1-admin-edit.png", full_page=True)
    editor.click("input[name=_save]")
    editor.wait_for_load_state()  # the click navigates: let the page load
    editor.wait_for_url(f"{site}/admin/catalog/languagemodel/")
    assert "was changed successfully" in editor.locator("#main").inner_text()
    offering.refresh_from_db()
    assert str(offering.current_price.input.normalize()) == "0.07"

    # A fresh anonymous visitor sees the new price on both public pages straight away.
    visitor.goto(site + SEED_PATH)
    assert "$0.07" in visitor.locator("main").inner_text()
    visitor.screenshot(path=tmp_path / f"{label}-2-comparison-after.png", full_page=True)
    visitor.goto(model_url)
    prices = visitor.locator("table", has=visitor.locator("caption", has_text="Current standard"))
    assert "$0.07" in prices.inner_text() and "$0.30" in prices.inner_text()
    visitor.screenshot(path=tmp_path / f"{label}-3-model-after.png", full_page=True)

    # The offering's history names the editor.
    editor.goto(f"{site}/admin/catalog/offering/{offering.pk}/history/")
    history = editor.locator("#content").inner_text()
    assert "edith" in history and "0.07" in history
    editor.screenshot(path=tmp_path / f"{label}-4-history.png", full_page=True)


def test_list_tables_show_model_and_prices_without_sideways_scrolling_on_a_phone(
    plain_http_server, browser, tmp_path
):
    live, lite = gemini_seed_pair()
    catalog_of(models=3, providers=2, offerings_per_model=1, benchmarks=1)
    bench = Benchmark.objects.order_by("-pk").first()  # catalog_of's: scores and prices
    provider = live.offerings.first().provider
    page = new_page(browser, 390, 844)
    for path in (
        "/models/",
        live.get_absolute_url(),
        f"/providers/{provider.slug}/",
        SEED_PATH,
        "/changes/",
        "/benchmarks/",
        f"/benchmarks/{bench.slug}/",
        "/",  # with the score-price chart
    ):
        page.goto(plain_http_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        for table in page.locator("table.stack").all():
            # Every card fits: nothing in the table is wider than its wrapper.
            assert table.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth"), path
        name = path.strip("/").replace("/", "_")
        page.screenshot(path=tmp_path / f"phone-{name}.png", full_page=True)
    page.goto(plain_http_server.url + "/models/")
    assert not page.locator("form.filters").is_visible()  # folded away on a first visit
    page.click("details.filters-toggle summary")
    assert page.locator("form.filters").is_visible()
    prices = page.locator("table.stack tbody tr").first.locator("td[data-label^='Cheapest']")
    assert prices.count() == 2 and prices.first.is_visible()
    desktop = new_page(browser, 1280, 800)
    desktop.goto(plain_http_server.url + "/models/")
    assert desktop.locator("form.filters").is_visible()  # room for them: shown open
