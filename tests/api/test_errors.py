import pytest
from django.test import Client

from api.views import ProviderViewSet

pytestmark = pytest.mark.django_db


def test_unknown_api_url_is_a_json_404(db):
    response = Client().get("/api/v2/models/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": 404, "code": "not_found", "message": "Not found."}


def test_unknown_site_url_keeps_the_html_404(db):
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert "application/json" not in response["Content-Type"]


def test_unknown_record_is_a_json_404(api, catalog):
    response = api.get("/api/v1/providers/nowhere/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_a_json_405(api, catalog, method):
    response = getattr(api, method)("/api/v1/models/alpha-1/")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_crash_in_an_api_view_is_a_json_500(api, catalog, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("api.caching.version_for_request", explode)
    client = Client(raise_request_exception=False)
    response = client.get("/api/v1/providers/")
    assert response.status_code == 500
    assert response.json()["message"] == "Internal server error."


def test_crash_inside_a_drf_view_is_a_json_500_from_the_exception_handler(api, monkeypatch):
    def explode(self, *args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(ProviderViewSet, "list", explode)
    response = Client(raise_request_exception=False).get("/api/v1/providers/")
    assert response.status_code == 500
    assert response.json() == {
        "status": 500,
        "code": "server_error",
        "message": "Internal server error.",
    }


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/api/v1/models/%00/", "Not found."),  # cannot be a slug: no query at all
        ("/api/v1/models/nowhere/", "No language model has this slug."),
        ("/api/v1/providers/%00/", "Not found."),
        ("/api/v1/providers/nowhere/", "No provider has this slug."),
        ("/api/v1/offerings/999999/", "No offering has this id."),
        ("/api/v1/offerings/x%00/", "Not found."),
    ],
)
def test_an_unknown_record_is_named_in_the_apis_words_not_by_an_internal_class(
    api, catalog, url, message, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        response = api.get(url)
    assert response.status_code == 404
    assert response.json() == {"status": 404, "code": "not_found", "message": message}
    assert "LanguageModel" not in response.content.decode()


def test_more_query_parameters_than_django_reads_is_a_400_not_a_500(db):
    query = "&".join(f"f{i}=1" for i in range(1500))  # over DATA_UPLOAD_MAX_NUMBER_FIELDS
    client = Client(raise_request_exception=False)
    response = client.get(f"/api/v1/providers/?{query}")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert "DATA_UPLOAD_MAX_NUMBER_FIELDS" in response.json()["message"]
    assert client.get(f"/api/docs/?{query}").status_code == 400  # the docs page, in HTML
