"""The change log (/api/v1/changes/): what each edit writes, paging by watermark, bad
input, and the tombstones gone records leave (410, 301). The sync client's end-to-end
run is in test_change_log_sync.py."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.models import ChangeEvent, LanguageModel
from catalog.seeding import load_document
from catalog.services import PriceInput, record_price


def test_events_say_what_happened_in_order(api, catalog):
    start = ChangeEvent.objects.count()
    beta = catalog["beta"]
    beta.slug = "beta-two"
    beta.save()
    beta.delete()
    events = list(ChangeEvent.objects.order_by("pk")[start:].values_list("resource", "action"))
    assert ("model", "renamed") in events
    assert events[-1] == ("model", "deleted")
    assert ("offering", "deleted") in events
    renamed = ChangeEvent.objects.get(action="renamed")
    assert (renamed.old_key, renamed.key) == ("beta-2", "beta-two")


def test_a_new_price_in_force_is_one_update_of_its_offering_and_its_model(catalog):
    offering = catalog["beta"].offerings.get()
    start = ChangeEvent.objects.latest("pk").pk
    record_price(offering=offering, price=PriceInput(input=Decimal("2"), output=Decimal("8")))
    assert offering.current_price.input == Decimal("2")  # the current price moved
    events = list(ChangeEvent.objects.filter(pk__gt=start).values_list("resource", "action", "key"))
    assert sorted(events) == [
        ("model", "updated", "beta-2"),
        ("offering", "updated", str(offering.pk)),
    ]


def test_a_change_writes_its_events_and_those_it_causes_in_one_insert(catalog):
    draft = catalog["draft"]
    draft.status = LanguageModel.Status.PUBLISHED
    with CaptureQueriesContext(connection) as queries:
        draft.save()
    inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "catalog_changeevent"')]
    assert len(inserts) == 1
    actions = ChangeEvent.objects.order_by("-pk").values_list("resource", "action")[:2]
    assert set(actions) == {("model", "created"), ("offering", "created")}


def test_drafts_write_no_events(catalog):
    start = ChangeEvent.objects.count()
    draft = catalog["draft"]
    draft.name = "Secret 3b"
    draft.save()
    draft.offerings.get().aliases.create(alias="secret")
    draft.delete()
    assert ChangeEvent.objects.count() == start


def test_pages_follow_the_watermark_to_the_end(api, catalog):
    ids = list(ChangeEvent.objects.values_list("pk", flat=True))
    seen, url, latest = [], "/api/v1/changes/?page_size=2", None
    while url:
        page = api.get(url).json()
        latest = latest or page["latest"]
        seen += [event["id"] for event in page["results"]]
        if page["results"]:
            assert page["watermark"] == page["results"][-1]["id"]
        url = page["next"]
    assert seen == ids and latest == ids[-1]
    last = api.get(f"/api/v1/changes/?since={ids[-1]}").json()
    assert last == {"next": None, "watermark": ids[-1], "latest": ids[-1], "results": []}


def test_an_event_names_the_record_and_its_url(api, catalog):
    catalog["cloud"].slug = "cloud-1"
    catalog["cloud"].save()
    event = api.get("/api/v1/changes/").json()["results"]
    renamed = next(e for e in event if e["action"] == "renamed")
    assert renamed["resource"] == "provider"
    assert (renamed["old_key"], renamed["key"]) == ("cloud-one", "cloud-1")
    assert renamed["url"] == f"{settings.SITE_URL}/api/v1/providers/cloud-1/"
    assert api.get(renamed["url"]).status_code == 200


@pytest.mark.parametrize(
    "query",
    ["since=abc", "since=-1", "since=", "since=1.5", "since=99999999999999999999", "since=%00"],
)
def test_a_bad_watermark_is_a_400_naming_it(api, catalog, query):
    response = api.get(f"/api/v1/changes/?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and list(body["errors"]) == ["since"]
    assert "since" in body["message"]


def test_a_watermark_ahead_of_the_log_says_to_walk_again(api, catalog):
    latest = ChangeEvent.objects.latest("pk").pk
    response = api.get(f"/api/v1/changes/?since={latest + 10}")
    assert response.status_code == 400
    assert "Walk the full catalog again" in response.json()["message"]


@pytest.mark.parametrize("size", ["0", "1001", "x"])
def test_a_bad_page_size_is_a_400(api, catalog, size):
    response = api.get(f"/api/v1/changes/?page_size={size}")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["page_size"]


@pytest.mark.parametrize("events", [3, 300])
def test_the_change_log_costs_a_fixed_number_of_queries(
    api, catalog, django_assert_max_num_queries, events
):
    for index in range(events // 3):
        catalog["alpha"].description = f"Edit {index}"
        catalog["alpha"].save()
    for url in ("/api/v1/changes/", "/api/v1/changes/?since=2&page_size=1000"):
        with django_assert_max_num_queries(4):
            response = api.get(url)
        assert response.status_code == 200
        assert response.json()["results"]


def test_a_deleted_model_answers_410_with_its_tombstone(api, catalog):
    offering_id = catalog["beta"].offerings.get().pk
    catalog["beta"].delete()
    response = api.get("/api/v1/models/beta-2/")
    assert response.status_code == 410
    body = response.json()
    assert body["code"] == "gone"
    tombstone = body["tombstone"]
    assert (tombstone["resource"], tombstone["key"], tombstone["action"]) == (
        "model",
        "beta-2",
        "deleted",
    )
    assert tombstone["at"].startswith(timezone.now().date().isoformat())
    assert api.get(f"/api/v1/offerings/{offering_id}/").status_code == 410


def test_an_unpublished_model_answers_410_and_comes_back_when_republished(api, catalog):
    beta = catalog["beta"]
    beta.status = LanguageModel.Status.DRAFT
    beta.save()
    response = api.get("/api/v1/models/beta-2/")
    assert response.status_code == 410
    assert response.json()["tombstone"]["action"] == "unpublished"
    beta.status = LanguageModel.Status.PUBLISHED
    beta.save()
    assert api.get("/api/v1/models/beta-2/").status_code == 200


def test_an_old_slug_answers_301_to_the_new_url(api, catalog):
    beta = catalog["beta"]
    beta.slug = "beta-two"
    beta.save()
    response = api.get("/api/v1/models/beta-2/?format=json")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/models/beta-two/?format=json"
    assert api.get("/api/v1/models/never-was/").status_code == 404


def test_the_model_page_redirects_an_old_slug_and_says_a_removed_model_is_gone(client, catalog):
    beta = catalog["beta"]
    beta.slug = "beta-two"
    beta.save()
    response = client.get("/models/beta-2/")
    assert response.status_code == 301 and response["Location"] == "/models/beta-two/"
    beta.delete()
    response = client.get("/models/beta-two/")
    assert response.status_code == 410
    assert "no longer listed" in response.content.decode()
    assert client.get("/models/never-was/").status_code == 404


def test_the_seed_loader_writes_created_events_in_bulk(db):
    document = {
        "organizations": [{"slug": "lab", "name": "Lab"}],
        "providers": [{"slug": "host", "name": "Host", "kind": "inference"}],
        "models": [
            {
                "name": "Seeded 1",
                "organization": "lab",
                "context_window": 8000,
                "offerings": [
                    {
                        "provider": "host",
                        "provider_model_id": "seeded-1",
                        "prices": [{"effective_date": "2026-01-01", "input": "1", "output": "2"}],
                    }
                ],
            }
        ],
    }
    with CaptureQueriesContext(connection) as queries:
        load_document(document)
    # Four records, one insert of events: not a write per record.
    inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "catalog_changeevent"')]
    assert len(inserts) == 1
    events = set(ChangeEvent.objects.values_list("resource", "action", "key"))
    offering_id = str(LanguageModel.objects.get().offerings.get().pk)
    assert events == {
        ("organization", "created", "lab"),
        ("provider", "created", "host"),
        ("model", "created", "seeded-1"),
        ("offering", "created", offering_id),
    }
