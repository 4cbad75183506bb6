"""Edits that do not cool the whole site (issue #16, item 2): a comparison page records
what it shows (sitecache.dependencies, comparisons.page_dependencies), so an edit of one
model leaves the cached pages of other pairs valid, and nothing stale is ever served."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from itertools import combinations
from unittest import mock

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import timezone

from catalog.management.commands.build_synthetic_catalog import build_synthetic_catalog
from catalog.models import LanguageModel, Offering
from catalog.pairs import compare_url
from catalog.selectors import cheapest_buyable_price
from catalog.services import PriceInput, record_price
from comparisons.models import Comparison
from comparisons.selectors import (
    index_candidates,
    listed_candidates,
    related_candidates,
    related_index,
)
from sitecache.middleware import Entry, page_cache_key
from sitecache.versioning import current_version, forget_derived
from tests.factories import (
    BenchmarkFactory,
    BenchmarkScoreFactory,
    LanguageModelFactory,
    OrganizationFactory,
    PriceFactory,
    ProviderFactory,
    offer,
)

pytestmark = pytest.mark.django_db


def spread_catalog(size: int) -> list[LanguageModel]:
    """`size` published models of eight makers, each with its own cheapest input price
    ($0.10 apart, so "nearest input price" differs from page to page), a second dearer
    offering on every other model, and a score on one benchmark."""
    makers = [OrganizationFactory() for _ in range(8)]
    providers = [ProviderFactory() for _ in range(4)]
    bench = BenchmarkFactory(name="Spread QA")
    models = []
    for index in range(size):
        model = LanguageModelFactory(
            organization=makers[index % 8], vision=index % 3 == 0, reasoning=index % 2 == 0
        )
        price = Decimal("0.10") * (index + 1)
        offer(model, providers[index % 4], input=str(price), output=str(price * 4))
        if index % 2:
            offer(model, providers[(index + 1) % 4], input=str(price * 2), output=str(price * 8))
        BenchmarkScoreFactory(model=model, benchmark=bench, score=Decimal(40 + index))
        models.append(model)
    return models


def pair_urls(models, *, without=()) -> list[str]:
    skip = {m.pk for m in without}
    return [
        compare_url(a.slug, b.slug)
        for a, b in combinations(models, 2)
        if a.pk not in skip and b.pk not in skip
    ]


def cache_all(client, urls) -> dict[str, bytes]:
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["X-Page-Cache"] in ("miss", "hit"), url
        pages[url] = response.content
    return pages


def served(client, urls) -> dict[str, tuple[str, bytes]]:
    """What a visitor is served now: (hit or miss, body) per URL."""
    out = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        out[url] = (response["X-Page-Cache"], response.content)
    return out


def fresh(client, settings, urls) -> dict[str, bytes]:
    """Each page rendered from the database as it is now: no page cache, no memo."""
    settings.PAGE_CACHE_ENABLED = False
    forget_derived()
    try:
        return {url: client.get(url).content for url in urls}
    finally:
        settings.PAGE_CACHE_ENABLED = True


def assert_nothing_stale(client, settings, urls) -> dict[str, tuple[str, bytes]]:
    now = served(client, urls)
    truth = fresh(client, settings, urls)
    stale = [url for url in urls if now[url][1] != truth[url]]
    assert not stale, f"{len(stale)} stale pages, e.g. {stale[:3]}"
    return now


def cheapest_truth() -> dict[int, Decimal | None]:
    """Each model's cheapest buyable input as the pages and the API define it."""
    return dict(
        LanguageModel.objects.annotate(truth=cheapest_buyable_price("input")).values_list(
            "pk", "truth"
        )
    )


def stored_cheapest() -> dict[int, Decimal | None]:
    return dict(LanguageModel.objects.values_list("pk", "cheapest_input_stored"))


def still_right(client, settings, urls, now) -> list[str]:
    """The URLs still served from the cache, after checking each is byte for byte what
    a fresh render gives."""
    hits = [url for url in urls if now[url][0] == "hit"]
    truth = fresh(client, settings, hits)
    assert [url for url in hits if now[url][1] != truth[url]] == []
    return hits


