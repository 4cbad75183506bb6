from datetime import date

import pytest

from pricewatch.models import OfferingCheck
from tests.factories import LanguageModelFactory, ProviderFactory, offer

pytestmark = pytest.mark.django_db


def test_models_api_exposes_each_offerings_price_check(client, django_assert_max_num_queries):
    model = LanguageModelFactory(name="Checked")
    checked = offer(model, ProviderFactory(name="Alpha"), input="1", output="2")
    offer(model, ProviderFactory(name="Beta"), input="1", output="2")
    OfferingCheck.objects.create(
        offering=checked, source="litellm", agrees=True, checked_on=date(2026, 11, 1)
    )
    OfferingCheck.objects.create(
        offering=checked,
        source="openrouter",
        agrees=False,
        checked_on=date(2026, 11, 3),
        disagreements=[{"field": "input", "ours": "1", "theirs": "10"}],
    )
    body = client.get(f"/api/v1/models/{model.slug}/").json()
    checks = {o["provider"]["slug"]: o["price_check"] for o in body["offerings"]}
    assert checks["alpha"] == {
        "sources_checked": 2,
        "sources_agreeing": 1,
        "checked_on": "2026-11-03",
        "disagreements": [{"source": "openrouter", "field": "input", "ours": "1", "theirs": "10"}],
    }
    assert checks["beta"] == {
        "sources_checked": 0,
        "sources_agreeing": 0,
        "checked_on": None,
        "disagreements": [],
    }
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/models/").status_code == 200
