from decimal import Decimal

import pytest

from comparisons.pricing import (
    DEFAULT_BLEND,
    BlendRatio,
    ContextTier,
    Rates,
    blended_price,
    monthly_cost,
    parse_blend,
    percent_cheaper,
    price_multiple,
)

D = Decimal


def test_half_the_price_is_50_percent_cheaper_never_100():
    assert percent_cheaper(D("0.25"), D("0.50")) == 50


def test_percent_is_relative_to_the_dearer_price_and_rounds_half_up():
    # (2 - 1.5) / 2 = 25%; (0.95 - 0.625) / 0.95 = 34.21% -> 34; 1 vs 8 = 87.5% -> 88.
    assert percent_cheaper(D("1.5"), D("2")) == 25
    assert percent_cheaper(D("0.625"), D("0.95")) == 34
    assert percent_cheaper(D("1"), D("8")) == 88


@pytest.mark.parametrize(
    ("cheap", "dear"),
    [(D("1"), D("1")), (D("0"), D("0")), (None, D("1")), (D("1"), None), (D("2"), D("1"))],
)
def test_no_percentage_for_ties_missing_prices_or_a_dearer_first_price(cheap, dear):
    assert percent_cheaper(cheap, dear) is None


def test_a_free_price_against_a_paid_one_is_100_percent_cheaper_in_the_maths():
    assert percent_cheaper(D("0"), D("3")) == 100


def test_price_multiple_reads_2x_for_half_the_price():
    assert price_multiple(D("0.25"), D("0.5")) == 2
    assert price_multiple(D("0"), D("0.5")) is None
    assert price_multiple(D("1"), D("1")) is None


def test_blend_default_is_70_30_and_labels_itself():
    assert DEFAULT_BLEND.label == "70/30"
    assert blended_price(D("0.5"), D("2")) == D("0.95")


@pytest.mark.parametrize(
    ("text", "parts", "label"),
    [
        ("3:1", (3, 1), "75/25"),
        ("70/30", (70, 30), "70/30"),
        ("50/50", (50, 50), "50/50"),
        ("2:1", (2, 1), "2:1"),
        ("", (7, 3), "70/30"),
    ],
)
def test_parse_blend(text, parts, label):
    ratio = parse_blend(text)
    assert (ratio.input_parts, ratio.output_parts) == parts
    assert ratio.label == label


@pytest.mark.parametrize("text", ["0:0", "abc", "3:1:1", "-1:2", "99999:1", "1.5:1"])
def test_parse_blend_rejects_nonsense(text):
    with pytest.raises(ValueError):
        parse_blend(text)


def test_blend_with_ratio_3_to_1():
    assert blended_price(D("1"), D("5"), ratio=BlendRatio(3, 1)) == D("2")


def test_blended_price_missing_when_either_price_is():
    assert blended_price(None, D("1")) is None


def test_monthly_cost_with_cached_share():
    rates = Rates(input=D("1"), output=D("4"), cache_read=D("0.1"))
    cost = monthly_cost(
        rates, input_tokens=10_000_000, output_tokens=1_000_000, cached_share=D("0.5")
    )
    # 5M uncached * $1 + 5M cached * $0.10 + 1M output * $4 = 5 + 0.5 + 4
    assert cost.total == D("9.5")
    assert not cost.cached_billed_as_input


def test_cached_tokens_billed_as_input_when_no_cache_price():
    cost = monthly_cost(
        Rates(input=D("1"), output=D("4")),
        input_tokens=1_000_000,
        output_tokens=0,
        cached_share=D("0.5"),
    )
    assert cost.total == D("1")
    assert cost.cached_billed_as_input


def test_long_context_tier_bills_the_whole_request_above_the_threshold():
    base = Rates(input=D("1"), output=D("4"))
    tier = ContextTier(threshold=200_000, rates=Rates(input=D("2"), output=D("8")))
    at = monthly_cost(
        base, input_tokens=1_000_000, output_tokens=0, tiers=[tier], prompt_tokens=200_000
    )
    above = monthly_cost(
        base, input_tokens=1_000_000, output_tokens=0, tiers=[tier], prompt_tokens=200_001
    )
    assert at.total == D("1")
    assert above.total == D("2")


def test_monthly_cost_rejects_bad_input():
    with pytest.raises(ValueError):
        monthly_cost(Rates(D("1"), D("1")), input_tokens=-1, output_tokens=0)
    with pytest.raises(ValueError):
        monthly_cost(Rates(D("1"), D("1")), input_tokens=1, output_tokens=0, cached_share=D("1.5"))


def test_monthly_cost_keeps_each_part_exact_and_names_the_tier_it_used():
    base = Rates(input=D("0.3"), output=D("1.2"), cache_read=D("0.03"))
    tier = ContextTier(threshold=200_000, rates=Rates(input=D("0.6"), output=D("2.4")))
    cost = monthly_cost(
        base, input_tokens=1_234_567, output_tokens=7, cached_share=D("0.25"), tiers=[tier]
    )
    # 925,925.25 uncached * $0.3, 308,641.75 cached * $0.03, 7 output * $1.2, per 1M.
    assert cost.input_cost == D("925925.25") * D("0.3") / 1_000_000
    assert cost.cached_input_cost == D("308641.75") * D("0.03") / 1_000_000
    assert cost.output_cost == 7 * D("1.2") / 1_000_000
    assert cost.exact_total == cost.input_cost + cost.cached_input_cost + cost.output_cost
    assert cost.total == cost.exact_total.quantize(D("0.0001"))
    assert cost.context_threshold == 0
    above = monthly_cost(base, input_tokens=1, output_tokens=0, tiers=[tier], prompt_tokens=200_001)
    assert (above.context_threshold, above.rates) == (200_000, tier.rates)
