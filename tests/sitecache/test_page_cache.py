from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from catalog.services import PriceInput, record_price
from sitecache.middleware import page_cache_key
from sitecache.models import CatalogVersion
from sitecache.versioning import (
    RequestVersion,
    bump_catalog_version,
    current_version,
    request_version,
    version_memo,
)
from tests.admin_forms import change_form_data
from tests.factories import LanguageModelFactory, OfferingFactory, SourceFactory, gemini_seed_pair

pytestmark = pytest.mark.django_db


def test_every_kind_of_catalog_write_bumps_the_version():
    start = current_version().number
    model = LanguageModelFactory()
    after_create = current_version().number
    assert after_create > start

    model.name = "Renamed"
    model.save()
    after_save = current_version().number
    assert after_save > after_create

    model.sources.add(SourceFactory())
    after_m2m = current_version().number
    assert after_m2m > after_save

    model.delete()
    assert current_version().number > after_m2m


def test_the_version_read_matches_what_the_bump_stored(django_assert_num_queries):
    """current_version() reads the row with plain SQL: it must see exactly the number and
    instant (aware, UTC, to the microsecond) that a bump wrote, or ETags would drift."""
    bumped = bump_catalog_version()
    with django_assert_num_queries(1):
        read = current_version()
    stored = CatalogVersion.objects.get()
    assert read == bumped
    assert (read.number, read.changed_at) == (stored.version, stored.changed_at)
    assert read.changed_at.utcoffset() == timedelta(0)
    assert read.token == bumped.token


def test_recording_a_price_bumps_the_version():
    offering = OfferingFactory()
    before = current_version().number
    record_price(offering=offering, price=PriceInput(input=Decimal("1"), output=Decimal("2")))
    assert current_version().number > before


