"""Plain, frozen pictures of two models, built from the ORM in exactly one place.

Everything downstream (pricing maths, generated text, templates, the API) reads these
dataclasses and never the ORM, so the text can be tested without a database.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from catalog import selectors
from catalog.models import (
    BUYABLE_LIFECYCLES,
    CAPABILITIES,
    LanguageModel,
    own_limit,
    recorded_before_release,
)
from catalog.prepared import read_together
from comparisons.models import Comparison, canonical_lineup, canonical_pair
from comparisons.page_dependencies import shows_comparison, shows_models
from comparisons.pricing import ContextTier, Rates
from sitecache.versioning import (
    RequestVersion,
    cached_for_catalog_version,
    request_version,
    stamped_memo,
)


@dataclass(frozen=True)
class SourceSnapshot:
    url: str
    title: str = ""
    retrieved_on: date | None = None


@dataclass(frozen=True)
class OfferingSnapshot:
    """A model on one provider with the price in force today (standard tier)."""

    provider_name: str
    provider_slug: str
    provider_url: str = ""
    offering_url: str = ""
    provider_model_id: str = ""
    lifecycle: str = "ga"
    # The maker's own API (Provider.maker is the model's organisation).
    first_party: bool = False
    input: Decimal | None = None
    output: Decimal | None = None
    cache_read: Decimal | None = None
    cache_write: Decimal | None = None
    price_effective_date: date | None = None
    price_checked_on: date | None = None
    price_source_url: str = ""
    tiers: tuple[ContextTier, ...] = ()
    # This provider's own limits where they differ from the model's; None: the model's.
    context_window: int | None = None
    max_output_tokens: int | None = None
    # Price watch: independent sources compared with this offering, and when.
    sources_checked: int = 0
    sources_agreeing: int = 0
    cross_checked_on: date | None = None

    @property
    def has_price(self) -> bool:
        return self.input is not None and self.output is not None

    @property
    def is_buyable(self) -> bool:
        """Whether it can count as the model's cheapest (catalog.models.BUYABLE_LIFECYCLES)."""
        return self.lifecycle in BUYABLE_LIFECYCLES

    @property
    def rates(self) -> Rates | None:
        if not self.has_price:
            return None
        return Rates(input=self.input, output=self.output, cache_read=self.cache_read)

    @property
    def link(self) -> str:
        return self.offering_url or self.provider_url


@dataclass(frozen=True)
class ScoreSnapshot:
    benchmark_slug: str
    benchmark_name: str
    score: Decimal
    variant: str = ""
    metric: str = "accuracy"
    scale: str = "0-100"
    higher_is_better: bool = True
    self_reported: bool = True
    source_url: str = ""
    measured_on: date | None = None
    # "maker", "competitor" or "independent" (BenchmarkScore.ReportedBy); empty: follow
    # self_reported.
    reported_by: str = ""
    attribution: str = ""
    # Recorded before the model's release (a preview build's result).
    preview: bool = False

    @property
    def label(self) -> str:
        """ "SWE-bench (Verified)"; a variant's own brackets become a comma, so a label
        never nests them: "Terminal-Bench (2.1, Terminus-2 harness)"."""
        if not self.variant:
            return self.benchmark_name
        variant = re.sub(r"\s*\(([^()]*)\)", r", \1", self.variant).strip(", ")
        return f"{self.benchmark_name} ({variant})"

    @property
    def provenance(self) -> str:
        """Who published the figure: "maker", "competitor" or "independent"."""
        return self.reported_by or ("maker" if self.self_reported else "independent")


