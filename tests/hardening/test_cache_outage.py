"""With REDIS_URL set, a Redis outage degrades the site instead of breaking it: pages,
the API and the admin sign-in keep answering, sign-in lockout and API throttling keep
counting (in each process), the outage is logged once, and Redis is used again as soon as
it answers. Each test runs a redis-server of its own and stops that one."""

import logging
import socket
import time

import pytest
from django.urls import reverse

from config.settings import redis_cache
from tests.factories import LanguageModelFactory, ProviderFactory, offer
from tests.redis_server import OwnRedis, needs_redis_server

pytestmark = [pytest.mark.django_db, needs_redis_server]

RETRY_SECONDS = 0.3
PASSWORD = "correct horse battery"


@pytest.fixture
def own_redis(settings):
    server = OwnRedis()
    server.start()
    settings.CACHES = {
        "default": {**redis_cache(server.url), "OUTAGE_RETRY_SECONDS": RETRY_SECONDS}
    }
    yield server
    server.stop()


@pytest.fixture
def catalog():
    model = LanguageModelFactory(name="Outage Model")
    offer(model, ProviderFactory(name="Outage Cloud"), input="1", output="2")
    return model


def outage_warnings(caplog) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "sitecache.backends" and record.levelno >= logging.WARNING
    ]


def test_pages_api_and_sign_in_answer_while_redis_is_down_and_the_outage_is_logged_once(
    client, own_redis, catalog, editor, caplog, django_assert_max_num_queries
):
    url = catalog.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert own_redis.client().dbsize() > 0  # the page really was in Redis

    own_redis.stop()
    caplog.set_level(logging.WARNING, logger="sitecache.backends")
    for _ in range(3):
        with django_assert_max_num_queries(8):
            page = client.get(url)
        assert page.status_code == 200
        assert "Outage Model" in page.content.decode()
        with django_assert_max_num_queries(10):
            listing = client.get("/models/")
        assert listing.status_code == 200
        with django_assert_max_num_queries(8):
            api = client.get("/api/v1/models/")
        assert api.status_code == 200
        assert api.json()["results"][0]["name"] == "Outage Model"
        assert client.get(reverse("admin:login")).status_code == 200
        refused = client.post(reverse("admin:login"), {"username": "edith", "password": "nope"})
        assert refused.status_code == 200
        assert "Please enter the correct username and password" in refused.content.decode()

    warnings = outage_warnings(caplog)
    assert len(warnings) == 1, warnings
    assert "unavailable" in warnings[0]
    assert f"127.0.0.1:{own_redis.port}" in warnings[0]


def test_sign_in_lockout_still_counts_while_redis_is_down(client, own_redis, editor):
    own_redis.stop()
    for _ in range(5):
        client.post(reverse("admin:login"), {"username": "edith", "password": "wrong"})
    response = client.post(reverse("admin:login"), {"username": "edith", "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert client.get("/admin/").status_code == 302  # still signed out


def test_the_api_throttle_still_counts_while_redis_is_down(client, own_redis, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "partner": "100/min"},
    }
    own_redis.stop()
    statuses = [client.get("/api/v1/providers/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_redis_is_used_again_by_itself_once_it_answers(client, own_redis, catalog, caplog):
    url = catalog.get_absolute_url()
    own_redis.stop()
    caplog.set_level(logging.WARNING, logger="sitecache.backends")
    assert client.get(url).status_code == 200

    own_redis.start()  # same port, empty
    time.sleep(RETRY_SECONDS + 0.1)
    assert client.get("/providers/outage-cloud/").status_code == 200
    assert own_redis.client().dbsize() > 0
    assert any("is back" in message for message in outage_warnings(caplog))


def test_a_redis_that_accepts_but_never_answers_is_an_outage_not_a_hang(client, settings, catalog):
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)  # connections complete in the backlog; nothing ever replies
        location = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
        settings.CACHES = {"default": {**redis_cache(location), "OUTAGE_RETRY_SECONDS": 60}}
        started = time.monotonic()
        responses = [client.get(catalog.get_absolute_url()) for _ in range(5)]
        elapsed = time.monotonic() - started
    assert [response.status_code for response in responses] == [200] * 5
    # One attempt waits for the socket timeout (0.5 s); the rest skip Redis until retry.
    assert elapsed < 3, elapsed
