"""What a model page shows, read as plain rows.

The page used to load the model with five prefetching ORM queries (offerings with their
providers, prices and cross-checks, every price of every offering, scores with their
benchmarks, sources): half of an uncached model page, most of it the ORM compiling SQL
and building instances the template then walked (docs/benchmarks.md, "The model page").
It now runs the comparison snapshot's prepared reads (catalog.selectors, as plain SQL:
catalog.prepared) and one for the price history: four queries (sent together on
PostgreSQL: `read_together`), rows as tuples, turned here into the few frozen values the
template reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.safestring import SafeString, mark_safe

from catalog import formatting, selectors
from catalog.charts import HistoryChart, PricePoint, price_history_chart
from catalog.markup import escape_html, sourced_html
from catalog.models import (
    BUYABLE_LIFECYCLES,
    BenchmarkScore,
    LanguageModel,
    Lifecycle,
    benchmark_name,
    own_limit,
    recorded_before_release,
)
from catalog.pairs import path_of
from catalog.prepared import read_together

LIFECYCLE_LABELS = dict(Lifecycle.choices)
REPORTED_BY_LABELS = dict(BenchmarkScore.ReportedBy.choices)
NOT_PUBLISHED = f"{formatting.DASH} not published"
PREVIEW_NOTE = ", preview result (recorded before the release)"


@dataclass(frozen=True)
class CurrentPrice:
    input: Decimal
    output: Decimal
    cache_read: Decimal | None
    source_url: str
    checked_on: date | None


@dataclass(frozen=True)
class OfferingRow:
    """A row of "Where to run it"."""

    provider_name: str
    provider_url: str
    provider_model_id: str
    lifecycle: str
    current_price: CurrentPrice | None
    # Price watch (catalog.selectors.with_cross_checks), said by `cross_check`.
    checks_total: int
    checks_agreeing: int
    checks_on: date | None
    # "128K context window on this provider (model: 1M)", or "" without limits of its own.
    own_limits: str

    @property
    def is_buyable(self) -> bool:
        return self.lifecycle in BUYABLE_LIFECYCLES

    @property
    def lifecycle_label(self) -> str:
        return LIFECYCLE_LABELS.get(self.lifecycle, self.lifecycle)

    @property
    def has_own_limits(self) -> bool:
        return bool(self.own_limits)

    @property
    def limits(self) -> str:
        return self.own_limits or formatting.SAME_LIMITS_AS_MODEL

    @property
    def cross_check(self) -> str:
        return formatting.cross_check_sentence(
            self.checks_total, self.checks_agreeing, self.checks_on
        )


@dataclass(frozen=True)
class ScoreRow:
    benchmark: str  # "SWE-bench (Verified)", as Benchmark.__str__ names it
    scale: str
    score: Decimal
    source_url: str
    measured_on: date | None
    reported_by: str
    attribution: str
    # Recorded before the model's release (BenchmarkScore.is_preview_result).
    is_preview_result: bool

    @property
    def reported_by_label(self) -> str:
        return REPORTED_BY_LABELS.get(self.reported_by, self.reported_by)


@dataclass(frozen=True)
class SourceRow:
    url: str
    title: str

    def __str__(self) -> str:
        return self.title or self.url


@dataclass(frozen=True)
class ModelPage:
    offerings: tuple[OfferingRow, ...]
    scores: tuple[ScoreRow, ...]
    sources: tuple[SourceRow, ...]
    history_chart: HistoryChart | None

    @property
    def shows_provider_limits(self) -> bool:
        return any(o.has_own_limits for o in self.offerings)

    @property
    def offering_rows(self) -> SafeString:
        """The body of "Where to run it", written in one pass (as a template loop the
        offering, score and history tables were most of the page's render)."""
        e = escape_html
        limits = self.shows_provider_limits
        parts = []
        for row in self.offerings:
            price = row.current_price
            lifecycle = (
                ""
                if row.is_buyable
                else f' <small class="lifecycle">{e(row.lifecycle_label)}: not counted as the '
                "cheapest price</small>"
            )
            if price is None:
                input_cell = output_cell = checked = formatting.DASH
                cached = NOT_PUBLISHED
            else:
                on = price.checked_on
                input_cell = sourced_html(formatting.format_usd(price.input), price.source_url, on)
                output_cell = sourced_html(
                    formatting.format_usd(price.output), price.source_url, on
                )
                cached = (
                    NOT_PUBLISHED
                    if price.cache_read is None
                    else sourced_html(formatting.format_usd(price.cache_read), price.source_url, on)
                )
                checked = e(formatting.format_date(on))
            own = f"<strong>{e(row.limits)}</strong>" if row.has_own_limits else e(row.limits)
            limits_cell = (
                f'      <td data-label="Context and output limits">{own}</td>'
                if limits
                else "      "
            )
            parts.append(
                "\n    <tr>\n"
                f'      <th scope="row"><a href="{e(row.provider_url)}">{e(row.provider_name)}</a>'
                f"{lifecycle}</th>\n"
                f'      <td data-label="Model id"><code>{e(row.provider_model_id)}</code></td>\n'
                f'      <td data-label="Input">{input_cell}</td>\n'
                f'      <td data-label="Output">{output_cell}</td>\n'
                f'      <td data-label="Cached input">{cached}</td>\n'
                f'      <td data-label="Checked">{checked}</td>\n'
                f'      <td data-label="Independent sources">{e(row.cross_check)}</td>\n'
                f"{limits_cell}\n    </tr>\n  "
            )
        return mark_safe("".join(parts))  # every value above is escaped

    @property
    def score_rows(self) -> SafeString:
        """The body of the benchmark table, in one pass."""
        e = escape_html
        parts = []
        for row in self.scores:
            score = sourced_html(
                formatting.score_number(row.score), row.source_url, row.measured_on, "measured"
            )
            preview = PREVIEW_NOTE if row.is_preview_result else ""
            data = f"; data: {e(row.attribution)}" if row.attribution else ""
            parts.append(
                f'<tr><th scope="row">{e(row.benchmark)}</th><td data-label="Score">{score} '
                f'({e(row.scale)})</td><td data-label="Reported by">{e(row.reported_by_label)}'
                f"{preview}{data}</td></tr>"
            )
        return mark_safe("".join(parts))  # every value above is escaped


def read_model_page(model: LanguageModel, *, today: date) -> ModelPage:
    """The offerings (by provider name, each with the price in force and its cross-checks),
    benchmark scores (by benchmark), sources (by title) and standard-price history (up to
    `today`) of `model`: four queries, in one round trip on PostgreSQL."""
    ids = [model.pk]
    offering_rows, history_rows, score_rows, source_rows = read_together(
        (selectors.snapshot_offering_rows, ids, None),
        (selectors.base_price_history_rows, ids, today),
        (selectors.snapshot_score_rows, ids, None),
        (selectors.snapshot_source_rows, ids, None),
    )
    offerings: list[OfferingRow] = []
    names: dict[int, str] = {}
    for row in offering_rows:
        names[row.pk] = row.provider_name
        offerings.append(
            OfferingRow(
                provider_name=row.provider_name,
                provider_url=path_of("catalog:provider-detail", "slug", row.provider_slug),
                provider_model_id=row.provider_model_id,
                lifecycle=row.lifecycle,
                current_price=None
                if row.price_id is None
                else CurrentPrice(
                    input=row.price_input,
                    output=row.price_output,
                    cache_read=row.price_cache_read,
                    source_url=row.price_source_url,
                    checked_on=row.price_checked_on,
                ),
                checks_total=row.checks_total,
                checks_agreeing=row.checks_agreeing,
                checks_on=row.checks_on,
                own_limits=formatting.provider_limits_note(
                    own_context_window=own_limit(row.context_window, model.context_window),
                    own_max_output_tokens=own_limit(row.max_output_tokens, model.max_output_tokens),
                    model_context_window=model.context_window,
                    model_max_output_tokens=model.max_output_tokens,
                ),
            )
        )

    history: dict[int, list[PricePoint]] = {pk: [] for pk in names}
    for offering_id, *point in history_rows:
        history[offering_id].append(tuple(point))

    release = model.release_date
    scores = tuple(
        ScoreRow(
            benchmark=benchmark_name(row.benchmark_name, row.variant),
            scale=row.scale,
            score=row.score,
            source_url=row.source_url,
            measured_on=row.measured_on,
            reported_by=row.reported_by,
            attribution=row.attribution,
            is_preview_result=recorded_before_release(row.measured_on, release),
        )
        for row in score_rows
    )
    sources = tuple(
        SourceRow(url=url, title=title) for _model_id, url, title, _retrieved_on in source_rows
    )
    return ModelPage(
        offerings=tuple(offerings),
        scores=scores,
        sources=sources,
        history_chart=price_history_chart(
            [(names[pk], points) for pk, points in history.items()], today=today
        ),
    )