@dataclass(frozen=True)
class ModelSnapshot:
    slug: str
    name: str
    organization_name: str
    organization_slug: str = ""
    is_draft: bool = False
    lifecycle: str = "ga"
    release_date: date | None = None
    context_window: int | None = None
    max_output_tokens: int | None = None
    parameter_count: int | None = None
    architecture: str = ""
    license: str = ""
    open_weights: bool | None = None
    knowledge_cutoff: date | None = None
    input_modalities: tuple[str, ...] = ()
    output_modalities: tuple[str, ...] = ()
    # (key, label, value) in CAPABILITIES order; None means not disclosed.
    capabilities: tuple[tuple[str, str, bool | None], ...] = ()
    last_reviewed: date | None = None
    sources: tuple[SourceSnapshot, ...] = ()
    offerings: tuple[OfferingSnapshot, ...] = ()
    scores: tuple[ScoreSnapshot, ...] = ()

    def capability(self, key: str) -> bool | None:
        for name, _label, value in self.capabilities:
            if name == key:
                return value
        return None

    @property
    def priced_offerings(self) -> tuple[OfferingSnapshot, ...]:
        """Offerings with a current price that can be bought: what the cheapest price, the
        workload calculator and the price chart use. Retired and deprecated offerings
        (catalog.models.BUYABLE_LIFECYCLES) stay in `offerings`, so the availability
        table still lists them."""
        return tuple(o for o in self.offerings if o.has_price and o.is_buyable)

    def context_window_on(self, offering: OfferingSnapshot) -> int | None:
        """The context window a request has on `offering`: the provider's own where it
        has one, else the model's."""
        return offering.context_window or self.context_window

    def max_output_tokens_on(self, offering: OfferingSnapshot) -> int | None:
        return offering.max_output_tokens or self.max_output_tokens


@dataclass(frozen=True)
class PairSnapshot:
    """Two models in canonical (slug) order plus the editor's layer, if any."""

    a: ModelSnapshot
    b: ModelSnapshot
    editor_note: str = ""
    verdict_override: str = ""
    noindex: bool = False
    featured: bool = False

    @property
    def is_draft(self) -> bool:
        return self.a.is_draft or self.b.is_draft

    @property
    def path_slug(self) -> str:
        return f"{self.a.slug}-vs-{self.b.slug}"


@dataclass(frozen=True)
class LineupSnapshot:
    """Two or more models side by side, in canonical (slug) order."""

    models: tuple[ModelSnapshot, ...]

    @property
    def is_draft(self) -> bool:
        return any(m.is_draft for m in self.models)

    @property
    def path_slug(self) -> str:
        return "-vs-".join(m.slug for m in self.models)


def capabilities_of(model: LanguageModel) -> tuple[tuple[str, str, bool | None], ...]:
    return tuple((key, label, getattr(model, key)) for key, label in CAPABILITIES)


def model_snapshot(
    model: LanguageModel,
    *,
    offerings: tuple[OfferingSnapshot, ...] = (),
    scores: tuple[ScoreSnapshot, ...] = (),
    sources: tuple[SourceSnapshot, ...] = (),
) -> ModelSnapshot:
    return ModelSnapshot(
        slug=model.slug,
        name=model.name,
        organization_name=model.organization.name,
        organization_slug=model.organization.slug,
        is_draft=not model.is_published,
        lifecycle=model.lifecycle,
        release_date=model.release_date,
        context_window=model.context_window,
        max_output_tokens=model.max_output_tokens,
        parameter_count=model.parameter_count,
        architecture=model.architecture,
        license=model.license,
        open_weights=model.open_weights,
        knowledge_cutoff=model.knowledge_cutoff,
        input_modalities=tuple(model.input_modality_list),
        output_modalities=tuple(model.output_modality_list),
        capabilities=capabilities_of(model),
        last_reviewed=model.last_reviewed,
        sources=sources,
        offerings=offerings,
        scores=scores,
    )


def build_pair_snapshot(
    slug_a: str,
    slug_b: str,
    *,
    include_drafts: bool = False,
    models: dict[str, LanguageModel] | None = None,
) -> PairSnapshot | None:
    """The pair in canonical order, or None when either slug is unknown, not visible
    (drafts need `include_drafts`), or both are the same model.

    Runs at most 5 queries (models, offerings with current prices, long-context tiers,
    scores, sources) plus one for the Comparison rows; pass `models` (from
    `selectors.models_by_slug`) to skip the first. A model's own part does not depend on
    the pair, so it is kept per model stamp and day and shared by every pair that model
    is in, and the Comparison rows are kept per catalog version: a warm page runs no
    query here.
    """
    with one_version_read():
        return _pair_snapshot(slug_a, slug_b, include_drafts=include_drafts, models=models)


@contextmanager
def one_version_read():
    """Outside a request (which reads the catalog version once for all it does), let the
    memos below share one read of it."""
    if request_version.get() is not None:
        yield
        return
    token = request_version.set(RequestVersion())
    try:
        yield
    finally:
        request_version.reset(token)


