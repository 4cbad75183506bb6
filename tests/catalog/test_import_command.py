"""`manage.py import_catalog`: the same preview, and writes only with --apply."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from catalog.models import Price
from tests.catalog import import_fixtures
from tests.catalog.import_fixtures import write_csv

small_catalog = import_fixtures.small_catalog

pytestmark = pytest.mark.django_db

BODY = "openai,gpt-4o,gpt-4o,standard,0,2.00,8.00,1.25,,,\n"


def run(*args):
    out = StringIO()
    call_command("import_catalog", *args, stdout=out)
    return out.getvalue()


def test_without_apply_it_previews_and_writes_nothing(tmp_path, small_catalog):
    output = run("--format", "csv", str(write_csv(tmp_path, BODY)))
    assert "1 changed prices" in output
    assert (
        "line 2: GPT-4o on OpenAI (gpt-4o): input $2.50 -> $2 (-20%); output $10 -> $8 (-20%)"
        in output
    )
    assert "Dry run: nothing written" in output
    assert Price.objects.count() == 1


def test_apply_writes_and_names_the_user(tmp_path, small_catalog, editor):
    output = run("--format", "csv", str(write_csv(tmp_path, BODY)), "--apply", "--user", "edith")
    assert "Imported: 0 offerings created, 1 prices recorded." in output
    small_catalog["offering"].refresh_from_db()
    assert small_catalog["offering"].current_price.input == Decimal("2")
    assert Price.history.latest("history_date").history_user == editor


def test_apply_with_a_bad_row_fails_and_writes_nothing(tmp_path, small_catalog):
    path = write_csv(tmp_path, BODY + "openai,gpt-4o,,batch,0,-3,1,,,,\n")
    with pytest.raises(CommandError, match=r"line 3: input: a price cannot be negative \(-3\)"):
        run("--format", "csv", str(path), "--apply")
    assert Price.objects.count() == 1


def test_wrong_format_is_a_clear_error(tmp_path, small_catalog):
    path = write_csv(tmp_path, BODY)
    with pytest.raises(CommandError, match="Cannot read .* as openrouter: Not valid JSON"):
        run("--format", "openrouter", str(path))
    with pytest.raises(CommandError, match="does not exist"):
        run("--format", "litellm", str(tmp_path / "missing.json"))
