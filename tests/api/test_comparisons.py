from decimal import Decimal

import pytest

from comparisons.narrative import build_comparison_document
from comparisons.pricing import parse_blend
from comparisons.snapshot import build_pair_snapshot
from tests.factories import gemini_seed_pair

pytestmark = pytest.mark.django_db


def test_canonical_pair_returns_the_page_document(api, catalog):
    response = api.get("/api/v1/comparisons/alpha-1-vs-beta-2/")
    assert response.status_code == 200
    body = response.json()
    assert body["pair"] == "alpha-1-vs-beta-2"
    assert body["page_url"] == "/compare/alpha-1-vs-beta-2/"
    assert (body["model_a"]["slug"], body["model_b"]["slug"]) == ("alpha-1", "beta-2")
    assert body["blend_ratio"] == {"input_parts": 7, "output_parts": 3, "label": "70/30"}
    labels = [row["label"] for row in body["spec_rows"]]
    assert "Context window" in labels
    assert body["faq"] and all(item["question"] and item["answer"] for item in body["faq"])
    assert body["deep_dive"]


def test_api_document_is_exactly_what_the_generator_builds_for_the_page(api):
    live, lite = gemini_seed_pair()
    body = api.get(f"/api/v1/comparisons/{live.slug}-vs-{lite.slug}/").json()
    expected = build_comparison_document(build_pair_snapshot(live.slug, lite.slug)).to_dict()
    for key, value in expected.items():
        assert body[key] == value, key
    input_row = next(row for row in body["pricing_rows"] if row["label"].startswith("Input"))
    assert input_row["a"].startswith("$0.50") and input_row["b"].startswith("$0.25")
    assert "50% cheaper" in body["summary"] + body["verdict"] + " ".join(body["deep_dive"])
    assert "100% cheaper" not in str(body)


def test_blend_is_selectable_and_stated(api, catalog):
    body = api.get("/api/v1/comparisons/alpha-1-vs-beta-2/?blend=3:1").json()
    assert body["blend_ratio"] == {"input_parts": 3, "output_parts": 1, "label": "75/25"}
    assert "75/25" in body["blend"]


def test_related_pairs_are_included(api):
    live, lite = gemini_seed_pair()
    body = api.get(f"/api/v1/comparisons/{live.slug}-vs-{lite.slug}/").json()
    assert isinstance(body["related"], list)
    for related in body["related"]:
        assert related["url"].startswith("/compare/")


@pytest.mark.parametrize("blend", ["0:0", "70-30", "a:b", "1:", "12345:1"])
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


def test_comparison_query_count_is_capped(api, django_assert_max_num_queries):
    live, lite = gemini_seed_pair()
    with django_assert_max_num_queries(8):
        assert api.get(f"/api/v1/comparisons/{live.slug}-vs-{lite.slug}/").status_code == 200


def test_parse_blend_defaults_to_70_30():
    assert parse_blend(None).label == "70/30"
    assert parse_blend("1:0").input_share == Decimal(1)
