from datetime import timedelta
from decimal import Decimal
from unittest import mock
from urllib.parse import quote

import pytest
from django.utils import timezone

from catalog.models import CAPABILITIES, LanguageModel
from catalog.services import PriceInput, record_price
from tests.api.helpers import slugs
from tests.factories import LanguageModelFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("organization=acme-labs", ["alpha-1"]),
        ("organization=zeta-ai", ["beta-2"]),
        ("provider=fast-host", ["alpha-1"]),
        ("provider=cloud-one", ["alpha-1", "beta-2"]),
        ("vision=true", ["alpha-1"]),
        ("vision=false", ["beta-2"]),
        ("reasoning=true", ["beta-2"]),
        ("open_weights=true", ["alpha-1"]),
        ("open_weights=false", ["beta-2"]),
        ("modality=image", ["alpha-1"]),
        ("modality=text", ["alpha-1", "beta-2"]),
        ("modality=audio", []),
        ("min_context_window=200000", ["alpha-1"]),
        ("min_context_window=128000", ["alpha-1", "beta-2"]),
        ("max_input_price=0.25", ["alpha-1"]),
        ("max_input_price=0.24", []),
        ("max_output_price=0.9", ["alpha-1"]),
        ("max_output_price=10", ["alpha-1", "beta-2"]),
        ("released_after=2026-01-01", ["alpha-1"]),
        ("released_before=2026-01-01", ["beta-2"]),
        ("released_after=2025-09-01&released_before=2025-09-01", ["beta-2"]),
        ("search=alp", ["alpha-1"]),
        ("search=BETA", ["beta-2"]),
        ("search=secret", []),
        ("organization=acme-labs&vision=true&provider=cloud-one", ["alpha-1"]),
    ],
)
def test_model_filters(api, catalog, query, expected):
    assert slugs(api.get(f"/api/v1/models/?{query}")) == expected


@pytest.mark.parametrize("flag", [flag for flag, _ in CAPABILITIES])
def test_every_capability_flag_filters(api, catalog, flag):
    LanguageModel.objects.filter(pk=catalog["beta"].pk).update(**{flag: True})
    LanguageModel.objects.filter(pk=catalog["alpha"].pk).update(**{flag: False})
    assert slugs(api.get(f"/api/v1/models/?{flag}=true")) == ["beta-2"]
    assert slugs(api.get(f"/api/v1/models/?{flag}=false")) == ["alpha-1"]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("organization=nobody", "organization"),
        ("provider=nowhere", "provider"),
        ("vision=maybe", "vision"),
        ("prompt_caching=1", "prompt_caching"),
        ("open_weights=yes", "open_weights"),
        ("modality=smell", "modality"),
        ("min_context_window=lots", "min_context_window"),
        ("min_context_window=0", "min_context_window"),
        ("min_context_window=1.5", "min_context_window"),
        ("max_input_price=cheap", "max_input_price"),
        ("max_input_price=-1", "max_input_price"),
        ("max_input_price=1e999999", "max_input_price"),
        ("min_context_window=99999999999", "min_context_window"),
        ("max_output_price=NaN", "max_output_price"),
        ("released_after=2026-13-01", "released_after"),
        ("released_before=yesterday", "released_before"),
        ("updated_since=last-week", "updated_since"),
        ("ordering=price_per_vibe", "ordering"),
        ("ordering=-id", "ordering"),
        ("page_size=0", "page_size"),
        ("page_size=101", "page_size"),
        ("page_size=ten", "page_size"),
        ("cursor=not-a-cursor", "cursor"),
    ],
)
def test_bad_filter_value_is_a_400_naming_the_parameter(api, catalog, query, parameter):
    response = api.get(f"/api/v1/models/?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400
    assert list(body["errors"]) == [parameter]
    assert body["errors"][parameter][0]
    assert parameter in body["message"]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("name", ["alpha-1", "beta-2", "gamma"]),
        ("-name", ["gamma", "beta-2", "alpha-1"]),
        ("context_window", ["gamma", "beta-2", "alpha-1"]),
        ("-context_window", ["alpha-1", "beta-2", "gamma"]),
        # Missing values (no release date, no price) come last either way.
        ("release_date", ["beta-2", "alpha-1", "gamma"]),
        ("-release_date", ["alpha-1", "beta-2", "gamma"]),
        ("input_price", ["alpha-1", "beta-2", "gamma"]),
        ("-input_price", ["beta-2", "alpha-1", "gamma"]),
        ("output_price", ["alpha-1", "beta-2", "gamma"]),
        ("-output_price", ["beta-2", "alpha-1", "gamma"]),
    ],
)
def test_model_ordering(api, catalog, ordering, expected):
    LanguageModelFactory(name="Gamma", context_window=8_000, release_date=None)
    assert slugs(api.get(f"/api/v1/models/?ordering={ordering}")) == expected