def test_second_visit_is_served_from_the_cache(client):
    model = LanguageModelFactory(name="Cached Model")
    url = model.get_absolute_url()
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    second = client.get(url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_a_cache_hit_costs_one_query(client, django_assert_max_num_queries):
    url = LanguageModelFactory().get_absolute_url()
    client.get(url)
    with django_assert_max_num_queries(1):
        assert client.get(url)["X-Page-Cache"] == "hit"


def test_an_edit_shows_at_once(client):
    model = LanguageModelFactory(name="Before Edit")
    url = model.get_absolute_url()
    assert "Before Edit" in client.get(url).content.decode()
    model.name = "After Edit"
    model.save()
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "After Edit" in response.content.decode()


def test_an_admin_edit_changes_the_public_page_at_once(editor_client):
    client = Client()  # an anonymous visitor, beside the logged-in editor
    model = LanguageModelFactory(name="Admin Before")
    url = model.get_absolute_url()
    etag = client.get(url)["ETag"]
    change_url = reverse("admin:catalog_languagemodel_change", args=[model.pk])
    data = change_form_data(editor_client.get(change_url))
    data["name"] = "Admin After"
    assert editor_client.post(change_url, data).status_code == 302
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "Admin After" in response.content.decode()


def test_matching_etag_answers_304(client):
    url = LanguageModelFactory().get_absolute_url()
    first = client.get(url)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""


def test_if_none_match_uses_the_weak_comparison_and_the_304_carries_the_validators(client):
    url = LanguageModelFactory().get_absolute_url()
    etag = client.get(url)["ETag"]
    assert etag.startswith('W/"')
    strong = etag.removeprefix("W/")
    for sent in (etag, strong, f'"other", {strong}', "*"):
        again = client.get(url, HTTP_IF_NONE_MATCH=sent)
        assert again.status_code == 304, sent
        assert again["ETag"] == etag
        assert again["Cache-Control"] and again["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH='W/"other"').status_code == 200


def test_if_modified_since_answers_304_until_the_catalog_changes(client):
    model = LanguageModelFactory()
    url = model.get_absolute_url()
    last_modified = client.get(url)["Last-Modified"]
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304


def is_stored(path: str) -> bool:
    """Whether the page cache holds `path`."""
    return cache.get(page_cache_key(RequestFactory().get(path))) is not None


def test_pages_for_logged_in_staff_are_never_cached(editor_client):
    url = LanguageModelFactory().get_absolute_url()
    for _ in range(2):
        response = editor_client.get(url)
        assert response.status_code == 200
        assert "X-Page-Cache" not in response
    assert not is_stored(url)  # staff requests store nothing...
    visitor = Client()
    assert visitor.get(url)["X-Page-Cache"] == "miss"
    assert is_stored(url)  # (the control: a visitor's request does)
    assert "X-Page-Cache" not in editor_client.get(url)  # ...nor read what is stored
    assert visitor.get(url)["X-Page-Cache"] == "hit"


def test_not_found_is_not_cached(client):
    page = LanguageModelFactory().get_absolute_url()
    assert client.get(page)["X-Page-Cache"] == "miss"
    assert is_stored(page)  # the control: the same client's 200 is stored
    for _ in range(2):
        response = client.get("/models/no-such-model/")
        assert response.status_code == 404
        assert "X-Page-Cache" not in response
    assert not is_stored("/models/no-such-model/")


def test_an_edit_changes_the_cached_api_answer_at_once(client):
    model = LanguageModelFactory(name="Api Before")
    url = f"/api/v1/models/{model.slug}/"
    first = client.get(url)
    assert first.json()["name"] == "Api Before"
    assert client.get(url).json()["name"] == "Api Before"  # served from the cache
    model.name = "Api After"
    model.save()
    second = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert second.json()["name"] == "Api After"
    assert second["Last-Modified"] != first["Last-Modified"] or second["ETag"] != first["ETag"]


def test_a_cached_api_list_costs_at_most_two_queries(client, django_assert_max_num_queries):
    LanguageModelFactory.create_batch(3)
    client.get("/api/v1/models/")
    with django_assert_max_num_queries(2):  # the version, and the throttle's nothing
        assert client.get("/api/v1/models/").status_code == 200


@pytest.mark.parametrize("page_cache", [True, False])
def test_a_new_price_shows_on_the_comparison_page_at_once(client, settings, page_cache):
    settings.PAGE_CACHE_ENABLED = page_cache  # also proves the per-model memo is fresh
    live, lite = gemini_seed_pair()
    url = f"/compare/{live.slug}-vs-{lite.slug}/"
    assert "$0.25 / 1M tokens" in client.get(url).content.decode()
    offering = lite.offerings.get(provider__slug="google-ai-studio")
    record_price(offering=offering, price=PriceInput(input=Decimal("0.21"), output=Decimal("1.5")))
    html = client.get(url).content.decode()
    assert "$0.21 / 1M tokens" in html


def test_a_warm_comparison_page_reuses_model_snapshots(
    client, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE_ENABLED = False
    live, lite = gemini_seed_pair()
    url = f"/compare/{live.slug}-vs-{lite.slug}/"
    client.get(url)
    # Version, models, the Comparison row: the models' own data comes from the memo.
    with django_assert_max_num_queries(3):
        assert client.get(url + "?blend=3:1").status_code == 200


def test_an_admin_price_edit_changes_the_cached_api_answer_at_once(editor_client):
    anonymous = Client()
    live, lite = gemini_seed_pair()
    url = f"/api/v1/comparisons/{live.slug}-vs-{lite.slug}/"
    before = anonymous.get(url).json()
    assert anonymous.get(url).json() == before  # cached
    change_url = reverse("admin:catalog_languagemodel_change", args=[lite.pk])
    data = change_form_data(editor_client.get(change_url))
    row = next(
        key.split("-")[1]
        for key, value in data.items()
        if key.endswith("-provider_model_id") and value == lite.slug
    )
    data[f"offerings-{row}-input"] = "0.20"
    assert editor_client.post(change_url, data).status_code == 302
    after = anonymous.get(url).json()
    assert after != before
    assert "$0.20" in str(after["provider_price_rows"])


def test_a_request_on_an_older_version_does_not_empty_the_newer_memo():
    older = current_version()
    newer = bump_catalog_version()
    token = request_version.set(RequestVersion(newer))
    try:
        version_memo("probe")["kept"] = 1
    finally:
        request_version.reset(token)
    token = request_version.set(RequestVersion(older))
    try:
        assert version_memo("probe") == {}  # its own, empty
    finally:
        request_version.reset(token)
    token = request_version.set(RequestVersion(newer))
    try:
        assert version_memo("probe") == {"kept": 1}
    finally:
        request_version.reset(token)
