"""The client address comes from one place (sitecache.client_address), shared by the API
throttles and the admin sign-in lockout: X-Forwarded-For counts only as far as the
configured proxies wrote it, so a made-up header buys no new allowance."""

import secrets

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from sitecache.client_address import client_address
from tests.factories import ProviderFactory

PASSWORD = "correct horse battery"


def random_address() -> str:
    return ".".join(str(secrets.randbelow(256)) for _ in range(4))


def request_from(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "198.51.100.1", "10.0.0.1"),  # no proxy: the header is anyone's claim
        (1, "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # our proxy wrote the last entry
        (2, "6.6.6.6, 198.51.100.1, 10.0.0.9", "198.51.100.1"),
        (1, "198.51.100.1:50123", "198.51.100.1"),  # a proxy that adds the port
        (1, "[2001:db8::1]:443", "2001:db8::1"),
        (2, "198.51.100.1", "10.0.0.1"),  # fewer hops than proxies: not via our proxies
        (1, "not-an-address", "10.0.0.1"),
        (1, None, "10.0.0.1"),
    ],
)
def test_the_client_is_the_entry_our_own_proxies_wrote(settings, proxies, forwarded, expected):
    settings.NUM_PROXIES = proxies
    assert client_address(request_from("10.0.0.1", forwarded)) == expected


@pytest.fixture
def anon_rate(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "partner": "100/min"},
    }
    cache.clear()


@pytest.mark.django_db
def test_a_new_made_up_x_forwarded_for_per_request_does_not_escape_the_api_limit(
    client, settings, anon_rate, django_assert_max_num_queries
):
    settings.NUM_PROXIES = 0
    ProviderFactory(name="Groq")
    statuses = []
    for _ in range(6):
        with django_assert_max_num_queries(4):
            response = client.get("/api/v1/providers/", HTTP_X_FORWARDED_FOR=random_address())
        statuses.append(response.status_code)
    assert statuses == [200, 200, 200, 429, 429, 429]
    assert response.json()["code"] == "throttled"


@pytest.mark.django_db
def test_behind_one_proxy_the_api_counts_each_client_by_the_address_the_proxy_saw(
    client, settings, anon_rate
):
    settings.NUM_PROXIES = 1

    def get(client_ip):
        forwarded = f"{random_address()}, {client_ip}"  # the client's claim, then our proxy's
        return client.get(
            "/api/v1/providers/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded
        ).status_code

    assert [get("198.51.100.1") for _ in range(4)] == [200, 200, 200, 429]
    assert get("198.51.100.2") == 200  # another client behind the same proxy


def sign_in(client, password, **extra):
    return client.post(
        reverse("admin:login"),
        {"username": "edith", "password": password, "next": "/admin/"},
        **extra,
    )


@pytest.mark.django_db
def test_a_made_up_x_forwarded_for_per_attempt_does_not_escape_the_sign_in_lockout(
    client, editor, settings
):
    settings.NUM_PROXIES = 0
    for _ in range(5):
        sign_in(client, "wrong", HTTP_X_FORWARDED_FOR=random_address())
    response = sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR=random_address())
    assert "Too many failed sign-in attempts" in response.content.decode()


@pytest.mark.django_db
def test_behind_one_proxy_the_lockout_is_per_client_as_the_api_throttle_is(
    client, editor, settings
):
    settings.NUM_PROXIES = 1

    def attempt(password, client_ip):
        forwarded = f"{random_address()}, {client_ip}"
        return sign_in(client, password, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)

    for _ in range(5):
        attempt("wrong", "203.0.113.7")
    locked = attempt(PASSWORD, "203.0.113.7")
    assert "Too many failed sign-in attempts" in locked.content.decode()
    # The editor, elsewhere but behind the same proxy, is not locked out by the guesser.
    assert attempt(PASSWORD, "198.51.100.4").status_code == 302
