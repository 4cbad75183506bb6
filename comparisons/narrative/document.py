"""The comparison as structured data: what the page renders and the API returns."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from catalog.formatting import SAME_LIMITS_AS_MODEL


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True)
class Row:
    """One table row: a label and a value for each model, never empty."""

    label: str
    a: str
    b: str
    a_links: tuple[Link, ...] = ()
    b_links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class Cell:
    """One model's value in a row, with the links it names (providers), if any."""

    text: str
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class LineupRow:
    """One table row of any number of models: a label and a cell per model, in column
    order, never empty. A pair's `Row` is this row with two cells."""

    label: str
    cells: tuple[Cell, ...]

    def as_pair_row(self) -> Row:
        a, b = self.cells
        return Row(label=self.label, a=a.text, b=b.text, a_links=a.links, b_links=b.links)


@dataclass(frozen=True)
class ProviderPriceRow:
    """One model on one provider, prices formatted, for the every-provider table."""

    model_name: str
    provider: Link
    input: str
    output: str
    cached_input: str
    checked_on: str
    cross_check: str
    # "200K context window on this provider (model: 1M)", or "Same as the model".
    limits: str = SAME_LIMITS_AS_MODEL
    own_limits: bool = False


@dataclass(frozen=True)
class FaqItem:
    question: str
    answer: str


@dataclass(frozen=True)
class ModelRef:
    slug: str
    name: str


@dataclass(frozen=True)
class ComparisonDocument:
    model_a: ModelRef
    model_b: ModelRef
    title: str
    meta_description: str
    summary: str
    verdict: str
    verdict_is_editorial: bool
    editor_note: str
    spec_rows: tuple[Row, ...]
    pricing_rows: tuple[Row, ...]
    provider_price_rows: tuple[ProviderPriceRow, ...]
    capability_rows: tuple[Row, ...]
    benchmark_rows: tuple[Row, ...]
    benchmark_note: str
    deep_dive: tuple[str, ...]
    faq: tuple[FaqItem, ...]
    blend: str
    blend_query: str
    cheapest_provider_a: str | None
    cheapest_provider_b: str | None
    sources: tuple[Link, ...]
    last_reviewed: date | None
    last_reviewed_text: str
    # Credits the licences of the shown scores ask for ("LLM Stats (llm-stats.com), CC BY 4.0").
    benchmark_attributions: tuple[str, ...] = ()

    @property
    def shows_provider_limits(self) -> bool:
        """Whether any provider serves either model with limits of its own."""
        return any(row.own_limits for row in self.provider_price_rows)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: Decimals as strings, dates as ISO 8601, tuples as lists."""
        return _plain(asdict(self))

    def all_text(self) -> str:
        """Every generated sentence and cell, for checks that scan the prose."""
        parts = [self.title, self.summary, self.verdict, self.benchmark_note, self.meta_description]
        for row in (*self.spec_rows, *self.pricing_rows, *self.capability_rows):
            parts += [row.label, row.a, row.b]
        for row in self.benchmark_rows:
            parts += [row.label, row.a, row.b]
        parts += list(self.deep_dive)
        for item in self.faq:
            parts += [item.question, item.answer]
        return "\n".join(parts)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value
