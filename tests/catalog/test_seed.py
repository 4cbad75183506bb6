"""The shipped seed catalog is data we publish: test it as data."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction

from catalog.models import (
    BenchmarkScore,
    LanguageModel,
    Offering,
    Organization,
    Price,
    Provider,
)
from catalog.seeding import SEED_PATH

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _seeded_module(django_db_setup, django_db_blocker):
    # Load once for the module, roll back at its end: each test still runs in its own
    # transaction inside this one.
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_catalog", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def seeded(_seeded_module, db):
    return None


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (Organization, Provider, LanguageModel, Offering, Price, BenchmarkScore)
    }


def test_seed_holds_the_promised_catalog(seeded):
    assert LanguageModel.objects.published().count() >= 40
    assert Organization.objects.filter(models__isnull=False).distinct().count() >= 10
    assert Provider.objects.filter(offerings__isnull=False).distinct().count() >= 8
    assert Offering.objects.count() >= 80
    assert not Offering.objects.filter(current_price__isnull=True).exists()


def test_loading_the_seed_twice_changes_nothing(seeded, capsys):
    before = _counts()
    call_command("seed_catalog")
    assert _counts() == before
    assert "nothing changed" in capsys.readouterr().out


def test_every_model_is_sourced_and_reviewed(seeded):
    for model in LanguageModel.objects.prefetch_related("sources"):
        assert model.sources.exists(), model.name
        assert model.last_reviewed is not None, model.name
        assert model.release_date is not None, model.name
        assert model.context_window > 0


def test_every_price_cites_its_source(seeded):
    assert not Price.objects.filter(source_url="").exists()
    assert not Price.objects.filter(checked_on__isnull=True).exists()


def test_seed_comparison_pair_has_the_reference_page_figures(seeded):
    live = LanguageModel.objects.get(slug="gemini-2-5-flash-live-api")
    lite = LanguageModel.objects.get(slug="gemini-3-1-flash-lite")
    assert live.name == "Gemini 2.5 Flash Live API"
    assert live.release_date == date(2025, 12, 1)
    assert live.context_window == 128_000
    assert lite.release_date == date(2026, 5, 7)
    assert lite.context_window == 1_000_000
    assert lite.knowledge_cutoff == date(2025, 1, 1)
    assert live.license == lite.license == "Proprietary"
    assert not live.open_weights and not lite.open_weights

    def current(model):
        return {
            o.provider.name: (o.current_price.input, o.current_price.output)
            for o in model.offerings.select_related("provider", "current_price")
        }

    assert current(live) == {"Google AI Studio": (Decimal("0.5"), Decimal("2"))}
    assert current(lite) == {
        "Google AI Studio": (Decimal("0.25"), Decimal("1.5")),
        "OpenRouter": (Decimal("0.25"), Decimal("1.5")),
    }


def test_capabilities_follow_the_makers_documentation(seeded):
    live = LanguageModel.objects.get(slug="gemini-2-5-flash-live-api")
    lite = LanguageModel.objects.get(slug="gemini-3-1-flash-lite")
    assert (live.vision, live.function_calling, live.structured_outputs) == (True, True, False)
    assert (lite.structured_outputs, lite.code_execution) == (True, True)
    # The reference page says "No"; Google documents thinking for Flash-Lite, and we cite it.
    assert lite.reasoning is True
    assert lite.sources.filter(url__contains="ai.google.dev/gemini-api/docs/thinking").exists()


def test_price_history_is_seeded_for_known_changes(seeded):
    o3 = Offering.objects.get(model__slug="o3", provider__slug="openai")
    history = list(
        o3.prices.filter(tier="standard", context_threshold=0)
        .order_by("effective_date")
        .values_list("input", "output")
    )
    assert history[0] == (Decimal("10"), Decimal("40"))
    assert history[-1] == (Decimal("2"), Decimal("8"))
    assert o3.current_price.input == Decimal("2")


def test_seed_file_prices_are_decimal_strings_never_floats():
    data = json.loads(SEED_PATH.read_text(), parse_float=lambda text: pytest.fail(text))
    for model in data["models"]:
        for offering in model.get("offerings", []):
            for price in offering["prices"]:
                assert Decimal(price["input"]) >= 0 and Decimal(price["output"]) >= 0
