"""Importing our own CSV: preview counts, all-or-nothing apply, history, idempotence."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from catalog.importers import apply as plan_module
from catalog.importers import csv_format
from catalog.importers.apply import ImportRefused, apply_plan
from catalog.importers.plan import build_plan
from catalog.importers.source import ImportFormatError
from catalog.models import Offering, Price
from tests.catalog import import_fixtures
from tests.catalog.import_fixtures import write_csv

small_catalog = import_fixtures.small_catalog

pytestmark = pytest.mark.django_db

BODY = (
    # line 2: a price change on an existing offering
    "openai,gpt-4o,gpt-4o,standard,0,2.00,8.00,1.00,,,https://openai.com/api/pricing/\n"
    # line 3: a new offering of a model we have
    "openai,gpt-4o-mini,gpt-4o-mini,standard,0,0.15,0.60,0.075,,,\n"
    # line 4: a model we do not have
    "openai,o9-ultra,o9-ultra,standard,0,100,400,,,,\n"
)


def catalog_state():
    return sorted(
        Price.objects.values_list(
            "offering_id", "tier", "context_threshold", "effective_date", "input", "output"
        )
    ), Offering.objects.count()


def test_preview_counts_new_changed_unchanged_and_unmatched(tmp_path, small_catalog):
    before = catalog_state()
    plan = build_plan(csv_format.parse(write_csv(tmp_path, BODY)))

    assert plan.counts() == {
        "new_offerings": 1,
        "changed": 1,
        "unchanged": 0,
        "unmatched": 1,
        "errors": 0,
    }
    change = plan.changed[0]
    assert change.ref == "line 2"
    assert [(c.field, c.old, c.new, c.percent) for c in change.changes] == [
        ("input", Decimal("2.500000"), Decimal("2.00"), Decimal("-20")),
        ("output", Decimal("10.000000"), Decimal("8.00"), Decimal("-20")),
        ("cache_read", Decimal("1.250000"), Decimal("1.00"), Decimal("-20")),
    ]
    assert plan.new_offerings[0].model == small_catalog["mini"]
    assert plan.unmatched[0].ref == "line 4"
    assert catalog_state() == before  # a preview writes nothing


def test_apply_records_new_price_and_keeps_the_old_one_in_history(tmp_path, small_catalog, editor):
    plan = build_plan(csv_format.parse(write_csv(tmp_path, BODY)))
    result = apply_plan(plan, user=editor)

    assert (result.offerings_created, result.prices_recorded) == (1, 2)
    offering = small_catalog["offering"]
    offering.refresh_from_db()
    assert offering.current_price.input == Decimal("2")
    assert offering.current_price.effective_date == date.today()
    history = list(offering.prices.order_by("effective_date").values_list("input", flat=True))
    assert history == [Decimal("2.5"), Decimal("2")]
    created = Price.history.filter(offering_id=offering.pk, history_type="+").latest("history_date")
    assert created.history_user == editor
    mini = Offering.objects.get(provider=small_catalog["openai"], model=small_catalog["mini"])
    assert mini.provider_model_id == "gpt-4o-mini"
    assert mini.current_price.cache_read == Decimal("0.075")


def test_a_second_import_of_the_same_file_changes_nothing(tmp_path, small_catalog):
    path = write_csv(tmp_path, BODY)
    apply_plan(build_plan(csv_format.parse(path)))
    after_first = catalog_state()

    again = build_plan(csv_format.parse(path))
    assert again.counts() == {
        "new_offerings": 0,
        "changed": 0,
        "unchanged": 2,
        "unmatched": 1,
        "errors": 0,
    }
    apply_plan(again)
    assert catalog_state() == after_first


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("openai,gpt-4o,gpt-4o,standard,0,-1,8,,,,", "cannot be negative"),
        ("openai,gpt-4o,gpt-4o,standard,0,cheap,8,,,,", "'cheap' is not a number"),
        ("openai,gpt-4o,gpt-4o,standard,0,NaN,8,,,,", "is not a number"),
        ("openai,gpt-4o,gpt-4o,standard,0,0.0000001,8,,,,", "more than 6 decimals"),
        ("openai,gpt-4o,gpt-4o,standard,0,,8,,,,", "input price is missing"),
        ("openai,gpt-4o,gpt-4o,turbo,0,1,8,,,,", "tier 'turbo'"),
        ("openai,gpt-4o,gpt-4o,standard,lots,1,8,,,,", "context_threshold 'lots'"),
        ("openai,gpt-4o,gpt-4o,standard,0,1,8,,,15/01/2027,", "not YYYY-MM-DD"),
        ("nowhere-ai,gpt-4o,gpt-4o,standard,0,1,8,,,,", "unknown provider 'nowhere-ai'"),
    ],
)
def test_a_bad_row_anywhere_means_nothing_is_written(tmp_path, small_catalog, line, message):
    before = catalog_state()
    # The good rows come first: they must not be written either.
    path = write_csv(tmp_path, BODY + line + "\n")
    plan = build_plan(csv_format.parse(path))

    assert not plan.can_apply
    assert [e.ref for e in plan.errors] == ["line 5"]
    assert message in plan.errors[0].message
    with pytest.raises(ImportRefused, match="line 5"):
        apply_plan(plan)
    assert catalog_state() == before


def test_a_new_price_cannot_be_backdated_before_the_current_one(tmp_path, small_catalog):
    path = write_csv(tmp_path, "openai,gpt-4o,gpt-4o,standard,0,1,8,,,2025-01-01,\n")
    plan = build_plan(csv_format.parse(path))
    assert [(e.ref, e.message) for e in plan.errors] == [
        (
            "line 2",
            "effective_date 2025-01-01 is before the current price's date 2026-01-15; "
            "a new price must take effect later",
        )
    ]


def test_a_failure_while_applying_rolls_everything_back(tmp_path, small_catalog, monkeypatch):
    before = catalog_state()
    plan = build_plan(csv_format.parse(write_csv(tmp_path, BODY)))
    real = plan_module.record_price
    calls = []

    def failing_record_price(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise ValidationError("disk on fire")
        return real(**kwargs)

    monkeypatch.setattr(plan_module, "record_price", failing_record_price)
    with pytest.raises(ImportRefused, match="line 2: disk on fire"):
        apply_plan(plan)
    assert catalog_state() == before


def test_conflicting_duplicate_lines_are_an_error_naming_both(tmp_path, small_catalog):
    body = "openai,gpt-4o,,standard,0,2,8,,,,\nopenai,gpt-4o,,standard,0,3,8,,,,\n"
    plan = build_plan(csv_format.parse(write_csv(tmp_path, body)))
    assert [(e.ref, e.message) for e in plan.errors] == [
        ("line 3", "same offering and tier as line 2 with other prices")
    ]


def test_alias_matches_a_differently_spelled_id(tmp_path, small_catalog):
    small_catalog["offering"].aliases.create(alias="openai/gpt-4o-2024-08-06")
    body = "openai,openai/gpt-4o-2024-08-06,,standard,0,2.5,10,1.25,,,\n"
    plan = build_plan(csv_format.parse(write_csv(tmp_path, body)))
    assert plan.counts()["unchanged"] == 1
    assert plan.unchanged[0].offering == small_catalog["offering"]


def test_batch_tier_and_long_context_prices_are_separate_records(tmp_path, small_catalog):
    body = "openai,gpt-4o,,batch,0,1.25,5,,,,\nopenai,gpt-4o,,standard,200000,5,20,,,,\n"
    plan = build_plan(csv_format.parse(write_csv(tmp_path, body)))
    assert [(p.tier, p.context_threshold, p.old) for p in plan.changed] == [
        ("batch", 0, None),
        ("standard", 200000, None),
    ]
    apply_plan(plan)
    offering = small_catalog["offering"]
    offering.refresh_from_db()
    assert offering.current_price.input == Decimal("2.5")  # the base price is untouched
    assert offering.prices.count() == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"data": []}', "header lacks"),
        ("provider,model\nopenai,gpt-4o\n", "header lacks input, output, provider_model_id"),
        ("", "header lacks"),
        ('provider,provider_model_id,input,output\nopenai,"gpt-4o,1,2\n', "broken CSV"),
        ("provider,provider_model_id,input,output\x00\n", "binary"),
    ],
)
def test_malformed_csv_is_refused_with_a_clear_message(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFormatError, match=message):
        csv_format.parse(path)


def test_non_utf8_csv_is_refused(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        "provider,provider_model_id,input,output\nopenai,caf\xe9,1,2\n".encode("latin-1")
    )
    with pytest.raises(ImportFormatError, match="not UTF-8"):
        csv_format.parse(path)


def test_a_file_over_the_size_limit_is_refused_before_parsing(tmp_path, settings):
    assert settings.IMPORT_MAX_BYTES == 20 * 1024 * 1024
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:  # 50 MB, sparse: cheap to make
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(ImportFormatError, match="52.4 MB; imports are limited to 21.0 MB"):
        csv_format.parse(path)


def test_a_scheduled_price_is_recorded_once_and_does_not_change_today(tmp_path, small_catalog):
    later = (date.today() + timedelta(days=10)).isoformat()
    path = write_csv(tmp_path, f"openai,gpt-4o,,standard,0,3,12,1.25,,{later},\n")
    plan = build_plan(csv_format.parse(path))
    assert [(p.ref, p.effective_date.isoformat()) for p in plan.changed] == [("line 2", later)]
    apply_plan(plan)
    offering = small_catalog["offering"]
    offering.refresh_from_db()
    assert offering.current_price.input == Decimal("2.5")  # in force until the date
    assert offering.prices.count() == 2
    again = build_plan(csv_format.parse(path))
    assert (len(again.changed), len(again.unchanged)) == (0, 1)
