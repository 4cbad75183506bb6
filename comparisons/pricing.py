"""Price arithmetic for a pair of models: pure `Decimal` maths, no ORM, no text.

One formula for "how much cheaper" (relative to the dearer price, rounded half up), one
for a blended price at a stated input/output ratio, and one for the monthly cost of a
workload with a cached share and long-context tiers (cliff semantics: when a request's
prompt is above a tier's threshold, the whole request is billed at that tier's rates).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ONE_MILLION = Decimal(1_000_000)
HUNDRED = Decimal(100)


def percent_cheaper(cheap: Decimal | None, dear: Decimal | None) -> Decimal | None:
    """How much cheaper `cheap` is than `dear`, in whole percent of the dearer price.

    $0.25 vs $0.50 -> 50. None when either price is missing, when `cheap` is not the
    lower price, or when the dearer price is zero (both free: a tie, not a percentage).
    """
    if cheap is None or dear is None or dear <= 0 or cheap >= dear:
        return None
    exact = (dear - cheap) / dear * HUNDRED
    return exact.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def price_multiple(cheap: Decimal | None, dear: Decimal | None) -> Decimal | None:
    """How many times the cheaper price the dearer one is, to one decimal: 0.25 vs 0.50
    -> 2. None when either is missing or the cheaper one is free."""
    if cheap is None or dear is None or cheap <= 0 or cheap >= dear:
        return None
    return (dear / cheap).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class BlendRatio:
    """Input and output token shares of a workload, e.g. 7:3 ("70/30") or 3:1."""

    input_parts: int
    output_parts: int

    def __post_init__(self) -> None:
        if self.input_parts < 0 or self.output_parts < 0 or self.total == 0:
            raise ValueError("A blend needs non-negative parts that are not both zero.")

    @property
    def total(self) -> int:
        return self.input_parts + self.output_parts

    @property
    def input_share(self) -> Decimal:
        return Decimal(self.input_parts) / Decimal(self.total)

    @property
    def label(self) -> str:
        """ "70/30" for ratios that are whole percentages, else "3:1"."""
        if (100 * self.input_parts) % self.total == 0:
            share = 100 * self.input_parts // self.total
            return f"{share}/{100 - share}"
        return f"{self.input_parts}:{self.output_parts}"

    @property
    def query_value(self) -> str:
        return f"{self.input_parts}:{self.output_parts}"


DEFAULT_BLEND = BlendRatio(7, 3)
_BLEND_PATTERN = re.compile(r"^\s*(\d{1,4})\s*[:/]\s*(\d{1,4})\s*$")


def parse_blend(text: str | None) -> BlendRatio:
    """ "3:1", "70/30", "50/50" -> a BlendRatio. Raises ValueError with a readable message."""
    if text is None or not text.strip():
        return DEFAULT_BLEND
    match = _BLEND_PATTERN.match(text)
    if not match:
        raise ValueError('Write the blend as input:output, for example "3:1" or "70/30".')
    return BlendRatio(int(match.group(1)), int(match.group(2)))


def blended_price(
    input_price: Decimal | None, output_price: Decimal | None, *, ratio: BlendRatio = DEFAULT_BLEND
) -> Decimal | None:
    """USD per 1M tokens of a workload mixing input and output at `ratio`, to 6 places."""
    if input_price is None or output_price is None:
        return None
    value = (input_price * ratio.input_parts + output_price * ratio.output_parts) / ratio.total
    return value.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Rates:
    """The per-1M-token rates a workload is billed at."""

    input: Decimal
    output: Decimal
    cache_read: Decimal | None = None


@dataclass(frozen=True)
class ContextTier:
    """Rates that apply to a whole request whose prompt is above `threshold` tokens."""

    threshold: int
    rates: Rates


def tier_for_prompt(
    tiers: tuple[ContextTier, ...] | list[ContextTier], prompt_tokens: int | None
) -> ContextTier | None:
    """The tier a request with `prompt_tokens` of prompt is billed at: the highest whose
    threshold it exceeds, or None for the base rates (cliff semantics)."""
    if not prompt_tokens:
        return None
    chosen = None
    for tier in sorted(tiers, key=lambda t: t.threshold):
        if prompt_tokens > tier.threshold:
            chosen = tier
    return chosen


def rates_for_prompt(
    base: Rates, tiers: tuple[ContextTier, ...] | list[ContextTier], prompt_tokens: int | None
) -> Rates:
    """The rates a request with `prompt_tokens` of prompt pays (tier_for_prompt)."""
    tier = tier_for_prompt(tiers, prompt_tokens)
    return base if tier is None else tier.rates


@dataclass(frozen=True)
class WorkloadCost:
    total: Decimal  # to the hundredth of a cent, as the calculator shows it
    rates: Rates
    cached_billed_as_input: bool  # the provider publishes no cache-read price
    # Each part exactly, unrounded (whoever shows them rounds them once): uncached
    # input, cached input (at the input rate when `cached_billed_as_input`), output.
    input_cost: Decimal
    cached_input_cost: Decimal
    output_cost: Decimal
    # The threshold of the long-context tier whose rates apply; 0 for the base rates.
    context_threshold: int

    @property
    def exact_total(self) -> Decimal:
        return self.input_cost + self.cached_input_cost + self.output_cost


def monthly_cost(
    base: Rates,
    *,
    input_tokens: int,
    output_tokens: int,
    cached_share: Decimal = Decimal(0),
    tiers: tuple[ContextTier, ...] | list[ContextTier] = (),
    prompt_tokens: int | None = None,
) -> WorkloadCost:
    """Monthly USD for `input_tokens` and `output_tokens`, a `cached_share` (0-1) of the
    input read from the prompt cache, at the rates for a typical `prompt_tokens` prompt.

    Cached tokens are billed at the cache-read rate; where none is published they are
    billed as ordinary input and `cached_billed_as_input` says so. The total is rounded
    to the hundredth of a cent; the parts it is made of are kept exact.
    """
    if input_tokens < 0 or output_tokens < 0:
        raise ValueError("Token counts cannot be negative.")
    if not Decimal(0) <= cached_share <= Decimal(1):
        raise ValueError("The cached share must lie between 0 and 1.")
    tier = tier_for_prompt(tiers, prompt_tokens)
    rates = base if tier is None else tier.rates
    cached = Decimal(input_tokens) * cached_share
    uncached = Decimal(input_tokens) - cached
    no_cache_price = rates.cache_read is None and cached > 0
    cache_rate = rates.input if rates.cache_read is None else rates.cache_read
    input_cost = uncached * rates.input / ONE_MILLION
    cached_input_cost = cached * cache_rate / ONE_MILLION
    output_cost = output_tokens * rates.output / ONE_MILLION
    total = input_cost + cached_input_cost + output_cost
    return WorkloadCost(
        total=total.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP),
        rates=rates,
        cached_billed_as_input=no_cache_price,
        input_cost=input_cost,
        cached_input_cost=cached_input_cost,
        output_cost=output_cost,
        context_threshold=0 if tier is None else tier.threshold,
    )
