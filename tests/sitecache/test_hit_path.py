"""What a page-cache hit costs and why it is still right (sitecache.middleware,
sitecache.versioning): on Redis a hit is one round trip and no SQL, trusting a copy of
the catalog version that only moves forward; in each process's memory it is one query;
after an edit a page that recorded what it shows is checked once, then served unchecked
again; the body goes out compressed, compressed once per coding."""

from __future__ import annotations

import gzip

import pytest
from django.core.cache import cache, caches
from django.test import RequestFactory
from redis.exceptions import ConnectionError as RedisConnectionError

from catalog.pairs import compare_url
from sitecache.middleware import Entry, page_cache_key
from sitecache.versioning import (
    SHARED_VERSION_KEY,
    Version,
    bump_catalog_version,
    current_version,
    decode_version,
    encode_version,
)
from tests.comparisons.test_page_dependencies import spread_catalog
from tests.factories import LanguageModelFactory
from tests.redis_server import OwnRedis, needs_redis_server

pytestmark = pytest.mark.django_db


def entry_for(url: str) -> Entry:
    return Entry._make(cache.get(page_cache_key(RequestFactory().get(url))))


def version_copy(server: OwnRedis) -> Version | None:
    return decode_version(server.client().get(cache.make_and_validate_key(SHARED_VERSION_KEY)))


# --- in each process's memory (the SQLite stack) --------------------------------------


