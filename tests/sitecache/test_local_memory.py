"""sitecache.backends.LocalMemoryCache: Django's local-memory cache, except that a stored
page or API answer (immutable values only) is handed back as it is, not unpickled."""

from __future__ import annotations

import os
import pickle

import pytest
from django.core.cache import cache, caches
from django.test import RequestFactory

from sitecache.backends import LocalMemoryCache, is_immutable
from sitecache.middleware import page_cache_key
from tests.factories import LanguageModelFactory


@pytest.fixture
def memory():
    store = LocalMemoryCache("test-local-memory", {"OPTIONS": {"MAX_ENTRIES": 3}})
    store.clear()
    yield store
    store.clear()


@pytest.fixture
def local_memory(settings):
    """The default cache as it is without REDIS_URL (the Redis pass of CI sets it)."""
    settings.CACHES = {"default": {"BACKEND": "sitecache.backends.LocalMemoryCache"}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def no_pickle_loads(monkeypatch):
    calls = []
    real = pickle.loads

    def counting(data, *args, **kwargs):
        calls.append(len(data))
        return real(data, *args, **kwargs)

    monkeypatch.setattr("sitecache.backends.pickle.loads", counting)
    return calls


@pytest.mark.parametrize(
    ("value", "immutable"),
    [
        (b"body", True),
        ("text", True),
        (None, True),
        (3, True),
        (("text/html", b"body", (("gzip", b"z"),), "token"), True),
        (("text/html", b"body", {"gzip": b"z"}), False),  # a dict can change
        (["a"], False),
        ((["a"],), False),
        (frozenset({"a"}), False),  # not a type it knows: pickled, to be safe
    ],
)
def test_what_counts_as_immutable(value, immutable):
    assert is_immutable(value) is immutable


def test_an_immutable_value_comes_back_as_the_object_that_was_set(memory, no_pickle_loads):
    entry = ("application/json", b"x" * 700_000, "W/etag", (("gzip", b"z" * 10),), "v1")
    memory.set("answer", entry)
    assert memory.get("answer") is entry
    assert memory.get_many(["answer"]) == {"answer": entry}
    assert no_pickle_loads == []


def test_a_mutable_value_is_still_a_copy_of_its_own(memory):
    value = {"history": [1, 2]}
    memory.set("throttle", value)
    first = memory.get("throttle")
    first["history"].append(3)
    assert first is not value and memory.get("throttle") == {"history": [1, 2]}


def test_the_rest_of_the_cache_contract_holds(memory):
    assert memory.add("n", 1) is True and memory.add("n", 5) is False
    assert memory.incr("n", 2) == 3 and memory.get("n") == 3
    with pytest.raises(ValueError):
        memory.incr("missing")
    memory.set("gone", b"x", timeout=-1)  # already expired
    assert memory.get("gone", "default") == "default"
    for key in ("a", "b", "c", "d"):  # MAX_ENTRIES 3: the oldest are culled
        memory.set(key, key)
    assert memory.get("d") == "d"
    assert len(memory._cache) <= 3
    memory.delete("d")
    assert memory.get("d") is None


def test_it_is_the_default_cache_without_redis():
    if os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is set: the default cache is Redis")
    assert type(caches["default"]) is LocalMemoryCache


@pytest.mark.django_db
@pytest.mark.usefixtures("local_memory")
def test_a_cached_page_hit_unpickles_nothing(client, no_pickle_loads):
    model = LanguageModelFactory(name="Kept As Is")
    url = model.get_absolute_url()
    first = client.get(url)
    no_pickle_loads.clear()
    hit = client.get(url)
    assert hit["X-Page-Cache"] == "hit" and hit.content == first.content
    assert no_pickle_loads == []
    stored = cache.get(page_cache_key(RequestFactory().get(url)))
    assert stored[2] == first.content


@pytest.mark.django_db
@pytest.mark.usefixtures("local_memory")
def test_a_cached_api_answer_unpickles_nothing(client, no_pickle_loads):
    LanguageModelFactory(name="Listed As Is")
    first = client.get("/api/v1/models/")
    no_pickle_loads.clear()
    again = client.get("/api/v1/models/")
    assert again.status_code == 200 and again.content == first.content
    # Throttle histories (lists) are still pickled; the stored answer, which holds the
    # body, is not.
    assert all(size < len(first.content) for size in no_pickle_loads)
