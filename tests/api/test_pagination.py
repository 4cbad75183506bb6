from urllib.parse import parse_qs, urlparse

import pytest
from django.core import signing

from api.pagination import CURSOR_SALT
from catalog.models import LanguageModel
from tests.api.helpers import results
from tests.factories import LanguageModelFactory, ProviderFactory, offer

pytestmark = pytest.mark.django_db


def walk(api, url: str, *, between_pages=None) -> list[str]:
    """Follow `next` links to the end; call `between_pages(page_number)` after each."""
    seen, page = [], 0
    while url:
        response = api.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        seen += [row["slug"] for row in body["results"]]
        url = body["next"]
        page += 1
        if between_pages and url:
            between_pages(page)
    return seen


def test_page_size_and_next_links_walk_the_whole_catalog(api, db, settings):
    made = [LanguageModelFactory().slug for _ in range(7)]
    first = api.get("/api/v1/models/?page_size=3").json()
    assert len(first["results"]) == 3
    assert first["next"].startswith(f"{settings.SITE_URL}/api/v1/models/?")
    assert walk(api, "/api/v1/models/?page_size=3") == made


def test_default_page_size_is_50_and_the_maximum_is_100(api, db):
    LanguageModelFactory.create_batch(101)
    assert len(results(api.get("/api/v1/models/"))) == 50
    assert len(results(api.get("/api/v1/models/?page_size=100"))) == 100
    assert api.get("/api/v1/models/?page_size=101").status_code == 400


def test_walk_misses_and_repeats_nothing_while_records_are_edited(api, db):
    """Renames, re-sorts, new records and unpublished ones between page fetches: every
    record that stayed published is seen exactly once."""
    models = [LanguageModelFactory(name=f"M{i:02d}") for i in range(12)]
    added = []

    def edit(page):
        # Rename a record already sent so it would sort again; rename one not yet sent
        # so it would sort earlier; add a new model; unpublish one not yet seen.
        LanguageModel.objects.filter(pk=models[page - 1].pk).update(name=f"ZZ{page}")
        LanguageModel.objects.filter(pk=models[-page].pk).update(name=f"AA{page}")
        added.append(LanguageModelFactory(name=f"New {page}").slug)
        if page == 1:
            LanguageModel.objects.filter(pk=models[7].pk).update(status="draft")

    seen = walk(api, "/api/v1/models/?page_size=4", between_pages=edit)
    expected = [m.slug for m in models if m.pk != models[7].pk]
    assert len(seen) == len(set(seen))
    assert set(expected) <= set(seen)
    # Records created during the walk come after the existing ones (ids grow).
    assert set(seen) - set(expected) <= set(added)


def test_walk_ordered_by_price_visits_each_record_once_including_ties(api, db):
    provider = ProviderFactory()
    prices = ["0.50", "0.10", "0.50", "0.50", "2.00", "0.10", "0.50"]
    made = [offer(LanguageModelFactory(), provider, input=p).model.slug for p in prices]
    LanguageModelFactory()  # no price: last
    seen = walk(api, "/api/v1/models/?ordering=input_price&page_size=2")
    assert sorted(seen[:-1]) == sorted(made)
    assert len(seen) == len(set(seen)) == len(made) + 1
    listed = [prices[made.index(slug)] for slug in seen[:-1]]
    assert listed == sorted(listed, key=float)


@pytest.mark.parametrize(
    "ordering", ["input_price", "-input_price", "release_date", "-release_date"]
)
def test_records_missing_the_sort_value_page_correctly(api, db, ordering):
    provider = ProviderFactory()
    offer(LanguageModelFactory(), provider, input="1.00")
    made = [LanguageModelFactory(release_date=None).slug for _ in range(4)]
    seen = walk(api, f"/api/v1/models/?ordering={ordering}&page_size=1")
    assert len(seen) == len(set(seen)) == 5
    if "price" in ordering:
        assert seen[1:] == made  # unpriced models last, by id


@pytest.mark.parametrize(
    "ordering",
    ["name", "-name", "context_window", "-release_date", "-input_price", "output_price"],
)
def test_every_ordering_walks_without_gaps(api, db, ordering):
    provider = ProviderFactory()
    for i in range(9):
        model = LanguageModelFactory(context_window=1000 * (i % 3 + 1))
        if i % 2:
            offer(model, provider, input=f"{i % 4}.5", output=f"{i % 3}.5")
    seen = walk(api, f"/api/v1/models/?ordering={ordering}&page_size=2")
    assert len(seen) == len(set(seen)) == 9


def test_other_lists_paginate_too(api, catalog):
    for endpoint in ("organizations", "providers", "offerings", "benchmarks"):
        first = api.get(f"/api/v1/{endpoint}/?page_size=1").json()
        assert len(first["results"]) == 1
        assert (first["next"] is None) == (endpoint == "benchmarks")


def test_a_tampered_or_foreign_cursor_is_a_400(api, catalog):
    next_link = api.get("/api/v1/models/?page_size=1").json()["next"]
    cursor = parse_qs(urlparse(next_link).query)["cursor"][0]
    assert api.get(f"/api/v1/models/?page_size=1&cursor={cursor}").status_code == 200
    for bad in (
        cursor[:-2] + "xx",
        signing.dumps([1], salt="another.purpose"),
        signing.dumps(["x", "y", "z"], salt=f"{CURSOR_SALT}:"),  # wrong width
        signing.dumps(["not-a-number"], salt=f"{CURSOR_SALT}:"),
    ):
        response = api.get(f"/api/v1/models/?cursor={bad}")
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["cursor"]
    # A cursor for one ordering does not fit another.
    ordered = api.get("/api/v1/models/?page_size=1&ordering=input_price").json()["next"]
    price_cursor = parse_qs(urlparse(ordered).query)["cursor"][0]
    assert api.get(f"/api/v1/models/?ordering=input_price&cursor={price_cursor}").status_code == 200
    for ordering in ("", "-input_price", "release_date"):
        url = f"/api/v1/models/?ordering={ordering}&cursor={price_cursor}"
        assert api.get(url).status_code == 400
