"""The page and API caches are keyed on what a page reads, are bounded, and serve nothing
that depends on the Host a request named (issue #14, item 7)."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.test import Client

from sitecache.versioning import SHARED_VERSION_KEY
from tests.factories import LanguageModelFactory, gemini_seed_pair

pytestmark = pytest.mark.django_db

OTHER_HOST = "localhost"  # allowed (ALLOWED_HOSTS), but not the site's canonical address
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def stored_entries() -> int:
    """How many entries the default cache holds (this process's memory or Redis), the
    shared copy of the catalog version aside."""
    if hasattr(cache, "_fallback"):  # sitecache.backends.FailoverRedisCache
        redis = cache._cache.get_client(write=False)
        version_copy = redis.exists(cache.make_and_validate_key(SHARED_VERSION_KEY))
        return redis.dbsize() - version_copy + len(cache._fallback._cache)
    return len(cache._cache)


def locs(body: bytes) -> list[str]:
    return [element.text for element in ElementTree.fromstring(body).iter(f"{SITEMAP_NS}loc")]


def test_parameters_a_page_does_not_read_add_nothing_to_the_cache(client):
    url = LanguageModelFactory().get_absolute_url()
    first = client.get(url)
    before = stored_entries()
    for index in range(20):
        response = client.get(f"{url}?utm_source=campaign-{index}&fbclid={index}")
        assert response.status_code == 200
        assert response["X-Page-Cache"] == "hit"
        assert response.content == first.content
        assert response["ETag"] == first["ETag"]
    assert stored_entries() == before


def test_an_ignored_parameter_cannot_change_the_page_others_are_served(client):
    """The models list marks itself noindex when filtered: a campaign parameter must not
    render (and cache) the unfiltered list as noindex."""
    LanguageModelFactory()
    tagged = client.get("/models/?utm_source=newsletter")
    assert b'name="robots"' not in tagged.content
    plain = client.get("/models/")
    assert plain["X-Page-Cache"] == "hit"
    assert b'name="robots"' not in plain.content


def test_the_parameters_a_page_reads_still_give_their_own_page(client):
    gemini_seed_pair()
    url = "/compare/gemini-2-5-flash-live-api-vs-gemini-3-1-flash-lite/"
    default = client.get(url)
    blended = client.get(f"{url}?blend=3:1&utm_source=x")
    assert blended["X-Page-Cache"] == "miss"
    assert blended.content != default.content
    assert client.get(f"{url}?blend=3:1")["X-Page-Cache"] == "hit"


def test_the_order_of_parameters_does_not_make_a_new_entry(client):
    LanguageModelFactory()
    assert client.get("/models/?sort=name&open_weights=true")["X-Page-Cache"] == "miss"
    assert client.get("/models/?open_weights=true&sort=name")["X-Page-Cache"] == "hit"


def test_a_page_larger_than_the_entry_limit_is_served_but_not_stored(client, settings):
    url = LanguageModelFactory().get_absolute_url()
    settings.PAGE_CACHE_MAX_ENTRY_BYTES = 1000
    first = client.get(url)
    assert first.status_code == 200 and len(first.content) > 1000
    assert client.get(url).get("X-Page-Cache") != "hit"
    assert stored_entries() == 0


def test_the_cache_in_process_memory_has_an_entry_cap(settings):
    default = caches["default"]
    memory = getattr(default, "_fallback", default)
    assert isinstance(memory, LocMemCache)
    assert memory._max_entries == settings.CACHE_MAX_ENTRIES


@pytest.mark.parametrize(
    "path", ["/sitemap.xml", "/sitemap-models.xml", "/sitemap-comparisons.xml"]
)
def test_sitemaps_name_the_canonical_site_whatever_host_was_asked(client, settings, path):
    for index in range(3):
        LanguageModelFactory(name=f"Model {index}")
    poisoned = client.get(path, HTTP_HOST=OTHER_HOST)
    later = Client().get(path)
    for response in (poisoned, later):
        assert response.status_code == 200
        found = locs(response.content)
        assert found and all(loc.startswith(f"{settings.SITE_URL}/") for loc in found)
        assert OTHER_HOST not in response.content.decode()


def test_the_feed_links_to_the_canonical_site_whatever_host_was_asked(client, settings):
    client.get("/changes/feed/", HTTP_HOST=OTHER_HOST)
    body = Client().get("/changes/feed/").content.decode()
    assert f'href="{settings.SITE_URL}/changes/"' in body
    assert OTHER_HOST not in body


def test_canonical_links_name_the_canonical_site_whatever_host_was_asked(client, settings):
    url = LanguageModelFactory().get_absolute_url()
    body = client.get(url, HTTP_HOST=OTHER_HOST).content.decode()
    assert f'<link rel="canonical" href="{settings.SITE_URL}{url}">' in body
    assert OTHER_HOST not in body


def test_api_next_links_name_the_canonical_site_whatever_host_was_asked(client, settings):
    LanguageModelFactory.create_batch(3)
    poisoned = client.get("/api/v1/models/?page_size=1", HTTP_HOST=OTHER_HOST).json()
    later = Client().get("/api/v1/models/?page_size=1").json()
    for answer in (poisoned, later):
        assert answer["next"].startswith(f"{settings.SITE_URL}/api/v1/models/?")
        assert OTHER_HOST not in answer["next"]


def test_api_parameters_it_does_not_read_add_nothing_and_are_not_echoed(client):
    """The API refuses what it does not read (a 400 naming it, never cached); what it
    reads is keyed in one order, so the order a caller writes them in adds nothing."""
    LanguageModelFactory.create_batch(3)
    first = client.get("/api/v1/models/?page_size=1&vision=true").json()
    before = stored_entries()
    assert client.get("/api/v1/models/?vision=true&page_size=1").json() == first
    for index in range(10):
        refused = client.get(f"/api/v1/models/?utm_source=x{index}&page_size=1")
        assert refused.status_code == 400
        assert "utm_source" in refused.json()["errors"]
    assert stored_entries() == before
