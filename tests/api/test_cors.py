"""Browsers may call the read-only API from other sites: any origin by default, the
listed ones when API_CORS_ALLOWED_ORIGINS names them; never the pages or the admin."""

import pytest

pytestmark = pytest.mark.django_db

ORIGIN = "https://app.partner.example"


def test_api_answers_any_origin_and_exposes_its_validators_and_limits(api, catalog):
    response = api.get("/api/v1/models/", HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    exposed = {h.strip().lower() for h in response["Access-Control-Expose-Headers"].split(",")}
    assert {"etag", "ratelimit-remaining", "ratelimit-reset", "retry-after"} <= exposed
    assert "Access-Control-Allow-Credentials" not in response
    # Errors too, so a browser app can read why.
    assert (
        api.get("/api/v1/models/?nope=1", HTTP_ORIGIN=ORIGIN)["Access-Control-Allow-Origin"] == "*"
    )


def test_a_preflight_allows_reads_with_a_key_and_validators(api, catalog):
    response = api.options(
        "/api/v1/models/",
        HTTP_ORIGIN=ORIGIN,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, x-api-key, if-none-match",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    methods = {m.strip() for m in response["Access-Control-Allow-Methods"].split(",")}
    assert methods == {"GET", "HEAD", "OPTIONS"}
    headers = {h.strip() for h in response["Access-Control-Allow-Headers"].split(",")}
    assert {"authorization", "x-api-key", "if-none-match"} <= headers
    assert int(response["Access-Control-Max-Age"]) > 0


def test_a_listed_origin_is_allowed_and_others_are_not(api, catalog, settings):
    settings.CORS_ALLOW_ALL_ORIGINS = False
    settings.CORS_ALLOWED_ORIGINS = [ORIGIN]
    allowed = api.get("/api/v1/models/", HTTP_ORIGIN=ORIGIN)
    assert allowed["Access-Control-Allow-Origin"] == ORIGIN
    assert "origin" in allowed["Vary"].lower()
    other = api.get("/api/v1/models/", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in other


def test_pages_and_the_admin_are_not_shared(client, catalog):
    for url in ("/models/", "/admin/login/"):
        response = client.get(url, HTTP_ORIGIN=ORIGIN)
        assert "Access-Control-Allow-Origin" not in response, url
