import pytest

from api.comparison_document import parse_blend

pytestmark = pytest.mark.django_db


def test_canonical_pair_returns_both_models_and_the_blend(api, catalog):
    response = api.get("/api/v1/comparisons/alpha-1-vs-beta-2/")
    assert response.status_code == 200
    body = response.json()
    assert body["pair"] == "alpha-1-vs-beta-2"
    assert [m["slug"] for m in body["models"]] == ["alpha-1", "beta-2"]
    assert body["blend"] == {"input_share": "0.7000", "output_share": "0.3000", "ratio": "70:30"}
    assert body["models"][1]["offerings"][0]["current_price"]["input_usd_per_mtok"] == "2.500000"


def test_blend_is_selectable(api, catalog):
    body = api.get("/api/v1/comparisons/alpha-1-vs-beta-2/?blend=3:1").json()
    assert body["blend"] == {"input_share": "0.7500", "output_share": "0.2500", "ratio": "3:1"}


@pytest.mark.parametrize("blend", ["0:0", "70-30", "a:b", "1:", "1234567:1"])
def test_bad_blend_is_a_400(api, catalog, blend):
    response = api.get(f"/api/v1/comparisons/alpha-1-vs-beta-2/?blend={blend}")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["blend"]


def test_reversed_pair_redirects_permanently_keeping_the_query(api, catalog):
    response = api.get("/api/v1/comparisons/beta-2-vs-alpha-1/?blend=3:1")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/comparisons/alpha-1-vs-beta-2/?blend=3:1"


@pytest.mark.parametrize(
    "pair",
    [
        "alpha-1-vs-alpha-1",  # self
        "alpha-1-vs-nobody",  # unknown
        "nobody-vs-alpha-1",  # unknown, wrong order: no redirect to a page that 404s
        "alpha-1-vs-secret-3",  # unpublished
        "alpha-1-and-beta-2",  # not a pair
        "-vs-alpha-1",
    ],
)
def test_impossible_pairs_are_json_404s(api, catalog, pair):
    response = api.get(f"/api/v1/comparisons/{pair}/")
    assert response.status_code == 404
    assert response.json()["status"] == 404


def test_parse_blend_defaults_to_70_30():
    assert parse_blend(None).ratio == "70:30"
    assert parse_blend("1:0").input_share == 1
