"""Cheapest means buyable: retired and deprecated offerings (catalog.models.
BUYABLE_LIFECYCLES) never set a model's cheapest price, in its representation, its price
filters or its price sort; offerings can be filtered by lifecycle."""

import pytest

from tests.api.helpers import results, slugs
from tests.factories import fading_and_steady

pytestmark = pytest.mark.django_db


@pytest.fixture
def fading(db):
    return fading_and_steady()


def test_a_models_cheapest_price_skips_retired_and_deprecated_offerings(api, fading):
    detail = api.get("/api/v1/models/fading/").json()
    assert detail["cheapest_input_usd_per_mtok"] == "1.000000"
    assert detail["cheapest_output_usd_per_mtok"] == "2.000000"
    listed = {row["slug"]: row for row in results(api.get("/api/v1/models/"))}
    assert listed["fading"]["cheapest_input_usd_per_mtok"] == "1.000000"
    assert listed["steady"]["cheapest_input_usd_per_mtok"] == "0.500000"
    # The retired and deprecated offerings are still listed, with their prices.
    assert len(detail["offerings"]) == 3


def test_price_filters_and_sorts_use_only_buyable_offerings(api, fading):
    assert slugs(api.get("/api/v1/models/?max_input_price=0.6")) == ["steady"]
    assert slugs(api.get("/api/v1/models/?max_output_price=1.5")) == ["steady"]
    assert slugs(api.get("/api/v1/models/?ordering=input_price")) == ["steady", "fading"]
    assert slugs(api.get("/api/v1/models/?ordering=-output_price")) == ["fading", "steady"]


def test_offerings_filter_by_lifecycle(api, fading, django_assert_max_num_queries):
    def lifecycles(query):
        return sorted(row["lifecycle"] for row in results(api.get(f"/api/v1/offerings/{query}")))

    with django_assert_max_num_queries(8):
        assert lifecycles("?lifecycle=ga") == ["ga"]
    assert lifecycles("?lifecycle=retired") == ["retired"]
    assert lifecycles("?lifecycle=ga&lifecycle=preview") == ["ga", "preview"]
    assert lifecycles("") == ["deprecated", "ga", "preview", "retired"]
    refused = api.get("/api/v1/offerings/?lifecycle=gone")
    assert refused.status_code == 400
    assert list(refused.json()["errors"]) == ["lifecycle"]
