from datetime import date

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from api.services import issue_api_key
from catalog.models import Source
from tests.factories import (
    BenchmarkScoreFactory,
    LanguageModelFactory,
    OrganizationFactory,
    ProviderFactory,
    offer,
)

GENEROUS_RATES = {"anon": "10000/min", "partner": "10000/min"}


@pytest.fixture(autouse=True)
def _api_settings(settings):
    """The configured cache (Redis when CI sets REDIS_URL), emptied per test, and rates
    no test reaches unless it lowers them."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": GENEROUS_RATES,
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def partner_key(db):
    """(ApiKey, raw key) for a partner."""
    return issue_api_key(name="Nightly sync", partner="Acme")


@pytest.fixture
def catalog(db):
    """A small catalog: two published models on two providers, one draft, a benchmark."""
    acme = OrganizationFactory(name="Acme Labs", slug="acme-labs")
    zeta = OrganizationFactory(name="Zeta AI", slug="zeta-ai")
    cloud = ProviderFactory(name="Cloud One", slug="cloud-one")
    host = ProviderFactory(name="Fast Host", slug="fast-host")
    alpha = LanguageModelFactory(
        name="Alpha 1",
        organization=acme,
        context_window=1_000_000,
        release_date=date(2026, 3, 1),
        open_weights=True,
        license="Apache-2.0",
        vision=True,
        reasoning=False,
        input_modalities="text,image",
        knowledge_cutoff=date(2025, 6, 1),
    )
    beta = LanguageModelFactory(
        name="Beta 2",
        organization=zeta,
        context_window=128_000,
        release_date=date(2025, 9, 1),
        vision=False,
        reasoning=True,
    )
    draft = LanguageModelFactory(name="Secret 3", organization=acme, status="draft")
    alpha.sources.add(Source.objects.create(url="https://acme.example/alpha", title="Alpha card"))
    offer(alpha, cloud, input="0.25", output="1.00")
    offer(alpha, host, input="0.30", output="0.90")
    offer(beta, cloud, input="2.50", output="10.00")
    offer(draft, cloud, input="0.01", output="0.02")
    BenchmarkScoreFactory(model=alpha, benchmark__name="MMLU", benchmark__slug="mmlu")
    return {"alpha": alpha, "beta": beta, "draft": draft, "cloud": cloud, "host": host}
