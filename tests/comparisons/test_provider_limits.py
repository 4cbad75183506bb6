"""A provider's own context window and max output (item 5 of issue 12): the comparison
page names them, the calculator does not price a prompt a provider cannot take, and the
specs and the prose keep the model's figures."""

from decimal import Decimal

import pytest

from comparisons.calculator import Workload, workload_costs
from tests.comparisons.snapshots import model, offering, pair
from tests.factories import (
    BenchmarkFactory,
    BenchmarkScoreFactory,
    catalog_of,
    gemini_seed_pair,
)
from tests.html import Page

SEED_URL = "/compare/gemini-2-5-flash-live-api-vs-gemini-3-1-flash-lite/"
WORKLOAD = "?input_tokens=1000000&output_tokens=1000000"


@pytest.fixture
def openrouter_has_a_smaller_window(db):
    """The seed pair with Flash-Lite (1M window, 65,536 output) served by OpenRouter with
    a 128K window; its output cap there is the model's."""
    live, lite = gemini_seed_pair()
    lite.offerings.filter(provider__slug="openrouter").update(context_window=128_000)
    return live, lite


def test_comparison_page_names_a_providers_own_context_window(
    client, openrouter_has_a_smaller_window
):
    page = Page(client.get(SEED_URL).content.decode())
    table = page.table("Prices on every provider")
    assert table["head"][-1] == "Context and output limits"
    limits = {(row[0], row[1]): row[-1] for row in table["rows"]}
    assert limits == {
        ("Gemini 2.5 Flash Live API", "Google AI Studio"): "Same as the model",
        ("Gemini 3.1 Flash-Lite", "Google AI Studio"): "Same as the model",
        ("Gemini 3.1 Flash-Lite", "OpenRouter"): (
            "128K context window on this provider (model: 1M)"
        ),
    }
    # The specs table and the prose keep the model's figures.
    specs = {row[0]: row[1:] for row in page.table("Specifications")["rows"]}
    assert specs["Context window"] == ["128K tokens", "1M tokens"]
    assert "Gemini 3.1 Flash-Lite has the larger context window: 1M tokens" in page.text
    assert "a larger context window (1M vs 128K tokens)" in page.text


def test_comparison_page_has_no_limits_column_when_every_provider_uses_the_models(client, db):
    gemini_seed_pair()
    page = Page(client.get(SEED_URL).content.decode())
    assert "Context and output limits" not in page.table("Prices on every provider")["head"]


@pytest.mark.parametrize("size", ["small", "large"])
def test_comparison_page_with_provider_limits_keeps_its_query_cap(
    client, django_assert_max_num_queries, openrouter_has_a_smaller_window, size
):
    live, lite = openrouter_has_a_smaller_window
    if size == "large":
        for other in catalog_of(models=20, providers=6, offerings_per_model=3):
            other.offerings.update(context_window=32_000, max_output_tokens=4_000)
        for bench in [BenchmarkFactory() for _ in range(3)]:
            BenchmarkScoreFactory(model=live, benchmark=bench)
            BenchmarkScoreFactory(model=lite, benchmark=bench)
        lite.offerings.update(max_output_tokens=8_000)
    with django_assert_max_num_queries(8):
        response = client.get(SEED_URL + WORKLOAD + "&prompt_tokens=200000")
    assert response.status_code == 200
    assert "prompt exceeds this provider" in response.content.decode()


def test_calculator_flags_a_prompt_longer_than_a_providers_window_and_skips_it_as_cheapest(
    client, openrouter_has_a_smaller_window
):
    # OpenRouter is the cheaper Flash-Lite host here, so skipping it changes the answer.
    _live, lite = openrouter_has_a_smaller_window
    lite.offerings.get(provider__slug="openrouter").prices.update(input=Decimal("0.2"))

    rows = Page(client.get(SEED_URL + WORKLOAD).content.decode()).table("Monthly cost for")["rows"]
    assert rows[0][:2] == ["Gemini 3.1 Flash-Lite", "OpenRouter"]
    assert rows[0][2].startswith("$1.70 Cheapest")

    html = client.get(SEED_URL + WORKLOAD + "&prompt_tokens=200000").content.decode()
    rows = Page(html).table("Monthly cost for")["rows"]
    assert rows[0][:2] == ["Gemini 3.1 Flash-Lite", "Google AI Studio"]
    assert rows[0][2].startswith("$1.75 Cheapest")
    # Live API's own window (the model's) is 128K as well: both rows that cannot take
    # the prompt come last, unpriced and marked.
    assert rows[1:] == [
        [
            "Gemini 3.1 Flash-Lite",
            "OpenRouter",
            "— not priced: prompt exceeds this provider's 128K context window",
        ],
        [
            "Gemini 2.5 Flash Live API",
            "Google AI Studio",
            "— not priced: prompt exceeds this provider's 128K context window",
        ],
    ]
    assert html.count('class="cheapest"') == 1


def test_calculator_uses_the_models_window_where_the_provider_has_none():
    a = model("Alpha", context_window=128_000, offerings=[offering("Host", input="1")])
    b = model("Beta", context_window=1_000_000, offerings=[offering("Host", input="2")])
    rows = workload_costs(
        pair(a, b), Workload(input_tokens=1_000_000, output_tokens=0, prompt_tokens=200_000)
    )
    assert [(r.model_name, r.fits_prompt, r.is_cheapest) for r in rows] == [
        ("Beta", True, True),
        ("Alpha", False, False),
    ]
    assert rows[1].notes == ("prompt exceeds this provider's 128K context window",)


def test_calculator_uses_a_providers_larger_window_too():
    # Bedrock-style: the provider serves a 1M window for a 200K model.
    wide = offering("Wide", input="3", context_window=1_000_000)
    a = model("Alpha", context_window=200_000, offerings=[offering("Narrow", input="1"), wide])
    b = model("Beta", context_window=128_000, offerings=[offering("Host", input="2")])
    rows = workload_costs(
        pair(a, b), Workload(input_tokens=1_000_000, output_tokens=0, prompt_tokens=500_000)
    )
    assert [(r.provider_name, r.fits_prompt, r.is_cheapest) for r in rows] == [
        ("Wide", True, True),
        ("Narrow", False, False),
        ("Host", False, False),
    ]


def test_calculator_with_no_provider_able_to_take_the_prompt_names_no_cheapest(client, db):
    gemini_seed_pair()
    html = client.get(SEED_URL + WORKLOAD + "&prompt_tokens=2000000").content.decode()
    rows = Page(html).table("Monthly cost for")["rows"]
    assert all(row[2].startswith("— not priced") for row in rows)
    assert 'class="cheapest"' not in html
    assert "A 2M-token prompt is longer than the context window on every provider" in html


def test_calculator_without_a_prompt_size_prices_every_provider():
    a = model("Alpha", context_window=8_000, offerings=[offering("Host", input="1")])
    b = model("Beta", offerings=[offering("Host", input="2")])
    rows = workload_costs(pair(a, b), Workload(input_tokens=1_000_000, output_tokens=0))
    assert all(r.fits_prompt for r in rows)
    assert rows[0].is_cheapest
