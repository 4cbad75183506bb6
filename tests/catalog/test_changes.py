"""Price change history people can read: the admin pages, /changes/ and its feed."""

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from simple_history.models import HistoricalRecords

from catalog.changes import recent_price_changes, signed_percent
from catalog.models import LanguageModel
from catalog.services import PriceInput, record_price
from tests.admin_forms import change_form_data
from tests.factories import LanguageModelFactory, ProviderFactory, offer

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def changed_price(editor):
    """GPT-4o on OpenAI: $2.50 / $10 from January, $2 / $10 recorded today by Edith."""
    model = LanguageModelFactory(name="GPT-4o")
    offering = offer(model, ProviderFactory(name="OpenAI", slug="openai"), input="2.5", output="10")
    HistoricalRecords.context.request = SimpleNamespace(user=editor)
    try:
        record_price(offering=offering, price=PriceInput(input=Decimal("2"), output=Decimal("10")))
    finally:
        del HistoricalRecords.context.request
    return offering


def test_signed_percent():
    assert signed_percent(Decimal("25")) == "+25%"
    assert signed_percent(Decimal("-20")) == "−20%"
    assert signed_percent(Decimal("-0.4")) == "0%"
    assert signed_percent(None) == ""


def test_recent_changes_hold_who_when_old_new_and_percent(changed_price):
    latest, first = recent_price_changes()
    assert latest.offering == changed_price
    assert latest.who == "edith"
    assert [(c.field, c.old, c.new, c.percent) for c in latest.changes] == [
        ("input", Decimal("2.5"), Decimal("2"), Decimal("-20"))
    ]
    assert latest.lines == [
        {
            "field": "Input",
            "old": "$2.50",
            "new": "$2",
            "old_exact": "$2.50",
            "new_exact": "$2",
            "percent": "−20%",
        }
    ]
    assert first.is_new  # the January price, recorded when the offering was added


def test_a_check_date_update_is_not_a_price_change(changed_price):
    before = len(recent_price_changes())
    price = changed_price.prices.get(effective_date=date.today())
    price.checked_on = date.today() + timedelta(days=1)
    price.save()
    assert len(recent_price_changes()) == before


def test_admin_recent_changes_page(editor_client, changed_price):
    response = editor_client.get(reverse("admin:catalog_price_recent_changes"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "GPT-4o on OpenAI" in html
    assert "<td>edith</td>" in html
    assert "<td>$2.50</td>" in html and "<td>$2</td>" in html and "−20%" in html


def test_admin_recent_changes_query_count_does_not_grow(
    editor_client, changed_price, django_assert_max_num_queries
):
    provider = ProviderFactory()
    for n in range(8):
        offering = offer(LanguageModelFactory(), provider, input="1", output="2")
        record_price(offering=offering, price=PriceInput(input=Decimal(n + 2), output=Decimal(3)))
    with django_assert_max_num_queries(10):
        response = editor_client.get(reverse("admin:catalog_price_recent_changes"))
    html = response.content.decode()
    # One line per changed figure: the January price (input, output) and today's input.
    assert html.count("GPT-4o on OpenAI") == 3
    assert html.count("<td>Input</td>") == 2 * 9  # each offering: first price and change


def test_public_changes_page_lists_published_models_only(client, changed_price):
    draft = LanguageModelFactory(name="Secret Model", status=LanguageModel.Status.DRAFT)
    offer(draft, changed_price.provider, input="9", output="9")
    response = client.get("/changes/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "GPT-4o on OpenAI" in html and "−20%" in html
    assert "Secret Model" not in html
    assert "edith" not in html  # who changed it is for editors, not visitors
    assert f'href="{changed_price.model.get_absolute_url()}"' in html


def test_public_changes_page_query_count_does_not_grow(
    client, changed_price, django_assert_max_num_queries
):
    provider = ProviderFactory()
    for _ in range(8):
        offer(LanguageModelFactory(), provider)
    with django_assert_max_num_queries(4):
        client.get("/changes/")


def test_atom_feed(client, changed_price):
    """Every change (tests/catalog/test_change_feed.py); a price change reads as here."""
    response = client.get("/changes/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    titles = [e.find(f"{ATOM}title").text for e in entries]
    price = entries[titles.index("GPT-4o on OpenAI: Input $2.50 → $2 (−20%)")]
    assert price.find(f"{ATOM}link").get("href").endswith("/models/gpt-4o/")
    ids = {e.find(f"{ATOM}id").text for e in entries}
    assert len(ids) == len(entries)


def test_empty_changes_page(client):
    assert "No price changes recorded yet." in client.get("/changes/").content.decode()


def test_model_history_page_shows_who_and_field_changes(editor_client, changed_price):
    model = changed_price.model
    url = reverse("admin:catalog_languagemodel_change", args=[model.pk])
    data = change_form_data(editor_client.get(url))
    data["context_window"] = "200000"
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context and response.context.get("errors")
    history = editor_client.get(
        reverse("admin:catalog_languagemodel_history", args=[model.pk])
    ).content.decode()
    assert "edith" in history
    assert "Context window" in history
    assert "128000" in history and "200000" in history


def test_price_history_page_shows_old_and_new_price(editor_client, changed_price):
    price = changed_price.prices.get(effective_date=date.today())
    url = reverse("admin:catalog_price_change", args=[price.pk])
    data = change_form_data(editor_client.get(url))
    data["output"] = "9"
    assert editor_client.post(url, data).status_code == 302
    history = editor_client.get(reverse("admin:catalog_price_history", args=[price.pk]))
    html = history.content.decode()
    assert history.status_code == 200
    assert "edith" in html
    assert "10.000000" in html and "9" in html


def test_offering_history_page_lists_its_price_changes(editor_client, changed_price):
    other = offer(LanguageModelFactory(name="Other"), changed_price.provider, input="7")
    response = editor_client.get(reverse("admin:catalog_offering_history", args=[changed_price.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    section = html.split('id="offering-price-changes"')[1].split("</table>")[0]
    assert "<td>edith</td>" in section
    assert "<td>$2.50</td><td>$2</td><td>−20%</td>" in section
    assert "$7" not in section
    assert other.pk != changed_price.pk
