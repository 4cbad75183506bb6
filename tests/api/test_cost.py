"""/api/v1/cost/: a workload priced on every offering of some models, on a day.

Expected figures are computed here from the price rows the catalog holds, never typed
in as totals."""

import json
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from django.utils.http import http_date
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api import cost
from api.cost import MAX_COST_MODELS
from catalog.models import Lifecycle, Price
from tests.api.test_schema import django_app, generated_schema
from tests.factories import LanguageModelFactory, PriceFactory, ProviderFactory, offer

pytestmark = pytest.mark.django_db

URL = "/api/v1/cost/"
BEFORE_CHANGE = date(2026, 2, 1)
CHANGE = date(2026, 3, 1)
AFTER_CHANGE = date(2026, 4, 1)


def usd(amount: Decimal) -> str:
    return f"{amount.quantize(Decimal('0.000001'), rounding=ROUND_HALF_UP):f}"


def expected_parts(price: Price, *, input_tokens, output_tokens, cached_share=Decimal(0)):
    """(input, cached input, output) in USD from a price row, as a provider bills them."""
    cached = Decimal(input_tokens) * cached_share
    cache_rate = price.input if price.cache_read is None else price.cache_read
    million = Decimal(1_000_000)
    return (
        (Decimal(input_tokens) - cached) * price.input / million,
        cached * cache_rate / million,
        Decimal(output_tokens) * price.output / million,
    )


def assert_billed_at(row: dict, price: Price, **workload) -> None:
    parts = expected_parts(price, **workload)
    assert row["total_usd"] == usd(sum(parts))
    assert row["breakdown"] == {
        "input_usd": usd(parts[0]),
        "cached_input_usd": usd(parts[1]),
        "output_usd": usd(parts[2]),
    }
    assert row["price"]["effective_date"] == price.effective_date.isoformat()
    assert row["price"]["context_threshold"] == price.context_threshold
    assert row["price"]["tier"] == price.tier
    assert row["price"]["source_url"] == price.source_url


def get_cost(api, **params):
    response = api.get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()


def row_for(body: dict, model: str, provider: str) -> dict:
    (row,) = [
        r
        for r in body["results"]
        if r["model"]["slug"] == model and r["provider"]["slug"] == provider
    ]
    return row


@pytest.fixture
def priced(db):
    """Alpha on two providers (Cloud's price changed on CHANGE, with a long-context row),
    Beta on Cloud, and a retired, cheaper Alpha offering on Legacy."""
    cloud = ProviderFactory(name="Cloud One", slug="cloud-one")
    host = ProviderFactory(name="Fast Host", slug="fast-host")
    legacy = ProviderFactory(name="Legacy", slug="legacy")
    alpha = LanguageModelFactory(name="Alpha 1", slug="alpha-1", context_window=1_000_000)
    beta = LanguageModelFactory(name="Beta 2", slug="beta-2", context_window=128_000)
    alpha_cloud = offer(alpha, cloud, input="0.30", output="1.20", cache_read="0.03")
    old = alpha_cloud.prices.get()
    new = PriceFactory(
        offering=alpha_cloud,
        effective_date=CHANGE,
        input=Decimal("0.25"),
        output="1.00",
        cache_read=Decimal("0.025"),
        source_url="https://cloud.example/pricing-march",
    )
    long_context = PriceFactory(
        offering=alpha_cloud,
        effective_date=CHANGE,
        context_threshold=200_000,
        input=Decimal("0.50"),
        output=Decimal("2.00"),
        cache_read=Decimal("0.05"),
    )
    alpha_host = offer(alpha, host, input="0.35", output="0.90")
    beta_cloud = offer(beta, cloud, input="2.50", output="10.00", cache_read="1.25")
    alpha_legacy = offer(alpha, legacy, input="0.01", output="0.02")
    alpha_legacy.lifecycle = Lifecycle.RETIRED
    alpha_legacy.save()
    rows = {
        "old": old,
        "new": new,
        "long_context": long_context,
        "alpha_host": alpha_host.prices.get(),
        "beta_cloud": beta_cloud.prices.get(),
        "alpha_legacy": alpha_legacy.prices.get(),
    }
    return {name: Price.objects.get(pk=row.pk) for name, row in rows.items()}  # as stored