def test_updated_since_finds_models_whose_model_offering_or_price_changed(api, catalog):
    since = timezone.now() + timedelta(seconds=1)
    LanguageModel.objects.filter(pk__in=[catalog["alpha"].pk, catalog["beta"].pk]).update(
        updated_at=since - timedelta(days=1)
    )
    query = f"/api/v1/models/?updated_since={since.isoformat().replace('+00:00', 'Z')}"
    # Move the clock past `since` for every write below.
    later = since + timedelta(seconds=5)
    assert slugs(api.get(query)) == []

    with mock.patch("django.utils.timezone.now", return_value=later):
        offering = catalog["beta"].offerings.get()
        record_price(
            offering=offering,
            price=PriceInput(input=Decimal("2.00"), output=Decimal("8.00")),
            effective_date=offering.current_price.effective_date + timedelta(days=1),
        )
    assert slugs(api.get(query)) == ["beta-2"]

    with mock.patch("django.utils.timezone.now", return_value=later):
        catalog["alpha"].offerings.first().save()
    assert slugs(api.get(query)) == ["alpha-1", "beta-2"]


def test_updated_since_includes_a_model_edited_itself(api, catalog):
    before = timezone.now() - timedelta(seconds=1)
    catalog["alpha"].save()
    stamp = before.isoformat().replace("+00:00", "Z")
    assert "alpha-1" in slugs(api.get(f"/api/v1/models/?updated_since={stamp}"))
    future = (timezone.now() + timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    assert slugs(api.get(f"/api/v1/models/?updated_since={future}")) == []


def test_offering_filters(api, catalog):
    def models_of(query):
        response = api.get(f"/api/v1/offerings/?{query}")
        assert response.status_code == 200, response.content
        return sorted(
            (r["model"]["slug"], r["provider"]["slug"]) for r in response.json()["results"]
        )

    assert models_of("model=beta-2") == [("beta-2", "cloud-one")]
    assert models_of("provider=fast-host") == [("alpha-1", "fast-host")]
    assert models_of("organization=zeta-ai") == [("beta-2", "cloud-one")]
    assert models_of("max_input_price=0.3") == [("alpha-1", "cloud-one"), ("alpha-1", "fast-host")]
    assert models_of("max_output_price=0.95") == [("alpha-1", "fast-host")]
    future = (timezone.now() + timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    assert models_of(f"updated_since={future}") == []
    response = api.get("/api/v1/offerings/?ordering=-input_price")
    prices = [r["current_price"]["input_usd_per_mtok"] for r in response.json()["results"]]
    assert prices == ["2.500000", "0.300000", "0.250000"]
    assert api.get("/api/v1/offerings/?provider=nowhere").status_code == 400
    assert api.get("/api/v1/offerings/?ordering=name").status_code == 400


def test_updated_since_on_organizations_providers_and_benchmarks(api, catalog):
    future = (timezone.now() + timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    past = (timezone.now() - timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    for endpoint in ("organizations", "providers", "benchmarks"):
        assert slugs(api.get(f"/api/v1/{endpoint}/?updated_since={future}")) == []
        assert slugs(api.get(f"/api/v1/{endpoint}/?updated_since={past}"))
        assert api.get(f"/api/v1/{endpoint}/?updated_since=soon").status_code == 400


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("2026-01-01T00:00:00-20:52", 200),  # odd offsets are converted to UTC
        ("2026-01-01T00:00:00+05:30", 200),
        ("2026-01-01T00:00:00", 200),  # naive means UTC
        ("9999-12-31T23:00:00-05:00", 400),  # past year 9999 in UTC
        ("0001-01-01T00:00:00+05:00", 400),
    ],
)
def test_updated_since_accepts_any_offset_within_the_calendar(api, catalog, value, status):
    assert api.get(f"/api/v1/models/?updated_since={quote(value)}").status_code == status
    assert api.get(f"/api/v1/offerings/?updated_since={quote(value)}").status_code == status
