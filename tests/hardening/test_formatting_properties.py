"""Property tests: the formatting helpers never raise on values the catalog can hold,
and what they print reads back as the number they were given (within the rounding)."""

import re
from datetime import date
from decimal import Decimal

from hypothesis import example, given, settings
from hypothesis import strategies as st

from catalog.formatting import (
    DASH,
    NOT_DISCLOSED,
    format_date,
    format_month,
    format_parameters,
    format_percent,
    format_price_per_million,
    format_tokens,
    format_usd,
    pluralize,
)

FAST = settings(max_examples=300, deadline=None)

# Money as the catalog stores it (12 digits, 6 places) and as pages compute it (costs of
# billions of tokens, differences, negative deltas).
money = st.decimals(
    min_value=Decimal("-1e15"), max_value=Decimal("1e15"), places=8, allow_nan=False
)
counts = st.integers(min_value=0, max_value=10**16)

USD = re.compile(r"^(-?)(<?)\$(\d{1,3}(?:,\d{3})*|0)(?:\.(\d+))?$")


def number(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


@FAST
@given(money)
def test_usd_is_well_formed_and_reads_back_within_its_rounding(amount):
    text = format_usd(amount)
    match = USD.match(text)
    assert match, text
    sign, below, whole, decimals = match.groups()
    shown = number(whole + ("." + decimals if decimals else ""))
    if below:  # "<$0.0001": too small to show, but not zero
        assert 0 < abs(amount) < Decimal("0.0001")
        return
    assert (sign == "-") == (amount < 0 and shown != 0)
    if abs(amount) >= 1:
        assert decimals is None or len(decimals) == 2
        assert abs(shown - abs(amount)) <= Decimal("0.005")
    else:
        assert decimals is None or 2 <= len(decimals) <= 4
        assert abs(shown - abs(amount)) <= Decimal("0.00005")


@FAST
@given(st.one_of(st.none(), money))
def test_price_per_million_is_a_price_or_a_dash(amount):
    text = format_price_per_million(amount)
    assert text == DASH if amount is None else text.endswith(" / 1M tokens")


UNITS = {"": 1, "K": 10**3, "M": 10**6, "B": 10**9, "T": 10**12}


def read_back(text: str, pattern: str) -> tuple[Decimal, str]:
    match = re.match(pattern, text)
    assert match, text
    return Decimal(match.group(1)), match.group(2)


@FAST
@given(counts)
@example(999_999)
@example(9_999)
@example(999)
def test_tokens_read_back_within_their_rounding(count):
    value, unit = read_back(format_tokens(count), r"^(\d+(?:\.\d{1,2})?)([KM]?)$")
    if unit == "K":
        assert value < 1000, "a thousand K reads as 1M"
    # Binary sizes read in binary units, exactly (32,768 -> 32K, 1,048,576 -> 1M).
    binary = {"K": 1024, "M": 1024 * 1024}.get(unit)
    if binary and value == value.to_integral_value() and value * binary == count:
        return
    size = UNITS[unit]
    tolerance = {"": 0, "K": 500, "M": 5_000}[unit]
    if unit == "K" and count < 10_000:
        tolerance = 50
    assert abs(value * size - count) <= tolerance


@FAST
@given(counts)
@example(999_999_999)
@example(999_960_000)
@example(999_999)
def test_parameter_counts_read_back_within_their_rounding(count):
    value, unit = read_back(format_parameters(count), r"^(\d+(?:\.\d)?)([MBT]?)$")
    if unit in {"M", "B"}:
        assert value < 1000, "a thousand of a unit reads as the next unit"
    size = UNITS[unit]
    assert abs(value * size - count) <= (size * Decimal("0.05") if unit else 0)


def test_unknown_counts_say_so():
    assert format_tokens(None) == DASH
    assert format_parameters(None) == NOT_DISCLOSED


@FAST
@given(st.dates(min_value=date(1, 1, 1)))
def test_dates_read_day_month_year(value):
    assert re.match(r"^\d{1,2} [A-Z][a-z]+ \d{1,4}$", format_date(value))
    assert re.match(r"^[A-Z][a-z]{2} \d{1,4}$", format_month(value))


@FAST
@given(st.decimals(min_value=-1000, max_value=1000, places=4, allow_nan=False))
def test_percentages_are_whole_and_never_negative_zero(value):
    text = format_percent(value)
    assert re.match(r"^-?\d+%$", text), text
    assert text != "-0%"
    assert abs(Decimal(text[:-1]) - value) <= Decimal("0.5")


@FAST
@given(st.integers(min_value=0, max_value=10**9), st.text(min_size=1, max_size=20))
def test_pluralize_starts_with_the_count(count, word):
    text = pluralize(count, word)
    assert text.startswith(f"{count} ")
    assert text.endswith(word if count == 1 else f"{word}s")
