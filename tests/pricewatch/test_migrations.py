"""Migration 0003 (whole-offering findings) runs forward over existing findings and back
again, on SQLite and PostgreSQL alike."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.factories import LanguageModelFactory, OfferingFactory

BEFORE = [("pricewatch", "0002_editor_group")]
AFTER = [("pricewatch", "0003_missing_offerings")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_0003_fills_the_provider_and_goes_back_without_losing_field_findings():
    offering = OfferingFactory()
    try:
        old = migrate(BEFORE).get_model("pricewatch", "Finding")
        now = timezone.now()
        old.objects.create(
            source="litellm",
            offering_id=offering.pk,
            provider_model_id="x-1",
            field="input",
            our_value=1,
            their_value=10,
            first_seen=now,
            last_seen=now,
        )

        new = migrate(AFTER).get_model("pricewatch", "Finding")
        field_finding = new.objects.get()
        assert field_finding.provider_id == offering.provider_id
        new.objects.create(
            source="litellm",
            provider_id=offering.provider_id,
            model_id=LanguageModelFactory().pk,
            provider_model_id="y-1",
            field="offering",
            kind="not_in_catalog",
            first_seen=now,
            last_seen=now,
        )
        new.objects.create(
            source="genai-prices",
            offering_id=offering.pk,
            provider_id=offering.provider_id,
            provider_model_id="x-1",
            field="offering",
            kind="not_in_source",
            first_seen=now,
            last_seen=now,
        )

        old = migrate(BEFORE).get_model("pricewatch", "Finding")
        assert list(old.objects.values_list("field", "their_value")) == [("input", 10)]
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
