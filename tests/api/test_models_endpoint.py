from datetime import date
from decimal import Decimal

import pytest

from catalog.models import Offering
from catalog.services import PriceInput, record_price
from pricewatch.models import OfferingCheck
from tests.api.helpers import results, slugs
from tests.factories import BenchmarkScoreFactory

pytestmark = pytest.mark.django_db


def test_models_list_shows_only_published_models(api, catalog):
    assert slugs(api.get("/api/v1/models/")) == ["alpha-1", "beta-2"]


def test_model_detail_has_specs_capabilities_offerings_and_sources(api, catalog):
    body = api.get("/api/v1/models/alpha-1/").json()
    assert body["name"] == "Alpha 1"
    assert body["organization"]["slug"] == "acme-labs"
    assert body["context_window"] == 1_000_000
    assert body["license"] == "Apache-2.0"
    assert body["open_weights"] is True
    assert body["release_date"] == "2026-03-01"
    assert body["knowledge_cutoff"] == "2025-06-01"
    assert body["input_modalities"] == ["text", "image"]
    assert body["capabilities"]["vision"] is True
    assert body["capabilities"]["reasoning"] is False
    assert body["capabilities"]["tool_use"] is None
    assert body["sources"] == [
        {"url": "https://acme.example/alpha", "title": "Alpha card", "retrieved_on": None}
    ]
    assert body["last_reviewed"] is not None
    providers = [o["provider"]["slug"] for o in body["offerings"]]
    assert providers == ["cloud-one", "fast-host"]
    price = body["offerings"][0]["current_price"]
    assert price["input_usd_per_mtok"] == "0.250000"
    assert price["output_usd_per_mtok"] == "1.000000"
    assert price["effective_date"] == "2026-01-15"


def test_money_is_a_decimal_string_and_cheapest_spans_providers(api, catalog):
    body = api.get("/api/v1/models/alpha-1/").json()
    assert Decimal(body["cheapest_input_usd_per_mtok"]) == Decimal("0.25")
    assert Decimal(body["cheapest_output_usd_per_mtok"]) == Decimal("0.90")
    assert isinstance(body["cheapest_input_usd_per_mtok"], str)


def test_unpublished_model_detail_is_a_json_404(api, catalog):
    response = api.get("/api/v1/models/secret-3/")
    assert response.status_code == 404
    assert response.json()["message"]


def test_organizations_and_providers_lists(api, catalog):
    assert slugs(api.get("/api/v1/organizations/")) == ["acme-labs", "zeta-ai"]
    providers = results(api.get("/api/v1/providers/"))
    assert [p["slug"] for p in providers] == ["cloud-one", "fast-host"]
    assert providers[0]["url"] == "https://cloud-one.example.com/"
    assert api.get("/api/v1/providers/fast-host/").json()["name"] == "Fast Host"


def test_offerings_show_current_price_and_full_history(api, catalog):
    offering = catalog["alpha"].offerings.get(provider=catalog["cloud"])
    record_price(
        offering=offering,
        price=PriceInput(input=Decimal("0.20"), output=Decimal("0.80")),
        effective_date=offering.current_price.effective_date.replace(month=2),
    )
    body = api.get(f"/api/v1/offerings/{offering.pk}/").json()
    assert body["model"] == {"slug": "alpha-1", "name": "Alpha 1"}
    assert body["current_price"]["input_usd_per_mtok"] == "0.200000"
    history = [(p["effective_date"], p["input_usd_per_mtok"]) for p in body["price_history"]]
    assert history == [("2026-02-15", "0.200000"), ("2026-01-15", "0.250000")]


def test_offerings_of_draft_models_are_hidden(api, catalog):
    rows = results(api.get("/api/v1/offerings/"))
    assert {row["model"]["slug"] for row in rows} == {"alpha-1", "beta-2"}
    assert len(rows) == 3


def test_benchmarks_list_scores_of_published_models_only(api, catalog):
    BenchmarkScoreFactory(model=catalog["draft"], benchmark__slug="other")
    BenchmarkScoreFactory(model=catalog["draft"], benchmark=catalog["alpha"].scores.get().benchmark)
    rows = results(api.get("/api/v1/benchmarks/"))
    mmlu = next(row for row in rows if row["slug"] == "mmlu")
    assert [s["model"]["slug"] for s in mmlu["scores"]] == ["alpha-1"]
    assert mmlu["scores"][0]["score"] == "50.0000"
    assert mmlu["scores"][0]["self_reported"] is True


def test_api_is_read_only(api, catalog):
    response = api.post("/api/v1/models/", {"name": "X"}, format="json")
    assert response.status_code == 405
    assert response.json()["message"] == 'Method "POST" not allowed.'


def test_offerings_endpoint_says_whether_independent_sources_agree(api, catalog):
    offering = Offering.objects.filter(model__slug="alpha-1").order_by("pk").first()
    OfferingCheck.objects.create(
        offering=offering, source="litellm", agrees=True, checked_on=date(2026, 11, 3)
    )
    OfferingCheck.objects.create(
        offering=offering, source="openrouter", agrees=False, checked_on=date(2026, 11, 4)
    )
    rows = {row["id"]: row for row in api.get("/api/v1/offerings/").json()["results"]}
    check = rows[offering.pk]["price_check"]
    assert (check["sources_checked"], check["sources_agreeing"]) == (2, 1)
    assert check["checked_on"] == "2026-11-04"
    other = next(row for pk, row in rows.items() if pk != offering.pk)
    assert other["price_check"]["sources_checked"] == 0
