"""The server-drawn SVG charts in a real browser: every axis label and point label lies
inside its chart's viewBox, so none is cut at the edge (the scatter's "$1,000" read
"$1,00" at the right edge before its anchor moved inside). And long unbroken texts
(a source's file path) do not widen a phone's page."""

from datetime import date
from decimal import Decimal

import pytest

from catalog.models import LanguageModel
from catalog.pairs import compare_url
from catalog.services import PriceInput, record_price
from tests.browser import IN_CHROMIUM
from tests.browser.test_editor_import import plain_http_server
from tests.factories import (
    BenchmarkFactory,
    BenchmarkScoreFactory,
    LanguageModelFactory,
    ProviderFactory,
    SourceFactory,
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


def test_a_source_titled_with_a_long_path_does_not_widen_a_phone_page(
    plain_http_server, chromium, wide_price_range
):
    """The seed's models.dev sources are titled with file paths and no space
    ("models.dev: providers/openrouter/models/anthropic/claude-opus-4.7-fast.toml"): on
    two comparison pages at 390 px the page scrolled sideways by 40 px."""
    benchmark, vault = wide_price_range
    vault.sources.add(
        SourceFactory(
            url="https://example.com/a.toml",
            title="models.dev: providers/openrouter/models/anthropic/claude-opus-4.7-fast.toml",
        )
    )
    other = LanguageModel.objects.exclude(pk=vault.pk).order_by("slug").first()
    page = chromium.new_page(viewport={"width": 390, "height": 844})
    for path in (vault.get_absolute_url(), compare_url(vault.slug, other.slug)):
        assert page.goto(plain_http_server.url + path).status == 200, path
        assert "claude-opus-4.7-fast.toml" in page.content()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    page.close()
