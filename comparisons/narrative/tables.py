"""The comparison's tables: one row per fact, a cell per model, never empty."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from catalog.formatting import (
    DASH,
    NOT_DISCLOSED,
    cross_check_sentence,
    format_date,
    format_month,
    format_parameters,
    format_price_per_million,
    format_tokens,
    format_usd,
    pluralize,
    provider_limits_note,
    score_number,
)
from catalog.models import Lifecycle, Modality
from comparisons.narrative.document import (
    BenchmarkRow,
    Cell,
    LineupRow,
    Link,
    ProviderPriceRow,
    Row,
)
from comparisons.narrative.prices import PriceChoice, as_stored
from comparisons.per_snapshot import remembered_for
from comparisons.pricing import BlendRatio
from comparisons.snapshot import ModelSnapshot, OfferingSnapshot, ScoreSnapshot

NOT_PUBLISHED = "— not published"
NOT_REPORTED = "— not reported"
MODALITY_LABELS = dict(Modality.choices)
LIFECYCLE_LABELS = dict(Lifecycle.choices)
REPORTED_BY = {
    "maker": "self-reported",
    "competitor": "from a competitor's announcement",
    "independent": "independently measured",
}


def format_score(value: Decimal, reported_by: str, *, preview: bool = False) -> str:
    """ "71.3 (self-reported)"; a result recorded before the release says so."""
    text = score_number(value)
    provenance = REPORTED_BY.get(reported_by, REPORTED_BY["maker"])
    return f"{text} ({provenance}{', preview result' if preview else ''})"


def yes_no(value: bool | None) -> str:
    if value is None:
        return NOT_DISCLOSED
    return "Yes" if value else "No"


def or_not_disclosed(text: str) -> str:
    return text if text and text != DASH else NOT_DISCLOSED


def modality_list(modalities: tuple[str, ...]) -> str:
    return ", ".join(MODALITY_LABELS.get(m, m.capitalize()) for m in modalities)


def shared_scores(a: ModelSnapshot, b: ModelSnapshot) -> list[tuple[ScoreSnapshot, ScoreSnapshot]]:
    """[(score_a, score_b)] for benchmarks both models have, in benchmark order."""
    by_slug = {s.benchmark_slug: s for s in b.scores}
    return [(s, by_slug[s.benchmark_slug]) for s in a.scores if s.benchmark_slug in by_slug]


def lineup_scores(models: Sequence[ModelSnapshot]) -> list[tuple[ScoreSnapshot | None, ...]]:
    """A tuple of scores (one per model, None where a model has none) for each benchmark
    at least two of `models` have, in the order the models list them. For two models
    these are `shared_scores`."""
    by_model = [{s.benchmark_slug: s for s in m.scores} for m in models]
    order = list(dict.fromkeys(s.benchmark_slug for m in models for s in m.scores))
    rows = [tuple(scores.get(slug) for scores in by_model) for slug in order]
    return [row for row in rows if sum(score is not None for score in row) >= 2]


def pair_rows(rows: Iterable[LineupRow]) -> tuple[Row, ...]:
    return tuple(row.as_pair_row() for row in rows)


def spec_table(models: Sequence[ModelSnapshot]) -> tuple[LineupRow, ...]:
    def tokens(value: int | None) -> str:
        return f"{format_tokens(value)} tokens" if value else NOT_DISCLOSED

    def row(label: str, fn, field: str | None = None) -> LineupRow:
        return LineupRow(label=label, cells=tuple(Cell(fn(m)) for m in models), field=field)

    return (
        row("Organisation", lambda m: m.organization_name),
        row(
            "Released",
            lambda m: or_not_disclosed(format_date(m.release_date)),
            "release_date",
        ),
        row("Status", lambda m: LIFECYCLE_LABELS.get(m.lifecycle, m.lifecycle.title())),
        row("Context window", lambda m: tokens(m.context_window), "context_window"),
        row("Max output", lambda m: tokens(m.max_output_tokens), "max_output_tokens"),
        row("Parameters", lambda m: format_parameters(m.parameter_count), "parameter_count"),
        row("Architecture", lambda m: or_not_disclosed(m.architecture)),
        row("Licence", lambda m: or_not_disclosed(m.license)),
        row("Open weights", lambda m: yes_no(m.open_weights)),
        row(
            "Knowledge cutoff",
            lambda m: or_not_disclosed(format_month(m.knowledge_cutoff)),
            "knowledge_cutoff",
        ),
        row("Input modalities", lambda m: or_not_disclosed(modality_list(m.input_modalities))),
        row("Output modalities", lambda m: or_not_disclosed(modality_list(m.output_modalities))),
    )


def spec_rows(a: ModelSnapshot, b: ModelSnapshot) -> tuple[Row, ...]:
    return pair_rows(spec_table((a, b)))


def provider_links(model: ModelSnapshot) -> tuple[Link, ...]:
    return tuple(Link(text=o.provider_name, url=o.link) for o in model.offerings)


def pricing_table(
    models: Sequence[ModelSnapshot],
    choices: Sequence[PriceChoice | None],
    blend: BlendRatio,
) -> tuple[LineupRow, ...]:
    """The quoted prices, a cell per model with its `price_choice`; the
    cheapest-provider cell names every provider at that price (the maker's own first),
    and the cached price names its provider when it is another of those than the
    first. Each figure row's `field` names its value in ComparedModel
    (builder.compared_model)."""

    def price(choice: PriceChoice | None, field: str) -> str:
        return format_price_per_million(getattr(choice, field)) if choice else NOT_PUBLISHED

    def cached(choice: PriceChoice | None) -> str:
        if choice is None or choice.cache_read is None:
            return NOT_PUBLISHED
        text = format_price_per_million(choice.cache_read)
        if choice.cache_read_elsewhere:
            text += f" on {choice.cache_read_from.provider_name}"
        return text

    def cheapest(choice: PriceChoice | None) -> Cell:
        links = tuple(Link(o.provider_name, o.link) for o in choice.ties) if choice else ()
        if choice is None:
            return Cell(NOT_PUBLISHED, links)
        if len(choice.ties) == 1:
            return Cell(choice.provider_name, links)
        return Cell(f"{pluralize(len(choice.ties), 'provider')} at the same price", links)

    def blended(choice: PriceChoice | None) -> str:
        return format_price_per_million(choice.blended(blend)) if choice else NOT_PUBLISHED

    def row(label: str, fn, field: str) -> LineupRow:
        return LineupRow(label, tuple(Cell(fn(choice)) for choice in choices), field=field)

    return (
        LineupRow("Cheapest provider", tuple(cheapest(choice) for choice in choices)),
        row("Input price", lambda choice: price(choice, "input"), "input_usd_per_mtok"),
        row("Output price", lambda choice: price(choice, "output"), "output_usd_per_mtok"),
        row("Cached input price", cached, "cached_input_usd_per_mtok"),
        row(f"Blended price ({blend.label} input/output)", blended, "blended_usd_per_mtok"),
        LineupRow(
            "Providers",
            tuple(Cell(pluralize(len(m.offerings), "provider"), provider_links(m)) for m in models),
            field="provider_count",
        ),
    )


def pricing_rows(
    a: ModelSnapshot,
    b: ModelSnapshot,
    choice_a: PriceChoice | None,
    choice_b: PriceChoice | None,
    blend: BlendRatio,
) -> tuple[Row, ...]:
    return pair_rows(pricing_table((a, b), (choice_a, choice_b), blend))


def provider_price_rows(a: ModelSnapshot, b: ModelSnapshot) -> tuple[ProviderPriceRow, ...]:
    """Every offering of both models, priced or not, model by model, with the
    provider's own context window and max output where they differ from the model's.
    A model's rows depend on that model alone: made once per snapshot."""
    return model_price_rows(a) + model_price_rows(b)


def model_price_rows(model: ModelSnapshot) -> tuple[ProviderPriceRow, ...]:
    return remembered_for(model, "provider-price-rows", lambda: _model_price_rows(model))


def _model_price_rows(model: ModelSnapshot) -> tuple[ProviderPriceRow, ...]:
    def money(value: Decimal | None) -> str:
        return NOT_PUBLISHED if value is None else format_usd(value)

    def limits(offering: OfferingSnapshot) -> dict:
        note = provider_limits_note(
            own_context_window=offering.context_window,
            own_max_output_tokens=offering.max_output_tokens,
            model_context_window=model.context_window,
            model_max_output_tokens=model.max_output_tokens,
        )
        return {"limits": note, "own_limits": True} if note else {}

    return tuple(
        ProviderPriceRow(
            model_name=model.name,
            provider=Link(offering.provider_name, offering.link),
            input=money(offering.input),
            output=money(offering.output),
            cached_input=money(offering.cache_read),
            checked_on=format_date(offering.price_checked_on)
            if offering.price_checked_on
            else NOT_PUBLISHED,
            cross_check=cross_check_sentence(
                offering.sources_checked, offering.sources_agreeing, offering.cross_checked_on
            ),
            **limits(offering),
            input_usd_per_mtok=as_stored(offering.input),
            output_usd_per_mtok=as_stored(offering.output),
            cached_input_usd_per_mtok=as_stored(offering.cache_read),
            checked_on_date=offering.price_checked_on,
            context_window=model.context_window_on(offering),
            max_output_tokens=model.max_output_tokens_on(offering),
            sources_checked=offering.sources_checked,
            sources_agreeing=offering.sources_agreeing,
            cross_checked_on=offering.cross_checked_on,
            source_url=offering.price_source_url,
        )
        for offering in model.offerings
    )


def capability_table(models: Sequence[ModelSnapshot]) -> tuple[LineupRow, ...]:
    return tuple(
        LineupRow(label=label, cells=tuple(Cell(yes_no(m.capability(key))) for m in models))
        for key, label, _value in models[0].capabilities
    )


def capability_rows(a: ModelSnapshot, b: ModelSnapshot) -> tuple[Row, ...]:
    return pair_rows(capability_table((a, b)))


def benchmark_table(
    scored: Iterable[tuple[ScoreSnapshot | None, ...]],
) -> tuple[LineupRow, ...]:
    """A row per benchmark (`lineup_scores`), a cell per model; a model without the
    score reads "— not reported"."""
    rows = []
    for scores in scored:
        first = next(score for score in scores if score is not None)
        direction = "higher is better" if first.higher_is_better else "lower is better"
        rows.append(
            LineupRow(
                label=f"{first.label} — {first.metric}, {first.scale}, {direction}",
                cells=tuple(
                    Cell(
                        NOT_REPORTED
                        if score is None
                        else format_score(score.score, score.provenance, preview=score.preview)
                    )
                    for score in scores
                ),
            )
        )
    return tuple(rows)


def benchmark_rows(
    shared: Iterable[tuple[ScoreSnapshot, ScoreSnapshot]],
) -> tuple[BenchmarkRow, ...]:
    """A row per benchmark both models have (`shared_scores`): `benchmark_table`'s row,
    with both scores as numbers beside their text."""
    shared = list(shared)
    return tuple(
        BenchmarkRow(
            label=row.label,
            a=row.cells[0].text,
            b=row.cells[1].text,
            benchmark=score_a.benchmark_slug,
            metric=score_a.metric,
            scale=score_a.scale,
            higher_is_better=score_a.higher_is_better,
            a_score=float(score_a.score),
            b_score=float(score_b.score),
        )
        for (score_a, score_b), row in zip(shared, benchmark_table(shared), strict=True)
    )
