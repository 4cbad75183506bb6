"""Each list costs a fixed number of SQL queries, whatever the page or catalog size."""

import pytest

from catalog.models import Source
from tests.factories import (
    BenchmarkFactory,
    BenchmarkScoreFactory,
    LanguageModelFactory,
    OrganizationFactory,
    ProviderFactory,
    offer,
)

pytestmark = pytest.mark.django_db

MAX_QUERIES = 8

LISTS = [
    "/api/v1/models/",
    "/api/v1/models/?ordering=-input_price&provider=p0&organization=o0&vision=true",
    "/api/v1/models/?updated_since=2000-01-01T00:00:00Z&modality=text&max_input_price=100",
    "/api/v1/organizations/",
    "/api/v1/providers/",
    "/api/v1/offerings/",
    "/api/v1/offerings/?ordering=input_price&updated_since=2000-01-01T00:00:00Z",
    "/api/v1/benchmarks/",
]
DETAILS = ["/api/v1/models/m0/", "/api/v1/comparisons/m0-vs-m1/"]


def build_catalog(size: int) -> None:
    orgs = [OrganizationFactory(name=f"O{i}", slug=f"o{i}") for i in range(3)]
    providers = [ProviderFactory(name=f"P{i}", slug=f"p{i}") for i in range(4)]
    benchmarks = [BenchmarkFactory() for _ in range(3)]
    for i in range(size):
        model = LanguageModelFactory(
            name=f"M{i}", slug=f"m{i}", organization=orgs[i % 3], vision=True
        )
        model.sources.add(Source.objects.create(url=f"https://example.com/{i}"))
        for provider in providers[: 1 + i % 4]:
            offering = offer(model, provider, input=f"{i % 5}.25", output=f"{i % 7}.5")
            offering.aliases.create(alias=f"{provider.slug}/{model.slug}")
            if provider.slug == "p1":  # limits of its own, read from the offering's model
                offering.context_window, offering.max_output_tokens = 32_000, 2_000
                offering.save()
        for benchmark in benchmarks:
            BenchmarkScoreFactory(model=model, benchmark=benchmark)


@pytest.mark.parametrize("size", [2, 40])
@pytest.mark.parametrize("url", LISTS + DETAILS)
def test_query_count_does_not_grow_with_catalog_or_page_size(
    api, django_assert_max_num_queries, size, url
):
    build_catalog(size)
    separator = "&" if "?" in url else "?"
    # A record's page reads no page_size (it would be a 400, api.views.KnownParametersMixin).
    queries = [f"{separator}page_size={n}" for n in (1, 100)] if url in LISTS else [""]
    for query in queries:
        with django_assert_max_num_queries(MAX_QUERIES):
            response = api.get(f"{url}{query}")
        assert response.status_code == 200, response.content
        body = response.json()
        if "results" in body:
            assert body["results"], url


def test_a_partner_key_adds_a_bounded_cost(api, django_assert_max_num_queries, partner_key):
    build_catalog(5)
    _, raw_key = partner_key
    for _ in range(2):
        with django_assert_max_num_queries(MAX_QUERIES + 2):
            response = api.get("/api/v1/models/?page_size=100", HTTP_X_API_KEY=raw_key)
        assert response.status_code == 200


def test_list_pages_share_each_models_representation_until_the_catalog_changes(
    api, django_assert_max_num_queries
):
    """A new filter or cursor over models already shown costs the page's own row query
    (plus the version): offerings and sources are fetched once per catalog version."""
    build_catalog(12)
    first = api.get("/api/v1/models/?page_size=100").json()["results"]
    with django_assert_max_num_queries(2):
        other = api.get("/api/v1/models/?vision=true&ordering=name").json()["results"]
    assert sorted(other, key=lambda m: m["slug"]) == sorted(first, key=lambda m: m["slug"])

    LanguageModelFactory._meta.model.objects.get(slug="m3").offerings.first().aliases.create(
        alias="fresh-alias"
    )  # an edit: a new catalog version, so the representations are built again
    again = api.get("/api/v1/models/?vision=true&ordering=-name").json()["results"]
    m3 = next(m for m in again if m["slug"] == "m3")
    assert any("fresh-alias" in offering["aliases"] for offering in m3["offerings"])
