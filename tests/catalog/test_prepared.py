"""Prepared reads (catalog.prepared): the snapshot's queries run as plain SQL give what
the ORM gives, for any ids and any day."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone
from psycopg import pq

from catalog import selectors
from catalog.models import LanguageModel
from catalog.prepared import MOST_KEPT_IDS, PreparedRead, read_together
from pricewatch.models import SOURCES, OfferingCheck
from tests.factories import (
    BenchmarkScoreFactory,
    LanguageModelFactory,
    PriceFactory,
    ProviderFactory,
    SourceFactory,
    offer,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def models() -> list[LanguageModel]:
    """Models with offerings (one with a price check, one with a long-context price
    dated tomorrow), scores and sources, and one with none of these."""
    host, other = ProviderFactory(), ProviderFactory()
    today = timezone.localdate()
    made = []
    for index in range(MOST_KEPT_IDS + 2):
        model = LanguageModelFactory()
        offering = offer(model, host, input=f"{index + 1}.25", output="9.5")
        offer(model, other, input="0.10", output="0.40")
        PriceFactory(
            offering=offering,
            context_threshold=200_000,
            input=Decimal("7"),
            output=Decimal("8"),
            effective_date=today + timedelta(days=index % 2),
        )
        BenchmarkScoreFactory(model=model, measured_on=date(2025, 3, index + 1))
        model.sources.add(SourceFactory(retrieved_on=date(2025, 4, index + 1)))
        made.append(model)
    OfferingCheck.objects.create(
        offering=made[0].offerings.first(), source=SOURCES[0], agrees=True, checked_on=today
    )
    made.append(LanguageModelFactory())
    return made


READS = [
    (selectors.snapshot_offering_rows, selectors.offerings_for_models, "offering"),
    (selectors.snapshot_score_rows, selectors.scores_for_models, "score"),
    (selectors.snapshot_source_rows, selectors.source_links_for_models, "source"),
]


@pytest.mark.parametrize("count", [1, 2, MOST_KEPT_IDS + 1])
def test_each_snapshot_read_gives_what_the_orm_gives(models, count):
    fields = {
        "offering": selectors.SNAPSHOT_OFFERING_FIELDS,
        "score": selectors.SNAPSHOT_SCORE_FIELDS,
        "source": selectors.SNAPSHOT_SOURCE_FIELDS,
    }
    with_rows, last = [m.pk for m in models[:count]], [m.pk for m in models[-count:]]
    for prepared, queryset, name in READS:
        for ids in (with_rows, last):  # the last model has no offerings, scores or sources
            expected = list(queryset(ids).values_list(*fields[name]))
            assert prepared.rows(ids) == expected, name
            assert prepared.rows(ids) == expected, name  # again, from the kept statement
        assert prepared.rows(with_rows), name


def test_the_tier_read_gives_every_dated_tier_price(models):
    ids = [m.pk for m in models]
    expected = list(selectors.tier_prices(ids).values_list(*selectors.SNAPSHOT_TIER_FIELDS))
    assert selectors.snapshot_tier_rows.rows(ids) == expected
    today = timezone.localdate()
    assert any(row[3] > today for row in expected) and any(row[3] <= today for row in expected)


def test_the_converted_values_are_the_orms_types(models):
    (row,) = selectors.snapshot_source_rows.rows([models[0].pk])
    assert isinstance(row[3], date)
    offering = next(r for r in selectors.snapshot_offering_rows.rows([models[0].pk]) if r[-3] == 1)
    assert isinstance(offering[12], Decimal)
    assert offering[-1] == timezone.localdate()


def test_a_read_that_does_not_take_its_ids_as_parameters_is_refused(models):
    constant = PreparedRead(lambda ids, _on: LanguageModel.objects.values_list("pk"))
    with pytest.raises(ValueError, match="each id once"):
        constant.rows([models[0].pk])


def test_a_prepared_read_is_one_query(models, django_assert_num_queries):
    ids = [m.pk for m in models[:2]]
    selectors.snapshot_offering_rows.rows(ids)
    with django_assert_num_queries(1):
        selectors.snapshot_offering_rows.rows(ids)


def test_offering_rows_name_their_columns_in_the_orms_order(models):
    assert len(selectors.SnapshotOffering._fields) == len(selectors.SNAPSHOT_OFFERING_FIELDS)
    (row, *_) = selectors.snapshot_offering_rows.rows([models[0].pk])
    offering = selectors.offerings_for_models([models[0].pk]).get(pk=row.pk)
    assert (row.model_id, row.provider_name, row.provider_model_id) == (
        offering.model_id,
        offering.provider.name,
        offering.provider_model_id,
    )
    assert (row.price_input, row.checks_total) == (
        offering.current_price.input,
        offering.checks_total,
    )


def test_score_rows_name_their_columns_in_the_orms_order(models):
    assert len(selectors.SnapshotScore._fields) == len(selectors.SNAPSHOT_SCORE_FIELDS)
    (row, *_) = selectors.snapshot_score_rows.rows([models[0].pk])
    score = selectors.scores_for_models([models[0].pk]).get(
        model_id=row.model_id, benchmark__slug=row.benchmark_slug
    )
    assert (row.benchmark_name, row.score, row.reported_by) == (
        score.benchmark.name,
        score.score,
        score.reported_by,
    )


# Reads run together (catalog.prepared.read_together): the model page's four and the
# comparison snapshot's four. On PostgreSQL they go in one round trip as prepared
# statements; everywhere they give what each read gives alone.

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL only: pipelines, prepared statements"
)


def the_model_page_reads(ids: list[int]):
    return (
        (selectors.snapshot_offering_rows, ids, None),
        (selectors.base_price_history_rows, ids, timezone.localdate()),
        (selectors.snapshot_score_rows, ids, None),
        (selectors.snapshot_source_rows, ids, None),
    )


@pytest.mark.parametrize("count", [1, 3])
def test_reads_together_give_what_each_gives_alone(models, count, django_assert_num_queries):
    ids = [m.pk for m in models[:count]]
    reads = the_model_page_reads(ids)
    alone = [read.rows(ids, on) for read, ids, on in reads]
    assert all(alone)
    with django_assert_num_queries(len(reads)):  # each statement counted, as any query
        assert read_together(*reads) == alone


@on_postgresql
def test_on_postgresql_reads_together_go_in_one_pipeline(models):
    modes = []

    def record(execute, sql, params, many, context):
        modes.append(context["connection"].connection.pgconn.pipeline_status)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        read_together(*the_model_page_reads([models[0].pk]))
        selectors.snapshot_source_rows.rows([models[0].pk])  # alone: nothing to wait for
        LanguageModel.objects.count()
    assert modes == [pq.PipelineStatus.ON] * 4 + [pq.PipelineStatus.OFF] * 2


def prepared_statements() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return {statement for (statement,) in cursor.fetchall()}


def as_sent(sql: str) -> str:
    """A statement as psycopg sends it with its parameters bound on the server."""
    count = sql.count("%s")
    return sql.replace("%s", "{}").format(*(f"${n}" for n in range(1, count + 1)))


@on_postgresql
def test_on_postgresql_the_reads_are_prepared_statements_and_other_queries_are_not(models):
    ids = [m.pk for m in models[:5]]
    selectors.snapshot_score_rows.rows(ids)
    LanguageModel.objects.filter(pk__in=ids).count()
    statement = selectors.snapshot_score_rows._statement(len(ids))
    kept = prepared_statements()
    assert as_sent(statement.sql) in kept
    assert not any("COUNT(" in sql for sql in kept)


@on_postgresql
def test_prepared_statements_can_be_turned_off(models, settings):
    settings.DB_PREPARED_STATEMENTS = False
    ids = [m.pk for m in models[:6]]
    expected = list(selectors.scores_for_models(ids).values_list(*selectors.SNAPSHOT_SCORE_FIELDS))
    assert selectors.snapshot_score_rows.rows(ids) == expected
    statement = selectors.snapshot_score_rows._statement(len(ids))
    assert as_sent(statement.sql) not in prepared_statements()
