"""When the database goes away visitors get a clear 503 (JSON under /api/), and pages
work again once it is back; a crash in the middle of a save leaves nothing behind."""

import json
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.db.backends.utils import CursorWrapper
from django.urls import reverse

from catalog.models import LanguageModel, Offering, Price
from tests.admin_forms import change_form_data
from tests.factories import LanguageModelFactory, ProviderFactory, offer

pytestmark = pytest.mark.django_db


@contextmanager
def database_down(error=OperationalError):
    """Every query fails as it does when the server is unreachable."""

    def refuse(*args, **kwargs):
        raise error('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    with (
        mock.patch.object(CursorWrapper, "execute", refuse),
        mock.patch.object(CursorWrapper, "executemany", refuse),
    ):
        yield


@pytest.fixture
def provider():
    return ProviderFactory(name="Together AI")


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_page_answers_a_friendly_503_while_the_database_is_down(client, provider, error):
    with database_down(error):
        response = client.get(provider.get_absolute_url())
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "Back in a moment" in body
    assert "Traceback" not in body and "5432" not in body
    assert response["Content-Security-Policy"].startswith("default-src 'self'")


def test_the_page_recovers_when_the_database_returns(client, provider):
    with database_down():
        assert client.get(provider.get_absolute_url()).status_code == 503
    assert client.get(provider.get_absolute_url()).status_code == 200


def test_the_admin_login_answers_503_while_the_database_is_down(client, editor):
    with database_down():
        response = client.post(
            reverse("admin:login"), {"username": "edith", "password": "correct horse battery"}
        )
    assert response.status_code == 503
    assert client.get(reverse("admin:login")).status_code == 200


def test_api_paths_answer_json_503_in_the_apis_error_shape(client, settings):
    # Any view under /api/ that touches the database; the root URLconf is patched so
    # this holds before and after the API app exists.
    settings.ROOT_URLCONF = "tests.hardening.urls_api_probe"
    with database_down():
        response = client.get("/api/v1/probe/")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {
        "status": 503,
        "code": "database_unavailable",
        "message": "The catalog database is unavailable for a moment. Please try again shortly.",
    }
    assert int(response["Retry-After"]) > 0
    assert client.get("/api/v1/probe/").status_code == 200


def test_a_failure_saving_an_inline_price_leaves_nothing_saved(client, admin_user):
    model = LanguageModelFactory(name="Mistral Large 3")
    offering = offer(model, ProviderFactory(name="Mistral"), input="2", output="6")
    client.force_login(admin_user)
    url = reverse("admin:catalog_offering_change", args=[offering.pk])
    data = change_form_data(client.get(url))
    data["provider_model_id"] = "mistral-large-2512"
    data["prices-1-effective_date"] = date(2026, 2, 1).isoformat()
    data["prices-1-tier"] = Price.Tier.STANDARD
    data["prices-1-context_threshold"] = "0"
    data["prices-1-input"] = "1.50"
    data["prices-1-output"] = "5"
    history_before = (Offering.history.count(), Price.history.count())

    real_save = Price.save

    def save_then_crash(self, *args, **kwargs):
        real_save(self, *args, **kwargs)
        raise RuntimeError("disk full")

    with mock.patch.object(Price, "save", save_then_crash), pytest.raises(RuntimeError):
        client.post(url, data)

    offering.refresh_from_db()
    assert offering.provider_model_id != "mistral-large-2512"  # the offering save rolled back
    assert list(offering.prices.values_list("input", flat=True)) == [Decimal("2")]
    assert (Offering.history.count(), Price.history.count()) == history_before
    assert LanguageModel.objects.get(pk=model.pk).name == "Mistral Large 3"


class LosesTheDatabaseMiddleware:
    """Stands for middleware that reads the database (sessions, a page cache) while the
    server is unreachable: the error is raised outside any view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raise OperationalError("could not connect to server at 127.0.0.1:5432")


@pytest.fixture
def outage_in_middleware(settings, client):
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(
        middleware.index("config.middleware.DatabaseUnavailableMiddleware") + 1,
        "tests.hardening.test_faults.LosesTheDatabaseMiddleware",
    )
    settings.MIDDLEWARE = middleware
    client.raise_request_exception = False
    return client


def test_a_database_error_outside_a_view_gives_the_friendly_503_page(outage_in_middleware):
    response = outage_in_middleware.get("/models/")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert "Back in a moment" in response.content.decode()
    assert "5432" not in response.content.decode()
    assert int(response["Retry-After"]) > 0


def test_a_database_error_outside_a_view_gives_json_503_under_the_api(outage_in_middleware):
    response = outage_in_middleware.get("/api/v1/models/")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert (body["status"], body["code"]) == (503, "database_unavailable")
    assert "unavailable" in body["message"]


def test_other_errors_outside_a_view_still_answer_500(settings, client):
    settings.MIDDLEWARE = ["tests.hardening.test_faults.BrokenMiddleware", *settings.MIDDLEWARE]
    client.raise_request_exception = False
    assert client.get("/models/").status_code == 500
    response = client.get("/api/v1/models/")
    assert response.status_code == 500
    assert response.json()["code"] == "server_error"


class BrokenMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raise ValueError("a bug, not an outage")
