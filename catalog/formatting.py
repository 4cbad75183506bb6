"""The one place numbers, money and dates become text, so the site says them one way.

"$0.25", "$0.25 / 1M tokens", "128K", "1M", "7 May 2026", "Jan 2025".

The formatters a page calls most (money, token counts, dates: about 200 calls for a
comparison page, 5 to 9 µs each, most for the same few values) remember their last
TEXTS_KEPT answers. Each answer depends only on the value, and values that are equal are
the same number (Decimal("1.5"), Decimal("1.50") and 1.5 all read "$1.50"), so an answer
found by an equal key is the right one.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

DASH = "—"
NOT_DISCLOSED = "— not disclosed"
SAME_LIMITS_AS_MODEL = "Same as the model"


def iso_timestamp(value: datetime | time) -> str:
    """ISO 8601 with every digit it has and UTC written "Z", as the API and the catalog
    backups write times: "2026-05-07T09:30:00.123456Z"."""
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def quantize_half_up(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def usd_shown(amount: Decimal, *, max_places: int = 4) -> Decimal:
    """The amount `format_usd` displays: cents from a dollar up, else up to `max_places`
    decimals. Prose computes gaps and percentages from this, so they match the page."""
    amount = Decimal(amount)
    if abs(amount) >= 1 or abs(quantize_half_up(amount, max_places)) >= 1:
        return quantize_half_up(amount, 2)
    return quantize_half_up(amount, max_places)


def derived_usd(amount: Decimal | None) -> Decimal | None:
    """A computed amount (a blend, a gap) at the precision it deserves: cents from a
    dollar up, three significant figures below ($0.11667 -> 0.117, $0.0375 -> 0.0375)."""
    if amount is None:
        return None
    amount = Decimal(amount)
    if amount == 0 or abs(amount) >= 1:
        return usd_shown(amount)
    places = max(2, 2 - abs(amount).adjusted())  # 0.1167 -> 3 places, 0.0375 -> 4
    return usd_shown(amount, max_places=places)


# Answers kept per formatter: a catalog's distinct prices, token counts and dates.
TEXTS_KEPT = 4096


@lru_cache(maxsize=TEXTS_KEPT)
def format_usd(amount: Decimal | None, *, max_places: int = 4) -> str:
    """Money in dollars with as many decimals as it needs (at least 2 below $1 only when
    there are cents): $0.25, $2, $1.5 -> "$1.50", $0.075, $12.345 -> "$12.35".

    Amounts of a dollar or more show cents (two places); smaller amounts keep up to
    `max_places` significant decimals so $0.0375 is not rounded to $0.04.
    """
    if amount is None:
        return DASH
    amount = Decimal(amount)
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if amount == 0:
        return "$0"
    rounded = usd_shown(amount, max_places=max_places)
    if rounded >= 1:  # $0.99995 reads "$1"
        text = f"{rounded:,.2f}"
        if text.endswith(".00"):
            text = text[:-3]
        return f"{sign}${text}"
    text = f"{rounded:f}".rstrip("0").rstrip(".")
    if rounded == 0:
        return f"{sign}<${Decimal(1).scaleb(-max_places):f}"
    # Two decimals at least for cents: $0.5 reads "$0.50".
    if len(text.split(".")[1]) == 1:
        text += "0"
    return f"{sign}${text}"


def format_usd_exact(amount: Decimal | None) -> str:
    """An amount with every decimal it has, for a figure computed from displayed ones (a
    gap between two prices) and for the admin, where an editor checks the stored figure:
    $1.005 stays "$1.005", $0.5 reads "$0.50", $2 reads "$2", nothing reads a dash."""
    if amount is None:
        return DASH
    amount = Decimal(amount)
    text = f"{abs(amount):,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if "." in text and len(text.split(".")[1]) == 1:
        text += "0"
    return f"{'-' if amount < 0 else ''}${text}"


def plain_decimal(amount: Decimal) -> str:
    """A stored figure as a person types it, for a form field: Decimal("1.250000") ->
    "1.25", "10.000000" -> "10", "0.025000" -> "0.025" (never an exponent)."""
    text = f"{Decimal(amount):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def format_price_per_million(amount: Decimal | None) -> str:
    """ "$0.25 / 1M tokens", or a dash when the price is not published."""
    if amount is None:
        return DASH
    return f"{format_usd(amount)} / 1M tokens"


@lru_cache(maxsize=TEXTS_KEPT)
def format_tokens(count: int | None) -> str:
    """Token counts as the industry writes them: round decimal sizes in decimal units
    (128000 -> "128K", 1050000 -> "1.05M", 2500 -> "2.5K"), binary sizes in binary ones
    (32768 -> "32K", 65536 -> "64K", 131072 -> "128K", 1048576 -> "1M")."""
    if count is None:
        return DASH
    count = int(count)
    if count >= 1_024 and count % 1_024 == 0 and count % 1_000 != 0:
        kib = count // 1_024
        if kib % 1_024 == 0:
            return f"{kib // 1_024}M"
        if kib < 1_000:
            return f"{kib}K"
    if count >= 1_000_000 or quantize_half_up(Decimal(count) / 1_000, 0) >= 1_000:
        value, unit = quantize_half_up(Decimal(count) / 1_000_000, 2), "M"
    elif count >= 10_000:
        value, unit = quantize_half_up(Decimal(count) / 1_000, 0), "K"
    elif count >= 1_000:
        value, unit = quantize_half_up(Decimal(count) / 1_000, 1), "K"
    else:
        return str(count)
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}{unit}"


def format_parameters(count: int | None) -> str:
    """Parameter counts: 70_000_000_000 -> "70B", 1_200_000_000_000 -> "1.2T"."""
    if count is None:
        return NOT_DISCLOSED
    units = (("T", 10**12), ("B", 10**9), ("M", 10**6))
    for index, (unit, size) in enumerate(units):
        if count >= size:
            value = quantize_half_up(Decimal(count) / size, 1)
            if value >= 1_000 and index > 0:  # 999.96B rounds to a thousand: say "1T"
                unit, size = units[index - 1]
                value = quantize_half_up(Decimal(count) / size, 1)
            return f"{value:f}".rstrip("0").rstrip(".") + unit
    return str(count)


@lru_cache(maxsize=TEXTS_KEPT)
def format_date(value: date | None) -> str:
    """ "7 May 2026"."""
    if value is None:
        return DASH
    return f"{value.day} {value:%B %Y}"


@lru_cache(maxsize=TEXTS_KEPT)
def format_month(value: date | None) -> str:
    """Knowledge cutoffs have month precision: "Jan 2025"."""
    if value is None:
        return DASH
    return f"{value:%b %Y}"


def score_number(value: Decimal) -> str:
    """A score as published, without trailing zeros or an exponent: 71.30 -> "71.3",
    90.00 -> "90" (Decimal.normalize alone gives "9E+1")."""
    return f"{value.normalize():f}"


def format_percent(value: Decimal) -> str:
    """A whole percentage, rounded half up: Decimal("49.5") -> "50%"."""
    rounded = quantize_half_up(value, 0)
    return f"{rounded.copy_abs() if rounded == 0 else rounded:f}%"  # never "-0%"


def pluralize(count: int, singular: str, plural: str | None = None) -> str:
    """ "1 provider", "2 providers", "0 providers"."""
    word = singular if count == 1 else (plural or f"{singular}s")
    return f"{count} {word}"


def provider_limits_note(
    *,
    own_context_window: int | None,
    own_max_output_tokens: int | None,
    model_context_window: int | None,
    model_max_output_tokens: int | None,
) -> str:
    """What a provider's own limits are next to the model's, or "" when it has none:
    "200K context window on this provider (model: 1M)", "200K context window (model: 1M)
    and 32K max output (model: 64K) on this provider". Two limits that round to the same
    text are written out: "16,385 context window on this provider (model: 16,384)", never
    "16K (model: 16K)"."""

    def part(own: int, model: int | None, what: str) -> tuple[str, str]:
        mine, theirs = format_tokens(own), format_tokens(model) if model else "not disclosed"
        if mine == theirs:
            mine, theirs = f"{own:,}", f"{model:,}"
        return f"{mine} {what}", f"(model: {theirs})"

    parts = []
    if own_context_window:
        parts.append(part(own_context_window, model_context_window, "context window"))
    if own_max_output_tokens:
        parts.append(part(own_max_output_tokens, model_max_output_tokens, "max output"))
    if not parts:
        return ""
    if len(parts) == 1:
        figure, model_figure = parts[0]
        return f"{figure} on this provider {model_figure}"
    return " and ".join(f"{figure} {model_figure}" for figure, model_figure in parts) + (
        " on this provider"
    )


def cross_check_sentence(checked: int, agreeing: int, checked_on: date | None) -> str:
    """What a visitor reads beside a price (price watch): "matches 2 of 2 sources checked
    on 3 November 2026", "1 of 2 sources disagrees (checked on …)", or "not cross-checked
    yet"."""
    if checked <= 0:
        return "not cross-checked yet"
    when = f"checked on {format_date(checked_on)}" if checked_on else "checked"
    disagreeing = checked - agreeing
    if disagreeing == 0:
        return f"matches {agreeing} of {pluralize(checked, 'source')} {when}"
    verb = "disagrees" if disagreeing == 1 else "disagree"
    return f"{disagreeing} of {pluralize(checked, 'source')} {verb} ({when})"