def test_a_spec_edit_of_one_model_leaves_every_other_pairs_page_cached(client, settings):
    models = spread_catalog(40)
    edited = models[20]
    others = pair_urls(models, without=[edited])
    cache_all(client, others)
    assert all(kind == "hit" for kind, _ in served(client, others[:40]).values())

    edited.context_window = 512_000
    edited.save()

    hits = still_right(client, settings, others, served(client, others))
    print(f"{len(hits)} of {len(others)} pages still cached after the spec edit")
    assert len(hits) >= 0.95 * len(others), f"{len(hits)} of {len(others)} still cached"
    # The edited model's own pages are rebuilt and show the edit.
    response = client.get(compare_url(*sorted([edited.slug, models[0].slug])))
    assert response["X-Page-Cache"] == "miss"
    assert b"512K" in response.content


def test_a_price_edit_of_one_model_leaves_95_percent_of_other_pages_cached(client, settings):
    """At the benchmark's catalog size: a page's "nearest input price" links depend on
    the half-dozen models priced nearest its pair, so the pages a price edit must rebuild
    are those whose pair is priced near the model's old or new price (at 40 models that
    is a third of all pairs; at 500, a few in a hundred)."""
    build_synthetic_catalog(models=500, providers=20, offerings=2000)
    models = list(LanguageModel.objects.order_by("slug"))
    rng = random.Random(16)
    edited = rng.choice(models)
    rest = [m for m in models if m.pk != edited.pk]
    urls = sorted({compare_url(*sorted(m.slug for m in rng.sample(rest, 2))) for _ in range(300)})
    cache_all(client, urls)

    offering = (
        edited.offerings.filter(current_price__isnull=False)
        .order_by("current_price__input")
        .first()
    )
    old = offering.current_price.input
    new = (old * Decimal("0.8")).quantize(Decimal("0.001"))  # a 20% cut
    record_price(
        offering=offering, price=PriceInput(input=new, output=offering.current_price.output)
    )
    assert stored_cheapest()[edited.pk] == new

    hits = still_right(client, settings, urls, served(client, urls))
    print(f"{len(hits)} of {len(urls)} pages still cached after the price edit")
    assert len(hits) >= 0.95 * len(urls), f"{len(hits)} of {len(urls)} still cached"


def test_a_cached_pair_page_costs_one_query(client, django_assert_max_num_queries):
    models = spread_catalog(16)
    url = compare_url(models[3].slug, models[9].slug)
    client.get(url)
    with django_assert_max_num_queries(1):
        response = client.get(url)
    assert response["X-Page-Cache"] == "hit"


def test_a_price_that_moves_a_model_into_a_pages_related_list_rebuilds_that_page(client, settings):
    models = spread_catalog(30)
    low, high, mover = models[2], models[4], models[25]  # $0.30, $0.50; mover at $2.60
    url = compare_url(low.slug, high.slug)
    mover_title = f"vs {mover.name}".encode()
    before = client.get(url).content
    assert mover.name.encode() not in before
    urls = pair_urls(models)
    cache_all(client, urls)

    # Into the list: $0.41 is nearer $0.50 than any other model.
    record_price(
        offering=mover.offerings.order_by("pk").first(),
        price=PriceInput(input=Decimal("0.41"), output=Decimal("1.64")),
    )
    now = assert_nothing_stale(client, settings, urls)
    assert now[url][0] == "miss"
    assert mover.name.encode() in now[url][1] or mover_title in now[url][1]

    # And out again: far above every other price.
    record_price(
        offering=mover.offerings.order_by("pk").first(),
        price=PriceInput(input=Decimal("90"), output=Decimal("360")),
    )
    now = assert_nothing_stale(client, settings, urls)
    assert mover.name.encode() not in now[url][1]


def shown(candidates) -> list[tuple]:
    """Candidates with their prices as a page writes them (== takes 1.1 for 1.10)."""
    return [(c, str(c.cheapest_input)) for c in candidates]


def test_the_kept_related_candidates_follow_every_price_move(client):
    """After each edit, the related candidates this process keeps (re-priced from the
    last catalog version's) are what a fresh read of the catalog gives, and so is
    their index: prices moved up, down, back, not at all, by a retired offering, by a
    deleted one and by a new model."""
    models = spread_catalog(16)
    mover = models[12]
    offering = mover.offerings.order_by("pk").first()

    def price(value: str):
        return lambda: record_price(
            offering=offering, price=PriceInput(input=Decimal(value), output=Decimal("9"))
        )

    steps = [
        price("0.41"),
        lambda: edit_spec(models),
        price("0.410"),  # the same figure
        price("1.30"),
        lambda: retire_offering(models),
        price("0.05"),
        lambda: delete_offering(models),
        lambda: edit_score(models),
        price("1.30"),
        lambda: new_model(models),
        price("0.41"),
    ]
    assert client.get(compare_url(models[0].slug, models[1].slug)).status_code == 200
    for step in steps:
        step()
        truth = listed_candidates()
        assert shown(related_candidates()) == shown(truth)
        assert related_index() == index_candidates(truth)
    assert stored_cheapest() == cheapest_truth()


