import pytest

from comparisons.chart import price_bar_chart
from comparisons.snapshot import build_pair_snapshot
from tests.factories import LanguageModelFactory, ProviderFactory, offer

pytestmark = pytest.mark.django_db


def test_chart_markup_escapes_names_and_draws_one_bar_per_price():
    a = LanguageModelFactory(name="Alpha <script>alert(1)</script>")
    b = LanguageModelFactory(name="Beta")
    provider = ProviderFactory(name="Host & Co")
    offer(a, provider, input="1", output="4")
    offer(b, provider, input="2", output="2")
    chart = price_bar_chart(build_pair_snapshot(a.slug, b.slug))
    svg = chart.svg_body
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg or "…" in svg
    assert "Host &amp; Co" in svg
    assert svg.count("<rect") == 4
    widths = [bar.width for row in chart.rows for bar in row.bars]
    assert max(widths) == widths[1]  # the $4 output bar is the longest
