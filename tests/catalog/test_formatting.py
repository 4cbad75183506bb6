from datetime import date
from decimal import Decimal

import pytest

from catalog.formatting import (
    format_date,
    format_month,
    format_parameters,
    format_percent,
    format_price_per_million,
    format_tokens,
    format_usd,
    pluralize,
    provider_limits_note,
)


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("0.25", "$0.25"),
        ("0.5", "$0.50"),
        ("2", "$2"),
        ("1.5", "$1.50"),
        ("0.075", "$0.075"),
        ("0.0375", "$0.0375"),
        ("12.345", "$12.35"),
        ("0", "$0"),
        ("1234.5", "$1,234.50"),
    ],
)
def test_money_is_formatted_one_way(amount, text):
    assert format_usd(Decimal(amount)) == text


def test_price_per_million_names_the_unit():
    assert format_price_per_million(Decimal("0.25")) == "$0.25 / 1M tokens"
    assert format_price_per_million(None) == "—"


@pytest.mark.parametrize(
    ("count", "text"),
    [
        (128_000, "128K"),
        (131_072, "128K"),
        (32_768, "32K"),
        (65_536, "64K"),
        (1_050_000, "1.05M"),
        (256_000, "256K"),
        (1_000_000, "1M"),
        (1_048_576, "1M"),
        (2_000_000, "2M"),
        (1_500_000, "1.5M"),
        (8_192, "8K"),
        (2_500, "2.5K"),
        (500, "500"),
        (None, "—"),
    ],
)
def test_token_counts(count, text):
    assert format_tokens(count) == text


def test_dates_read_day_month_year():
    assert format_date(date(2026, 5, 7)) == "7 May 2026"
    assert format_month(date(2025, 1, 1)) == "Jan 2025"


def test_parameters_and_percent_and_plurals():
    assert format_parameters(70_000_000_000) == "70B"
    assert format_parameters(None) == "— not disclosed"
    assert format_percent(Decimal("49.5")) == "50%"
    assert format_percent(Decimal("33.333")) == "33%"
    assert pluralize(1, "provider") == "1 provider"
    assert pluralize(2, "provider") == "2 providers"
    assert pluralize(0, "provider") == "0 providers"


def test_an_amount_that_rounds_up_to_a_dollar_reads_one_dollar():
    assert format_usd(Decimal("0.99995")) == "$1"


def limits(cw=None, mo=None, model_cw=1_000_000, model_mo=64_000):
    return provider_limits_note(
        own_context_window=cw,
        own_max_output_tokens=mo,
        model_context_window=model_cw,
        model_max_output_tokens=model_mo,
    )


def test_provider_limits_note_names_the_provider_figure_and_the_models():
    assert limits(cw=200_000) == "200K context window on this provider (model: 1M)"
    assert limits(mo=32_768) == "32K max output on this provider (model: 64K)"
    assert limits(cw=200_000, mo=32_000) == (
        "200K context window (model: 1M) and 32K max output (model: 64K) on this provider"
    )
    assert limits(mo=8_192, model_mo=None) == (
        "8K max output on this provider (model: not disclosed)"
    )


def test_limits_that_round_to_the_same_text_are_written_out():
    """16,385 and 16,384 both read "16K": the note would contradict itself."""
    assert limits(cw=16_385, model_cw=16_384) == (
        "16,385 context window on this provider (model: 16,384)"
    )
    # Each limit on its own: 1M and 1M (1,000,000 and 1,048,576) written out, 63K and 65K not.
    assert limits(cw=1_000_000, mo=64_512, model_cw=1_048_576, model_mo=65_000) == (
        "1,000,000 context window (model: 1,048,576) and 63K max output (model: 65K) "
        "on this provider"
    )


def test_provider_limits_note_is_empty_when_the_provider_uses_the_models_limits():
    assert limits() == ""


# The formatters remember their answers by value (catalog.formatting, TEXTS_KEPT): an
# answer found by an equal key must be the one the key itself would get.
@pytest.mark.parametrize(
    ("formatter", "equal_values", "text"),
    [
        (format_usd, [Decimal("1.5"), Decimal("1.500000"), 1.5], "$1.50"),
        (format_usd, [Decimal("0.0375"), Decimal("0.037500")], "$0.0375"),
        (format_usd, [Decimal("2"), 2, 2.0, Decimal("2.000000")], "$2"),
        (format_usd, [Decimal("-0.25"), Decimal("-0.250")], "-$0.25"),
        (format_tokens, [131072, Decimal(131072)], "128K"),
        (format_date, [date(2026, 5, 7), date(2026, 5, 7)], "7 May 2026"),
    ],
)
def test_equal_values_read_the_same_whichever_was_formatted_first(formatter, equal_values, text):
    for first in range(len(equal_values)):
        formatter.cache_clear()
        order = equal_values[first:] + equal_values[:first]
        assert [formatter(value) for value in order] == [text] * len(order)


def test_a_decimal_and_a_float_that_differ_read_their_own_amounts():
    format_usd.cache_clear()
    assert format_usd(Decimal("0.1")) == "$0.10"
    assert format_usd(0.1) == "$0.10"  # 0.1000000000000000055511151231257827: not equal
    assert format_usd(max_places=2, amount=Decimal("0.0375")) == "$0.04"
    assert format_usd(Decimal("0.0375")) == "$0.0375"  # the places are part of the key
