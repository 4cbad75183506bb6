"""backup_catalog then restore_catalog gives back the same catalog, history included."""

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from catalog.backups import backup_models, restore_backup
from catalog.models import HistoricalLanguageModel, LanguageModel, Offering, Price, Source
from catalog.services import PriceInput, record_price
from comparisons.models import Comparison
from tests.admin_forms import change_form_data
from tests.factories import (
    BenchmarkScoreFactory,
    LanguageModelFactory,
    OrganizationFactory,
    ProviderFactory,
    offer,
)

pytestmark = pytest.mark.django_db


def everything() -> dict[str, list[dict]]:
    """Every row of every backed-up model, each field by value (users by username)."""
    return {
        model._meta.label: json.loads(
            serializers.serialize(
                "json",
                model._default_manager.order_by(model._meta.pk.name),
                use_natural_foreign_keys=True,
            )
        )
        for model in backup_models()
    }


@pytest.fixture
def catalog(editor_client):
    lab = OrganizationFactory(name="Anthropic")
    opus = LanguageModelFactory(name="Claude Opus 4.5", organization=lab, description="Ünïcode ✓")
    haiku = LanguageModelFactory(name="Claude Haiku 4.5", organization=lab, parameter_count=None)
    source = Source.objects.create(url="https://example.com/card", title="Model card")
    opus.sources.add(source)
    offering = offer(opus, ProviderFactory(name="Anthropic API"), input="5", output="25")
    offer(haiku, ProviderFactory(name="Bedrock"), input="1", output="5", cache_read="0.1")
    record_price(
        offering=offering,
        price=PriceInput(input=Decimal("4.5"), output=Decimal("22.5")),
        effective_date=date(2026, 3, 1),
    )
    BenchmarkScoreFactory(model=opus, score=Decimal("80.9"))
    Comparison.objects.create(model_a=opus, model_b=haiku, featured=True, editor_note="Pair")
    # An edit through the admin, so the history names a person.
    url = reverse("admin:catalog_languagemodel_change", args=[opus.pk])
    data = change_form_data(editor_client.get(url))
    data["context_window"] = "1000000"
    assert editor_client.post(url, data).status_code == 302
    return offering


def test_backup_flush_restore_gives_back_every_record_and_its_history(catalog, tmp_path):
    before = everything()
    assert before["catalog.HistoricalLanguageModel"]
    assert len(before["catalog.Price"]) == 3 and before["catalog.HistoricalPrice"]
    path = tmp_path / "catalog.json"

    call_command("backup_catalog", str(path), stdout=StringIO())
    # Settle the test transaction's deferred foreign-key checks (PostgreSQL refuses to
    # TRUNCATE tables with pending ones), then empty every table as `flush` does.
    connection.check_constraints()
    call_command("flush", interactive=False, verbosity=0)
    assert LanguageModel.objects.count() == 0 and HistoricalLanguageModel.objects.count() == 0
    call_command("restore_catalog", str(path), stdout=StringIO())

    assert everything() == before
    edith_edit = HistoricalLanguageModel.objects.filter(context_window=1_000_000).get()
    assert edith_edit.history_user.username == "edith"
    assert not edith_edit.history_user.has_usable_password()
    offering = Offering.objects.get(pk=catalog.pk)
    assert offering.current_price.input == Decimal("4.5")
    # New records after a restore get fresh ids.
    record_price(offering=offering, price=PriceInput(input=Decimal("4"), output=Decimal("20")))
    assert Price.objects.count() == 4


def test_restore_refuses_a_catalog_that_is_not_empty(catalog, tmp_path):
    path = tmp_path / "catalog.json"
    call_command("backup_catalog", str(path), stdout=StringIO())
    before = everything()
    with pytest.raises(CommandError, match="The catalog is not empty"):
        call_command("restore_catalog", str(path))
    assert everything() == before


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    path = tmp_path / "notes.json"
    path.write_text('{"hello": "world"}')
    with pytest.raises(CommandError, match="not a catalog backup"):
        call_command("restore_catalog", str(path))
    path.write_text("not json at all")
    with pytest.raises(CommandError, match="not a catalog backup"):
        call_command("restore_catalog", str(path))
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore_catalog", str(tmp_path / "missing.json"))


def test_a_restore_shows_at_once_on_cached_pages_and_answers(client, tmp_path):
    """Restored rows are saved raw, which skips the signals: the restore itself must
    bump the catalog version, or the empty catalog cached before it stays served."""
    LanguageModelFactory(name="Restored Model")  # no sources: no many-to-many writes
    path = tmp_path / "catalog.json"
    call_command("backup_catalog", str(path), stdout=StringIO())
    connection.check_constraints()
    call_command("flush", interactive=False, verbosity=0)
    assert client.get("/api/v1/models/").json()["results"] == []  # now cached

    restore_backup(path)
    names = [m["name"] for m in client.get("/api/v1/models/").json()["results"]]
    assert names == ["Restored Model"]


def test_timestamps_survive_to_the_microsecond(tmp_path):
    """Django's JSON encoder cuts times to milliseconds: 08:00:00.000500 came back as
    08:00:00, so about one timestamp in a thousand did not round-trip."""
    model = LanguageModelFactory(name="Exact")
    stamp = datetime(2026, 11, 25, 8, 0, 0, 500, tzinfo=UTC)
    LanguageModel.objects.filter(pk=model.pk).update(updated_at=stamp)
    path = tmp_path / "catalog.json"
    call_command("backup_catalog", str(path), stdout=StringIO())
    connection.check_constraints()
    call_command("flush", interactive=False, verbosity=0)
    call_command("restore_catalog", str(path), stdout=StringIO())
    assert LanguageModel.objects.get(pk=model.pk).updated_at == stamp