def test_total_and_breakdown_are_the_price_rows_arithmetic(api, priced):
    workload = {"input_tokens": 12_345_678, "output_tokens": 987_654}
    share = Decimal("0.37")
    body = get_cost(
        api, model="alpha-1", cached_share=str(share), date=AFTER_CHANGE.isoformat(), **workload
    )
    assert body["date"] == AFTER_CHANGE.isoformat()
    assert body["workload"] == {**workload, "cached_share": "0.37", "prompt_tokens": None,
                                "tier": "standard"}  # fmt: skip
    cloud = row_for(body, "alpha-1", "cloud-one")
    assert_billed_at(cloud, priced["new"], cached_share=share, **workload)
    assert cloud["cached_billed_as_input"] is False
    assert cloud["provider"] == {"slug": "cloud-one", "name": "Cloud One"}
    assert cloud["model"] == {"slug": "alpha-1", "name": "Alpha 1"}
    # Fast Host publishes no cache price: its cached input is billed as input, and says so.
    host = row_for(body, "alpha-1", "fast-host")
    assert_billed_at(host, priced["alpha_host"], cached_share=share, **workload)
    assert host["cached_billed_as_input"] is True
    assert "no cache price published: cached input billed as input" in host["notes"]


def test_the_cached_share_moves_input_to_the_cache_read_price(api, priced):
    workload = {"input_tokens": 10_000_000, "output_tokens": 0, "date": "2026-04-01"}
    none = row_for(get_cost(api, model="alpha-1", **workload), "alpha-1", "cloud-one")
    half = row_for(
        get_cost(api, model="alpha-1", cached_share="0.5", **workload), "alpha-1", "cloud-one"
    )
    new = priced["new"]
    assert Decimal(none["total_usd"]) == 10 * new.input
    assert Decimal(half["breakdown"]["input_usd"]) == 5 * new.input
    assert Decimal(half["breakdown"]["cached_input_usd"]) == 5 * new.cache_read
    assert Decimal(half["total_usd"]) == 5 * new.input + 5 * new.cache_read


def test_results_come_cheapest_first_across_models_and_providers(api, priced):
    body = get_cost(
        api, model="beta-2,alpha-1", input_tokens=3_000_000, output_tokens=1_000_000,
        date=AFTER_CHANGE.isoformat(),
    )  # fmt: skip
    buyable = [r for r in body["results"] if r["buyable"]]
    totals = [Decimal(r["total_usd"]) for r in buyable]
    assert totals == sorted(totals)
    assert [(r["model"]["slug"], r["provider"]["slug"]) for r in buyable] == [
        ("alpha-1", "cloud-one"),
        ("alpha-1", "fast-host"),
        ("beta-2", "cloud-one"),
    ]


def test_an_offering_that_cannot_be_bought_is_priced_flagged_and_after_the_buyable_ones(
    api, priced
):
    workload = {"input_tokens": 1_000_000, "output_tokens": 1_000_000}
    body = get_cost(api, model="alpha-1", date=AFTER_CHANGE.isoformat(), **workload)
    last = body["results"][-1]
    assert (last["provider"]["slug"], last["lifecycle"], last["buyable"]) == (
        "legacy",
        "retired",
        False,
    )
    # The cheapest of all, yet after every offering that can be bought.
    assert Decimal(last["total_usd"]) < min(Decimal(r["total_usd"]) for r in body["results"][:-1])
    assert_billed_at(last, priced["alpha_legacy"], **workload)


def test_a_past_date_uses_the_price_then_in_force(api, priced):
    workload = {"input_tokens": 4_000_000, "output_tokens": 500_000}
    before = get_cost(api, model="alpha-1", date=BEFORE_CHANGE.isoformat(), **workload)
    on_the_day = get_cost(api, model="alpha-1", date=CHANGE.isoformat(), **workload)
    assert_billed_at(row_for(before, "alpha-1", "cloud-one"), priced["old"], **workload)
    assert_billed_at(row_for(on_the_day, "alpha-1", "cloud-one"), priced["new"], **workload)
    assert (
        row_for(before, "alpha-1", "cloud-one")["total_usd"]
        != (row_for(on_the_day, "alpha-1", "cloud-one")["total_usd"])
    )