def _pair_snapshot(
    slug_a: str, slug_b: str, *, include_drafts: bool, models: dict[str, LanguageModel] | None
) -> PairSnapshot | None:
    slug_a, slug_b = canonical_pair(slug_a, slug_b)
    if slug_a == slug_b:
        return None
    if models is None or slug_a not in models or slug_b not in models:
        models = selectors.models_by_slug([slug_a, slug_b], include_drafts=include_drafts)
    if slug_a not in models or slug_b not in models:
        return None
    pair = (models[slug_a], models[slug_b])
    if not include_drafts and not all(m.is_published for m in pair):
        return None
    snapshot_a, snapshot_b = remembered_snapshots(pair)
    editorial = editorial_layers().get((pair[0].pk, pair[1].pk))
    shows_comparison(pair[0].pk, pair[1].pk, editorial)
    return PairSnapshot(
        a=snapshot_a,
        b=snapshot_b,
        editor_note=editorial.editor_note if editorial else "",
        verdict_override=editorial.verdict_override if editorial else "",
        noindex=editorial.noindex if editorial else False,
        featured=editorial.featured if editorial else False,
    )


@dataclass(frozen=True)
class EditorialLayer:
    """What an editor set on a pair (its Comparison row)."""

    pk: int
    updated_at: datetime
    editor_note: str
    verdict_override: str
    noindex: bool
    featured: bool


def editorial_layers() -> dict[tuple[int, int], EditorialLayer]:
    """Every Comparison row's editorial layer by (model_a id, model_b id), kept per
    catalog version (a Comparison save or delete bumps it): few pairs have one, and
    asking for each page's own was a tenth of an uncached page (docs/benchmarks.md)."""

    def build() -> dict[tuple[int, int], EditorialLayer]:
        rows = Comparison.objects.values_list(
            "model_a_id",
            "model_b_id",
            "pk",
            "updated_at",
            "editor_note",
            "verdict_override",
            "noindex",
            "featured",
        )
        return {(a, b): EditorialLayer(*layer) for a, b, *layer in rows}

    return cached_for_catalog_version("editorial-layers", build)


def remembered_snapshots(models: Sequence[LanguageModel]) -> list[ModelSnapshot]:
    """Snapshots of `models`, in their order, kept per model while its stamps stay the
    same and until the next day one of its long-context prices takes effect: only models
    edited since, or with a price that took effect since, cost `model_snapshots`' 4
    queries. Records the models as what the page shows (comparisons.page_dependencies).

    The day is not part of the stamp: a snapshot's other prices are the offerings'
    current prices, which the daily `refresh_current_prices` moves with their models'
    stamps, so snapshots no longer go cold in every worker at midnight."""
    shows_models(models)
    known = stamped_memo("model-snapshots")
    day = timezone.localdate()
    # A draft's edits move no stamp (catalog.page_stamps): never kept.
    stamps = {m.pk: (m.updated_at, m.scores_changed_at) if m.is_published else None for m in models}
    found: dict[int, ModelSnapshot] = {}
    for m in models:
        kept = known.get(m.pk, stamps[m.pk]) if stamps[m.pk] is not None else None
        if kept is not None and (kept.until is None or day < kept.until):
            found[m.pk] = kept.snapshot
    missing = [m for m in models if m.pk not in found]
    if missing:
        built = dated_snapshots(missing, day)
        for m in missing:
            found[m.pk] = built[m.pk].snapshot
            if stamps[m.pk] is not None:
                known.put(m.pk, stamps[m.pk], built[m.pk])
    return [found[m.pk] for m in models]


@dataclass(frozen=True)
class DatedSnapshot:
    snapshot: ModelSnapshot
    # The first day a price of the model dated after the snapshot's day takes effect
    # (None: no such price): the snapshot holds until the day before.
    until: date | None


def build_lineup_snapshot(
    slugs: Sequence[str], *, models: dict[str, LanguageModel], include_drafts: bool = False
) -> LineupSnapshot | None:
    """Several models in canonical (slug) order, or None when a slug is not among
    `models` (from `selectors.models_by_slug`) or not visible (drafts need
    `include_drafts`). At most 4 queries, none when every model was seen today."""
    ordered = canonical_lineup(slugs)
    if any(slug not in models for slug in ordered):
        return None
    chosen = [models[slug] for slug in ordered]
    if not include_drafts and not all(m.is_published for m in chosen):
        return None
    return LineupSnapshot(models=tuple(remembered_snapshots(chosen)))


