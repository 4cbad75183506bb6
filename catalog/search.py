"""Finding published models from what a visitor types: a name, an alias, a provider's
model id or a maker, with typos forgiven.

Matches are ranked in tiers: an exact name, slug, alias or provider id first, then a
prefix, then every typed word found somewhere (name, maker, alias, provider id, in any
order), then close matches. The first three tiers are one SQL query on every database.
Close matches come from PostgreSQL's trigram word similarity (pg_trgm, created by
catalog migration 0010) there; elsewhere (SQLite) from difflib over every published
model's name, maker and aliases, read in one query and kept per catalog version: a few
hundred short strings, compared word by word against a shared vocabulary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from difflib import SequenceMatcher

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Lower

from catalog.importers.identity import model_key
from catalog.models import LanguageModel, ModelAlias, Offering, catalog_slugify
from catalog.selectors import with_cheapest_prices
from sitecache.versioning import cached_for_catalog_version

MAX_QUERY_LENGTH = 100
# Words of a query that each must match somewhere; more are ignored (a pasted
# paragraph must not become a query with hundreds of subqueries).
MAX_QUERY_WORDS = 6
SEARCH_LIMIT = 20
SUGGEST_LIMIT = 8

EXACT, PREFIX, CONTAINS, CLOSE = 0, 1, 2, 3
# Trigram word similarity (0-1) from which a model is a close match: "claud sonet" is
# 0.63 to "Claude Sonnet 4.5" and 0.42 to "Claude Opus 4.5".
TRIGRAM_CLOSE = 0.45
# difflib ratio (0-1) from which a model is a close match ("claud" is 0.91 to "claude").
DIFFLIB_CLOSE = 0.75
# Looser bounds for "did you mean" and the 404 page, which offer a few models anyway.
TRIGRAM_NEAREST = 0.3
DIFFLIB_NEAREST = 0.55

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


class QueryTooLong(ValueError):
    """The query is longer than MAX_QUERY_LENGTH characters."""


@dataclass(frozen=True)
class SearchResult:
    slug: str
    name: str
    url: str
    maker: str
    cheapest_input: Decimal | None
    cheapest_output: Decimal | None
    tier: int

    @property
    def is_close_match(self) -> bool:
        return self.tier == CLOSE


def clean_query(raw: str | None) -> str:
    """The query as searched: control characters (NUL included) dropped, whitespace
    collapsed. Raises QueryTooLong above MAX_QUERY_LENGTH characters."""
    text = _plain(raw or "")
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryTooLong(f"Search for at most {MAX_QUERY_LENGTH} characters.")
    return text


def _plain(text: str) -> str:
    # PostgreSQL refuses a NUL in any string, so no control character reaches a query.
    return " ".join(_CONTROL.sub(" ", text).split())


def search_models(query: str, *, limit: int = SEARCH_LIMIT) -> list[SearchResult]:
    """Published models matching `query` (see clean_query), best first: exact, prefix,
    every word contained, then close matches. At most three queries, whatever the
    catalog size."""
    query = _plain(query)[:MAX_QUERY_LENGTH]
    if not query:
        return []
    ranked = _tiered_ids(query, limit=limit)
    if len(ranked) < limit:
        seen = {pk for pk, _tier in ranked}
        close = _close_ids(query, close=True, limit=limit + len(seen))
        close = [pk for pk in close if pk not in seen]
        ranked += [(pk, CLOSE) for pk in close[: limit - len(ranked)]]
    return _results(ranked)


def nearest_models(text: str, *, limit: int = 5) -> list[SearchResult]:
    """The published models closest to `text` (a mistyped query or slug), closest
    first, for "did you mean" and the 404 page."""
    text = _plain(text)[:MAX_QUERY_LENGTH]
    if not _normalized(text):
        return []
    return _results([(pk, CLOSE) for pk in _close_ids(text, close=False, limit=limit)])


def _results(ranked: list[tuple[int, int]]) -> list[SearchResult]:
    if not ranked:
        return []
    rows = {
        model.pk: model
        for model in with_cheapest_prices(
            LanguageModel.objects.published()
            .filter(pk__in=[pk for pk, _tier in ranked])
            .select_related("organization")
        )
    }
    return [
        SearchResult(
            slug=model.slug,
            name=model.name,
            url=model.get_absolute_url(),
            maker=model.organization.name,
            cheapest_input=model.cheapest_input,
            cheapest_output=model.cheapest_output,
            tier=tier,
        )
        for pk, tier in ranked
        if (model := rows.get(pk)) is not None
    ]


def _offering_matches(condition: Q) -> Exists:
    return Exists(Offering.objects.filter(condition, model=OuterRef("pk")))


def _alias_matches(condition: Q) -> Exists:
    return Exists(ModelAlias.objects.filter(condition, model=OuterRef("pk")))


def _tiered_ids(query: str, *, limit: int) -> list[tuple[int, int]]:
    """(pk, tier) of the models matching exactly, by prefix or by every word, in rank
    order: one query."""
    key = model_key(query)
    slug = catalog_slugify(query)
    exact = Q(name__iexact=query) | _offering_matches(
        Q(provider_model_id__iexact=query) | Q(aliases__alias__iexact=query)
    )
    prefix = Q(name__istartswith=query) | _offering_matches(
        Q(provider_model_id__istartswith=query) | Q(aliases__alias__istartswith=query)
    )
    if slug:
        exact |= Q(slug=slug)
    if key:  # aliases are stored as identity keys: compare like with like
        exact |= _alias_matches(Q(key=key))
        prefix |= _alias_matches(Q(key__startswith=key))
    contains = Q()
    for word in query.split()[:MAX_QUERY_WORDS]:
        contains &= (
            Q(name__icontains=word)
            | Q(organization__name__icontains=word)
            | _alias_matches(Q(key__icontains=word))
            | _offering_matches(
                Q(provider_model_id__icontains=word) | Q(aliases__alias__icontains=word)
            )
        )
    tier = Case(
        When(exact, then=Value(EXACT)),
        When(prefix, then=Value(PREFIX)),
        When(contains, then=Value(CONTAINS)),
        default=Value(CLOSE),
        output_field=IntegerField(),
    )
    return list(
        LanguageModel.objects.published()
        .annotate(tier=tier)
        .filter(tier__lt=CLOSE)
        .order_by("tier", Lower("name"), "pk")
        .values_list("pk", "tier")[:limit]
    )


def _close_ids(text: str, *, close: bool, limit: int) -> list[int]:
    """Primary keys of the models closest to `text`, closest first: trigram similarity
    on PostgreSQL, difflib elsewhere. `close` picks the search's bound, else the looser
    "nearest" one."""
    if connection.vendor == "postgresql":
        return _trigram_close_ids(text, TRIGRAM_CLOSE if close else TRIGRAM_NEAREST, limit)
    return _difflib_close_ids(text, DIFFLIB_CLOSE if close else DIFFLIB_NEAREST, limit)


def _trigram_close_ids(text: str, threshold: float, limit: int) -> list[int]:
    def best(queryset: QuerySet, field: str) -> Coalesce:
        scores = (
            queryset.filter(model=OuterRef("pk"))
            .annotate(similarity=TrigramWordSimilarity(text, field))
            .order_by("-similarity")
            .values("similarity")[:1]
        )
        return Coalesce(Subquery(scores, output_field=FloatField()), Value(0.0))

    similarity = Greatest(
        TrigramWordSimilarity(text, "name"),
        TrigramWordSimilarity(text, "organization__name"),
        best(ModelAlias.objects.all(), "key"),
        best(Offering.objects.all(), "provider_model_id"),
    )
    return list(
        LanguageModel.objects.published()
        .annotate(similarity=similarity)
        .filter(similarity__gte=threshold)
        .order_by(F("similarity").desc(), Lower("name"), "pk")
        .values_list("pk", flat=True)[:limit]
    )


def _normalized(text: str) -> str:
    return " ".join(_NOT_WORD.split(text.lower())).strip()


@dataclass(frozen=True)
class _Index:
    """Every published model's names (name, maker, aliases) as normalized word tuples,
    and the vocabulary of those words."""

    entries: tuple[tuple[int, str, tuple[tuple[str, ...], ...]], ...]  # (pk, name, names)
    vocabulary: frozenset[str]


def _index() -> _Index:
    def build() -> _Index:
        names: dict[int, tuple[str, set[str]]] = {}
        rows = LanguageModel.objects.published().values_list(
            "pk", "name", "organization__name", "aliases__key"
        )
        for pk, name, maker, alias in rows:
            _name, spellings = names.setdefault(pk, (name, set()))
            spellings.update(_normalized(value) for value in (name, maker, alias or ""))
        entries = tuple(
            (pk, name, tuple(tuple(s.split()) for s in sorted(spellings) if s))
            for pk, (name, spellings) in names.items()
        )
        vocabulary = frozenset(w for _pk, _n, spellings in entries for s in spellings for w in s)
        return _Index(entries, vocabulary)

    return cached_for_catalog_version("search-index", build)


def _ratio(matcher: SequenceMatcher, candidate: str, floor: float) -> float:
    matcher.set_seq1(candidate)
    # The cheap upper bounds first, as difflib.get_close_matches does.
    if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
        return 0.0
    return matcher.ratio()


def _difflib_close_ids(text: str, threshold: float, limit: int) -> list[int]:
    words = _normalized(text).split()[:MAX_QUERY_WORDS]
    if not words:
        return []
    index = _index()
    # Each typed word against each distinct catalog word once: the vocabulary is far
    # smaller than the names x words it would otherwise be compared with.
    word_scores: list[dict[str, float]] = []
    for word in words:
        matcher = SequenceMatcher(None, b=word)
        scores = {}
        for candidate in index.vocabulary:
            if (score := _ratio(matcher, candidate, threshold / 2)) > 0:
                scores[candidate] = score
        word_scores.append(scores)
    # One typed word may be a name run together ("claudesonnet"): compared whole too.
    whole_matcher = SequenceMatcher(None, b=words[0]) if len(words) == 1 else None
    ranked = []
    for pk, name, spellings in index.entries:
        best = 0.0
        for spelling in spellings:
            by_word = sum(max((s.get(w, 0.0) for w in spelling), default=0.0) for s in word_scores)
            best = max(best, by_word / len(words))
            if whole_matcher is not None:
                best = max(best, _ratio(whole_matcher, "".join(spelling), threshold))
        if best >= threshold:
            ranked.append((-best, name.lower(), pk))
    ranked.sort()
    return [pk for _score, _name, pk in ranked[:limit]]
