"""Up to four models side by side: the tables of the pair page, a column per model, and
a one-line summary of who is cheapest and who reads the most."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations

from django.utils.text import get_text_list

from catalog.formatting import format_price_per_million, format_tokens, usd_shown
from comparisons.narrative.document import LineupRow
from comparisons.narrative.prices import price_choice
from comparisons.narrative.tables import (
    benchmark_table,
    capability_table,
    lineup_scores,
    pricing_table,
    spec_table,
)
from comparisons.pricing import DEFAULT_BLEND, BlendRatio
from comparisons.snapshot import LineupSnapshot, ModelSnapshot


@dataclass(frozen=True)
class ModelRef:
    """One model of the lineup, for its column heading."""

    slug: str
    name: str


@dataclass(frozen=True)
class PairRef:
    """One pair of the lineup, for a link to its full page."""

    title: str
    path_slug: str


@dataclass(frozen=True)
class LineupDocument:
    models: tuple[ModelRef, ...]
    title: str
    summary: str
    blend: str
    spec_rows: tuple[LineupRow, ...]
    pricing_rows: tuple[LineupRow, ...]
    capability_rows: tuple[LineupRow, ...]
    benchmark_rows: tuple[LineupRow, ...]
    pairs: tuple[PairRef, ...]


def leaders(
    models: Sequence[ModelSnapshot], value: Callable[[ModelSnapshot], Decimal | int | None], *, best
) -> tuple[list[ModelSnapshot], Decimal | int | None]:
    """The models sharing the best known value (`best` is min or max), and that value;
    ([], None) when no model has one."""
    known = [(m, value(m)) for m in models if value(m) is not None]
    if not known:
        return [], None
    top = best(v for _m, v in known)
    return [m for m, v in known if v == top], top


def leader_phrase(winners: list[ModelSnapshot], figure: str) -> str:
    """ "X at $1" or, for a tie, "X and Y tie at $1"."""
    names = get_text_list([m.name for m in winners], "and")
    return f"{names} tie at {figure}" if len(winners) > 1 else f"{names} at {figure}"


def lineup_summary(models: Sequence[ModelSnapshot], blend: BlendRatio = DEFAULT_BLEND) -> str:
    """One line: the cheapest at `blend` on each model's cheapest provider, and the
    largest context window, naming every model that ties. Prices compare as displayed,
    so two models showing the same figure tie."""
    choices = {m.slug: price_choice(m, blend) for m in models}

    def blended(model: ModelSnapshot) -> Decimal | None:
        choice = choices[model.slug]
        return usd_shown(choice.blended(blend)) if choice else None

    cheap, price = leaders(models, blended, best=min)
    if cheap:
        cost = f"cheapest at a {blend.label} input/output blend: " + leader_phrase(
            cheap, format_price_per_million(price)
        )
        unpriced = [m.name for m in models if choices[m.slug] is None]
        if unpriced:
            cost += f" (no tracked price for {get_text_list(unpriced, 'or')})"
    else:
        cost = "no provider we track publishes a price for any of them"
    wide, window = leaders(models, lambda m: m.context_window, best=max)
    if wide:
        context = "largest context window: " + leader_phrase(
            wide, f"{format_tokens(window)} tokens"
        )
    else:
        context = "none discloses its context window"
    line = f"{cost}; {context}."
    return line[0].upper() + line[1:]


def build_lineup_document(
    lineup: LineupSnapshot, *, blend: BlendRatio = DEFAULT_BLEND
) -> LineupDocument:
    """The lineup's page as data: the pair page's tables with a cell per model (the same
    row code), the summary line and every pair in it."""
    models = lineup.models
    return LineupDocument(
        models=tuple(ModelRef(m.slug, m.name) for m in models),
        title=" vs ".join(m.name for m in models),
        summary=lineup_summary(models, blend),
        blend=blend.label,
        spec_rows=spec_table(models),
        pricing_rows=pricing_table(models, [price_choice(m, blend) for m in models], blend),
        capability_rows=capability_table(models),
        benchmark_rows=benchmark_table(lineup_scores(models)),
        pairs=tuple(
            PairRef(title=f"{a.name} vs {b.name}", path_slug=f"{a.slug}-vs-{b.slug}")
            for a, b in combinations(models, 2)
        ),
    )