def test_pages_first_asked_for_after_price_moves_show_them(client, settings):
    """Pages rendered after price edits, with this process's memos kept from render to
    render (no page cache), are what a fresh render gives: a model moved next to a
    page's prices is among its "nearest input price" pairs, and gone once it moves
    away. Two moves between fresh renders, so the second re-prices what the first
    re-priced."""
    models = spread_catalog(30)
    low, high, mover = models[2], models[4], models[25]  # $0.30, $0.50; mover at $2.60
    offering = mover.offerings.order_by("pk").first()
    page = compare_url(low.slug, high.slug)
    link = compare_url(high.slug, mover.slug).encode()  # $0.41 and $0.42 are nearer $0.50
    others = pair_urls(models)[::41]
    settings.PAGE_CACHE_ENABLED = False
    assert link not in client.get(page).content

    def move_to(value: str) -> dict[str, bytes]:
        record_price(offering=offering, price=PriceInput(input=Decimal(value), output=Decimal("9")))
        edit_spec(models)  # and an edit that moves no price
        rendered = {url: client.get(url).content for url in [page, *others]}
        assert (link in rendered[page]) is (value in ("0.41", "0.42"))
        return rendered

    for first, second in [("0.41", "90"), ("90", "0.42"), ("0.42", "2.60"), ("2.60", "0.41")]:
        move_to(first)
        rendered = move_to(second)
        assert rendered == fresh(client, settings, list(rendered))
        settings.PAGE_CACHE_ENABLED = False


def test_capabilities_and_makers_changes_rebuild_the_related_lists(client, settings):
    models = spread_catalog(14)
    urls = pair_urls(models)
    cache_all(client, urls)
    moved = models[5]
    moved.vision = not moved.vision
    moved.save()
    assert_nothing_stale(client, settings, urls)
    moved.organization = models[6].organization
    moved.save()
    assert_nothing_stale(client, settings, urls)


def edit_provider(models):
    provider = models[3].offerings.first().provider
    provider.name = "Renamed Host"
    provider.save()


def edit_organization(models):
    maker = models[4].organization
    maker.name = "Renamed Lab"
    maker.save()


def edit_score(models):
    score = models[5].scores.get()
    score.score = Decimal("99.5")
    score.save()


def add_score(models):
    BenchmarkScoreFactory(model=models[6], benchmark=BenchmarkFactory(name="New QA"))


def delete_score(models):
    models[7].scores.get().delete()


def rename_benchmark(models):
    bench = models[0].scores.get().benchmark
    bench.name = "Renamed QA"
    bench.save()


def edit_comparison(models):
    Comparison.objects.create(model_a=models[1], model_b=models[2], editor_note="Editor says")


def change_comparison(models):
    Comparison.objects.create(model_a=models[1], model_b=models[2], editor_note="First")
    row = Comparison.objects.get()
    row.verdict_override = "Second thoughts"
    row.save()


def delete_comparison(models):
    Comparison.objects.create(model_a=models[1], model_b=models[2], editor_note="Gone soon")
    Comparison.objects.all().delete()


def edit_spec(models):
    model = LanguageModel.objects.get(pk=models[8].pk)
    model.max_output_tokens = 1_000_000
    model.save()


def rename_model(models):
    model = LanguageModel.objects.get(pk=models[9].pk)
    model.name = "Renamed Model"
    model.save()


def unpublish_model(models):
    model = LanguageModel.objects.get(pk=models[10].pk)
    model.status = LanguageModel.Status.DRAFT
    model.save()


def retire_offering(models):
    offering = Offering.objects.filter(model=models[11]).order_by("pk").first()
    offering.lifecycle = "retired"
    offering.save()


def delete_offering(models):
    Offering.objects.filter(model=models[1]).order_by("-pk").first().delete()


def new_model(models):
    model = LanguageModelFactory(organization=models[0].organization, name="Newcomer")
    offer(model, ProviderFactory(), input="0.35", output="1")


