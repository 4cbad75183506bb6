"""Pages and API answers each process keeps decoded (sitecache.backends.KeptValues): on
Redis a hit on one of them reads only the copy of the catalog version, and a kept value
is served only while the copy says it is as right as the stored entry would be."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from catalog.pairs import compare_url
from sitecache.backends import KeptValues, size_of
from sitecache.dependencies import version_fingerprint
from sitecache.middleware import Entry, page_cache_key
from sitecache.versioning import current_version
from tests.comparisons.test_page_dependencies import spread_catalog
from tests.factories import LanguageModelFactory
from tests.redis_server import OwnRedis, needs_redis_server

pytestmark = pytest.mark.django_db


def redis_calls(server: OwnRedis) -> dict[str, int]:
    stats = server.client().info("commandstats")
    return {name: stats.get(f"cmdstat_{name}", {}).get("calls", 0) for name in ("get", "mget")}


def calls_since(server: OwnRedis, before: dict[str, int]) -> dict[str, int]:
    after = redis_calls(server)
    return {name: after[name] - before[name] for name in after}


def page_key(url: str) -> str:
    return cache.make_and_validate_key(page_cache_key(RequestFactory().get(url)))


# --- the bound ---------------------------------------------------------------------------


def test_kept_values_hold_at_most_their_bytes_dropping_the_oldest_first():
    kept = KeptValues(max_bytes=100)
    kept.put("a", b"x" * 40)
    kept.put("b", ("text/html", b"y" * 40, (("gzip", b"z" * 10),)))
    assert size_of(kept.get("b")) == 9 + 40 + 4 + 10  # the compressed forms counted too
    kept.put("c", b"w" * 30)  # 40 + 63 + 30 > 100: "a", the oldest, goes
    assert kept.get("a") is None and kept.get("b") is not None and kept.get("c") == b"w" * 30
    kept.put("b", b"v")  # replaced, not counted twice
    kept.put("d", b"u" * 60)
    assert kept.get("b") == b"v" and kept.get("d") == b"u" * 60
    kept.put("huge", b"h" * 101)  # larger than the bound: never kept
    assert kept.get("huge") is None and kept.get("d") is not None
    kept.forget("d")
    assert kept.get("d") is None
    kept.clear()
    assert kept.get("b") is None and kept.get("c") is None


# --- on Redis ----------------------------------------------------------------------------


@needs_redis_server
def test_a_kept_page_is_served_on_the_copy_of_the_version_alone(own_redis, client):
    a, b = spread_catalog(2)
    url = compare_url(a.slug, b.slug)
    body = client.get(url).content  # rendered, stored and kept
    before = redis_calls(own_redis)
    hit = client.get(url)
    assert hit["X-Page-Cache"] == "hit" and hit.content == body
    assert calls_since(own_redis, before) == {"get": 1, "mget": 0}  # the copy, not the page

    own_redis.client().delete(page_key(url))  # evicted from Redis: still right here
    assert client.get(url).content == body

    a.name = "Renamed While Kept"
    a.save()
    after_edit = client.get(url)
    assert after_edit["X-Page-Cache"] == "miss"
    assert "Renamed While Kept" in after_edit.content.decode()


@needs_redis_server
def test_a_page_kept_at_an_older_version_gives_way_to_the_entry_in_redis(own_redis, client):
    a, b, c = spread_catalog(3)
    url = compare_url(a.slug, b.slug)
    client.get(url)  # kept here, checked at this version
    c.context_window += 1000
    c.save()  # a new version; this page's content is unchanged
    # Another process checked the page at the new version and stored it (the body marked
    # so that it shows which entry is served).
    kept = Entry._make(cache.get(page_cache_key(RequestFactory().get(url))))
    theirs = kept._replace(
        body=kept.body.replace(b"</body>", b"<!-- theirs --></body>"),
        checked=version_fingerprint(current_version()),
        encodings=(),
    )
    own_redis.client().set(page_key(url), cache._cache._serializer.dumps(tuple(theirs)))

    before = redis_calls(own_redis)
    response = client.get(url)
    assert response["X-Page-Cache"] == "hit"
    assert b"<!-- theirs -->" in response.content  # Redis's entry, not the kept one
    assert calls_since(own_redis, before) == {"get": 1, "mget": 1}
    before = redis_calls(own_redis)
    assert b"<!-- theirs -->" in client.get(url).content  # now kept
    assert calls_since(own_redis, before) == {"get": 1, "mget": 0}


@needs_redis_server
def test_clearing_the_cache_forgets_what_is_kept(own_redis, client):
    url = LanguageModelFactory().get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    cache.clear()
    assert client.get(url)["X-Page-Cache"] == "miss"


@needs_redis_server
def test_a_kept_api_answer_is_served_on_the_copy_alone_and_never_after_an_edit(
    own_redis, client, django_assert_num_queries
):
    model = LanguageModelFactory(name="Kept Before")
    url = f"/api/v1/models/{model.slug}/"
    first = client.get(url)
    before = redis_calls(own_redis)
    with django_assert_num_queries(0):
        hit = client.get(url)
    assert hit.content == first.content and hit["ETag"] == first["ETag"]
    # The copy of the version, and the throttle's history of this client: not the answer.
    assert calls_since(own_redis, before) == {"get": 2, "mget": 0}

    model.name = "Kept After"
    model.save()
    assert client.get(url).json()["name"] == "Kept After"
