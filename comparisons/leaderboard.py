"""Benchmark leaderboards as plain data: the ranking of scored models and the Pareto front
of price against score. Pure functions over dataclasses the selectors build (no ORM)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import groupby

from catalog.formatting import score_number
from comparisons.narrative.tables import REPORTED_BY


@dataclass(frozen=True)
class BoardEntry:
    """One published model's score on a benchmark, with its blended cheapest price."""

    model_name: str
    model_url: str
    organization: str
    score: Decimal
    reported_by: str  # catalog.models.BenchmarkScore.ReportedBy
    source_url: str
    measured_on: date | None
    blended_price: Decimal | None  # 70/30 of the cheapest buyable input and output price

    @property
    def self_reported(self) -> bool:
        return self.reported_by == "maker"

    @property
    def score_text(self) -> str:
        return score_number(self.score)

    @property
    def provenance(self) -> str:
        """ "self-reported", "independently measured", "from a competitor's announcement"."""
        return REPORTED_BY.get(self.reported_by, REPORTED_BY["maker"])


@dataclass(frozen=True)
class RankedEntry:
    rank: int
    entry: BoardEntry
    shares_rank: bool  # tied with another model


def _better_first(score: Decimal, higher_is_better: bool) -> Decimal:
    """A sort key that puts the better score first."""
    return -score if higher_is_better else score


def rank_entries(entries: Sequence[BoardEntry], *, higher_is_better: bool) -> list[RankedEntry]:
    """Best score first (the lowest when lower is better); equal scores share a rank and
    the next rank skips as many places ("1, 2, 2, 4"), names in alphabetical order
    among equals."""
    ordered = sorted(
        entries,
        key=lambda e: (_better_first(e.score, higher_is_better), e.model_name.casefold()),
    )
    ranked = []
    place = 1
    for _score, group in groupby(ordered, key=lambda e: e.score):
        tied = list(group)
        ranked += [RankedEntry(rank=place, entry=e, shares_rank=len(tied) > 1) for e in tied]
        place += len(tied)
    return ranked


def pareto_front(entries: Sequence[BoardEntry], *, higher_is_better: bool) -> list[BoardEntry]:
    """The models no other model beats on both price and score: none is as cheap or
    cheaper and scores as well or better, with one of the two strictly. Cheapest first.
    Models without a price are not on it (they cannot be compared on price); models with
    the same price and score are both on it."""
    priced = sorted(
        (e for e in entries if e.blended_price is not None),
        key=lambda e: (e.blended_price, _better_first(e.score, higher_is_better)),
    )
    front: list[BoardEntry] = []
    best_cheaper: Decimal | None = None  # the best score of every strictly cheaper model
    for _price, group in groupby(priced, key=lambda e: e.blended_price):
        same_price = list(group)
        best_here = same_price[0].score  # sorted best first within a price
        if best_cheaper is None or _better_first(best_here, higher_is_better) < _better_first(
            best_cheaper, higher_is_better
        ):
            front += [e for e in same_price if e.score == best_here]
            best_cheaper = best_here
    return front
