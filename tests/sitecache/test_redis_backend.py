"""The Redis cache's storage format and client (sitecache.backends): large values are
stored compressed and read back intact, counters stay plain integers, and entries written
in Django's own format are still read. A redis-server of the test's own."""

import pickle

from django.core.cache import cache

from sitecache.backends import CompressingSerializer
from tests.redis_server import OwnRedis, needs_redis_server

pytestmark = needs_redis_server


def stored(server: OwnRedis, key: str) -> bytes:
    return server.client().get(cache.make_and_validate_key(key))


def test_a_page_is_stored_compressed_and_read_back_byte_for_byte(own_redis):
    body = ("<tr><td>Synthetic Model</td><td>$1.25</td></tr>\n" * 1500).encode()
    cache.set("page:1:abc", (body, "text/html; charset=utf-8"), 60)

    raw = stored(own_redis, "page:1:abc")
    assert raw.startswith(CompressingSerializer.MARKER)
    assert len(raw) < len(body) / 5
    assert cache.get("page:1:abc") == (body, "text/html; charset=utf-8")
    assert cache.get_many(["page:1:abc"]) == {"page:1:abc": (body, "text/html; charset=utf-8")}


def test_small_values_and_counters_are_stored_as_django_stores_them(own_redis):
    cache.set("small", {"a": 1}, 60)
    assert stored(own_redis, "small") == pickle.dumps({"a": 1}, pickle.HIGHEST_PROTOCOL)
    cache.set("attempts", 1, 60)
    assert cache.incr("attempts") == 2
    assert stored(own_redis, "attempts") == b"2"
    assert cache.get("attempts") == 2


def test_entries_written_before_compression_are_still_read(own_redis):
    old = pickle.dumps((b"x" * 10_000, "text/html"), pickle.HIGHEST_PROTOCOL)
    own_redis.client().set(cache.make_and_validate_key("old"), old)
    assert cache.get("old") == (b"x" * 10_000, "text/html")


def test_the_redis_client_is_built_once_not_per_call(own_redis):
    # Django's client built a redis.Redis per call: about 60 us of a 240 us page hit.
    backend = cache._cache
    first = backend.get_client("a")
    cache.set("a", 1, 60)
    assert backend.get_client("b", write=True) is first
    assert cache.get("a") == 1
