"""The change log (/api/v1/changes/): a partner's mirror, synced from it after edits of
every kind, equals a fresh full walk of the API; gone records leave tombstones."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import requests
from django.utils import timezone

from catalog.models import BenchmarkScore, ChangeEvent, LanguageModel, Source
from catalog.services import PriceInput, record_price, refresh_current_prices
from pricewatch.models import OfferingCheck
from tests.factories import LanguageModelFactory, offer

# resource -> (list path, the field that keys it in its URL)
ENDPOINTS = {
    "model": ("/api/v1/models/", "slug"),
    "organization": ("/api/v1/organizations/", "slug"),
    "provider": ("/api/v1/providers/", "slug"),
    "offering": ("/api/v1/offerings/", "id"),
    "benchmark": ("/api/v1/benchmarks/", "slug"),
}


class SyncClient:
    """A partner's nightly sync, as the README describes it, over real HTTP."""

    def __init__(self, base_url: str):
        self.base = base_url
        self.http = requests.Session()

    def get(self, url: str) -> dict:
        response = self.http.get(url, timeout=10)
        assert response.status_code == 200, (url, response.status_code, response.text)
        return response.json()

    def full_walk(self) -> dict[str, dict[str, dict]]:
        """Every record of every list, by following `next` links (small pages, so the
        walk crosses several)."""
        mirror = {}
        for resource, (path, key) in ENDPOINTS.items():
            records, url = {}, f"{self.base}{path}?page_size=2"
            while url:
                page = self.get(url)
                for row in page["results"]:
                    records[str(row[key])] = row
                url = page["next"]
            mirror[resource] = records
        return mirror

    def latest(self) -> int:
        return self.get(f"{self.base}/api/v1/changes/?page_size=1")["latest"]

    def sync(self, mirror: dict, since: int) -> tuple[int, list[dict]]:
        """Apply the events after `since` to `mirror`; returns the new watermark and
        the events applied."""
        applied, url = [], f"{self.base}/api/v1/changes/?since={since}&page_size=3"
        while url:
            page = self.get(url)
            for event in page["results"]:
                records = mirror[event["resource"]]
                if event["action"] == "renamed":
                    records.pop(event["old_key"], None)
                if event["action"] in ("deleted", "unpublished"):
                    records.pop(event["key"], None)
                else:
                    response = self.http.get(event["url"], allow_redirects=False, timeout=10)
                    if response.status_code == 200:
                        records[event["key"]] = response.json()
                    else:  # removed or renamed since: a later event says so
                        assert response.status_code in (301, 410), response.text
                        records.pop(event["key"], None)
            applied += page["results"]
            since, url = page["watermark"], page["next"]
        return since, applied


def changed_records(before: dict, after: dict) -> list[tuple[str, str]]:
    return [
        (resource, key)
        for resource, records in after.items()
        for key, row in records.items()
        if key in before[resource] and before[resource][key] != row
    ]


@pytest.fixture
def sync_catalog(catalog):
    # A provider with a model that embeds it twice over (offerings on two providers),
    # a model the edits remove, and a price check to change.
    doomed = LanguageModelFactory(name="Doomed 4", organization=catalog["alpha"].organization)
    offer(doomed, catalog["host"], input="1", output="2")
    OfferingCheck.objects.create(
        offering=catalog["beta"].offerings.get(),
        source="litellm",
        agrees=True,
        checked_on=date(2026, 1, 1),
    )
    return {**catalog, "doomed": doomed}


def alias_added(c):
    c["alpha"].offerings.get(provider=c["cloud"]).aliases.create(alias="cloud/alpha-1")


def alias_removed(c):
    c["alpha"].offerings.get(provider=c["cloud"]).aliases.all().delete()


def source_added(c):
    c["beta"].sources.add(Source.objects.create(url="https://zeta.example/beta", title="Card"))


def source_retitled(c):
    Source.objects.filter(url="https://acme.example/alpha").update(title="x")  # no signal
    source = Source.objects.get(url="https://acme.example/alpha")
    source.title = "Alpha model card"
    source.save()


def score_deleted(c):
    BenchmarkScore.objects.get(model=c["alpha"]).delete()


