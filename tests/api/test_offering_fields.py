"""Offerings in the API state the request parameters a provider accepts and its tokenizer;
prices state what is billed besides text tokens, each in a unit its name carries."""

import json
from decimal import Decimal

import pytest

from catalog.models import Price

pytestmark = pytest.mark.django_db


@pytest.fixture
def described(catalog):
    """Alpha on Cloud One with parameters, a tokenizer and audio and web search prices."""
    offering = catalog["alpha"].offerings.get(provider=catalog["cloud"])
    offering.supported_parameters = ["temperature", "tools"]
    offering.tokenizer = "GPT"
    offering.save()
    Price.objects.filter(pk=offering.current_price_id).update(
        audio_input=Decimal("40"), web_search=Decimal("10"), image_input_per_image=Decimal("0.0048")
    )
    catalog["alpha"].save()  # a new catalog version
    return catalog


def test_model_offerings_state_parameters_tokenizer_and_extra_prices(api, described):
    body = api.get("/api/v1/models/alpha-1/").json()
    by_provider = {o["provider"]["slug"]: o for o in body["offerings"]}
    cloud, host = by_provider["cloud-one"], by_provider["fast-host"]
    assert (cloud["supported_parameters"], cloud["tokenizer"]) == (["temperature", "tools"], "GPT")
    price = cloud["current_price"]
    assert price["audio_input_usd_per_mtok"] == "40.000000"
    assert price["web_search_usd_per_1k"] == "10.000000"
    assert price["image_input_usd_per_image"] == "0.004800"
    assert price["audio_output_usd_per_mtok"] is None
    assert price["reasoning_usd_per_mtok"] is None
    # Nothing stated: an empty list and empty text, not a guess.
    assert (host["supported_parameters"], host["tokenizer"]) == ([], "")


def test_the_offering_endpoint_states_them_in_its_price_history_too(api, described):
    offering_id = described["alpha"].offerings.get(provider=described["cloud"]).pk
    body = api.get(f"/api/v1/offerings/{offering_id}/").json()
    assert body["supported_parameters"] == ["temperature", "tools"]
    assert body["price_history"][0]["audio_input_usd_per_mtok"] == "40.000000"


def test_offerings_list_keeps_its_query_count(api, described, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        results = api.get("/api/v1/offerings/?page_size=100").json()["results"]
    assert {o["tokenizer"] for o in results} == {"GPT", ""}


def test_schema_states_each_extra_price_unit(client):
    schema = json.loads(client.get("/api/schema/?format=json").content)["components"]["schemas"]
    price = schema["Price"]["properties"]
    assert "USD per 1M audio input tokens" in price["audio_input_usd_per_mtok"]["description"]
    assert "USD per input image" in price["image_input_usd_per_image"]["description"]
    assert "USD per 1K web searches" in price["web_search_usd_per_1k"]["description"]
    assert price["reasoning_usd_per_mtok"]["nullable"] is True
    for name in ("OfferingInModel", "Offering"):
        fields = schema[name]["properties"]
        assert fields["supported_parameters"]["type"] == "array"
        assert fields["supported_parameters"]["items"]["type"] == "string"
        assert fields["tokenizer"]["type"] == "string"
