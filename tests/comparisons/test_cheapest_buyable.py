"""Cheapest means buyable on comparison pages: the snapshot's priced offerings (what the
cheapest provider, the blended price, the calculator and the chart read) leave out retired
and deprecated offerings; the every-provider table still lists them."""

import pytest

from comparisons.snapshot import ModelSnapshot, OfferingSnapshot
from tests.factories import fading_and_steady
from tests.html import Page

pytestmark = pytest.mark.django_db


def test_priced_offerings_are_the_ones_that_can_be_bought():
    offerings = tuple(
        OfferingSnapshot(
            provider_name=name, provider_slug=name, lifecycle=lifecycle, input=p, output=p
        )
        for name, lifecycle, p in (
            ("a", "retired", 1),
            ("b", "deprecated", 2),
            ("c", "ga", 3),
            ("d", "preview", 4),
            ("e", "ga", None),
        )
    )
    model = ModelSnapshot(slug="m", name="M", organization_name="O", offerings=offerings)
    assert [o.provider_name for o in model.priced_offerings] == ["c", "d"]


def test_comparison_page_prices_each_model_on_a_provider_that_sells_it(
    client, django_assert_max_num_queries
):
    fading_and_steady()
    with django_assert_max_num_queries(8):
        response = client.get("/compare/fading-vs-steady/")
    page = Page(response.content.decode())
    pricing = {row[0]: row[1:] for row in page.table("Pricing on the cheapest")["rows"]}
    assert pricing["Cheapest provider"] == ["Third", "Cloud"]
    assert pricing["Input price"] == ["$1 / 1M tokens", "$0.50 / 1M tokens"]
    assert pricing["Blended price (70/30 input/output)"] == [
        "$1.30 / 1M tokens",
        "$0.65 / 1M tokens",
    ]
    calculator = page.table("Monthly cost")["rows"]
    assert [row[:2] for row in calculator] == [["Steady", "Cloud"], ["Fading", "Third"]]
    every = page.table("Prices on every provider")["rows"]
    assert len(every) == 4