EDITS = [
    edit_spec,
    edit_provider,
    edit_organization,
    edit_score,
    add_score,
    delete_score,
    rename_benchmark,
    edit_comparison,
    change_comparison,
    delete_comparison,
    rename_model,
    unpublish_model,
    retire_offering,
    delete_offering,
    new_model,
]


@pytest.mark.parametrize("edit", EDITS, ids=[edit.__name__ for edit in EDITS])
def test_nothing_stale_after_an_edit(client, settings, edit):
    models = spread_catalog(12)
    urls = pair_urls(models)
    cache_all(client, urls)
    before = current_version()
    edit(models)
    assert current_version().number > before.number
    urls = [url for url in urls if client.get(url).status_code == 200]  # unpublished
    assert_nothing_stale(client, settings, urls)
    assert stored_cheapest() == cheapest_truth()


def test_an_edit_elsewhere_keeps_the_etag_and_answers_304(client):
    models = spread_catalog(16)
    url = compare_url(models[0].slug, models[1].slug)
    etag = client.get(url)["ETag"]
    # $1.60: beyond the twelve nearest prices this page considered ($0.30 to $1.40).
    model = LanguageModel.objects.get(pk=models[15].pk)
    model.context_window = 1_000_000
    model.save()
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    record_price(
        offering=models[0].offerings.order_by("pk").first(),
        price=PriceInput(input=Decimal("0.12"), output=Decimal("0.48")),
    )
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200
    assert again["ETag"] != etag


def test_structural_edits_make_every_recorded_page_cold(client):
    models = spread_catalog(8)
    urls = pair_urls(models)
    cache_all(client, urls)
    model = LanguageModel.objects.get(pk=models[3].pk)
    model.release_date = date(2020, 1, 1)  # the related lists are newest first
    model.save()
    assert {kind for kind, _ in served(client, urls).values()} == {"miss"}


def test_an_organisations_new_slug_regroups_also_by_on_every_page(client, settings):
    """The related lists group candidates by the maker's slug, kept per structure
    version: renaming the slug is structural, so no page keeps the old grouping."""
    models = spread_catalog(12)
    urls = pair_urls(models)
    cache_all(client, urls)
    maker = models[0].organization
    maker.slug = "renamed-lab"
    maker.save()
    assert_nothing_stale(client, settings, urls)


def test_a_long_context_price_taking_effect_tomorrow_is_shown_tomorrow(client, settings):
    """A price dated tomorrow moves no stamp when the day comes: the day is part of
    every page's fingerprint."""
    org, host = OrganizationFactory(), ProviderFactory()
    a = LanguageModelFactory(organization=org, context_window=1_000_000)
    b = LanguageModelFactory(organization=org, context_window=1_000_000)
    offer(a, host, input="1.00", output="4.00")
    long_context = offer(b, host, input="2.00", output="8.00")
    today = timezone.localdate()
    PriceFactory(
        offering=long_context,
        context_threshold=200_000,
        input=Decimal("50"),
        output=Decimal("90"),
        effective_date=today + timedelta(days=1),
    )
    url = compare_url(a.slug, b.slug) + "?prompt_tokens=300000"
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    with mock.patch("django.utils.timezone.localdate", return_value=today + timedelta(days=1)):
        assert_nothing_stale(client, settings, [url])
        assert "long-context price applies" in client.get(url).content.decode()


@pytest.mark.parametrize("dependencies", ['[["a-kind-since-dropped", ["1"]]]', "not json"])
def test_an_entry_whose_dependencies_this_release_cannot_read_is_rendered_afresh(
    client, dependencies
):
    """An entry left in a shared cache by an earlier release is a miss, never a 500: one
    in the old four-field format, and one whose recorded dependencies this release
    cannot read, checked at an earlier version (so its dependencies are consulted)."""
    a, b = spread_catalog(2)
    url = compare_url(a.slug, b.slug)
    fresh_body = client.get(url).content
    key = page_cache_key(RequestFactory().get(url))
    stored = Entry._make(cache.get(key))
    for planted in (
        (dependencies, stored.fingerprint, b"old release's page", stored.content_type),
        tuple(stored._replace(dependencies=dependencies, checked="1.0@2020-01-01", body=b"old")),
    ):
        cache.set(key, planted)
        response = client.get(url)
        assert response.status_code == 200
        assert response["X-Page-Cache"] == "miss"
        assert response.content == fresh_body
        assert client.get(url)["X-Page-Cache"] == "hit"
