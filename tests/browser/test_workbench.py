"""An editor updates a price from the admin index in a real browser: "Price workbench",
search, type the figure, Enter; the row shows old -> new in place and visitors see the
new price at once. At desktop and phone widths; screenshots in the test's tmp folder."""

import pytest

from tests.browser import IN_CHROMIUM
from tests.browser.test_editor_import import PASSWORD, editor_group, plain_http_server
from tests.browser.test_journeys import SEED_PATH, WIDTHS, new_page
from tests.factories import gemini_seed_pair

pytestmark = IN_CHROMIUM
__all__ = ["plain_http_server"]


@pytest.mark.parametrize(("label", "width", "height"), WIDTHS)
def test_editor_updates_a_price_from_the_workbench(
    plain_http_server, chromium, django_user_model, tmp_path, label, width, height
):
    _live, lite = gemini_seed_pair()
    offering = lite.offerings.get(provider__slug="google-ai-studio")
    user = django_user_model.objects.create_user(username="edith", password=PASSWORD, is_staff=True)
    user.groups.add(editor_group())
    site = plain_http_server.url
    visitor = new_page(chromium, width, height)
    visitor.goto(site + SEED_PATH)  # cached before the change
    assert "$0.21" not in visitor.locator("main").inner_text()

    page = new_page(chromium, width, height)
    page.goto(f"{site}/admin/login/?next=/admin/")
    page.fill("#id_username", "edith")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{site}/admin/")
    page.screenshot(path=tmp_path / f"{label}-1-start.png", full_page=True)

    # The start panel's link, a search (the search box has the focus), then the figure
    # (the first matching row's input cell has the focus) and Enter.
    page.click("#editor-start >> text=Price workbench")
    page.wait_for_url(f"{site}/admin/catalog/offering/workbench/")
    page.keyboard.type("Flash-Lite")
    page.keyboard.press("Enter")
    page.wait_for_url("**/workbench/?q=Flash-Lite")
    row = page.locator(f"#offering-{offering.pk}")
    cell = row.locator(f"input[name='o{offering.pk}-input']")
    assert cell.input_value() == "0.25"
    assert cell.evaluate("input => input === document.activeElement")
    page.keyboard.type("0.21")  # replaces the selected figure
    page.keyboard.press("Enter")
    row.locator(".saved-change").wait_for()
    assert "Input $0.25 → $0.21" in row.locator(".saved-change").inner_text()
    assert page.url.endswith("/workbench/?q=Flash-Lite")  # saved in place, no reload
    assert row.locator(f"input[name='o{offering.pk}-input']").input_value() == "0.21"
    assert row.locator("a", has_text="History").get_attribute("href") == (
        f"/admin/catalog/offering/{offering.pk}/history/"
    )
    if width >= 1280:
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        # Nothing of the row hides under the filters beside it.
        table = page.locator("#workbench").bounding_box()
        filters = page.locator("#changelist-filter").bounding_box()
        assert table["x"] + table["width"] <= filters["x"]
    page.screenshot(path=tmp_path / f"{label}-2-workbench-saved.png", full_page=True)

    offering.refresh_from_db()
    assert str(offering.current_price.input.normalize()) == "0.21"
    visitor.goto(site + SEED_PATH)
    assert "$0.21" in visitor.locator("main").inner_text()
    visitor.screenshot(path=tmp_path / f"{label}-3-comparison-after.png", full_page=True)


def test_an_implausible_price_asks_in_the_row_and_enter_confirms(
    plain_http_server, chromium, django_user_model, tmp_path
):
    _live, lite = gemini_seed_pair()
    offering = lite.offerings.get(provider__slug="google-ai-studio")
    user = django_user_model.objects.create_user(username="edith", password=PASSWORD, is_staff=True)
    user.groups.add(editor_group())
    site = plain_http_server.url
    page = new_page(chromium, 1280, 800)
    page.goto(f"{site}/admin/login/?next=/admin/catalog/offering/workbench/")
    page.fill("#id_username", "edith")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{site}/admin/catalog/offering/workbench/")

    cell = page.locator(f"input[name='o{offering.pk}-input']")
    cell.fill("2.5")  # 10x: a slipped decimal?
    cell.press("Enter")
    row = page.locator(f"#offering-{offering.pk}")
    row.locator(".errorlist").first.wait_for()
    assert "Please check" in row.inner_text()
    confirm = row.locator(f"input[name='o{offering.pk}-confirm_warnings']")
    assert confirm.evaluate("box => box === document.activeElement")
    offering.refresh_from_db()
    assert str(offering.current_price.input.normalize()) == "0.25"  # held
    page.screenshot(path=tmp_path / "3-plausibility-question.png", full_page=True)

    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    row.locator(".saved-change").wait_for()
    assert "Input $0.25 → $2.50" in row.locator(".saved-change").inner_text()
    offering.refresh_from_db()
    assert str(offering.current_price.input.normalize()) == "2.5"
