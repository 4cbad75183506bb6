"""The admin index leads with what needs doing: stale records, open price-watch
findings, the review queue and others' price changes, each a count linking to its list."""

import re
from datetime import timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalog.models import LanguageModel
from catalog.services import PriceInput, record_price
from pricewatch.models import Finding
from tests.factories import (
    LanguageModelFactory,
    OfferingFactory,
    ProviderFactory,
    editor_group,
    offer,
)

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")


def start_panel(response) -> dict[str, tuple[str, str]]:
    """{row label: (link, count)} of the start panel."""
    panel = response.content.decode().split('id="editor-start"')[1].split("</table>")[0]
    rows = re.findall(r'<a href="([^"]+)">([^<]+)</a></th><td class="[\w-]+">([^<]+)<', panel)
    return {unescape(label): (unescape(url), count) for url, label, count in rows}


def listed(client, url) -> int:
    response = client.get(url)
    if "cl" in response.context:
        return response.context["cl"].result_count
    return len(response.context["events"])


@pytest.fixture
def work_to_do(django_user_model):
    today = timezone.localdate()
    LanguageModelFactory(last_reviewed=today - timedelta(days=400))
    fresh = LanguageModelFactory()
    OfferingFactory(model=fresh, last_reviewed=None)
    LanguageModelFactory(name="Proposed", status=LanguageModel.Status.DRAFT)
    disputed = offer(fresh, ProviderFactory())
    for field, status in (("input", "open"), ("output", "open"), ("cache_read", "dismissed")):
        Finding.objects.create(
            source="openrouter",
            offering=disputed,
            provider=disputed.provider,
            provider_model_id="x",
            field=field,
            status=status,
            first_seen=timezone.now(),
            last_seen=timezone.now(),
        )
    # A change by an import (no user) and one by another editor.
    record_price(offering=disputed, price=PriceInput(Decimal("2"), Decimal("8")))
    other = django_user_model.objects.create_user(username="otto", is_staff=True)
    other.groups.add(editor_group())
    colleague = Client()
    colleague.force_login(other)
    offering = offer(LanguageModelFactory(), ProviderFactory(), input="1", output="4")
    workbench = reverse("admin:catalog_offering_workbench")
    data = {
        "offering": str(offering.pk),
        f"o{offering.pk}-input": "1.1",
        f"o{offering.pk}-output": "4",
        f"o{offering.pk}-effective_date": today.isoformat(),
    }
    assert colleague.post(workbench, data).status_code == 302
    return offering


def test_the_start_panel_counts_what_needs_doing_and_links_to_it(editor_client, work_to_do):
    # The editor's own change is not "by others".
    mine = work_to_do
    data = {
        "offering": str(mine.pk),
        f"o{mine.pk}-input": "1.2",
        f"o{mine.pk}-output": "4",
        f"o{mine.pk}-effective_date": timezone.localdate().isoformat(),
    }
    assert editor_client.post(reverse("admin:catalog_offering_workbench"), data).status_code == 302

    rows = start_panel(editor_client.get(INDEX))
    counts = {label: count for label, (_url, count) in rows.items()}
    assert counts == {
        "Stale models": "1",
        "Stale offerings": "1",
        "Open price-watch findings": "2",
        "New from sources (review queue)": "1",
        "Price changes by others, last 7 days": "4",
    }
    for label, (url, count) in rows.items():
        assert listed(editor_client, url) == int(count), label
    others = editor_client.get(rows["Price changes by others, last 7 days"][0])
    who = {event.who for event in others.context["events"]}
    assert who == {"", "otto"}  # imports and the colleague, never the editor herself
    everyone = editor_client.get(reverse("admin:catalog_price_recent_changes"))
    assert "edith" in {event.who for event in everyone.context["events"]}


def test_the_start_panel_leads_the_index_and_opens_the_workbench(editor_client):
    html = editor_client.get(INDEX).content.decode()
    assert html.index('id="editor-start"') < html.index('id="content-related"')
    assert html.index('id="editor-start"') < html.index("app-catalog")
    assert f'href="{reverse("admin:catalog_offering_workbench")}">Price workbench<' in html


def test_staff_without_permissions_see_no_counts(django_user_model, work_to_do):
    staffer = django_user_model.objects.create_user(username="staffer", is_staff=True)
    client = Client()
    client.force_login(staffer)
    assert 'id="editor-start"' not in client.get(INDEX).content.decode()


@pytest.mark.parametrize("size", [5, 50])
def test_the_start_page_runs_a_bounded_number_of_queries(
    editor_client, django_assert_max_num_queries, size
):
    provider = ProviderFactory()
    for _ in range(size):
        offering = offer(LanguageModelFactory(last_reviewed=None), provider)
        record_price(offering=offering, price=PriceInput(Decimal("3"), Decimal("9")))
    # Session, user, permissions (2), the admin's recent actions; the panel: models
    # (stale and drafts), stale offerings, findings, others' price changes (3).
    with django_assert_max_num_queries(11):
        response = editor_client.get(INDEX)
    assert start_panel(response)["Stale models"][1] == str(size)