def price_check_changed(c):
    check = OfferingCheck.objects.get()
    check.agrees, check.checked_on = False, date(2026, 2, 1)
    check.disagreements = [{"field": "input", "ours": "2.5", "theirs": "3"}]
    check.save()


TOMORROW = timezone.localdate() + timedelta(days=1)


def price_scheduled(c):
    record_price(
        offering=c["beta"].offerings.get(),
        price=PriceInput(Decimal("2.00"), Decimal("8.00")),
        effective_date=TOMORROW,
    )


def scheduled_price_takes_effect(c):
    assert refresh_current_prices(on=TOMORROW) == 1


def provider_renamed(c):
    c["cloud"].name = "Cloud Uno"
    c["cloud"].save()


def provider_slug_changed(c):
    c["host"].slug = "fast-host-2"
    c["host"].save()


def organization_renamed(c):
    c["alpha"].organization.name = "Acme Research"
    c["alpha"].organization.save()


def model_renamed(c):
    c["alpha"].slug, c["alpha"].name = "alpha-one", "Alpha One"
    c["alpha"].save()


def model_unpublished(c):
    c["beta"].status = LanguageModel.Status.DRAFT
    c["beta"].save()


def draft_published(c):
    c["draft"].status = LanguageModel.Status.PUBLISHED
    c["draft"].save()


def offering_deleted(c):
    c["alpha"].offerings.get(provider=c["host"]).delete()


def model_deleted(c):
    c["doomed"].delete()


EDITS = [
    alias_added,
    alias_removed,
    source_added,
    source_retitled,
    score_deleted,
    price_check_changed,
    price_scheduled,
    scheduled_price_takes_effect,
    provider_renamed,
    provider_slug_changed,
    organization_renamed,
    model_renamed,
    model_unpublished,
    draft_published,
    offering_deleted,
    model_deleted,
]


@pytest.fixture
def plain_http_server(live_server, settings):
    """The session's live server over plain HTTP, its middleware rebuilt with this
    test's settings (it was built before they applied), as tests/browser does."""
    settings.SECURE_SSL_REDIRECT = False
    settings.SECURE_HSTS_SECONDS = 0
    handler = live_server.thread.httpd.get_app()
    while handler is not None:
        handler.load_middleware()
        handler = getattr(handler, "application", None)
    return live_server


@pytest.mark.django_db(transaction=True)
def test_a_mirror_synced_from_the_change_log_equals_a_full_walk_after_every_edit(
    plain_http_server, sync_catalog
):
    client = SyncClient(plain_http_server.url)
    watermark = client.latest()
    mirror = client.full_walk()
    assert len(mirror["model"]) == 3 and len(mirror["offering"]) == 4
    for edit in EDITS:
        started = timezone.now()
        before = client.full_walk()
        edit(sync_catalog)
        watermark, events = client.sync(mirror, watermark)
        fresh = client.full_walk()
        assert mirror == fresh, edit.__name__
        assert events, f"{edit.__name__} wrote no event"
        # Every record whose representation changed moved its updated_at, so a partner
        # syncing with ?updated_since= finds it too.
        for resource, key in changed_records(before, fresh):
            stamp = fresh[resource][key]["updated_at"]
            assert stamp >= started.isoformat().replace("+00:00", "Z"), (edit.__name__, key)
    assert "beta-2" not in mirror["model"] and "doomed-4" not in mirror["model"]
    assert "alpha-one" in mirror["model"] and "secret-3" in mirror["model"]
    assert mirror["model"]["alpha-one"]["offerings"][0]["provider"]["name"] == "Cloud Uno"


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
    assert renamed["url"] == "http://testserver/api/v1/providers/cloud-1/"
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


def test_the_seed_loader_writes_created_events_in_bulk(db, django_assert_max_num_queries):
    from catalog.seeding import load_document

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
    load_document(document)
    events = set(ChangeEvent.objects.values_list("resource", "action", "key"))
    offering_id = str(LanguageModel.objects.get().offerings.get().pk)
    assert events == {
        ("organization", "created", "lab"),
        ("provider", "created", "host"),
        ("model", "created", "seeded-1"),
        ("offering", "created", offering_id),
    }
