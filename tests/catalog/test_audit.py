"""`audit_catalog`: every figure of the shipped seed against the public files."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from catalog.audit import audit_catalog
from catalog.models import LanguageModel, Offering, Price
from catalog.seed_builder import load_decisions, parse_sources

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 2)


@pytest.fixture
def seeded():
    call_command("seed_catalog", verbosity=0)


_PARSED = {}


def _problems(shared_data, kind):
    # The files are parsed once for the module: each test plants one error.
    if "sources" not in _PARSED:
        _PARSED["sources"] = parse_sources(shared_data, load_decisions())
    found = audit_catalog(shared_data, today=TODAY, sources=_PARSED["sources"])
    return [f for f in found if f.kind == kind and not f.explained]


def test_the_shipped_seed_has_no_unexplained_contradiction(shared_data, seeded, capsys):
    call_command("audit_catalog", data=shared_data, today=TODAY)
    out = capsys.readouterr().out
    assert "all explained" in out
    # Older sources do differ, and the report says why ours stands.
    assert "an older source states another price" in out


def test_a_price_kept_against_a_newer_source_is_caught(shared_data, seeded):
    offering = Offering.objects.get(model__slug="gpt-4o-2024-08-06", provider__slug="openai")
    price = offering.current_price
    Price.objects.filter(pk=price.pk).update(input=Decimal("9"), checked_on=date(2026, 1, 1))
    found = _problems(shared_data, "newer_source_differs")
    assert any(f.model == "gpt-4o-2024-08-06" and f.provider == "openai" for f in found)
    with pytest.raises(CommandError, match="unexplained"):
        call_command("audit_catalog", data=shared_data, today=TODAY)


def test_a_launch_price_missing_from_history_is_caught(shared_data, seeded):
    azure = Offering.objects.get(model__slug="o3", provider__slug="azure")
    azure.prices.filter(input=Decimal("10")).delete()
    azure.prices.filter(tier="standard", context_threshold=0).update(
        effective_date=date(2025, 4, 16), checked_on=date(2025, 4, 16)
    )
    found = _problems(shared_data, "history_missing")
    assert any(f.model == "o3" and f.provider == "azure" for f in found)


def test_a_context_window_below_a_tier_threshold_is_caught(shared_data, seeded):
    offering = Offering.objects.get(model__slug="gemini-2-5-pro", provider__slug="google-ai-studio")
    Offering.objects.filter(pk=offering.pk).update(context_window=128_000)
    found = _problems(shared_data, "context_below_tier")
    assert any(f.model == "gemini-2-5-pro" and "128,000" in f.message for f in found)


def test_a_cutoff_copied_from_the_release_month_is_caught(shared_data, seeded):
    model = LanguageModel.objects.get(slug="mistral-nemo")
    LanguageModel.objects.filter(pk=model.pk).update(
        knowledge_cutoff=model.release_date.replace(day=1)
    )
    assert any(f.model == "mistral-nemo" for f in _problems(shared_data, "cutoff_is_release"))


def test_a_deprecated_model_called_available_is_caught(shared_data, seeded):
    deprecated = LanguageModel.objects.filter(lifecycle="deprecated").first()
    LanguageModel.objects.filter(pk=deprecated.pk).update(lifecycle="ga")
    found = _problems(shared_data, "ga_but_deprecated")
    assert any(f.model == deprecated.slug for f in found)


def test_a_figure_no_source_states_is_caught(shared_data, seeded):
    model = LanguageModel.objects.filter(last_reviewed__isnull=True, slug="nova-pro-v1").get()
    LanguageModel.objects.filter(pk=model.pk).update(context_window=123_456)
    assert any(f.model == "nova-pro-v1" for f in _problems(shared_data, "unstated"))
