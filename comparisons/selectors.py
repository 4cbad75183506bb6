"""Read paths of the comparisons app: related pairs, featured pairs, the pair picker's
choices and the sitemap's pair sequence."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from django.db.models import F, Func, Q
from django.db.models.functions import Least
from django.urls import reverse

from catalog.models import CAPABILITIES, LanguageModel, Offering
from comparisons.models import Comparison, canonical_pair
from comparisons.narrative import cheapest_offering
from comparisons.pricing import DEFAULT_BLEND
from comparisons.snapshot import ModelSnapshot, PairSnapshot


def compare_url(slug_a: str, slug_b: str) -> str:
    a, b = canonical_pair(slug_a, slug_b)
    return reverse("comparisons:detail", kwargs={"pair": f"{a}-vs-{b}"})


@dataclass(frozen=True)
class RelatedPair:
    reason: str
    title: str
    url: str


def _same_capabilities(model: ModelSnapshot) -> Q:
    query = Q()
    for key, _label in CAPABILITIES:
        value = model.capability(key)
        query &= Q(**{f"{key}__isnull": True}) if value is None else Q(**{key: value})
    return query


class Abs(Func):
    function = "ABS"


def related_pairs(pair: PairSnapshot, *, per_reason: int = 3) -> list[RelatedPair]:
    """ "Continue comparing": pairs with a model of the same organisation, the same
    capability set, or the nearest cheapest input price. Two queries."""
    a, b = pair.a, pair.b
    others = LanguageModel.objects.published().exclude(slug__in=[a.slug, b.slug])
    fields = ["name", "slug", "organization__slug", "release_date"] + [k for k, _ in CAPABILITIES]
    alike = list(
        others.filter(
            Q(organization__slug__in={a.organization_slug, b.organization_slug})
            | _same_capabilities(a)
            | _same_capabilities(b)
        )
        .select_related("organization")
        .only(*fields)
        .order_by("-release_date", "name")[:40]
    )
    found: list[RelatedPair] = []
    seen: set[str] = set()

    def add(me: ModelSnapshot, other_slug: str, other_name: str, reason: str) -> bool:
        url = compare_url(me.slug, other_slug)
        if url in seen:
            return False
        seen.add(url)
        names = sorted([(me.slug, me.name), (other_slug, other_name)])
        found.append(RelatedPair(reason, f"{names[0][1]} vs {names[1][1]}", url))
        return True

    for me in (a, b):
        count = 0
        for other in alike:
            if count < per_reason and other.organization.slug == me.organization_slug:
                count += add(me, other.slug, other.name, f"Also by {me.organization_name}")
    for me in (a, b):
        count = 0
        for other in alike:
            same = all(getattr(other, k) == me.capability(k) for k, _l in CAPABILITIES)
            if count < per_reason and same:
                count += add(me, other.slug, other.name, "Same capabilities")

    targets = {}
    for me in (a, b):
        offering = cheapest_offering(me, DEFAULT_BLEND)
        if offering is not None:
            targets[me.slug] = (me, offering.input)
    if targets:
        # Offerings, not models: ordering current prices needs no GROUP BY.
        distances = [Abs(F("current_price__input") - price) for _m, price in targets.values()]
        nearest = (
            Offering.objects.filter(
                model__status=LanguageModel.Status.PUBLISHED, current_price__isnull=False
            )
            .exclude(model__slug__in=[a.slug, b.slug])
            .annotate(distance=Least(*distances) if len(distances) > 1 else distances[0])
            .order_by("distance", "model__name")
            .values("model__slug", "model__name", "current_price__input")[: per_reason * 4]
        )
        added = 0
        for other in nearest:
            me = min(targets.values(), key=lambda t: abs(t[1] - other["current_price__input"]))[0]
            if added < per_reason * 2:
                added += add(me, other["model__slug"], other["model__name"], "Nearest input price")
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


def picker_choices() -> list[tuple[str, str]]:
    return list(LanguageModel.objects.published().order_by("name").values_list("slug", "name"))


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
