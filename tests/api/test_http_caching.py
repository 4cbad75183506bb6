import gzip
import time
from datetime import timedelta
from unittest import mock
from urllib.parse import parse_qs, urlparse

import pytest
from django.core import signing
from django.core.cache import cache
from django.utils import timezone
from django.utils.http import http_date, parse_http_date

from api.pagination import CURSOR_SALT

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/v1/models/",
    "/api/v1/models/alpha-1/",
    "/api/v1/organizations/",
    "/api/v1/providers/",
    "/api/v1/offerings/",
    "/api/v1/benchmarks/",
    "/api/v1/comparisons/alpha-1-vs-beta-2/",
]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_every_read_has_etag_last_modified_and_public_cache_control(api, catalog, url):
    response = api.get(url)
    assert response.status_code == 200
    assert response["ETag"].startswith('W/"')
    assert parse_http_date(response["Last-Modified"]) <= timezone.now().timestamp() + 1
    assert response["Cache-Control"] == "public, max-age=300"


@pytest.mark.parametrize("url", ENDPOINTS)
def test_matching_if_none_match_answers_304(api, catalog, url):
    etag = api.get(url)["ETag"]
    response = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert api.get(url, HTTP_IF_NONE_MATCH='"stale"').status_code == 200


def test_if_modified_since_answers_304_until_the_catalog_changes(api, catalog):
    last_modified = api.get("/api/v1/models/")["Last-Modified"]
    assert api.get("/api/v1/models/", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    earlier = http_date(parse_http_date(last_modified) - 60)
    assert api.get("/api/v1/models/", HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200


def test_an_edit_changes_etag_and_last_modified(api, catalog):
    first = api.get("/api/v1/models/")
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(hours=1)):
        catalog["alpha"].name = "Alpha One"
        catalog["alpha"].save()
    second = api.get("/api/v1/models/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert second["ETag"] != first["ETag"]
    assert parse_http_date(second["Last-Modified"]) > parse_http_date(first["Last-Modified"])
    again = api.get("/api/v1/models/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 200


def test_errors_are_not_cached(api, catalog):
    response = api.get("/api/v1/models/?vision=maybe")
    assert response.status_code == 400
    assert "no-store" in response["Cache-Control"]


def test_a_cached_answer_is_the_first_answer_byte_for_byte(api, catalog):
    first = api.get("/api/v1/models/")
    second = api.get("/api/v1/models/")
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"] == "application/json"
    assert second["ETag"] == first["ETag"]
    assert second["Vary"] == first["Vary"]


@pytest.mark.parametrize("url", ["/api/v1/models/", "/api/v1/comparisons/alpha-1-vs-beta-2/"])
def test_a_cached_answer_goes_out_compressed_with_the_same_etag_compressed_once(api, catalog, url):
    plain = api.get(url)
    gzipped = api.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert gzipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(gzipped.content) == plain.content
    assert gzipped["ETag"] == plain["ETag"]
    assert "Accept-Encoding" in gzipped["Vary"]
    etag = gzipped["ETag"]
    assert api.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=etag).status_code == 304
    with mock.patch("sitecache.codings.compressor") as compressor:
        compressor.return_value = ("gzip", mock.Mock(side_effect=AssertionError), None)
        again = api.get(url, HTTP_ACCEPT_ENCODING="gzip")  # the kept bytes, not compressed
    assert again.content == gzipped.content
    assert not api.get(url).has_header("Content-Encoding")


def test_an_indented_answer_is_cached_apart_from_the_compact_one(api, catalog):
    compact = api.get("/api/v1/models/alpha-1/").content
    indented = api.get("/api/v1/models/alpha-1/", HTTP_ACCEPT="application/json; indent=2")
    assert indented.content != compact
    assert indented.json() == api.get("/api/v1/models/alpha-1/").json()
    assert api.get("/api/v1/models/alpha-1/").content == compact


def test_media_type_parameters_that_do_not_shape_the_body_share_one_entry(
    api, catalog, django_assert_max_num_queries
):
    """`; junk=N` must not make each request a miss (a cheap way to make the server
    rebuild the list), while `; indent=N` still gets its own body."""
    first = api.get("/api/v1/models/", HTTP_ACCEPT="application/json; junk=0")
    for n in range(1, 4):
        with django_assert_max_num_queries(2):  # the version and the throttle: no rebuild
            again = api.get("/api/v1/models/", HTTP_ACCEPT=f"application/json; junk={n}")
        assert again.content == first.content
        assert again["Content-Type"] == "application/json"


def test_the_same_page_has_the_same_bytes_and_etag_in_every_worker_and_after_a_restart(
    api, catalog
):
    """Another worker (an empty cache) rendering later (another second on the clock)
    gives the same `next` cursor, body and ETag, so If-None-Match always answers 304."""
    first = api.get("/api/v1/models/?page_size=1")
    assert first.json()["next"]
    cache.clear()
    with mock.patch("django.core.signing.time.time", return_value=time.time() + 3600):
        later = api.get("/api/v1/models/?page_size=1")
        assert later.content == first.content
        assert later["ETag"] == first["ETag"]
        cache.clear()
        assert (
            api.get("/api/v1/models/?page_size=1", HTTP_IF_NONE_MATCH=first["ETag"]).status_code
            == 304
        )
    # The deterministic cursor still walks on, and a tampered one is still refused.
    next_page = api.get(first.json()["next"])
    assert next_page.status_code == 200
    assert next_page.json()["results"][0]["slug"] != first.json()["results"][0]["slug"]
    cursor = parse_qs(urlparse(first.json()["next"]).query)["cursor"][0]
    tampered = api.get(f"/api/v1/models/?page_size=1&cursor={cursor[:-3]}abc")
    assert tampered.status_code == 400


def test_a_cursor_handed_out_before_cursors_were_deterministic_still_works(api, catalog):
    old_style = signing.dumps([catalog["alpha"].pk], salt=f"{CURSOR_SALT}:")
    response = api.get(f"/api/v1/models/?page_size=1&cursor={old_style}")
    assert response.status_code == 200
    assert [row["slug"] for row in response.json()["results"]] == ["beta-2"]
