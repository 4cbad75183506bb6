"""Read paths of the comparisons app: related pairs, featured pairs, the pair picker's
choices and the sitemap's pair sequence."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import F
from django.db.models.functions import Lower
from django.urls import reverse

from catalog.models import CAPABILITIES, LanguageModel
from catalog.selectors import cheapest_buyable_price
from comparisons.models import Comparison, canonical_lineup, canonical_pair
from comparisons.narrative import cheapest_offering
from comparisons.pricing import DEFAULT_BLEND
from comparisons.snapshot import ModelSnapshot, PairSnapshot
from sitecache.versioning import cached_for_catalog_version


def compare_url(slug_a: str, slug_b: str) -> str:
    a, b = canonical_pair(slug_a, slug_b)
    return reverse("comparisons:detail", kwargs={"pair": f"{a}-vs-{b}"})


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


def related_candidates() -> list[Candidate]:
    """Every published model, newest first, with its capabilities and cheapest current
    input price. One query, cached per catalog version, so a comparison page usually
    pays nothing for its related pairs."""

    def build() -> list[Candidate]:
        rows = (
            LanguageModel.objects.published()
            .annotate(cheapest=cheapest_buyable_price("input"))
            .order_by(F("release_date").desc(nulls_last=True), "name")
            .values_list(
                "slug",
                "name",
                "organization__slug",
                "release_date",
                "cheapest",
                *[key for key, _label in CAPABILITIES],
            )
        )
        return [
            Candidate(slug, name, org, released, tuple(caps), cheapest)
            for slug, name, org, released, cheapest, *caps in rows
        ]

    return cached_for_catalog_version("related-candidates", build)


def related_pairs(pair: PairSnapshot, *, per_reason: int = 3) -> list[RelatedPair]:
    """ "Continue comparing": pairs with a model of the same organisation, the same
    capability set, or the nearest cheapest input price."""
    a, b = pair.a, pair.b
    others = [c for c in related_candidates() if c.slug not in {a.slug, b.slug}]
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

    for me in (a, b):
        count = 0
        for other in others:
            if count < per_reason and other.organization_slug == me.organization_slug:
                count += add(me, other, f"Also by {me.organization_name}")
    for me in (a, b):
        mine = tuple(me.capability(key) for key, _label in CAPABILITIES)
        count = 0
        for other in others:
            if count < per_reason and other.capabilities == mine:
                count += add(me, other, "Same capabilities")

    targets = []
    for me in (a, b):
        offering = cheapest_offering(me, DEFAULT_BLEND)
        if offering is not None and offering.input is not None:
            targets.append((me, offering.input))
    if targets:
        priced = [c for c in others if c.cheapest_input is not None]

        def distance(candidate: Candidate) -> tuple[Decimal, str]:
            return min(abs(candidate.cheapest_input - price) for _me, price in targets), (
                candidate.name
            )

        added = 0
        for other in sorted(priced, key=distance)[: per_reason * 4]:
            me = min(targets, key=lambda t: abs(t[1] - other.cheapest_input))[0]
            if added < per_reason * 2:
                added += add(me, other, "Nearest input price")
    return found


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
