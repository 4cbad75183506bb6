"""A partner's mirror, synced from the change log (/api/v1/changes/) over real HTTP after
edits of every kind, equals a fresh full walk of the API after each.

In a file of its own: its transactional database is emptied afterwards (the Editor group
and other migrated rows with it), and pytest-django runs such files after the others."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import requests
from django.utils import timezone

from catalog.models import BenchmarkScore, LanguageModel, Source
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
    # Links in answers are built on SITE_URL (sitecache.site_url): here, this server.
    settings.SITE_URL = live_server.url
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
