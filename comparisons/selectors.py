"""Read paths of the comparisons app: a pair or lineup from its URL, related pairs,
featured pairs, the pair picker's choices, the sitemap's pair sequence and the benchmark
leaderboards."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import cache

from django.db import connection
from django.db.models import Count, F, Max, Q, QuerySet
from django.db.models.functions import Lower
from django.http import Http404
from django.urls import reverse

from catalog import selectors as catalog_selectors
from catalog.models import CAPABILITIES, Benchmark, BenchmarkScore, LanguageModel
from catalog.pairs import compare_url
from catalog.selectors import with_cheapest_prices
from comparisons.forms import MOST_MODELS
from comparisons.leaderboard import BoardEntry
from comparisons.models import Comparison, canonical_lineup
from comparisons.narrative import cheapest_offering
from comparisons.page_dependencies import shows_nearest_prices
from comparisons.pricing import DEFAULT_BLEND, blended_price
from comparisons.snapshot import ModelSnapshot, PairSnapshot
from sitecache.versioning import cached_for_structure, refreshed_for_catalog_version

SEPARATOR = "-vs-"
PAIR_PATTERN = re.compile(r"^[-a-zA-Z0-9_]+$")
# Pieces between separators a lineup path may have: four slugs may contain "-vs-"
# themselves, but a path of more pieces is refused before its runs are looked up.
MOST_PIECES = 12


def split_pair(pair: str, *, include_drafts: bool) -> tuple[str, str, dict]:
    """Split "a-vs-b" where slugs may themselves contain "-vs-": try every split and
    keep the one where both sides are real, visible slugs (one query). Http404 when no
    split names two visible models."""
    if not PAIR_PATTERN.match(pair):
        raise Http404("No such comparison.")
    splits = []
    start = 0
    while (index := pair.find(SEPARATOR, start)) != -1:
        splits.append((pair[:index], pair[index + len(SEPARATOR) :]))
        start = index + 1
    if not splits:
        raise Http404("No such comparison.")
    slugs = {slug for split in splits for slug in split if slug}
    models = catalog_selectors.models_by_slug(slugs, include_drafts=include_drafts)
    for left, right in splits:
        if left in models and right in models and left != right:
            return left, right, models
    raise Http404("No such comparison.")


class TooManyModels(Exception):
    """The path names models the lineup page cannot show (a repeat, more than four)."""


def split_lineup(path: str, *, include_drafts: bool) -> tuple[list[str], dict]:
    """Split "a-vs-b-vs-c" into visible slugs that may themselves contain "-vs-": every
    run of pieces between separators is a candidate slug (one query), and the split
    into the fewest real slugs wins. Raises Http404 when no split is made of real slugs
    and TooManyModels when the best one repeats a model or has more than four."""
    if not PAIR_PATTERN.match(path):
        raise Http404("No such comparison.")
    pieces = path.split(SEPARATOR)
    if len(pieces) > MOST_PIECES:
        raise TooManyModels(f"Compare at most {MOST_MODELS} models at a time.")
    runs = {
        SEPARATOR.join(pieces[start:stop])
        for start in range(len(pieces))
        for stop in range(start + 1, len(pieces) + 1)
    }
    models = catalog_selectors.models_by_slug(runs - {""}, include_drafts=include_drafts)

    def splits(start: int) -> list[list[str]]:
        if start == len(pieces):
            return [[]]
        found = []
        for stop in range(start + 1, len(pieces) + 1):
            slug = SEPARATOR.join(pieces[start:stop])
            if slug in models:
                found += [[slug, *rest] for rest in splits(stop)]
        return found

    candidates = splits(0)
    if not candidates:
        raise Http404("No such comparison.")
    slugs = min(candidates, key=len)
    if len(set(slugs)) != len(slugs):
        raise TooManyModels("Each model can appear only once in a comparison.")
    if len(slugs) > MOST_MODELS:
        raise TooManyModels(
            f"Compare at most {MOST_MODELS} models at a time: this address names {len(slugs)}."
        )
    return slugs, models


def lineup_url(slugs: list[str] | tuple[str, ...]) -> str:
    """The page of two to four models in canonical order (for two, `compare_url`'s)."""
    return reverse("comparisons:detail", kwargs={"pair": "-vs-".join(canonical_lineup(slugs))})


@dataclass(frozen=True)
class RelatedPair:
    reason: str
    title: str
    url: str


@dataclass(frozen=True)
class Candidate:
    """What "continue comparing" needs to know of every published model."""

    slug: str
    name: str
    organization_slug: str
    release_date: date | None
    capabilities: tuple[bool | None, ...]
    cheapest_input: Decimal | None
    pk: int = 0  # for the page cache's nearest-price rows (page_dependencies)


def related_candidates() -> list[Candidate]:
    """Every published model, newest first, with its capabilities and cheapest current
    input price (as catalog.page_stamps stores it, so the page cache checks the same
    figure). Kept in this process (RelatedCandidates), so a comparison page usually pays
    nothing for its related pairs."""
    return _related().candidates


@dataclass(frozen=True)
class RelatedIndex:
    """`related_candidates()` arranged for related_pairs' three lookups, so a page looks
    at the few candidates that can match instead of every published model."""

    # Candidates of each organisation (by slug), and of each capability set, in
    # related_candidates() order.
    by_organization: dict[str, list[Candidate]]
    by_capabilities: dict[tuple[bool | None, ...], list[Candidate]]
    # Candidates with a cheapest input price, by that price (a stable sort: in
    # related_candidates() order among equal prices), and the prices themselves.
    priced: list[Candidate]
    prices: list[Decimal]
    # slug -> position in related_candidates(): the order among equals.
    position: dict[str, int]


def index_candidates(candidates: list[Candidate]) -> RelatedIndex:
    by_organization: dict[str, list[Candidate]] = {}
    by_capabilities: dict[tuple[bool | None, ...], list[Candidate]] = {}
    for candidate in candidates:
        by_organization.setdefault(candidate.organization_slug, []).append(candidate)
        by_capabilities.setdefault(candidate.capabilities, []).append(candidate)
    priced = sorted(
        (c for c in candidates if c.cheapest_input is not None), key=lambda c: c.cheapest_input
    )
    return RelatedIndex(
        by_organization=by_organization,
        by_capabilities=by_capabilities,
        priced=priced,
        prices=[c.cheapest_input for c in priced],
        position={c.slug: i for i, c in enumerate(candidates)},
    )


def related_index() -> RelatedIndex:
    """`related_candidates()` indexed (RelatedIndex)."""
    return _related().index


@dataclass(frozen=True)
class RelatedCandidates:
    """`related_candidates()` and its index as of one catalog version.

    The listing (everything but the prices) is kept per structure version: only
    structural edits change it. Each catalog version re-reads the prices alone, as the
    database returns them, and rebuilds only what they changed: an edit that moves no
    price (most edits) reuses the candidates and the index as they were, one that moves
    a few replaces those candidates and re-sorts the index. Rebuilding every candidate
    and the index after each edit had been a fifth of the first page after it (issue
    #16, docs/benchmarks.md)."""

    listing: list[Candidate]  # the structure version's, these were priced from
    # pk -> cheapest input as the database returned it (before conversion to Decimal),
    # None when the prices are the listing's own.
    stored: dict[int, object] | None
    candidates: list[Candidate]
    index: RelatedIndex


def _related() -> RelatedCandidates:
    return refreshed_for_catalog_version("related-candidates", _priced_candidates)


def _priced_candidates(kept: RelatedCandidates | None) -> RelatedCandidates:
    built: list[list[Candidate]] = []

    def listing() -> list[Candidate]:
        built.append(listed_candidates())
        return built[0]

    candidates = cached_for_structure("related-listing", listing)
    if built:  # just read, prices and all: one query
        return RelatedCandidates(candidates, None, candidates, index_candidates(candidates))
    stored = _stored_cheapest_inputs()
    if kept is not None and kept.listing is candidates and kept.stored is not None:
        if kept.stored == stored:
            return kept
        previous, known = kept.candidates, kept.stored
    else:
        previous, known = candidates, {}
    field = LanguageModel._meta.get_field("cheapest_input_stored")
    column = field.cached_col
    converters = connection.ops.get_db_converters(column) + field.get_db_converters(connection)

    def priced(candidate: Candidate) -> Candidate:
        value = stored[candidate.pk]
        # Equal as stored, equal as shown: the column has a fixed number of decimal
        # places, which the conversion quantizes to.
        if candidate.pk in known and known[candidate.pk] == value:
            return candidate
        for converter in converters:
            value = converter(value, column, connection)
        # The same figure written the same way (Decimal's == would take 1.1 for 1.10).
        if str(value) == str(candidate.cheapest_input):
            return candidate
        return replace(candidate, cheapest_input=value)

    repriced = [priced(c) for c in previous if c.pk in stored]
    unchanged = len(repriced) == len(previous) and all(
        new is old for new, old in zip(repriced, previous, strict=True)
    )
    if unchanged and kept is not None and kept.candidates is previous:
        return RelatedCandidates(candidates, stored, previous, kept.index)
    return RelatedCandidates(candidates, stored, repriced, index_candidates(repriced))


def listed_candidates() -> list[Candidate]:
    """Every published model as a Candidate, newest first, prices and all, read afresh:
    one query."""
    rows = (
        LanguageModel.objects.published()
        .order_by(F("release_date").desc(nulls_last=True), "name")
        .values_list(
            "pk",
            "slug",
            "name",
            "organization__slug",
            "release_date",
            "cheapest_input_stored",
            *[key for key, _label in CAPABILITIES],
        )
    )
    return [
        Candidate(slug, name, org, released, tuple(caps), cheapest, pk)
        for pk, slug, name, org, released, cheapest, *caps in rows
    ]


@cache
def _cheapest_inputs_sql() -> tuple[str, tuple]:
    return (
        LanguageModel.objects.published()
        .order_by()
        .values_list("pk", "cheapest_input_stored")
        .query.sql_with_params()
    )


def _stored_cheapest_inputs() -> dict[int, object]:
    """{pk: cheapest input} of every published model as the database returns it, in one
    query: plain SQL, built once, since building it through the ORM each time cost three
    times its running."""
    sql, params = _cheapest_inputs_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def nearest_by_input_price(
    index: RelatedIndex, prices: list[Decimal], *, count: int, excluded: set[str]
) -> list[Candidate]:
    """The `count` priced candidates (not in `excluded`) nearest to any of `prices`:
    by distance to the nearest of them, then by name, then in related_candidates()
    order. Only the candidates around each price are looked at: walking out from it in
    order of distance, up to `count + len(excluded)` of them and every one tied with the
    last, which holds every candidate of the answer."""
    found: dict[str, Candidate] = {}
    sorted_prices = index.prices
    enough = count + len(excluded)
    for price in prices:
        below = bisect_left(sorted_prices, price) - 1
        above = below + 1
        taken, last = 0, None
        while below >= 0 or above < len(sorted_prices):
            if above >= len(sorted_prices) or (
                below >= 0 and price - sorted_prices[below] <= sorted_prices[above] - price
            ):
                at, below = below, below - 1
            else:
                at, above = above, above + 1
            gap = abs(sorted_prices[at] - price)
            if taken >= enough and gap != last:
                break
            candidate = index.priced[at]
            found[candidate.slug] = candidate
            taken, last = taken + 1, gap

    def nearness(candidate: Candidate) -> tuple[Decimal, str, int]:
        gap = min(abs(candidate.cheapest_input - price) for price in prices)
        return gap, candidate.name, index.position[candidate.slug]

    near = sorted((c for c in found.values() if c.slug not in excluded), key=nearness)
    return near[:count]


def related_pairs(pair: PairSnapshot, *, per_reason: int = 3) -> list[RelatedPair]:
    """ "Continue comparing": pairs with a model of the same organisation, the same
    capability set, or the nearest cheapest input price.

    Records, for the page cache, the price windows the nearest-price part looked in
    (comparisons.page_dependencies): the other parts change only with the structure."""
    candidates = related_candidates()
    a, b = pair.a, pair.b
    index = related_index()
    excluded = {a.slug, b.slug}
    found: list[RelatedPair] = []
    seen: set[str] = set()

    def add(me: ModelSnapshot, other: Candidate, reason: str) -> bool:
        url = compare_url(me.slug, other.slug)
        if url in seen:
            return False
        seen.add(url)
        names = sorted([(me.slug, me.name), (other.slug, other.name)])
        found.append(RelatedPair(reason, f"{names[0][1]} vs {names[1][1]}", url))
        return True

    def add_some(me: ModelSnapshot, others: list[Candidate], reason: str) -> None:
        count = 0
        for other in others:
            if count >= per_reason:
                return
            if other.slug not in excluded:
                count += add(me, other, reason)

    for me in (a, b):
        add_some(
            me,
            index.by_organization.get(me.organization_slug, []),
            f"Also by {me.organization_name}",
        )
    for me in (a, b):
        mine = tuple(me.capability(key) for key, _label in CAPABILITIES)
        add_some(me, index.by_capabilities.get(mine, []), "Same capabilities")

    targets = []
    for me in (a, b):
        offering = cheapest_offering(me, DEFAULT_BLEND)
        if offering is not None and offering.input is not None:
            targets.append((me, offering.input))
    if targets:
        prices = [price for _me, price in targets]

        def distance(candidate: Candidate) -> Decimal:
            return min(abs(candidate.cheapest_input - price) for price in prices)

        considered = nearest_by_input_price(index, prices, count=per_reason * 4, excluded=excluded)
        added, last = 0, None
        for other in considered:
            if added >= per_reason * 2:
                break
            me = min(targets, key=lambda t: abs(t[1] - other.cheapest_input))[0]
            added += add(me, other, "Nearest input price")
            last = other
        # Only models within the distance of the last one looked at can change the list;
        # with no more priced models than it looks at, any priced model can.
        priced = len(index.priced) - sum(
            slug in index.position and candidates[index.position[slug]].cheapest_input is not None
            for slug in excluded
        )
        if added >= per_reason * 2 or priced > len(considered):
            reach = distance(last)
            windows = [(price - reach, price + reach) for _me, price in targets]
            shows_nearest_prices(priced_within(index, windows), windows)
        else:
            shows_nearest_prices([c for c in candidates if c.cheapest_input is not None], None)
    return found


def priced_within(index: RelatedIndex, windows: list[tuple[Decimal, Decimal]]) -> list[Candidate]:
    """The priced candidates inside any of `windows` (bounds included), in
    related_candidates() order: found by bisection in the price order rather than by
    testing every published model (0.6 ms a page at 500 models)."""
    found: dict[str, Candidate] = {}
    for low, high in windows:
        start, stop = bisect_left(index.prices, low), bisect_right(index.prices, high)
        for candidate in index.priced[start:stop]:
            found[candidate.slug] = candidate
    return sorted(found.values(), key=lambda c: index.position[c.slug])


def featured_comparisons(*, limit: int = 8) -> list[Comparison]:
    return list(
        Comparison.objects.filter(
            featured=True,
            model_a__status=LanguageModel.Status.PUBLISHED,
            model_b__status=LanguageModel.Status.PUBLISHED,
        )
        .select_related("model_a", "model_b")
        .order_by("-updated_at")[:limit]
    )


def picker_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The pair picker's models, grouped by maker: [(maker, [(slug, name), ...]), ...],
    makers and names in alphabetical order whatever their case."""
    groups: dict[str, list[tuple[str, str]]] = {}
    rows = (
        LanguageModel.objects.published()
        .order_by(Lower("organization__name"), Lower("name"), "slug")
        .values_list("organization__name", "slug", "name")
    )
    for maker, slug, name in rows:
        groups.setdefault(maker, []).append((slug, name))
    return list(groups.items())


PUBLISHED_SCORE = Q(scores__model__status=LanguageModel.Status.PUBLISHED)


def benchmark_summaries() -> QuerySet[Benchmark]:
    """Every benchmark with how many published models have a score on it
    (`scored_models`) and the date of its newest such score (`newest_score`). One query."""
    return Benchmark.objects.annotate(
        scored_models=Count("scores", filter=PUBLISHED_SCORE),
        newest_score=Max("scores__measured_on", filter=PUBLISHED_SCORE),
    ).order_by(Lower("name"), Lower("variant"), "pk")


def most_scored_benchmark() -> Benchmark | None:
    """The benchmark most published models have a score on (the home page's chart)."""
    return (
        benchmark_summaries().filter(scored_models__gt=1).order_by("-scored_models", "slug").first()
    )


def board_entries(benchmark: Benchmark) -> list[BoardEntry]:
    """Every published model's score on `benchmark`, with the 70/30 blend of its cheapest
    buyable input and output price. Two queries, whatever the catalog size."""
    scores = list(
        BenchmarkScore.objects.filter(
            benchmark=benchmark, model__status=LanguageModel.Status.PUBLISHED
        ).select_related("model", "model__organization")
    )
    prices = {
        pk: blended_price(cheapest_input, cheapest_output, ratio=DEFAULT_BLEND)
        for pk, cheapest_input, cheapest_output in with_cheapest_prices(
            LanguageModel.objects.filter(pk__in=[s.model_id for s in scores])
        ).values_list("pk", "cheapest_input", "cheapest_output")
    }
    return [
        BoardEntry(
            model_name=s.model.name,
            model_url=s.model.get_absolute_url(),
            organization=s.model.organization.name,
            score=s.score,
            reported_by=s.reported_by,
            source_url=s.source_url,
            measured_on=s.measured_on,
            blended_price=prices.get(s.model_id),
        )
        for s in scores
    ]


class PairSequence:
    """Every canonical pair of published slugs, addressable by index without building
    the pairs: pair k of n sorted slugs is found by arithmetic, so a sitemap page of
    50,000 pairs is generated from the slug list alone."""

    def __init__(self, slugs: list[str]):
        self.slugs = sorted(slugs)
        n = len(self.slugs)
        # starts[i]: index of the first pair whose first slug is slugs[i].
        self.starts = [i * (2 * n - i - 1) // 2 for i in range(n)]
        self.total = n * (n - 1) // 2

    def __len__(self) -> int:
        return self.total

    def pair_at(self, index: int) -> tuple[str, str]:
        if not 0 <= index < self.total:
            raise IndexError(index)
        i = bisect_right(self.starts, index) - 1
        j = i + 1 + (index - self.starts[i])
        return self.slugs[i], self.slugs[j]

    def __getitem__(self, key):
        if isinstance(key, slice):
            start, stop, step = key.indices(self.total)
            return [self.pair_at(k) for k in range(start, stop, step)]
        return self.pair_at(key)

    def count(self) -> int:
        return self.total
