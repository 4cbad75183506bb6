from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from catalog.models import Price
from catalog.services import PriceInput, record_price
from tests.admin_forms import change_form_data
from tests.factories import LanguageModelFactory, ProviderFactory, offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def priced_model():
    model = LanguageModelFactory(name="Gemini 3.1 Flash-Lite")
    offer(model, ProviderFactory(name="Google AI Studio"), input="0.25", output="1.5")
    return model


def test_editor_logs_in_with_a_password(client, editor):
    response = client.post(
        reverse("admin:login"),
        {"username": "edith", "password": "correct horse battery", "next": "/admin/"},
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_editor_changes_a_price_inline_and_history_keeps_the_old_one(editor_client, priced_model):
    url = reverse("admin:catalog_languagemodel_change", args=[priced_model.pk])
    page = editor_client.get(url)
    assert page.status_code == 200
    data = change_form_data(page)
    data["offerings-0-input"] = "0.20"
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context and response.context.get("errors")

    offering = priced_model.offerings.get()
    offering.refresh_from_db()
    assert offering.current_price.input == Decimal("0.20")
    inputs = sorted(offering.prices.values_list("input", flat=True))
    assert inputs == [Decimal("0.20"), Decimal("0.25")]
    # The history names who recorded the new price.
    record = Price.history.filter(id=offering.current_price_id).latest("history_date")
    assert record.history_user.username == "edith"


def test_the_model_history_page_shows_who_changed_which_field(editor_client, priced_model):
    url = reverse("admin:catalog_languagemodel_change", args=[priced_model.pk])
    data = change_form_data(editor_client.get(url))
    data["context_window"] = "1000000"
    assert editor_client.post(url, data).status_code == 302
    history = editor_client.get(
        reverse("admin:catalog_languagemodel_history", args=[priced_model.pk])
    )
    text = history.content.decode()
    assert "edith" in text
    assert "Context window" in text or "context_window" in text
    assert "1000000" in text


def test_admin_form_rejects_a_negative_price_with_a_message(editor_client, priced_model):
    url = reverse("admin:catalog_languagemodel_change", args=[priced_model.pk])
    data = change_form_data(editor_client.get(url))
    data["offerings-0-input"] = "-1"
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 0" in response.content.decode()
    assert priced_model.offerings.get().prices.count() == 1


def test_admin_form_rejects_a_zero_context_window(editor_client, priced_model):
    url = reverse("admin:catalog_languagemodel_change", args=[priced_model.pk])
    data = change_form_data(editor_client.get(url))
    data["context_window"] = "0"
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "The context window must be at least 1 token." in response.content.decode()


@pytest.mark.parametrize("name", ["user", "group"])
def test_editor_cannot_open_users_or_groups(editor_client, name):
    assert editor_client.get(reverse(f"admin:auth_{name}_changelist")).status_code == 403


def test_editor_cannot_delete_price_history(editor):
    assert editor.has_perm("catalog.change_price")
    assert not editor.has_perm("catalog.delete_price")
    assert not editor.has_perm("auth.change_user")


def test_model_changelist_shows_prices_and_providers_in_bounded_queries(
    editor_client, django_assert_max_num_queries
):
    providers = [ProviderFactory(name="OpenRouter"), ProviderFactory(name="Groq")]
    for i in range(12):
        offer(LanguageModelFactory(), providers[i % 2], input=f"0.{i + 1}", output="1")
    with django_assert_max_num_queries(12):
        response = editor_client.get(reverse("admin:catalog_languagemodel_changelist"))
    text = response.content.decode()
    # The providers are a filter (a column would not fit the screen).
    assert "$0.10" in text and "OpenRouter" in text and "Groq" in text


def test_offering_changelist_is_bounded(editor_client, django_assert_max_num_queries):
    provider = ProviderFactory()
    for _ in range(10):
        offer(LanguageModelFactory(), provider)
    with django_assert_max_num_queries(12):
        assert editor_client.get(reverse("admin:catalog_offering_changelist")).status_code == 200


def test_view_on_site_links_to_the_public_page(editor_client, priced_model):
    page = editor_client.get(reverse("admin:catalog_languagemodel_change", args=[priced_model.pk]))
    assert "View on site" in page.content.decode()


def test_deleting_the_current_price_falls_back_to_the_one_before(admin_client):
    """A superuser removing a mistaken price: the offering shows the price then in
    force, not none at all."""
    offering = offer(LanguageModelFactory(), ProviderFactory(), input="2", output="8")
    mistake, _ = record_price(offering=offering, price=PriceInput(Decimal("20"), Decimal("8")))
    offering.refresh_from_db()
    assert offering.current_price == mistake
    url = reverse("admin:catalog_price_delete", args=[mistake.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    offering.refresh_from_db()
    assert offering.current_price.input == Decimal("2")

    second, _ = record_price(offering=offering, price=PriceInput(Decimal("30"), Decimal("8")))
    changelist = reverse("admin:catalog_price_changelist")
    response = admin_client.post(
        changelist,
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [second.pk], "post": "yes"},
    )
    assert response.status_code == 302
    offering.refresh_from_db()
    assert offering.current_price.input == Decimal("2")


def test_a_price_moved_to_another_offering_leaves_the_first_on_its_own_price(editor_client):
    """The price admin saves through the price service: both offerings end up pointing
    at the price in force there, and the history names the editor."""
    model = LanguageModelFactory()
    first = offer(model, ProviderFactory(), input="2", output="8")
    second = offer(model, ProviderFactory(), input="3", output="9")
    mistake, _ = record_price(offering=first, price=PriceInput(Decimal("20"), Decimal("8")))
    url = reverse("admin:catalog_price_change", args=[mistake.pk])
    data = change_form_data(editor_client.get(url))
    data["offering"] = str(second.pk)
    data["confirm_warnings"] = "on"  # 20 against 3 is a plausibility warning
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context and response.context.get("errors")

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.current_price.input == Decimal("2")
    assert second.current_price == mistake
    record = Price.history.filter(id=mistake.pk).latest("history_date")
    assert record.history_user.username == "edith"


def test_a_price_added_inline_on_the_offering_page_becomes_its_current_price(editor_client):
    offering = offer(LanguageModelFactory(), ProviderFactory(), input="2", output="8")
    url = reverse("admin:catalog_offering_change", args=[offering.pk])
    data = change_form_data(editor_client.get(url))
    data.update({"prices-1-input": "1.5", "prices-1-output": "6", "prices-1-tier": "standard"})
    data["prices-1-context_threshold"] = "0"
    data["prices-1-effective_date"] = timezone.localdate().isoformat()
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context and response.context.get("errors")

    offering.refresh_from_db()
    assert offering.current_price.input == Decimal("1.5")
