"""A figure our columns cannot hold is refused at preview with a row message, instead of
passing the preview and failing at apply (PostgreSQL's integer columns)."""

import pytest

from catalog.importers import csv_format
from catalog.importers.apply import ImportRefused, apply_plan
from catalog.importers.plan import build_plan
from catalog.models import Price
from tests.catalog import import_fixtures
from tests.catalog.import_fixtures import write_csv

small_catalog = import_fixtures.small_catalog

pytestmark = pytest.mark.django_db


def test_a_context_threshold_over_the_integer_column_is_refused_at_preview(tmp_path, small_catalog):
    path = write_csv(tmp_path, "openai,gpt-4o,gpt-4o,standard,2147483648,1,8,,,,\n")
    plan = build_plan(csv_format.parse(path))
    assert [(e.ref, e.message) for e in plan.errors] == [
        ("line 2", "context_threshold 2147483648 is over 2,147,483,647")
    ]
    prices_before = Price.objects.count()
    with pytest.raises(ImportRefused, match="line 2"):
        apply_plan(plan)
    assert Price.objects.count() == prices_before


def test_the_largest_threshold_the_column_holds_is_accepted(tmp_path, small_catalog):
    path = write_csv(tmp_path, "openai,gpt-4o,gpt-4o,standard,2147483647,1,8,,,,\n")
    plan = build_plan(csv_format.parse(path))
    assert plan.errors == []
    apply_plan(plan)
    assert Price.objects.filter(context_threshold=2_147_483_647).count() == 1
