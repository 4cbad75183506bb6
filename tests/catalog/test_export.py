"""Export writes the importer's CSV; importing an export changes nothing."""

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from catalog.importers import csv_format
from catalog.importers.apply import apply_plan
from catalog.importers.export import price_lines
from catalog.importers.plan import build_plan
from catalog.models import Offering, Price
from tests.factories import LanguageModelFactory, PriceFactory, ProviderFactory, offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    studio = ProviderFactory(name="Google AI Studio", slug="google-ai-studio")
    bedrock = ProviderFactory(name="AWS Bedrock", slug="aws-bedrock")
    flash = LanguageModelFactory(name="Gemini 3.1 Flash-Lite")
    claude = LanguageModelFactory(name="Claude Sonnet 4.5")
    on_studio = offer(flash, studio, input="0.25", output="1.5")
    PriceFactory(
        offering=on_studio,
        tier=Price.Tier.BATCH,
        input=Decimal("0.125"),
        output=Decimal("0.75"),
        cache_read=Decimal("0.0125"),
    )
    on_bedrock = offer(claude, bedrock, input="3", output="15")
    PriceFactory(
        offering=on_bedrock,
        context_threshold=200_000,
        input=Decimal("6"),
        output=Decimal("22.5"),
        cache_write=Decimal("7.5"),
        source_url="https://aws.amazon.com/bedrock/pricing/",
    )
    # An old price and a future one: neither is in force today, neither is exported.
    PriceFactory(offering=on_bedrock, effective_date=date(2025, 1, 1), input=Decimal("9"))
    PriceFactory(
        offering=on_bedrock, effective_date=date.today() + timedelta(days=30), input=Decimal("1")
    )
    return {"studio": on_studio, "bedrock": on_bedrock}


def export_text(offerings=None) -> str:
    out = StringIO()
    csv_format.write(price_lines(offerings), out)
    return out.getvalue()


def test_export_lists_prices_in_force_today(catalog):
    text = export_text()
    assert text.splitlines() == [
        ",".join(csv_format.COLUMNS),
        "aws-bedrock,claude-sonnet-4-5,claude-sonnet-4-5,standard,0,3,15,,,2026-01-15,"
        "https://example.com/pricing",
        "aws-bedrock,claude-sonnet-4-5,claude-sonnet-4-5,standard,200000,6,22.5,,7.5,2026-01-15,"
        "https://aws.amazon.com/bedrock/pricing/",
        "google-ai-studio,gemini-3-1-flash-lite,gemini-3-1-flash-lite,standard,0,0.25,1.5,,,"
        "2026-01-15,https://example.com/pricing",
        "google-ai-studio,gemini-3-1-flash-lite,gemini-3-1-flash-lite,batch,0,0.125,0.75,0.0125,,"
        "2026-01-15,https://example.com/pricing",
    ]


def test_round_trip_export_import_changes_nothing(catalog, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(export_text(), encoding="utf-8")
    before = sorted(Price.objects.values_list("pk", "input", "output", "cache_read", "checked_on"))

    plan = build_plan(csv_format.parse(path))
    assert plan.counts() == {
        "new_offerings": 0,
        "changed": 0,
        "unchanged": 4,
        "unmatched": 0,
        "errors": 0,
    }
    apply_plan(plan)
    assert (
        sorted(Price.objects.values_list("pk", "input", "output", "cache_read", "checked_on"))
        == before
    )
    assert export_text() == path.read_text(encoding="utf-8")


def test_edited_export_imports_as_changes(catalog, tmp_path):
    text = export_text().replace(",0.25,1.5,", ",0.2,1.5,")
    path = tmp_path / "edited.csv"
    path.write_text(text, encoding="utf-8")
    plan = build_plan(csv_format.parse(path))
    assert [(p.ref, p.effective_date) for p in plan.changed] == [("line 4", date.today())]
    assert plan.warnings == []
    apply_plan(plan)
    catalog["studio"].refresh_from_db()
    assert catalog["studio"].current_price.input == Decimal("0.2")
    assert catalog["studio"].prices.filter(tier="standard").count() == 2


def test_export_command_filters_by_provider(catalog, tmp_path):
    path = tmp_path / "out.csv"
    call_command("export_catalog", str(path), "--provider", "aws-bedrock", stderr=StringIO())
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3
    assert all(line.startswith("aws-bedrock,") for line in lines[1:])


def test_export_runs_a_fixed_number_of_queries(catalog, django_assert_max_num_queries):
    for n in range(5):
        offer(
            LanguageModelFactory(), catalog["studio"].provider if n else catalog["bedrock"].provider
        )
    with django_assert_max_num_queries(2):
        list(price_lines(Offering.objects.all()))