def test_the_default_day_is_today_and_ignores_prices_scheduled_later(api, db):
    today = timezone.localdate()
    model = LanguageModelFactory(slug="gamma")
    offering = offer(model, ProviderFactory(slug="cloud"), effective_date=today, input="1")
    current = offering.prices.get()
    PriceFactory(offering=offering, effective_date=today + timedelta(days=30), input="9")
    workload = {"input_tokens": 1_000_000, "output_tokens": 0}
    body = get_cost(api, model="gamma", **workload)
    assert body["date"] == today.isoformat()
    assert_billed_at(body["results"][0], current, **workload)


def test_an_answer_for_today_is_not_served_tomorrow(api, db, monkeypatch):
    """No date in the URL: the day is part of the cache key and of Last-Modified, so a
    scheduled price shows from its first day, with no catalog edit in between."""
    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)
    model = LanguageModelFactory(slug="gamma")
    offering = offer(model, ProviderFactory(slug="cloud"), effective_date=today, input="1")
    PriceFactory(offering=offering, effective_date=tomorrow, input="2")
    url = f"{URL}?model=gamma&input_tokens=1000000&output_tokens=0"
    first = api.get(url)
    assert first.json()["results"][0]["total_usd"] == "1.000000"
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    second = api.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert second.status_code == 200
    assert second.json()["results"][0]["total_usd"] == "2.000000"
    midnight = timezone.make_aware(datetime.combine(tomorrow, time.min))
    assert second["Last-Modified"] == http_date(midnight.timestamp())


def test_a_prompt_above_a_threshold_bills_the_whole_request_at_the_long_context_row(api, priced):
    workload = {"input_tokens": 2_000_000, "output_tokens": 300_000, "cached_share": "0.5"}
    common = {"model": "alpha-1", "date": AFTER_CHANGE.isoformat(), **workload}
    at = row_for(get_cost(api, prompt_tokens=200_000, **common), "alpha-1", "cloud-one")
    above = row_for(get_cost(api, prompt_tokens=200_001, **common), "alpha-1", "cloud-one")
    billed = {"input_tokens": 2_000_000, "output_tokens": 300_000, "cached_share": Decimal("0.5")}
    assert_billed_at(at, priced["new"], **billed)
    assert_billed_at(above, priced["long_context"], **billed)
    assert "long-context price applies" in above["notes"]
    # Before the long-context row existed, the base row applies whatever the prompt.
    before = get_cost(api, prompt_tokens=500_000, **{**common, "date": "2026-02-01"})
    assert_billed_at(row_for(before, "alpha-1", "cloud-one"), priced["old"], **billed)


def test_a_prompt_larger_than_the_context_window_is_flagged_not_priced(api, priced):
    cloud = priced["new"].offering
    cloud.context_window = 150_000  # this provider's own, below the model's 1M
    cloud.save()
    body = get_cost(
        api, model="alpha-1,beta-2", input_tokens=1_000_000, output_tokens=0,
        prompt_tokens=180_000, date=AFTER_CHANGE.isoformat(),
    )  # fmt: skip
    flagged = [r for r in body["results"] if not r["fits_context_window"]]
    assert {(r["model"]["slug"], r["provider"]["slug"]) for r in flagged} == {
        ("alpha-1", "cloud-one"),  # 150K on this provider
        ("beta-2", "cloud-one"),  # the model's 128K
    }
    for row in flagged:
        assert (row["total_usd"], row["breakdown"], row["price"]) == (None, None, None)
        assert row["notes"][0].startswith("prompt exceeds this provider's")
    assert row_for(body, "alpha-1", "cloud-one")["context_window"] == 150_000
    assert body["results"][-len(flagged) :] == flagged  # after every priced offering
    assert row_for(body, "alpha-1", "fast-host")["fits_context_window"] is True


def test_an_offering_with_no_price_on_the_day_is_listed_unpriced(api, priced):
    body = get_cost(api, model="alpha-1", input_tokens=1, output_tokens=1, date="2025-12-31")
    assert len(body["results"]) == 3
    for row in body["results"]:
        assert row["total_usd"] is None and row["price"] is None
        assert row["notes"] == ["no standard price in force on 2025-12-31"]


