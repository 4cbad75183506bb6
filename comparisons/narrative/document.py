"""The comparison as structured data: what the page renders and the API returns.

Every figure a table shows as text, and each price gap the prose states, also travels
as a value beside it, for partners who compute with it: money as a `Decimal` of the
stored precision (USD per 1M tokens, six places, as catalog.models.MONEY stores it),
token counts as integers, dates as dates, scores as numbers. Values are None where the
data has none, never 0.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass
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
    # Where the row shows a figure: the ComparedModel attribute that holds it as a value
    # (the same name on model_a and model_b); None for rows of text.
    field: str | None = None


@dataclass(frozen=True)
class BenchmarkRow(Row):
    """A benchmark both models have, with both scores as numbers on the benchmark's scale.

    Scores are floats so the JSON holds numbers: a score is stored with at most four
    decimals and nine digits, which a float round-trips exactly."""

    benchmark: str = ""  # the benchmark's slug
    metric: str = ""
    scale: str = ""  # "0-100" or "0-1"
    higher_is_better: bool = True
    a_score: float | None = None
    b_score: float | None = None


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
    # As on `Row`: the ComparedModel attribute of the figure the row shows, or None.
    field: str | None = None

    def as_pair_row(self) -> Row:
        a, b = self.cells
        return Row(
            label=self.label,
            a=a.text,
            b=b.text,
            a_links=a.links,
            b_links=b.links,
            field=self.field,
        )


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
    # The same figures as values: the stored prices, the date the price was checked, the
    # limits a request has on this provider (its own where set, else the model's) and
    # the price watch's counts behind `cross_check`.
    input_usd_per_mtok: Decimal | None = None
    output_usd_per_mtok: Decimal | None = None
    cached_input_usd_per_mtok: Decimal | None = None
    checked_on_date: date | None = None
    context_window: int | None = None
    max_output_tokens: int | None = None
    sources_checked: int = 0
    sources_agreeing: int = 0
    cross_checked_on: date | None = None
    # Where the price was read (the provider's price list); "" when none is recorded.
    source_url: str = ""


@dataclass(frozen=True)
class FaqItem:
    question: str
    answer: str


@dataclass(frozen=True)
class ComparedModel:
    """One model of the pair, with the figures of its spec and pricing rows as values
    (each row's `field` names its attribute here). Prices are those the page quotes: the
    offering that is cheapest at the blend (`cheapest_provider_a` / `_b`), as stored."""

    slug: str
    name: str
    release_date: date | None = None
    knowledge_cutoff: date | None = None  # month precision: the first of the month
    context_window: int | None = None
    max_output_tokens: int | None = None
    parameter_count: int | None = None
    input_usd_per_mtok: Decimal | None = None
    output_usd_per_mtok: Decimal | None = None
    cached_input_usd_per_mtok: Decimal | None = None
    blended_usd_per_mtok: Decimal | None = None
    provider_count: int = 0


@dataclass(frozen=True)
class PriceGap:
    """How one quoted price of the pair compares, from the values in ComparedModel.

    `cheaper` is "a" or "b", or None when they tie. `percent_cheaper` is the cheaper
    price's saving in whole percent of the dearer one and `multiple` the dearer price in
    times the cheaper one (one decimal), both rounded half up by the formulas the prose
    uses (comparisons.pricing); `multiple` is None when the cheaper price is zero."""

    cheaper: str | None
    difference_usd_per_mtok: Decimal
    percent_cheaper: int
    multiple: float | None


@dataclass(frozen=True)
class PriceGaps:
    """Each quoted price's gap; None where either model lacks that price."""

    input: PriceGap | None = None
    output: PriceGap | None = None
    cached_input: PriceGap | None = None
    blended: PriceGap | None = None


@dataclass(frozen=True)
class ComparisonDocument:
    model_a: ComparedModel
    model_b: ComparedModel
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
    benchmark_rows: tuple[BenchmarkRow, ...]
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
    price_gaps: PriceGaps = PriceGaps()

    @property
    def shows_provider_limits(self) -> bool:
        """Whether any provider serves either model with limits of its own."""
        return any(row.own_limits for row in self.provider_price_rows)

    def field_values(self) -> dict[str, Any]:
        """The fields by name, in order, as they are (to_dict converts them)."""
        return {name: getattr(self, name) for name in field_names(self)}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: Decimals as decimal strings ("0.250000"), dates as ISO 8601, tuples
        as lists."""
        return plain(self)

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


def plain(value: Any) -> Any:
    """`value` as JSON-ready data, dataclasses as dicts of their fields: what
    `dataclasses.asdict` then a conversion of its result would give, in one pass and
    without asdict's deep copies (most of the API comparison's time went there).
    api.renderers.DocumentJSONRenderer writes the same JSON without building it."""
    kind = type(value)
    if kind in _AS_THEY_ARE:  # most values: asking is_dataclass of each was a third
        return value
    names = _FIELD_NAMES.get(kind)
    if names is None and is_dataclass(value) and not isinstance(value, type):
        names = field_names(value)
    if names is not None:
        return {name: plain(getattr(value, name)) for name in names}
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return plain_scalar(value)


def plain_scalar(value: Any) -> Any:
    """A Decimal as a decimal string, a date (or datetime) in ISO 8601; anything else as
    it is."""
    if isinstance(value, Decimal):
        return f"{value:f}"  # str() would write a zero of six places "0E-6"
    if isinstance(value, date):
        return value.isoformat()
    return value


def field_names(instance) -> tuple[str, ...]:
    """A dataclass instance's field names, in order (looked up once per class)."""
    kind = type(instance)
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = tuple(f.name for f in fields(instance))
    return names


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
# Exactly these types (not subclasses), which JSON takes as they are.
_AS_THEY_ARE = frozenset({str, int, float, bool, type(None)})
