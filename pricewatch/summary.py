"""Per-offering cross-check summary from prefetched OfferingCheck rows (no queries)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from catalog.formatting import format_date, pluralize


@dataclass(frozen=True)
class PriceCheckSummary:
    sources_checked: int
    sources_agreeing: int
    checked_on: date | None
    disagreements: list[dict] = field(default_factory=list)


def summarize(checks) -> PriceCheckSummary:
    """`checks`: an offering's OfferingCheck rows (use offering.price_checks.all() on a
    queryset that prefetches "price_checks")."""
    checks = list(checks)
    return PriceCheckSummary(
        sources_checked=len(checks),
        sources_agreeing=sum(1 for c in checks if c.agrees),
        checked_on=max((c.checked_on for c in checks), default=None),
        disagreements=[
            {"source": c.source, **d}
            for c in sorted(checks, key=lambda c: c.source)
            for d in c.disagreements
        ],
    )


def cross_check_sentence(checked: int, agreeing: int, checked_on: date | None) -> str:
    """What a visitor reads beside a price: "matches 2 of 2 sources checked on 3 November
    2026", "1 of 2 sources disagrees (checked on …)", or "not cross-checked yet"."""
    if checked <= 0:
        return "not cross-checked yet"
    when = f"checked on {format_date(checked_on)}" if checked_on else "checked"
    disagreeing = checked - agreeing
    if disagreeing == 0:
        return f"matches {agreeing} of {pluralize(checked, 'source')} {when}"
    verb = "disagrees" if disagreeing == 1 else "disagree"
    return f"{disagreeing} of {pluralize(checked, 'source')} {verb} ({when})"
