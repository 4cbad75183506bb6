"""Read paths for pages and the API: one queryset per need, joins chosen up front so a
page runs a fixed number of queries whatever the catalog size."""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.db.models import (
    Count,
    DecimalField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Lower
from django.utils import timezone

from catalog.charts import OTHER_PRICES
from catalog.models import (
    MONEY,
    BenchmarkScore,
    LanguageModel,
    Offering,
    Price,
    Provider,
    buyable_offerings,
)
from catalog.prepared import PreparedRead
from sitecache.versioning import cached_for_catalog_version, version_memo


def visible_models(*, include_drafts: bool = False) -> QuerySet[LanguageModel]:
    """Published models, or every model for staff previews."""
    models = LanguageModel.objects.all()
    return models if include_drafts else models.published()


def models_by_slug(slugs: Iterable[str], *, include_drafts: bool = False) -> dict:
    """{slug: LanguageModel} with organisations, for the slugs that exist and are visible.

    Published models once read are kept in this process for the catalog version (every
    edit moves it), so a page whose models were seen since runs no query here: the query
    was a sixth of a warm comparison page (docs/benchmarks.md). The instances are shared
    by every request of that version: treat them as read-only. A slug no published model
    has is looked up each time, so unknown URLs cannot grow the memo; drafts (previews)
    are always read afresh."""
    slugs = set(slugs)
    if include_drafts:
        return _models_by_slug(slugs, include_drafts=True)
    known = version_memo("published-models-by-slug")
    found = {slug: known[slug] for slug in slugs if slug in known}
    if len(found) < len(slugs):
        read = _models_by_slug(slugs - found.keys(), include_drafts=False)
        known.update(read)
        found.update(read)
    return found


def _models_by_slug(slugs: set[str], *, include_drafts: bool) -> dict:
    return {
        model.slug: model
        for model in visible_models(include_drafts=include_drafts)
        .filter(slug__in=list(slugs))
        .select_related("organization")
    }


def with_cross_checks(offerings: QuerySet[Offering]) -> QuerySet[Offering]:
    """Annotate how many independent sources were checked against each offering, how
    many agree, and when they were last checked (price watch), in the same query."""
    return offerings.annotate(
        checks_total=Count("price_checks", distinct=True),
        checks_agreeing=Count("price_checks", filter=Q(price_checks__agrees=True), distinct=True),
        checks_on=Max("price_checks__checked_on"),
    )


def offerings_for_models(model_ids: Iterable[int]) -> QuerySet[Offering]:
    """Offerings with provider, current price and cross-check counts, for a set of
    models."""
    return with_cross_checks(
        Offering.objects.filter(model_id__in=list(model_ids))
        .select_related("provider", "current_price")
        .order_by("provider__name")
    )


def dated_prices(
    model_ids: Iterable[int], *, on: date | None = None, tier: str = Price.Tier.STANDARD
) -> QuerySet[Price]:
    """A service tier's prices of the models' offerings dated on or before `on` (today by
    default), newest first per offering and context threshold: the first of each is the
    one in force that day (prices_in_force)."""
    on = on or timezone.localdate()
    return Price.objects.filter(
        offering__model_id__in=list(model_ids), tier=tier, effective_date__lte=on
    ).order_by("offering_id", "context_threshold", "-effective_date")


def prices_in_force(
    model_ids: Iterable[int], *, on: date | None = None, tier: str = Price.Tier.STANDARD
) -> dict[tuple[int, int], Price]:
    """{(offering id, context threshold): the price in force on `on`} for a service tier:
    the base price (threshold 0) and any long-context prices. One query."""
    in_force: dict[tuple[int, int], Price] = {}
    for price in dated_prices(model_ids, on=on, tier=tier):
        in_force.setdefault((price.offering_id, price.context_threshold), price)
    return in_force


def tier_prices(model_ids: Iterable[int]) -> QuerySet[Price]:
    """Every standard-tier long-context price (threshold > 0) of the models' offerings,
    those dated later included, newest first per offering and threshold: the reader
    keeps the first dated by its day, and learns from the others when that changes."""
    return Price.objects.filter(
        offering__model_id__in=list(model_ids),
        tier=Price.Tier.STANDARD,
        context_threshold__gt=0,
    ).order_by("offering_id", "context_threshold", "-effective_date")


def scores_for_models(model_ids: Iterable[int]) -> QuerySet[BenchmarkScore]:
    return (
        BenchmarkScore.objects.filter(model_id__in=list(model_ids))
        .select_related("benchmark")
        .order_by("benchmark__name", "benchmark__variant")
    )


def source_links_for_models(model_ids: Iterable[int]) -> QuerySet:
    """Rows of the model-source link table with their sources."""
    through = LanguageModel.sources.through
    return (
        through.objects.filter(languagemodel_id__in=list(model_ids))
        .select_related("source")
        .order_by("source__title", "source__url")
    )


# The snapshot reads (comparisons.snapshot.model_snapshots): the querysets above as
# prepared plain SQL (catalog.prepared), rows of the fields named, in that order.
SNAPSHOT_OFFERING_FIELDS = (
    "pk",
    "model_id",
    "provider__name",
    "provider__slug",
    "provider__url",
    "provider__maker_id",
    "url",
    "provider_model_id",
    "lifecycle",
    "context_window",
    "max_output_tokens",
    "current_price_id",
    "current_price__input",
    "current_price__output",
    "current_price__cache_read",
    "current_price__cache_write",
    "current_price__effective_date",
    "current_price__checked_on",
    "current_price__source_url",
    # Annotations come last: the SQL selects them after the fields.
    "checks_total",
    "checks_agreeing",
    "checks_on",
)


class SnapshotOffering(NamedTuple):
    """A row of `snapshot_offering_rows`: SNAPSHOT_OFFERING_FIELDS, in that order."""

    pk: int
    model_id: int
    provider_name: str
    provider_slug: str
    provider_url: str
    maker_id: int | None
    offering_url: str
    provider_model_id: str
    lifecycle: str
    context_window: int | None
    max_output_tokens: int | None
    price_id: int | None
    price_input: Decimal | None
    price_output: Decimal | None
    price_cache_read: Decimal | None
    price_cache_write: Decimal | None
    price_effective_date: date | None
    price_checked_on: date | None
    price_source_url: str | None
    checks_total: int
    checks_agreeing: int
    checks_on: date | None


snapshot_offering_rows = PreparedRead(
    lambda ids, _on: offerings_for_models(ids).values_list(*SNAPSHOT_OFFERING_FIELDS),
    row=SnapshotOffering._make,
)
SNAPSHOT_TIER_FIELDS = (
    "offering_id",
    "offering__model_id",
    "context_threshold",
    "effective_date",
    "input",
    "output",
    "cache_read",
)
snapshot_tier_rows = PreparedRead(
    lambda ids, _on: tier_prices(ids).values_list(*SNAPSHOT_TIER_FIELDS)
)
SNAPSHOT_SCORE_FIELDS = (
    "model_id",
    "benchmark__slug",
    "benchmark__name",
    "benchmark__variant",
    "benchmark__metric",
    "benchmark__scale",
    "benchmark__higher_is_better",
    "score",
    "self_reported",
    "source_url",
    "measured_on",
    "reported_by",
    "attribution",
)


class SnapshotScore(NamedTuple):
    """A row of `snapshot_score_rows`: SNAPSHOT_SCORE_FIELDS, in that order."""

    model_id: int
    benchmark_slug: str
    benchmark_name: str
    variant: str
    metric: str
    scale: str
    higher_is_better: bool
    score: Decimal
    self_reported: bool
    source_url: str
    measured_on: date | None
    reported_by: str
    attribution: str


snapshot_score_rows = PreparedRead(
    lambda ids, _on: scores_for_models(ids).values_list(*SNAPSHOT_SCORE_FIELDS),
    row=SnapshotScore._make,
)
SNAPSHOT_SOURCE_FIELDS = (
    "languagemodel_id",
    "source__url",
    "source__title",
    "source__retrieved_on",
)
snapshot_source_rows = PreparedRead(
    lambda ids, _on: source_links_for_models(ids).values_list(*SNAPSHOT_SOURCE_FIELDS)
)


def base_price_history(model_ids: Iterable[int], *, on: date) -> QuerySet[Price]:
    """Every standard base price (threshold 0) of the models' offerings dated on or
    before `on`, oldest first per offering: the model page's price history."""
    return Price.objects.filter(
        offering__model_id__in=list(model_ids),
        tier=Price.Tier.STANDARD,
        context_threshold=0,
        effective_date__lte=on,
    ).order_by("offering_id", "effective_date")


# The model page's (catalog.model_page): (offering id, effective date, input, output,
# then the other price columns in the order of catalog.charts.OTHER_PRICES).
base_price_history_rows = PreparedRead(
    lambda ids, on: base_price_history(ids, on=on).values_list(
        "offering_id", "effective_date", "input", "output", *OTHER_PRICES
    )
)


PRICE_FIELD = DecimalField(**MONEY)


def cheapest_buyable_price(field: str) -> Subquery:
    """The lowest current `field` price ("input" or "output") over a model's offerings
    that can be bought (catalog.models.BUYABLE_LIFECYCLES), None when none has a price:
    the one definition of a model's cheapest price, annotated on LanguageModel querysets
    by the models list, related pairs, the admin and the API.

    A correlated subquery rather than an aggregate over a join: it needs no GROUP BY, so
    filters and the API's keyset cursors compare it in WHERE, and other annotations
    (counts) are not multiplied by the join."""
    return Subquery(
        Offering.objects.filter(
            buyable_offerings(), model=OuterRef("pk"), current_price__isnull=False
        )
        .order_by()
        .values("model")
        .annotate(cheapest=Min(f"current_price__{field}"))
        .values("cheapest"),
        output_field=PRICE_FIELD,
    )


def with_cheapest_prices(models: QuerySet[LanguageModel]) -> QuerySet[LanguageModel]:
    """Annotate the lowest current input and output price over a model's offerings that
    can be bought (cheapest_buyable_price) and how many offerings it has."""
    return models.annotate(
        cheapest_input=cheapest_buyable_price("input"),
        cheapest_output=cheapest_buyable_price("output"),
        provider_count=Count("offerings", distinct=True),
    )


def model_list(*, include_drafts: bool = False) -> QuerySet[LanguageModel]:
    """The models list before filtering: organisation joined, cheapest prices annotated."""
    return with_cheapest_prices(
        visible_models(include_drafts=include_drafts).select_related("organization")
    ).order_by(Lower("name"), "pk")


@dataclass(frozen=True)
class CompareCandidate:
    """What "compare with" needs to know of a model: a row of `compare_candidates`."""

    pk: int
    slug: str
    name: str
    organization_id: int
    output_modalities: str
    provider_count: int
    # 70/30 input/output blend of its cheapest buyable prices (blend_of), or None.
    blend: float | None


def candidate_rows(models: QuerySet[LanguageModel]) -> list[CompareCandidate]:
    """`models` as CompareCandidate rows, newest first (then by name). One query."""
    rows = (
        with_cheapest_prices(models)
        .only("name", "slug", "organization_id", "release_date", "output_modalities")
        .order_by("-release_date", "name")
    )
    return [
        CompareCandidate(
            pk=m.pk,
            slug=m.slug,
            name=m.name,
            organization_id=m.organization_id,
            output_modalities=m.output_modalities,
            provider_count=m.provider_count,
            blend=blend_of(m),
        )
        for m in rows
    ]


def published_candidate_index() -> CandidateIndex:
    """Every published model as a CompareCandidate, arranged for compare_candidates, kept
    per catalog version: the rows do not depend on the page, and reading 500 of them
    was most of a model page's time (docs/benchmarks.md, "Profile: uncached comparison
    page"). Shared: read-only."""
    return cached_for_catalog_version(
        "compare-candidates",
        lambda: CandidateIndex(candidate_rows(LanguageModel.objects.published())),
    )


def compare_candidates(
    model: LanguageModel, *, same_maker: int = 4, limit: int = 8
) -> list[CompareCandidate]:
    """Other published models to offer "compare with" links to: up to `same_maker` of the
    same organisation (newest first), then the nearest rivals of other makers, one per
    maker: first those with the same output modalities (a text model's rivals write text),
    nearest in a 70/30 input/output blend of their cheapest buyable prices (by ratio, so
    $1 is as near to $2 as $10 to $20), the more widely offered first among equals;
    models without a price, or all of them when this one has none, after, newest first.
    No query for a published model (the rows are kept per catalog version), one for a
    draft."""
    if model.is_published:
        index = published_candidate_index()
    else:
        index = CandidateIndex(
            candidate_rows(
                LanguageModel.objects.filter(
                    Q(pk=model.pk) | Q(status=LanguageModel.Status.PUBLISHED)
                )
            )
        )
    rows = index.rows
    pk, maker, modalities = model.pk, model.organization_id, model.output_modalities
    me = index.position.get(pk)
    mine = rows[me].blend if me is not None else None
    chosen = [rows[n] for n in index.by_maker.get(maker, ()) if n != me][:same_maker]

    # The nearest of each other maker: what sorting every row by nearness and taking
    # makers in turn gives (ties go to the first in `rows`, newest first), without
    # looking at every row: each maker's rows are kept by price (CandidateIndex).
    nearest = []
    for other_maker in index.by_maker:
        if other_maker == maker:
            continue
        pool = index.pools.get((other_maker, modalities))
        mismatch = pool is None  # none of this maker's models has the same modalities
        if mismatch:
            pool = index.pools[other_maker, None]
        distance, providers, position = pool.nearest(mine)
        nearest.append(((mismatch, distance, providers, position), rows[position]))
    room = max(limit - len(chosen), 0)
    chosen.extend(other for _key, other in sorted(nearest, key=first)[:room])
    return chosen


# Two rows whose blends are this close in log scale are both weighed exactly.
_LOG_SLACK = 1e-9


class _Pool:
    """Rows of one maker (of one set of output modalities, or all), for finding the
    nearest in price: the priced ones by the log of their blend, and the best of all
    when nearness cannot tell them apart."""

    __slots__ = ("logs", "priced", "best_any")

    def __init__(self, rows: list[CompareCandidate], positions: list[int]):
        priced = sorted(
            (math.log(rows[n].blend), rows[n].blend, -rows[n].provider_count, n)
            for n in positions
            if rows[n].blend  # None or 0: no nearness
        )
        self.logs = [entry[0] for entry in priced]
        self.priced = priced
        # Without prices to compare, the more widely offered, then the newest, first.
        self.best_any = min((-rows[n].provider_count, n) for n in positions)

    def nearest(self, mine: float | None) -> tuple[float, int, int]:
        """(distance, -providers, position) of the row nearest in price to `mine`: the
        same key compare_candidates' definition sorts by (the distance is
        |log(price / mine)|, infinite without a price on either side)."""
        if not mine or not self.priced:
            return (math.inf, *self.best_any)
        target = math.log(mine)
        logs = self.logs
        at = bisect.bisect_left(logs, target)
        closest = min(abs(logs[n] - target) for n in (at - 1, at) if 0 <= n < len(logs))
        # Every row about as near (equal blends, or equal ratios on both sides), weighed
        # by the definition's own arithmetic, so rounding cannot reorder ties.
        low, high = at, at
        while low > 0 and target - logs[low - 1] <= closest + _LOG_SLACK:
            low -= 1
        while high < len(logs) and logs[high] - target <= closest + _LOG_SLACK:
            high += 1
        return min(
            (abs(math.log(price / mine)), providers, position)
            for _log, price, providers, position in self.priced[low:high]
        )


class CandidateIndex:
    """The rows of compare_candidates (newest first) arranged for it: each row's
    position, each maker's rows and their price pools, per set of output modalities
    (maker, modalities) and in all (maker, None)."""

    def __init__(self, rows: list[CompareCandidate]):
        self.rows = rows
        self.position = {row.pk: n for n, row in enumerate(rows)}
        self.by_maker: dict[int, list[int]] = {}
        by_modalities: dict[tuple[int, str], list[int]] = {}
        for n, row in enumerate(rows):
            self.by_maker.setdefault(row.organization_id, []).append(n)
            by_modalities.setdefault((row.organization_id, row.output_modalities), []).append(n)
        self.pools: dict[tuple[int, str | None], _Pool] = {
            (maker, None): _Pool(rows, positions) for maker, positions in self.by_maker.items()
        }
        for key, positions in by_modalities.items():
            self.pools[key] = _Pool(rows, positions)


def first(pair: tuple):
    return pair[0]


def blend_of(model: LanguageModel) -> float | None:
    """70/30 input/output blend of a with_cheapest_prices row, or None without both."""
    if model.cheapest_input is None or model.cheapest_output is None:
        return None
    return float(model.cheapest_input) * 0.7 + float(model.cheapest_output) * 0.3


def provider_detail(slug: str) -> Provider | None:
    """A provider with its offerings of published models and their current prices."""
    return (
        Provider.objects.filter(slug=slug)
        .prefetch_related(
            Prefetch(
                "offerings",
                queryset=Offering.objects.filter(model__status=LanguageModel.Status.PUBLISHED)
                .select_related("model", "model__organization", "current_price")
                .order_by("model__name"),
            )
        )
        .first()
    )


def newest_models(*, limit: int = 6) -> list[LanguageModel]:
    return list(
        LanguageModel.objects.published()
        .select_related("organization")
        .order_by("-release_date", "name")[:limit]
    )


def published_slugs_page(*, offset: int, limit: int) -> list[str]:
    return list(
        LanguageModel.objects.published()
        .order_by("slug")
        .values_list("slug", flat=True)[offset : offset + limit]
    )
