"""Every endpoint reads a known set of query parameters, derived from its filterset,
paginator and declared parameters; anything else, and any parameter without a value, is
a 400 naming it, never a silently ignored filter. The schema says the same."""

import re

import pytest

from api.views import BLEND_PATTERN
from comparisons.pricing import parse_blend
from tests.api.test_schema import load_schema

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/v1/models/",
    "/api/v1/models/alpha-1/",
    "/api/v1/organizations/",
    "/api/v1/organizations/acme-labs/",
    "/api/v1/providers/",
    "/api/v1/providers/cloud-one/",
    "/api/v1/offerings/",
    "/api/v1/benchmarks/",
    "/api/v1/benchmarks/mmlu/",
    "/api/v1/comparisons/alpha-1-vs-beta-2/",
]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_a_misspelt_parameter_is_a_400_naming_it(api, catalog, url):
    response = api.get(url + "?updated_sinse=2026-01-01T00:00:00Z")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["errors"]) == ["updated_sinse"]
    assert "updated_sinse: Unknown parameter" in body["message"]


def test_the_accepted_parameters_are_the_filterset_and_paginator_ones(api, catalog):
    message = api.get("/api/v1/offerings/?colour=red").json()["errors"]["colour"][0]
    for name in ("model", "provider", "lifecycle", "ordering", "cursor", "page_size"):
        assert name in message
    assert api.get("/api/v1/offerings/?lifecycle=ga&page_size=2&format=json").status_code == 200
    # A record's page reads no list parameters.
    detail = api.get("/api/v1/models/alpha-1/?vision=true")
    assert detail.status_code == 400
    assert list(detail.json()["errors"]) == ["vision"]


@pytest.mark.parametrize(
    "query", ["cursor=", "vision=", "search=", "ordering=", "min_context_window=", "page_size="]
)
def test_an_empty_value_is_a_400_not_an_ignored_filter(api, catalog, query):
    response = api.get(f"/api/v1/models/?{query}")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [query.rstrip("=")]


def test_an_empty_blend_is_a_400(api, catalog):
    response = api.get("/api/v1/comparisons/alpha-1-vs-beta-2/?blend=")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["blend"]


def test_the_schema_refuses_what_the_api_refuses(client):
    schema = load_schema(client)
    models = {
        p["name"]: p["schema"] for p in schema["paths"]["/api/v1/models/"]["get"]["parameters"]
    }
    assert models["cursor"]["minLength"] == 1
    assert models["search"]["minLength"] == 1
    comparison = schema["paths"]["/api/v1/comparisons/{pair}/"]["get"]["parameters"]
    pattern = next(p["schema"]["pattern"] for p in comparison if p["name"] == "blend")
    assert pattern == BLEND_PATTERN
    for blend in ("0:0", "00/0000", "0:1", "1:0", "70/30", "0010:3", "10000:1"):
        try:
            parse_blend(blend)
            accepted = True
        except ValueError:
            accepted = False
        assert bool(re.match(pattern, blend)) == accepted, blend
