"""The server-drawn SVG charts in a real browser: every axis label and point label lies
inside its chart's viewBox, so none is cut at the edge (the scatter's "$1,000" read
"$1,00" at the right edge before its anchor moved inside)."""

from datetime import date
from decimal import Decimal

import pytest

from catalog.services import PriceInput, record_price
from tests.browser import IN_CHROMIUM
from tests.browser.test_editor_import import plain_http_server
from tests.factories import (
    BenchmarkFactory,
    BenchmarkScoreFactory,
    LanguageModelFactory,
    ProviderFactory,
    offer,
)

pytestmark = IN_CHROMIUM
__all__ = ["plain_http_server"]

# Each text's box in the user units of its own SVG, against that SVG's viewBox.
TEXTS_OUTSIDE = """() => [...document.querySelectorAll("svg[viewBox]")].flatMap((svg) => {
    const box = svg.viewBox.baseVal;
    return [...svg.querySelectorAll("text")].flatMap((text) => {
        const b = text.getBBox();
        const inside = b.x >= box.x - 0.5 && b.y >= box.y - 0.5
            && b.x + b.width <= box.x + box.width + 0.5
            && b.y + b.height <= box.y + box.height + 0.5;
        const right = (b.x + b.width).toFixed(1);
        return inside ? [] : [`${text.textContent} at ${b.x.toFixed(1)}..${right} of ${box.width}`];
    });
})"""


@pytest.fixture
def wide_price_range():
    """Three models whose blended prices span $0.10 to $1,000 (the scatter's ticks run to
    "$1,000" at the right edge), scored on one benchmark; one with a price history."""
    provider = ProviderFactory(name="Edge Cloud", slug="edge-cloud")
    benchmark = BenchmarkFactory(name="Edge QA", slug="edge-qa", scale="0-100")
    models = []
    for name, price, score in (
        ("Penny", "0.2", "41"),
        ("Middle", "6", "63"),
        ("Vault", "700", "88"),
    ):
        model = LanguageModelFactory(name=name)
        offering = offer(
            model, provider, input=price, output=price, effective_date=date(2026, 1, 5)
        )
        BenchmarkScoreFactory(model=model, benchmark=benchmark, score=Decimal(score))
        models.append((model, offering))
    vault, offering = models[-1]
    record_price(
        offering=offering,
        price=PriceInput(input=Decimal("650"), output=Decimal("650")),
        effective_date=date(2026, 3, 1),
    )
    return benchmark, vault


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1280, 800)])
def test_no_chart_label_runs_past_its_edge(
    plain_http_server, chromium, wide_price_range, width, height
):
    benchmark, vault = wide_price_range
    page = chromium.new_page(viewport={"width": width, "height": height})
    for path in (f"/benchmarks/{benchmark.slug}/", vault.get_absolute_url(), "/"):
        response = page.goto(plain_http_server.url + path)
        assert response.status == 200, path
        assert page.locator("svg[viewBox] text").count() > 0, path
        assert page.evaluate(TEXTS_OUTSIDE) == [], path
    scatter_ticks = page.goto(plain_http_server.url + f"/benchmarks/{benchmark.slug}/")
    assert scatter_ticks.status == 200
    assert "$1,000" in page.locator("figure.scatter svg").inner_html()
    page.close()
