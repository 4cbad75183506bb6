"""Per-offering cross-check summary from prefetched OfferingCheck rows (no queries)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


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
