import pytest

from api.services import issue_api_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(settings):
    def set_rates(anon: str, partner: str):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon": anon, "partner": partner},
        }

    return set_rates


def test_anonymous_reads_over_the_limit_get_a_json_429_with_retry_after(api, catalog, rates):
    rates("3/min", "10/min")
    for _ in range(3):
        assert api.get("/api/v1/models/").status_code == 200
    response = api.get("/api/v1/models/")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert response.json()["code"] == "throttled"
    assert "throttled" in response.json()["message"]


def test_partner_key_gets_the_higher_limit(api, catalog, partner_key, rates):
    rates("2/min", "5/min")
    _, raw_key = partner_key
    for _ in range(5):
        assert api.get("/api/v1/models/", HTTP_X_API_KEY=raw_key).status_code == 200
    assert api.get("/api/v1/models/", HTTP_X_API_KEY=raw_key).status_code == 429
    # The partner's traffic does not use up the anonymous allowance.
    assert api.get("/api/v1/models/").status_code == 200


def test_each_key_has_its_own_allowance(api, catalog, rates):
    rates("1/min", "2/min")
    _, first = issue_api_key(name="a", partner="A")
    _, second = issue_api_key(name="b", partner="B")
    for _ in range(2):
        assert api.get("/api/v1/providers/", HTTP_X_API_KEY=first).status_code == 200
    assert api.get("/api/v1/providers/", HTTP_X_API_KEY=first).status_code == 429
    assert api.get("/api/v1/providers/", HTTP_X_API_KEY=second).status_code == 200


def test_api_throttle_disabled_lets_every_read_through_and_is_off_by_default(
    api, catalog, rates, settings
):
    assert settings.API_THROTTLE_DISABLED is False
    rates("2/min", "2/min")
    settings.API_THROTTLE_DISABLED = True
    for _ in range(4):
        assert api.get("/api/v1/models/").status_code == 200
    settings.API_THROTTLE_DISABLED = False
    statuses = [api.get("/api/v1/models/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_every_answer_carries_ratelimit_headers_and_the_429_keeps_retry_after(api, catalog, rates):
    rates("3/min", "10/min")
    answers = [
        api.get("/api/v1/models/"),
        api.get("/api/v1/models/no-such-model/"),  # a 404
        api.get("/api/v1/models/?vision=maybe"),  # a 400
    ]
    for remaining, response in zip((2, 1, 0), answers, strict=True):
        assert response["RateLimit-Limit"] == "3"
        assert response["RateLimit-Remaining"] == str(remaining)
        assert 0 < int(response["RateLimit-Reset"]) <= 60
    refused = api.get("/api/v1/models/")
    assert refused.status_code == 429
    assert refused["RateLimit-Limit"] == "3"
    assert refused["RateLimit-Remaining"] == "0"
    assert 0 < int(refused["RateLimit-Reset"]) <= 60
    assert 0 < int(refused["Retry-After"]) <= 60


def test_a_304_and_a_partners_answer_carry_their_own_allowance(api, catalog, partner_key, rates):
    rates("5/min", "7/min")
    etag = api.get("/api/v1/providers/")["ETag"]
    not_modified = api.get("/api/v1/providers/", HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert not_modified["RateLimit-Remaining"] == "3"
    _, raw_key = partner_key
    partner = api.get("/api/v1/providers/", HTTP_AUTHORIZATION=f"Bearer {raw_key}")
    assert (partner["RateLimit-Limit"], partner["RateLimit-Remaining"]) == ("7", "6")


def test_refused_keys_and_unknown_urls_carry_ratelimit_headers_and_count(api, catalog, rates):
    # A 401 (refused before the throttles run) and a 404 no view answered are counted
    # against the client's anonymous allowance like any other answer, so a client
    # guessing keys or URLs runs into the same limit.
    rates("3/min", "10/min")
    answers = [
        api.get("/api/v1/models/", HTTP_AUTHORIZATION="Bearer abcd1234.not-a-key"),
        api.get("/api/v1/no-such-endpoint/"),
        api.get("/api/v1/models/", HTTP_X_API_KEY="abcd1234.not-a-key"),
    ]
    assert [response.status_code for response in answers] == [401, 404, 401]
    for remaining, response in zip((2, 1, 0), answers, strict=True):
        assert response["RateLimit-Limit"] == "3"
        assert response["RateLimit-Remaining"] == str(remaining)
        assert 0 < int(response["RateLimit-Reset"]) <= 60
    guessed = api.get("/api/v1/models/", HTTP_AUTHORIZATION="Bearer abcd1234.another-guess")
    assert guessed.status_code == 429
    assert guessed.json()["code"] == "throttled"
    assert guessed["RateLimit-Remaining"] == "0"
    assert 0 < int(guessed["Retry-After"]) <= 60
    # Ordinary reads share the allowance the guesses used up.
    assert api.get("/api/v1/models/").status_code == 429


def test_pages_outside_the_api_are_not_counted(client, catalog, rates):
    rates("1/min", "10/min")
    for _ in range(3):
        response = client.get("/no-such-page/")
        assert response.status_code == 404
        assert "RateLimit-Limit" not in response