@pytest.fixture
def process_memory(settings):
    """The cache in each process's memory, whatever REDIS_URL says (CI's Redis pass)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def test_after_an_edit_elsewhere_a_page_is_checked_once_then_served_on_the_version_alone(
    process_memory, client, django_assert_num_queries
):
    a, b, c = spread_catalog(3)
    url = compare_url(a.slug, b.slug)
    body = client.get(url).content
    c.context_window += 1000
    c.save()  # a model this page does not show

    with django_assert_num_queries(2):  # the version, then the page's stamps
        first = client.get(url)
    assert first["X-Page-Cache"] == "hit" and first.content == body
    assert entry_for(url).checked.startswith(current_version().token)
    with django_assert_num_queries(1):  # the version only: it is where the check was
        assert client.get(url)["X-Page-Cache"] == "hit"


def test_an_edit_to_a_model_the_page_shows_is_never_served_from_the_old_check(client):
    a, b = spread_catalog(2)
    url = compare_url(a.slug, b.slug)
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    a.name = "Renamed After Check"
    a.save()
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Renamed After Check" in response.content.decode()


# --- compression -------------------------------------------------------------------------


def test_a_hit_goes_out_in_the_clients_coding_compressed_once_and_kept(client):
    url = LanguageModelFactory().get_absolute_url()
    plain = client.get(url).content

    first = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert first["X-Page-Cache"] == "hit" and first["Content-Encoding"] == "gzip"
    assert first["Content-Length"] == str(len(first.content))
    assert gzip.decompress(first.content) == plain
    assert "Accept-Encoding" in first["Vary"]
    assert first["ETag"] == client.get(url)["ETag"]
    # The next gzip hit sends the kept bytes (planted here to tell them apart).
    key = page_cache_key(RequestFactory().get(url))
    kept = gzip.compress(plain.replace(b"</html>", b"<!-- kept --></html>"))
    cache.set(key, tuple(entry_for(url)._replace(encodings=(("gzip", kept),))))
    assert client.get(url, HTTP_ACCEPT_ENCODING="gzip").content == kept

    identity = client.get(url)
    assert not identity.has_header("Content-Encoding") and identity.content == plain
    assert identity["Content-Length"] == str(len(plain))
    assert "Accept-Encoding" in identity["Vary"]
    zstd = client.get(url, HTTP_ACCEPT_ENCODING="zstd, br, gzip")
    assert zstd["Content-Encoding"] == "zstd"
    assert {coding for coding, _ in entry_for(url).encodings} == {"gzip", "zstd"}
    assert client.get(url, HTTP_ACCEPT_ENCODING="gzip").content == kept


def test_a_new_render_drops_the_kept_codings_of_the_old_body(client):
    model = LanguageModelFactory(name="Coded Before")
    url = model.get_absolute_url()
    client.get(url)
    client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    model.name = "Coded After"
    model.save()
    fresh = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert fresh["X-Page-Cache"] == "miss"
    assert b"Coded After" in gzip.decompress(fresh.content)
    again = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert again["X-Page-Cache"] == "hit"
    assert b"Coded After" in gzip.decompress(again.content)


# --- on Redis: the shared copy of the version ------------------------------------------


@needs_redis_server
def test_on_redis_a_hit_runs_no_sql_and_an_edit_shows_at_once(
    own_redis, client, django_assert_num_queries
):
    a, b = spread_catalog(2)
    url = compare_url(a.slug, b.slug)
    client.get(url)
    with django_assert_num_queries(0):
        assert client.get(url)["X-Page-Cache"] == "hit"

    a.name = "Renamed On Redis"
    a.save()  # publishes the new version before the commit
    assert version_copy(own_redis) == current_version()
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Renamed On Redis" in response.content.decode()
    with django_assert_num_queries(0):
        assert client.get(url)["X-Page-Cache"] == "hit"


@needs_redis_server
@pytest.mark.parametrize("page", ["model page", "comparison page"])
def test_on_redis_a_missing_copy_is_read_from_the_database_and_published(
    own_redis, client, django_assert_num_queries, page
):
    # A model page is kept per version; a comparison page records what it shows.
    if page == "model page":
        url = LanguageModelFactory().get_absolute_url()
    else:
        a, b = spread_catalog(2)
        url = compare_url(a.slug, b.slug)
    client.get(url)
    own_redis.client().delete(cache.make_and_validate_key(SHARED_VERSION_KEY))  # expired
    with django_assert_num_queries(1):
        assert client.get(url)["X-Page-Cache"] == "hit"
    assert version_copy(own_redis) == current_version()
    with django_assert_num_queries(0):
        assert client.get(url)["X-Page-Cache"] == "hit"


@needs_redis_server
def test_the_copy_never_moves_back(own_redis):
    newer = bump_catalog_version()
    older = Version(newer.number - 1, newer.changed_at, newer.structure)
    cache.set_raw_if_newer(SHARED_VERSION_KEY, older.number, encode_version(older), 10)
    assert version_copy(own_redis) == newer  # a request that read before the edit

    # The same number with other instants (a bump whose transaction rolled back, then a
    # new one): the later write wins.
    again = Version(newer.number, older.changed_at.replace(year=2031), newer.structure)
    cache.set_raw_if_newer(SHARED_VERSION_KEY, again.number, encode_version(again), 10)
    assert version_copy(own_redis) == again
    ttl = own_redis.client().pttl(cache.make_and_validate_key(SHARED_VERSION_KEY))
    assert 0 < ttl <= 10_000


@needs_redis_server
def test_a_bump_redis_did_not_hear_of_deletes_the_copy_when_it_answers_again(
    own_redis, client, django_assert_num_queries
):
    model = LanguageModelFactory(name="Before Outage")
    url = model.get_absolute_url()
    client.get(url)
    assert version_copy(own_redis) is not None
    backend = caches["default"]

    def unreachable(*args, **kwargs):
        raise RedisConnectionError("Redis unreachable from this host")

    backend.__dict__["_set_if_newer"] = unreachable  # the copy's write is lost
    model.name = "During Outage"
    model.save()
    del backend.__dict__["_set_if_newer"]
    assert version_copy(own_redis) != current_version()  # Redis still holds the old one

    backend._outage.next_attempt = 0  # the retry interval has passed
    response = client.get(url)
    assert "During Outage" in response.content.decode()
    assert response["X-Page-Cache"] == "miss"
    assert version_copy(own_redis) == current_version()  # deleted, then read and published


def test_a_copy_that_cannot_be_read_counts_as_none():
    version = bump_catalog_version()
    raw = encode_version(version).encode()
    assert decode_version(raw) == version
    assert decode_version(raw).token == version.token
    for raw in (None, b"", b"garbage", b"1|not a date|2|", "é".encode("latin-1")):
        assert decode_version(raw) is None


@needs_redis_server
def test_on_redis_a_cached_api_answer_runs_no_sql_and_an_edit_shows_at_once(
    own_redis, client, django_assert_num_queries
):
    model = LanguageModelFactory(name="API Before")
    url = f"/api/v1/models/{model.slug}/"
    client.get(url)
    with django_assert_num_queries(0):
        hit = client.get(url)
    assert hit.status_code == 200 and hit.json()["name"] == "API Before"

    model.name = "API After"
    model.save()  # publishes the new version: the stored answer's no longer matches
    fresh = client.get(url)
    assert fresh.json()["name"] == "API After"
    assert fresh["ETag"] != hit["ETag"]
    with django_assert_num_queries(0):
        assert client.get(url).json()["name"] == "API After"

    own_redis.client().delete(cache.make_and_validate_key(SHARED_VERSION_KEY))  # expired
    with django_assert_num_queries(1):  # the database's version, published again
        assert client.get(url)["ETag"] == fresh["ETag"]
    assert version_copy(own_redis) == current_version()


def test_a_cached_api_answer_built_at_another_version_is_never_served(client):
    model = LanguageModelFactory(name="Version Before")
    url = f"/api/v1/models/{model.slug}/"
    assert client.get(url).json()["name"] == "Version Before"
    model.name = "Version After"
    model.save()
    assert client.get(url).json()["name"] == "Version After"
