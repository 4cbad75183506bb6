"""/api/v1/export.json.gz: the whole public catalog in one gzip file, its records those of
the list endpoints, rebuilt only when the catalog changes."""

import gzip
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.http import HttpResponse

from catalog.models import ChangeEvent, LanguageModel
from catalog.services import PriceInput, record_price
from config.middleware import ResponseCompressionMiddleware
from pricewatch.models import OfferingCheck
from tests.api.test_query_counts import build_catalog
from tests.factories import ProviderFactory, offer

pytestmark = pytest.mark.django_db

URL = "/api/v1/export.json.gz"
# list in the export -> its endpoint
LISTS = {
    "models": "/api/v1/models/",
    "offerings": "/api/v1/offerings/",
    "organizations": "/api/v1/organizations/",
    "providers": "/api/v1/providers/",
    "benchmarks": "/api/v1/benchmarks/",
}


def export_of(response) -> dict:
    assert response.status_code == 200, response.content
    return json.loads(gzip.decompress(response.content))


def walk(api, path: str) -> list[dict]:
    rows, url = [], f"{path}?page_size=100"
    while url:
        page = api.get(url).json()
        rows += page["results"]
        url = page["next"]
    return rows


def test_the_export_holds_every_public_record_as_its_list_endpoint_gives_it(api, catalog):
    export = export_of(api.get(URL))
    for resource, path in LISTS.items():
        listed = walk(api, path)
        assert listed, resource
        assert export[resource] == listed, resource  # same records, same order
    assert [m["slug"] for m in export["models"]] == ["alpha-1", "beta-2"]  # no draft
    assert len(export["offerings"]) == 3
    # An offering's price history and a model's sources are in it, as in the lists.
    assert export["offerings"][0]["price_history"]
    assert export["models"][0]["sources"][0]["url"] == "https://acme.example/alpha"


def test_records_equal_the_lists_on_a_larger_catalog(api):
    build_catalog(12)  # aliases, several providers, limits of a provider's own, scores
    # Names whose order depends on the collation, a price history, a price-watch check.
    lower = ProviderFactory(name="aws", slug="aws")
    offering = offer(LanguageModel.objects.get(slug="m3"), lower, input="1", output="2")
    record_price(offering=offering, price=PriceInput(Decimal("0.5"), Decimal("1.5")))
    OfferingCheck.objects.create(
        offering=offering, source="litellm", agrees=True, checked_on=date(2026, 1, 1)
    )
    export = export_of(api.get(URL))
    for resource, path in LISTS.items():
        assert export[resource] == walk(api, path), resource
    assert len(export["offerings"]) == 31


def test_the_export_says_where_the_change_log_stands(api, catalog, settings):
    export = export_of(api.get(URL))
    latest = api.get("/api/v1/changes/?page_size=1").json()["latest"]
    assert latest > 0
    assert export["watermark"] == latest
    assert export["changes"] == f"{settings.SITE_URL}/api/v1/changes/?since={latest}"
    assert export["as_of"].endswith("Z")


def test_the_export_is_a_gzip_file_download_never_re_encoded(api, catalog):
    response = api.get(URL, HTTP_ACCEPT_ENCODING="zstd, br, gzip", HTTP_ACCEPT="application/gzip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/gzip"
    assert not response.has_header("Content-Encoding")
    assert "Accept-Encoding" not in response.get("Vary", "")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert f'filename="llm-catalog-{date.today():%Y-%m-%d}.json.gz"' in disposition
    assert response.content[:2] == b"\x1f\x8b"  # the gzip file itself
    assert export_of(response)["models"]


def test_the_etag_is_strong_and_answers_304(api, catalog):
    response = api.get(URL)
    etag = response["ETag"]
    assert etag.startswith('"')  # strong: the bytes are a function of the catalog version
    assert "public" in response["Cache-Control"]
    again = api.get(URL, HTTP_IF_NONE_MATCH=etag, HTTP_ACCEPT_ENCODING="gzip")
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert again.content == b""
    assert "public" in again["Cache-Control"]
    since = api.get(URL, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert since.status_code == 304


def test_the_etag_and_bytes_change_after_an_edit_and_not_otherwise(api, catalog):
    first = api.get(URL)
    second = api.get(URL)
    assert second["ETag"] == first["ETag"] and second.content == first.content
    # Rebuilt by another worker (an empty cache) for the same version: the same bytes,
    # as a strong ETag promises.
    cache.clear()
    rebuilt = api.get(URL)
    assert rebuilt["ETag"] == first["ETag"] and rebuilt.content == first.content

    catalog["beta"].name = "Beta 2.5"
    catalog["beta"].save()
    edited = api.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert edited.status_code == 200
    assert edited["ETag"] != first["ETag"]
    export = export_of(edited)
    assert export["models"][1]["name"] == "Beta 2.5"
    assert export["watermark"] == ChangeEvent.objects.latest("pk").pk


def test_the_export_is_built_once_per_catalog_version(api, django_assert_max_num_queries):
    build_catalog(5)
    api.get(URL)
    # The version, then the kept bytes: no record is read again.
    with django_assert_max_num_queries(1):
        response = api.get(URL)
    assert export_of(response)["models"]


# The version, the snapshot's isolation level (PostgreSQL), the version again, the
# watermark, models with their offerings, aliases, checks and sources, offerings with
# theirs and their price history, organisations, providers, benchmarks and scores.
MAX_BUILD_QUERIES = 17


@pytest.mark.parametrize("size", [3, 40])
def test_building_the_export_costs_a_fixed_number_of_queries(
    api, django_assert_max_num_queries, size
):
    build_catalog(size)
    with django_assert_max_num_queries(MAX_BUILD_QUERIES):
        response = api.get(URL)
    export = export_of(response)
    assert len(export["models"]) == size
    assert len(export["benchmarks"]) == 3 and export["benchmarks"][0]["scores"]


def test_parameters_are_refused_and_errors_are_json(api, catalog):
    response = api.get(f"{URL}?format=json", HTTP_ACCEPT="application/gzip")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "format" in response.json()["errors"]
    assert "no-store" in response["Cache-Control"]


def test_a_partner_key_is_counted(api, partner_key, catalog):
    _, raw_key = partner_key
    response = api.get(URL, HTTP_X_API_KEY=raw_key)
    assert response.status_code == 200
    assert response.has_header("RateLimit-Remaining")
    assert api.get(URL, HTTP_X_API_KEY="nonsense").status_code == 401


def test_an_offering_added_to_a_provider_appears_in_both_lists_of_the_export(api, catalog):
    provider = ProviderFactory(name="Third", slug="third")
    offering = offer(catalog["beta"], provider, input="1", output="2")
    export = export_of(api.get(URL))
    assert offering.pk in [o["id"] for o in export["offerings"]]
    beta = next(m for m in export["models"] if m["slug"] == "beta-2")
    assert "third" in [o["provider"]["slug"] for o in beta["offerings"]]
    assert "third" in [p["slug"] for p in export["providers"]]


def test_the_compression_middleware_leaves_a_gzip_file_alone(rf):
    body = b"compressible " * 1000  # would shrink: only its type says not to compress it
    response = HttpResponse(body, content_type="application/gzip")
    response["ETag"] = '"strong"'
    middleware = ResponseCompressionMiddleware(lambda request: response)
    served = middleware(rf.get(URL, HTTP_ACCEPT_ENCODING="zstd, br, gzip"))
    assert not served.has_header("Content-Encoding")
    assert served.content == body and served["ETag"] == '"strong"'
