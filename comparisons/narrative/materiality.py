"""When a difference is worth a claim: the generator's thresholds, in one place.

A difference is said only when the values as displayed differ, and it counts towards a
verdict ("choose A for …") only when it is material:

- prices: at least 5% of the dearer price and at least a cent per 1M tokens;
- context window and output limit: the larger at least 10% above the smaller;
- benchmark scores: at least 3 points on a 0-100 scale (0.03 on a 0-1 scale), about the
  run-to-run noise of the public benchmarks;
- knowledge cutoff: at least 3 months apart.

Below these the text says "about the same" or says nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

PRICE_MIN_PERCENT = Decimal(5)
PRICE_MIN_ABSOLUTE = Decimal("0.01")
LIMIT_MIN_RATIO = Decimal("1.10")
SCORE_MIN_POINTS = {"0-100": Decimal(3), "0-1": Decimal("0.03")}
CUTOFF_MIN_MONTHS = 3


def price_is_material(cheap: Decimal, dear: Decimal) -> bool:
    """Whether `cheap` is materially below `dear` (both as displayed)."""
    if dear <= cheap:
        return False
    gap = dear - cheap
    return gap >= PRICE_MIN_ABSOLUTE and gap * 100 >= PRICE_MIN_PERCENT * dear


def limit_is_material(large: int, small: int) -> bool:
    return small > 0 and Decimal(large) >= Decimal(small) * LIMIT_MIN_RATIO


def score_gap_is_material(gap: Decimal, scale: str) -> bool:
    return abs(gap) >= SCORE_MIN_POINTS.get(scale, SCORE_MIN_POINTS["0-100"])


def months_between(later: date, earlier: date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def cutoff_is_material(later: date, earlier: date) -> bool:
    return months_between(later, earlier) >= CUTOFF_MIN_MONTHS