def test_the_tier_parameter_prices_that_service_tier(api, priced):
    batch = PriceFactory(
        offering=priced["new"].offering, tier=Price.Tier.BATCH, input="0.125", output="0.5"
    )
    batch.refresh_from_db()
    workload = {"input_tokens": 8_000_000, "output_tokens": 2_000_000}
    body = get_cost(api, model="alpha-1", tier="batch", date=AFTER_CHANGE.isoformat(), **workload)
    assert body["workload"]["tier"] == "batch"
    assert_billed_at(body["results"][0], batch, **workload)
    # The other offerings have no batch price: listed, not priced.
    assert [r["total_usd"] for r in body["results"][1:]] == [None, None]


def test_models_by_repeated_parameter_or_comma_list_each_once(api, priced):
    workload = "input_tokens=1&output_tokens=1&date=2026-04-01"
    repeated = api.get(f"{URL}?model=alpha-1&model=beta-2&model=alpha-1&{workload}").json()
    listed = api.get(f"{URL}?model=beta-2,alpha-1&{workload}").json()
    assert repeated == listed
    assert len(listed["results"]) == 4  # three offerings of Alpha, one of Beta


@pytest.mark.parametrize(
    ("query", "parameter", "says"),
    [
        ("model=nope&input_tokens=1&output_tokens=1", "model", 'slug "nope"'),
        ("model=alpha-1,secret&input_tokens=1&output_tokens=1", "model", 'slug "secret"'),
        ("model=alpha-1,,beta-2&input_tokens=1&output_tokens=1", "model", "empty slug"),
        ("model=al%00pha&input_tokens=1&output_tokens=1", "model", "not a model slug"),
        ("input_tokens=1&output_tokens=1", "model", "at least one model"),
        ("model=alpha-1&input_tokens=-1&output_tokens=1", "input_tokens", "whole number"),
        ("model=alpha-1&input_tokens=1.5&output_tokens=1", "input_tokens", "whole number"),
        ("model=alpha-1&input_tokens=1&output_tokens=lots", "output_tokens", "whole number"),
        ("model=alpha-1&input_tokens=1", "output_tokens", "Required"),
        ("model=alpha-1&input_tokens=1&output_tokens=1&cached_share=1.01", "cached_share", "0 to"),
        ("model=alpha-1&input_tokens=1&output_tokens=1&cached_share=-0.1", "cached_share", "0 to"),
        ("model=alpha-1&input_tokens=1&output_tokens=1&cached_share=NaN", "cached_share", "0 to"),
        ("model=alpha-1&input_tokens=1&output_tokens=1&prompt_tokens=0", "prompt_tokens", "from 1"),
        ("model=alpha-1&input_tokens=1&output_tokens=1&date=2026-02-30", "date", "YYYY-MM-DD"),
        ("model=alpha-1&input_tokens=1&output_tokens=1&date=yesterday", "date", "YYYY-MM-DD"),
        ("model=alpha-1&input_tokens=1&output_tokens=1&tier=cheap", "tier", "standard, batch"),
        ("model=alpha-1&input_tokens=1&output_tokens=1&currency=eur", "currency", "Unknown"),
        ("model=alpha-1&input_tokens=&output_tokens=1", "input_tokens", "Empty value"),
    ],
)  # fmt: skip
def test_bad_input_is_a_400_naming_the_parameter(api, priced, query, parameter, says):
    LanguageModelFactory(slug="secret", status="draft")
    response = api.get(f"{URL}?{query}")
    assert response.status_code == 400, response.content
    body = response.json()
    assert (body["status"], body["code"]) == (400, "invalid")
    assert parameter in body["errors"]
    assert says in " ".join(body["errors"][parameter])
    assert parameter in body["message"]


def test_too_many_models_is_a_400(api, priced):
    slugs = ",".join(f"m{i}" for i in range(MAX_COST_MODELS + 1))
    response = api.get(f"{URL}?model={slugs}&input_tokens=1&output_tokens=1")
    assert response.status_code == 400
    assert response.json()["errors"]["model"] == [
        f"At most {MAX_COST_MODELS} models at a time; this names {MAX_COST_MODELS + 1}."
    ]


