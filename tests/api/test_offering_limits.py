"""Each offering in the API states the limits a request has there: the provider's own
context window and max output where it has them, else the model's, and whose they are."""

import json

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def limited(catalog):
    """Alpha (1M window, the factory's max output) on Cloud One with a 200K window of its
    own; Fast Host uses Alpha's limits."""
    alpha = catalog["alpha"]
    alpha.offerings.filter(provider=catalog["cloud"]).update(context_window=200_000)
    return catalog


def limits(offering: dict) -> tuple:
    return (
        offering["context_window"],
        offering["max_output_tokens"],
        offering["context_window_source"],
        offering["max_output_tokens_source"],
    )


def test_model_offerings_carry_the_providers_own_window_and_whose_it_is(api, limited):
    alpha = limited["alpha"]
    body = api.get("/api/v1/models/alpha-1/").json()
    assert body["context_window"] == 1_000_000  # the model's own figure stays
    by_provider = {o["provider"]["slug"]: o for o in body["offerings"]}
    assert limits(by_provider["cloud-one"]) == (
        200_000,
        alpha.max_output_tokens,
        "provider",
        "model",
    )
    assert limits(by_provider["fast-host"]) == (
        1_000_000,
        alpha.max_output_tokens,
        "model",
        "model",
    )


def test_offerings_list_carries_the_same_limits(api, limited):
    results = api.get("/api/v1/offerings/?page_size=100").json()["results"]
    by_pair = {(o["model"]["slug"], o["provider"]["slug"]): o for o in results}
    assert limits(by_pair[("alpha-1", "cloud-one")])[::2] == (200_000, "provider")
    assert limits(by_pair[("beta-2", "cloud-one")])[::2] == (128_000, "model")


def test_an_output_cap_of_the_providers_own_on_a_model_without_one(api, limited):
    beta = limited["beta"]
    beta.max_output_tokens = None
    beta.save()
    beta.offerings.update(max_output_tokens=4_096)
    offering = api.get("/api/v1/models/beta-2/").json()["offerings"][0]
    assert limits(offering) == (128_000, 4_096, "model", "provider")
    beta.offerings.update(max_output_tokens=None)
    beta.save()  # a new catalog version
    offering = api.get("/api/v1/models/beta-2/").json()["offerings"][0]
    assert limits(offering) == (128_000, None, "model", "model")


def test_schema_documents_the_offering_limits(client):
    schema = json.loads(client.get("/api/schema/?format=json").content)["components"]["schemas"]
    for name in ("OfferingInModel", "Offering"):
        fields = schema[name]["properties"]
        assert fields["context_window"]["type"] == "integer"
        assert fields["max_output_tokens"]["nullable"] is True
        assert fields["context_window_source"]["allOf"][0]["$ref"].endswith("/LimitSourceEnum")
    assert schema["LimitSourceEnum"]["enum"] == ["provider", "model"]