def model_snapshots(models: list[LanguageModel]) -> dict[str, ModelSnapshot]:
    """Snapshots of models with their offerings, tiers, scores and sources, as of today:
    4 queries whatever the number of models (prepared plain SQL: catalog.prepared), in
    one round trip on PostgreSQL."""
    built = dated_snapshots(models, timezone.localdate())
    return {m.slug: built[m.pk].snapshot for m in models}


def dated_snapshots(models: list[LanguageModel], day: date) -> dict[int, DatedSnapshot]:
    """`model_snapshots` as of `day`, by model id, each with the day it stops holding."""
    ids = [m.pk for m in models]
    tier_rows, offering_rows, score_rows, source_rows = read_together(
        (selectors.snapshot_tier_rows, ids, None),
        (selectors.snapshot_offering_rows, ids, None),
        (selectors.snapshot_score_rows, ids, None),
        (selectors.snapshot_source_rows, ids, None),
    )

    tiers: dict[int, dict[int, ContextTier]] = {}
    until: dict[int, date] = {}
    for (
        offering_id,
        model_id,
        threshold,
        effective_date,
        tier_input,
        tier_output,
        tier_cache_read,
    ) in tier_rows:
        if effective_date > day:  # not in force yet: the snapshot holds until then
            until[model_id] = min(effective_date, until.get(model_id, effective_date))
            continue
        by_threshold = tiers.setdefault(offering_id, {})
        # Newest first per threshold: keep the first in force.
        by_threshold.setdefault(
            threshold,
            ContextTier(
                threshold=threshold,
                rates=Rates(input=tier_input, output=tier_output, cache_read=tier_cache_read),
            ),
        )

    by_id = {m.pk: m for m in models}
    offerings: dict[int, list[OfferingSnapshot]] = {pk: [] for pk in ids}
    for row in offering_rows:
        model = by_id[row.model_id]
        offerings[row.model_id].append(
            OfferingSnapshot(
                provider_name=row.provider_name,
                provider_slug=row.provider_slug,
                provider_url=row.provider_url,
                offering_url=row.offering_url,
                provider_model_id=row.provider_model_id,
                lifecycle=row.lifecycle,
                first_party=row.maker_id is not None and row.maker_id == model.organization_id,
                input=row.price_input,
                output=row.price_output,
                cache_read=row.price_cache_read,
                cache_write=row.price_cache_write,
                price_effective_date=row.price_effective_date,
                price_checked_on=row.price_checked_on,
                price_source_url=row.price_source_url if row.price_id is not None else "",
                tiers=tuple(sorted(tiers.get(row.pk, {}).values(), key=lambda t: t.threshold)),
                context_window=own_limit(row.context_window, model.context_window),
                max_output_tokens=own_limit(row.max_output_tokens, model.max_output_tokens),
                sources_checked=row.checks_total,
                sources_agreeing=row.checks_agreeing,
                cross_checked_on=row.checks_on,
            )
        )

    release_dates = {m.pk: m.release_date for m in models}
    scores: dict[int, list[ScoreSnapshot]] = {pk: [] for pk in ids}
    for row in score_rows:
        release = release_dates.get(row.model_id)
        scores[row.model_id].append(
            ScoreSnapshot(
                benchmark_slug=row.benchmark_slug,
                benchmark_name=row.benchmark_name,
                variant=row.variant,
                metric=row.metric,
                scale=row.scale,
                higher_is_better=row.higher_is_better,
                score=row.score,
                self_reported=row.self_reported,
                source_url=row.source_url,
                measured_on=row.measured_on,
                reported_by=row.reported_by,
                attribution=row.attribution,
                preview=recorded_before_release(row.measured_on, release),
            )
        )

    sources: dict[int, list[SourceSnapshot]] = {pk: [] for pk in ids}
    for model_id, url, title, retrieved_on in source_rows:
        sources[model_id].append(SourceSnapshot(url=url, title=title, retrieved_on=retrieved_on))

    return {
        m.pk: DatedSnapshot(
            model_snapshot(
                m,
                offerings=tuple(offerings[m.pk]),
                scores=tuple(scores[m.pk]),
                sources=tuple(sources[m.pk]),
            ),
            until.get(m.pk),
        )
        for m in models
    }
