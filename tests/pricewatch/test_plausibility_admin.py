from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.admin_forms import change_form_data
from tests.factories import LanguageModelFactory, ProviderFactory, offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def priced_model():
    model = LanguageModelFactory(name="Plausible", context_window=128_000, max_output_tokens=8_192)
    offer(model, ProviderFactory(name="Some Cloud"), input="1.25", output="10")
    return model


def post_model_page(client, model, **changes):
    url = reverse("admin:catalog_languagemodel_change", args=[model.pk])
    data = change_form_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


@pytest.mark.parametrize(
    "changes, field_named",
    [
        ({"offerings-0-input": "12.5"}, "input: changes from $1.25"),  # a 10x slip
        ({"offerings-0-input": "10", "offerings-0-output": "0.9"}, "output: the output price"),
        ({"offerings-0-input": "0", "offerings-0-output": "0"}, "input: a price of exactly zero"),
        ({"max_output_tokens": "256000"}, "max_output_tokens: the max output 256000"),
    ],
)
def test_model_page_holds_implausible_figures_until_confirmed(
    editor_client, priced_model, changes, field_named
):
    held = post_model_page(editor_client, priced_model, **changes)
    assert held.status_code == 200
    assert field_named in held.content.decode()
    assert "I have checked these figures" in held.content.decode()
    offering = priced_model.offerings.get()
    assert offering.prices.count() == 1
    priced_model.refresh_from_db()
    assert priced_model.max_output_tokens == 8_192

    confirm = (
        "offerings-0-confirm_warnings" if "offerings-0-input" in changes else "confirm_warnings"
    )
    saved = post_model_page(editor_client, priced_model, **changes, **{confirm: "on"})
    assert saved.status_code == 302
    priced_model.refresh_from_db()
    offering.refresh_from_db()
    if "offerings-0-input" in changes:
        assert offering.current_price.input == Decimal(changes["offerings-0-input"])
        assert offering.prices.count() == 2
    else:
        assert priced_model.max_output_tokens == 256_000


def test_price_admin_holds_a_tenfold_slip(editor_client, priced_model):
    offering = priced_model.offerings.get()
    url = reverse("admin:catalog_price_add")
    data = {
        "offering": offering.pk,
        "effective_date": date.today().isoformat(),
        "tier": "standard",
        "context_threshold": "0",
        "input": "1.25",
        "output": "100",
        "checked_on": date.today().isoformat(),
    }
    held = editor_client.post(url, data)
    assert held.status_code == 200
    assert "output: changes from $10" in held.content.decode()
    assert offering.prices.count() == 1
    saved = editor_client.post(url, {**data, "confirm_warnings": "on"})
    assert saved.status_code == 302
    assert offering.prices.count() == 2


def test_a_free_variant_may_cost_nothing(editor_client, priced_model):
    offering = priced_model.offerings.get()
    offering.provider_model_id = "vendor/plausible:free"
    offering.save()
    response = post_model_page(
        editor_client, priced_model, **{"offerings-0-input": "0", "offerings-0-output": "0"}
    )
    assert response.status_code == 302
