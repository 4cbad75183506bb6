"""The editor's journey of issue #19 ("Done means"), as an Editor (not a superuser) in
chromium. At 1280 px: from the admin index to the price workbench, one price changed
and saved with Enter, and the public comparison page (cached before) shows it at once;
no page of the journey scrolls sideways. At 390 px: the editor finds a model by
searching, reads its prices and changes one. Screenshots in the test's tmp folder."""

import re

from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.browser import IN_CHROMIUM
from tests.browser.test_editor_import import PASSWORD, editor_group, plain_http_server
from tests.browser.test_journeys import SEED_PATH, new_page
from tests.factories import gemini_seed_pair

pytestmark = IN_CHROMIUM
__all__ = ["plain_http_server"]


def sign_in_as_editor(chromium, django_user_model, site, width, height, permissions=()):
    """A page signed in to the admin as a new Editor (not a superuser), given the extra
    permission codenames `permissions`."""
    user = django_user_model.objects.create_user(username="edith", password=PASSWORD, is_staff=True)
    user.groups.add(editor_group())
    user.user_permissions.add(*Permission.objects.filter(codename__in=permissions))
    assert not user.is_superuser
    page = new_page(chromium, width, height)
    page.goto(f"{site}/admin/login/?next=/admin/")
    page.fill("#id_username", "edith")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{site}/admin/")
    return page


def scrolls_sideways(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def test_at_1280_px_an_editor_changes_a_price_from_the_index_and_no_page_scrolls_sideways(
    plain_http_server, chromium, django_user_model, tmp_path
):
    _live, lite = gemini_seed_pair()
    offering = lite.offerings.get(provider__slug="google-ai-studio")
    site = plain_http_server.url
    visitor = new_page(chromium, 1280, 800)
    visitor.goto(site + SEED_PATH)  # in the page cache before the change
    assert "$0.21" not in visitor.locator("main").inner_text()

    page = sign_in_as_editor(chromium, django_user_model, site, 1280, 800)
    sideways = []

    def check(name):
        page.screenshot(path=tmp_path / f"desktop-{name}.png", full_page=True)
        if scrolls_sideways(page):
            sideways.append(f"{name} ({page.url}) is {page_width(page)} px wide")

    check("1-index")
    # From the start panel to the workbench, a search, the figure and Enter.
    page.click("#editor-start >> text=Price workbench")
    page.wait_for_url(f"{site}/admin/catalog/offering/workbench/")
    check("2-workbench")
    page.keyboard.type("Flash-Lite")
    page.keyboard.press("Enter")
    page.wait_for_url("**/workbench/?q=Flash-Lite")
    row = page.locator(f"#offering-{offering.pk}")
    cell = row.locator(f"input[name='o{offering.pk}-input']")
    assert cell.input_value() == "0.25"
    assert cell.evaluate("input => input === document.activeElement")
    page.keyboard.type("0.21")
    page.keyboard.press("Enter")
    row.locator(".saved-change").wait_for()
    assert "Input $0.25 → $0.21" in row.locator(".saved-change").inner_text()
    check("3-workbench-saved")

    offering.refresh_from_db()
    assert str(offering.current_price.input.normalize()) == "0.21"
    visitor.goto(site + SEED_PATH)
    assert "$0.21" in visitor.locator("main").inner_text()  # the cached page was dropped
    visitor.screenshot(path=tmp_path / "desktop-4-comparison-after.png", full_page=True)

    # The rest of the journey's pages.
    for name, url in [
        ("5-models", reverse("admin:catalog_languagemodel_changelist")),
        ("6-model", reverse("admin:catalog_languagemodel_change", args=[lite.pk])),
        ("7-offerings", reverse("admin:catalog_offering_changelist")),
        ("8-prices", reverse("admin:catalog_price_changelist")),
        ("9-import", reverse("admin:catalog_offering_import")),
    ]:
        response = page.goto(site + url)
        assert response.status == 200, url
        check(name)
    assert sideways == []


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_at_390_px_an_editor_finds_a_model_reads_its_prices_and_changes_one(
    plain_http_server, chromium, django_user_model, tmp_path
):
    _live, lite = gemini_seed_pair()
    offering = lite.offerings.get(provider__slug="google-ai-studio")
    site = plain_http_server.url
    page = sign_in_as_editor(chromium, django_user_model, site, 390, 844)
    page.screenshot(path=tmp_path / "phone-1-index.png", full_page=True)

    # Find the model: the models list, its search box.
    page.get_by_role("link", name="Language models", exact=True).first.click()
    page.wait_for_url(f"{site}/admin/catalog/languagemodel/")
    page.fill("#searchbar", "flash-lite")
    page.press("#searchbar", "Enter")
    page.wait_for_url("**/languagemodel/?q=flash-lite")
    found = page.locator("#result_list tbody tr")
    assert found.count() == 1
    page.screenshot(path=tmp_path / "phone-2-search.png", full_page=True)
    # Its name and cheapest input price, whole (not cut to "G…") and on the screen.
    for cell, text in [(found.locator("th.field-name"), lite.name), (found, "$0.25")]:
        assert text in cell.inner_text()
        assert cell.evaluate("el => el.scrollWidth <= el.clientWidth")
    assert not scrolls_sideways(page)
    found.get_by_role("link", name=lite.name).click()
    page.wait_for_url(re.compile(rf"/admin/catalog/languagemodel/{lite.pk}/change/"))
    page.screenshot(path=tmp_path / "phone-3-model.png", full_page=True)

    # Its prices, every figure on the screen: the workbench, from the model's page.
    page.get_by_role("link", name="Edit prices in the workbench").click()
    page.wait_for_url(re.compile(rf"/workbench/\?model__id__exact={lite.pk}$"))
    row = page.locator(f"#offering-{offering.pk}")
    cells = {
        name: row.locator(f"input[name='o{offering.pk}-{name}']")
        for name in ("input", "output", "cache_read")
    }
    assert {name: cell.input_value() for name, cell in cells.items()} == {
        "input": "0.25",
        "output": "1.5",
        "cache_read": "",  # none stated
    }
    for name, cell in cells.items():
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, name  # on the screen
    assert not scrolls_sideways(page)
    page.screenshot(path=tmp_path / "phone-4-prices.png", full_page=True)

    # Change one: the figure, Enter.
    cells["output"].fill("1.2")
    cells["output"].press("Enter")
    row.locator(".saved-change").wait_for()
    assert "Output $1.50 → $1.20" in row.locator(".saved-change").inner_text()
    page.screenshot(path=tmp_path / "phone-5-saved.png", full_page=True)
    offering.refresh_from_db()
    assert str(offering.current_price.output.normalize()) == "1.2"