def test_answers_carry_the_apis_caching_headers_and_revalidate(api, priced):
    url = f"{URL}?model=alpha-1&input_tokens=1&output_tokens=1&date=2026-04-01"
    first = api.get(url)
    assert first["Cache-Control"] == "public, max-age=300"
    assert api.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_keys_and_throttling_apply_and_a_cached_answer_still_counts(
    api, priced, partner_key, settings
):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/min", "partner": "3/min"},
    }
    url = f"{URL}?model=alpha-1&input_tokens=1&output_tokens=1&date=2026-04-01"
    unknown = api.get(url, HTTP_X_API_KEY="not-a-key")
    assert (unknown.status_code, unknown.json()["status"]) == (401, 401)
    # The refused key counted against the address's anonymous allowance (api.middleware).
    assert [api.get(url).status_code for _ in range(2)] == [200, 429]
    assert api.get(url).json()["code"] == "throttled"
    _, raw_key = partner_key
    assert api.get(url, HTTP_X_API_KEY=raw_key).status_code == 200


@pytest.mark.parametrize("size", [2, MAX_COST_MODELS])
def test_query_count_does_not_grow_with_models_or_offerings(
    api, django_assert_max_num_queries, size
):
    providers = [ProviderFactory(slug=f"p{i}") for i in range(4)]
    for i in range(size):
        model = LanguageModelFactory(slug=f"m{i}")
        for provider in providers:
            offering = offer(model, provider, input=f"{i % 5}.25", output="1")
            PriceFactory(offering=offering, context_threshold=100_000, input="9", output="9")
    slugs = ",".join(f"m{i}" for i in range(size))
    with django_assert_max_num_queries(4):
        response = api.get(
            f"{URL}?model={slugs}&input_tokens=1000&output_tokens=10&prompt_tokens=200000"
        )
    assert response.status_code == 200
    assert len(response.json()["results"]) == size * 4


def test_the_schema_documents_every_parameter_and_field(client):
    """What partners read in /api/schema/ is what the endpoint reads and answers."""
    schema = json.loads(client.get("/api/schema/?format=json").content)
    operation = schema["paths"]["/api/v1/cost/"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"] if p["in"] == "query"}
    assert {name: p["description"] for name, p in parameters.items()} == {
        p.name: p.description for p in cost.PARAMETERS
    }
    assert set(parameters) == set(cost.CostQuerySerializer().fields)
    assert {name for name, p in parameters.items() if p.get("required")} == {
        "model",
        "input_tokens",
        "output_tokens",
    }
    assert parameters["model"]["schema"]["maxItems"] == MAX_COST_MODELS
    ok = operation["responses"]["200"]
    assert ok["description"] == "The workload priced on every offering of the models."
    assert ok["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Cost"}
    components = schema["components"]["schemas"]
    row = components["OfferingCost"]["properties"]
    assert set(row) == set(cost.OfferingCostSerializer().fields)
    assert row["total_usd"]["nullable"] is True
    assert row["price"]["allOf"] == [{"$ref": "#/components/schemas/Price"}]
    assert set(components["CostBreakdown"]["properties"]) == {
        "input_usd",
        "cached_input_usd",
        "output_usd",
    }


def test_an_answer_has_exactly_the_documented_fields(api, priced):
    body = get_cost(api, model="alpha-1", input_tokens=1, output_tokens=1, date="2026-04-01")
    assert set(body) == set(cost.CostSerializer().fields)
    assert set(body["workload"]) == set(cost.CostWorkloadSerializer().fields)
    for row in body["results"]:
        assert set(row) == set(cost.OfferingCostSerializer().fields)


@pytest.fixture
def keep_test_connection():
    """As tests/api/test_schema.py does for its WSGI calls: a request must not close
    the connection holding the test's transaction."""
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    yield
    for signal in signals:
        signal.connect(close_old_connections)


def test_priced_flagged_and_unpriced_rows_conform_to_the_schema(priced, keep_test_connection):
    cloud = priced["new"].offering
    cloud.context_window = 150_000
    cloud.save()
    schema = schemathesis.openapi.from_dict(generated_schema())
    schema.app = django_app
    case = schema["/api/v1/cost/"]["GET"].Case(
        query={
            "model": ["alpha-1", "beta-2"],
            "input_tokens": 5_000_000,
            "output_tokens": 1_000_000,
            "cached_share": "0.2",
            "prompt_tokens": 160_000,
            "date": "2026-04-01",
        }
    )
    response = case.call_and_validate(
        checks=[status_code_conformance, content_type_conformance, response_schema_conformance]
    )
    assert response.status_code == 200
    rows = response.json()["results"]
    assert {row["fits_context_window"] for row in rows} == {True, False}
    assert {row["buyable"] for row in rows} == {True, False}
