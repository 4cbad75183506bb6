"""axe-core (the npm package, `npm ci` installs it; CI does) injected into every public
page type at phone and desktop widths, in light and dark mode: no serious or critical
WCAG 2 A/AA violation. Also: the skip link reaches the content, and the API docs page
declares its language."""

import json
from pathlib import Path

import pytest

from catalog.models import Benchmark
from comparisons.selectors import lineup_url
from tests.browser import IN_CHROMIUM
from tests.browser.test_editor_import import plain_http_server
from tests.factories import catalog_of, gemini_seed_pair

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SEED_PATH = "/compare/gemini-2-5-flash-live-api-vs-gemini-3-1-flash-lite/"

pytestmark = [
    *IN_CHROMIUM,
    pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed: run `npm ci`"),
]
__all__ = ["plain_http_server"]


def lineup_path(*models) -> str:
    return lineup_url([m.slug for m in models])


def page_paths(live, lite, third) -> list[str]:
    provider = live.offerings.first().provider
    benchmark = Benchmark.objects.order_by("-pk").first()  # catalog_of's, with a scatter
    return [
        "/",
        "/models/",
        live.get_absolute_url(),
        f"/providers/{provider.slug}/",
        SEED_PATH,
        SEED_PATH + "?input_tokens=-5",  # the calculator showing an error
        lineup_path(live, lite, third),  # three models side by side
        "/compare/",
        "/changes/",
        "/benchmarks/",
        f"/benchmarks/{benchmark.slug}/",
        "/models/no-such-model/",  # the 404 page
    ]


def serious_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
        })"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + json.dumps([node["target"] for node in v["nodes"][:3]])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("width", "height"), [(390, 844), (1280, 800)])
def test_every_page_type_has_no_serious_accessibility_violation(
    plain_http_server, chromium, tmp_path, scheme, width, height
):
    live, lite = gemini_seed_pair()
    third, *_others = catalog_of(models=3, providers=2, offerings_per_model=1, benchmarks=1)
    context = chromium.new_context(
        viewport={"width": width, "height": height},
        color_scheme=scheme,
        bypass_csp=True,  # to inject axe; the pages themselves run no inline script
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    found = {}
    for path in page_paths(live, lite, third):
        page.goto(plain_http_server.url + path)
        violations = serious_violations(page)
        if violations:
            found[path] = violations
            name = path.strip("/").replace("/", "_").replace("?", "_") or "home"
            page.screenshot(path=tmp_path / f"{scheme}-{width}-{name}.png", full_page=True)
    context.close()
    assert not found, json.dumps(found, indent=1)


def test_the_lineup_page_does_not_overflow_a_phone(plain_http_server, chromium, tmp_path):
    live, lite = gemini_seed_pair()
    third, fourth = catalog_of(models=2, providers=2, offerings_per_model=1)
    page = chromium.new_page(viewport={"width": 390, "height": 844})
    for path in (lineup_path(live, lite, third), lineup_path(live, lite, third, fourth)):
        page.goto(plain_http_server.url + path)
        assert page.locator("h1").inner_text().count(" vs ") == path.count("-vs-")
        page.screenshot(path=tmp_path / f"lineup-{path.count('-vs-') + 1}.png", full_page=True)
        # Wide tables scroll inside their .table-scroll wrapper; the page itself does not.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        # Scrolled to the last model, each row still names what it compares.
        offsets = page.evaluate(
            """() => [...document.querySelectorAll(".table-scroll .lineup-table")].map((t) => {
                const box = t.parentElement;
                box.scrollLeft = box.scrollWidth;
                const name = t.querySelector("tbody th").getBoundingClientRect();
                return [box.scrollLeft, name.left - box.getBoundingClientRect().left];
            })"""
        )
        assert any(scrolled > 0 for scrolled, _ in offsets), path  # wider than a phone
        assert all(abs(left) < 1 for _, left in offsets), (path, offsets)
    page.close()


def test_the_skip_link_is_first_and_moves_focus_to_the_content(plain_http_server, chromium):
    gemini_seed_pair()
    page = chromium.new_page()
    page.goto(plain_http_server.url + SEED_PATH)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to content"
    assert page.locator(".skip-link").is_visible()  # shown once focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_the_api_docs_page_declares_its_language(plain_http_server, chromium):
    page = chromium.new_page()
    page.goto(plain_http_server.url + "/api/docs/")
    assert page.evaluate("document.documentElement.lang") == "en"
