"""The OpenAPI schema describes the real API: schemathesis generates requests from it and
checks every response against it."""

import json
import re

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import (
    BenchmarkScoreFactory,
    LanguageModelFactory,
    ProviderFactory,
    figures_pair,
    offer,
)

pytestmark = pytest.mark.django_db

EXPECTED_PATHS = {
    "/api/v1/models/",
    "/api/v1/models/{slug}/",
    "/api/v1/organizations/",
    "/api/v1/organizations/{slug}/",
    "/api/v1/providers/",
    "/api/v1/providers/{slug}/",
    "/api/v1/offerings/",
    "/api/v1/offerings/{id}/",
    "/api/v1/benchmarks/",
    "/api/v1/benchmarks/{slug}/",
    "/api/v1/comparisons/{pair}/",
    "/api/v1/cost/",
    "/api/v1/changes/",
    "/api/v1/export.json.gz",
}
MODEL_FILTERS = {
    "organization",
    "provider",
    "vision",
    "multimodal",
    "reasoning",
    "function_calling",
    "tool_use",
    "structured_outputs",
    "code_execution",
    "prompt_caching",
    "open_weights",
    "modality",
    "min_context_window",
    "max_input_price",
    "max_output_price",
    "released_after",
    "released_before",
    "search",
    "updated_since",
    "ordering",
    "cursor",
    "page_size",
}


def load_schema(client) -> dict:
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_schema_describes_every_endpoint_and_filter(client):
    schema = load_schema(client)
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == EXPECTED_PATHS
    params = {p["name"] for p in schema["paths"]["/api/v1/models/"]["get"]["parameters"]}
    assert params == MODEL_FILTERS
    for path, operations in schema["paths"].items():
        assert set(operations) == {"get"}, path
        responses = operations["get"]["responses"]
        assert {"200", "400", "401", "404", "429"} <= set(responses), path
    schemes = schema["components"]["securitySchemes"]
    assert {s["name"] for s in schemes.values()} == {"X-API-Key", "Authorization"}


def test_docs_page_serves_its_assets_from_this_site(client):
    page = client.get("/api/docs/").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css|png))"', page)
    assert assets
    for asset in assets:
        assert asset.startswith("/static/drf_spectacular_sidecar/"), asset
    assert "/api/schema/" in page


def generated_schema() -> dict:
    """The schema /api/schema/ serves, generated without a request (no database)."""
    raw = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(raw))


def test_served_schema_is_the_generated_one(client):
    assert load_schema(client) == generated_schema()


@pytest.fixture
def schema_catalog(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "partner": "100000/min"},
    }
    provider = ProviderFactory(name="Cloud", slug="cloud")
    for name in ("Alpha", "Beta", "Gamma"):
        model = LanguageModelFactory(name=name, vision=True, input_modalities="text,image")
        offer(model, provider, input="0.25", output="1.5")
        BenchmarkScoreFactory(model=model)
    LanguageModelFactory(name="Bare", release_date=None, max_output_tokens=None)
    # A provider's own window, and an output cap that is null (the model discloses none).
    narrow = LanguageModelFactory(name="Narrow", max_output_tokens=None)
    offering = offer(narrow, provider, input="1", output="2")
    offering.context_window = 32_000
    offering.save()
    # As django.test.Client does: a request must not close the connection that holds
    # the test's transaction (PostgreSQL would lose the data above).
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    yield
    for signal in signals:
        signal.connect(close_old_connections)


def django_app(environ, start_response):
    # A fresh handler per request, so middleware sees each test's settings overrides.
    # Schemathesis's WSGI transport asks for gzip but does not decode it; compression is
    # transport, tested in test_compression.py, so the content is checked uncompressed.
    environ.pop("HTTP_ACCEPT_ENCODING", None)
    return WSGIHandler()(environ, start_response)


# Loaded at import (schemathesis's lazy fixture loader does not support this pytest).
schema = schemathesis.openapi.from_dict(generated_schema())
schema.app = django_app


@schema.parametrize()
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_conforms_to_its_schema(case, schema_catalog):
    case.call_and_validate(
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ]
    )


def declared_mismatches(value, node: dict, components: dict, path: str = "") -> list[str]:
    """Keys of a response object the schema does not declare, and declared keys the
    object lacks, anywhere in `value`."""
    while "$ref" in node or "allOf" in node:
        if "$ref" in node:
            node = components[node["$ref"].rsplit("/", 1)[1]]
        else:
            (node,) = node["allOf"]
    found = []
    if isinstance(value, dict) and "properties" in node:
        declared = node["properties"]
        found += [f"{path}.{key}: undeclared" for key in value.keys() - declared.keys()]
        found += [f"{path}.{key}: missing" for key in declared.keys() - value.keys()]
        for key in value.keys() & declared.keys():
            found += declared_mismatches(value[key], declared[key], components, f"{path}.{key}")
    elif isinstance(value, list) and "items" in node:
        for index, item in enumerate(value):
            found += declared_mismatches(item, node["items"], components, f"{path}[{index}]")
    return found


def test_comparisons_conform_to_their_schema_key_for_key(schema_catalog):
    """Schemathesis's generated pairs are nearly all 404s: check real ones, with every
    kind of figure and every null (a model with no price, no release date)."""
    figures = figures_pair()
    operation = schema["/api/v1/comparisons/{pair}/"]["GET"]
    document = generated_schema()
    body_schema = document["paths"]["/api/v1/comparisons/{pair}/"]["get"]["responses"]["200"]
    body_schema = body_schema["content"]["application/json"]["schema"]
    for pair in (figures, "alpha-vs-bare", "alpha-vs-narrow"):
        # Through schemathesis's transport only: the test client would reconnect the
        # signals schema_catalog disconnects, and PostgreSQL would lose the data.
        response = operation.Case(path_parameters={"pair": pair}).call_and_validate(
            checks=[not_a_server_error, status_code_conformance, response_schema_conformance]
        )
        assert response.status_code == 200
        body = response.json()
        assert body["model_a"]["slug"] in pair
        assert declared_mismatches(body, body_schema, document["components"]["schemas"]) == []
