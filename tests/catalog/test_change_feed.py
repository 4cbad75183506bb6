"""The change feed, /changes/feed/ (Atom) and /changes/feed.json (JSON Feed 1.1): every
change the change log records, price changes in their offering's item, with ?since=."""

import json
from decimal import Decimal
from xml.etree import ElementTree

import pytest

from catalog.models import ChangeEvent, LanguageModel
from catalog.services import PriceInput, record_price
from tests.factories import LanguageModelFactory, ProviderFactory, offer

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
JSON_FEED = "/changes/feed.json"


@pytest.fixture
def edited_catalog():
    """Created, updated (a price change), renamed, unpublished and deleted events."""
    model = LanguageModelFactory(name="GPT-4o", slug="gpt-4o")
    offering = offer(model, ProviderFactory(name="OpenAI", slug="openai"), input="2.5", output="10")
    record_price(offering=offering, price=PriceInput(input=Decimal("2"), output=Decimal("10")))
    renamed = LanguageModelFactory(name="Old Name", slug="old-name")
    renamed.slug, renamed.name = "new-name", "New Name"
    renamed.save()
    hidden = LanguageModelFactory(name="Hidden", slug="hidden")
    hidden.status = LanguageModel.Status.DRAFT
    hidden.save()
    LanguageModelFactory(name="Doomed", slug="doomed").delete()
    return offering


def json_feed(client, query: str = "") -> dict:
    response = client.get(f"{JSON_FEED}{query}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/feed+json; charset=utf-8"
    return json.loads(response.content)


def test_the_json_feed_has_json_feeds_required_fields(client, edited_catalog):
    feed = json_feed(client)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"]
    assert feed["feed_url"].endswith(JSON_FEED) and feed["home_page_url"].endswith("/changes/")
    assert feed["items"]
    for item in feed["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert isinstance(item["content_text"], str) and item["content_text"]
        assert item["url"].startswith("http")
        assert item["date_published"].endswith("+00:00")
    ids = [item["id"] for item in feed["items"]]
    assert len(set(ids)) == len(ids)


def test_the_feed_covers_every_kind_of_change_newest_first(client, edited_catalog):
    feed = json_feed(client)
    changes = [item["_change"] for item in feed["items"]]
    assert [c["id"] for c in changes] == sorted((c["id"] for c in changes), reverse=True)
    assert changes[0]["id"] == ChangeEvent.objects.latest("pk").pk
    assert {c["action"] for c in changes} == {
        "created",
        "updated",
        "renamed",
        "unpublished",
        "deleted",
    }
    titles = [item["title"] for item in feed["items"]]
    assert "Model renamed: old-name → New Name" in titles
    assert "Model unpublished: hidden" in titles
    assert "Model deleted: doomed" in titles
    assert "Model created: GPT-4o" in titles
    # The price change is in its offering's item, worded as /changes/ words it.
    assert "GPT-4o on OpenAI: Input $2.50 → $2 (−20%)" in titles
    price = next(i for i in feed["items"] if i["title"].endswith("(−20%)"))
    assert price["_change"]["resource"] == "offering"
    assert price["url"].endswith("/models/gpt-4o/")
    assert "per 1M tokens, effective" in price["content_text"]
    assert feed["_changes"] == {"watermark": changes[0]["id"], "latest": changes[0]["id"]}


def test_since_gives_the_events_after_the_watermark_and_pages_on(client, edited_catalog):
    latest = ChangeEvent.objects.latest("pk").pk
    feed = json_feed(client, f"?since={latest - 3}")
    assert [i["_change"]["id"] for i in feed["items"]] == [latest, latest - 1, latest - 2]
    assert "next_url" not in feed
    assert feed["_changes"]["watermark"] == latest
    assert json_feed(client, f"?since={latest}")["items"] == []
    # More events than a page holds: the oldest first, then next_url from the watermark.
    provider = ProviderFactory()
    for _ in range(30):
        offer(LanguageModelFactory(), provider)
    page = json_feed(client, f"?since={latest}")
    ids = [i["_change"]["id"] for i in page["items"]]
    assert len(ids) == 50 and min(ids) == latest + 1
    assert page["next_url"].endswith(f"{JSON_FEED}?since={max(ids)}")
    rest = json_feed(client, f"?since={max(ids)}")
    assert min(i["_change"]["id"] for i in rest["items"]) == max(ids) + 1


@pytest.mark.parametrize(
    ("since", "message"),
    [
        ("abc", "Enter a watermark"),
        ("", "Enter a watermark"),
        ("-1", "never negative"),
        ("1.5", "Enter a watermark"),
        ("99999999999999999999", "too large"),
        ("AHEAD", "ahead of the change log"),
    ],
)
@pytest.mark.parametrize("url", [JSON_FEED, "/changes/feed/"])
def test_a_bad_since_is_a_400_saying_why(client, edited_catalog, url, since, message):
    if since == "AHEAD":
        # Past the newest event (ids are not reset between tests on PostgreSQL).
        since = str(ChangeEvent.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1)
    response = client.get(f"{url}?since={since}")
    assert response.status_code == 400
    body = response.json()
    assert message in body["errors"]["since"][0]
    assert body["status"] == 400


def test_the_atom_feed_carries_the_same_items(client, edited_catalog):
    response = client.get("/changes/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    entries = ElementTree.fromstring(response.content).findall(f"{ATOM}entry")
    feed = json_feed(client)
    assert [e.find(f"{ATOM}id").text for e in entries] == [i["id"] for i in feed["items"]]
    assert [e.find(f"{ATOM}title").text for e in entries] == [i["title"] for i in feed["items"]]
    latest = ChangeEvent.objects.latest("pk").pk
    since = client.get(f"/changes/feed/?since={latest - 1}")
    assert len(ElementTree.fromstring(since.content).findall(f"{ATOM}entry")) == 1


def test_the_changes_page_links_both_feeds(client, edited_catalog):
    html = client.get("/changes/").content.decode()
    assert (
        '<link rel="alternate" type="application/feed+json" '
        'title="LLM catalog changes (JSON Feed)" href="/changes/feed.json">'
    ) in html
    assert 'type="application/atom+xml" title="LLM catalog changes (Atom)"' in html


# The version, the latest event, the events, the records they name (models, offerings,
# providers, organisations, benchmarks), and for offering events: where their stretch
# of price history starts, and that history.
MAX_FEED_QUERIES = 10


@pytest.mark.parametrize("size", [2, 20])
def test_the_feed_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries, size):
    provider = ProviderFactory()
    for _ in range(size):
        offering = offer(LanguageModelFactory(), provider, input="1", output="2")
        record_price(offering=offering, price=PriceInput(Decimal("0.5"), Decimal("2")))
    for url in (JSON_FEED, "/changes/feed/", f"{JSON_FEED}?since=1"):
        with django_assert_max_num_queries(MAX_FEED_QUERIES):
            assert client.get(url).status_code == 200
