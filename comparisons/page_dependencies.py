"""What a comparison or lineup page records of what it shows (sitecache.dependencies),
so that an edit of one model leaves the cached pages of other pairs valid.

A pair page shows:
- its models: `model` rows (updated_at, scores_changed_at; catalog.page_stamps says what
  moves them), recorded by comparisons.snapshot when it reads them;
- the pair's Comparison row, or that there is none: a `comparison` row (its updated_at);
- "continue comparing" (comparisons.selectors.related_pairs): models of the same
  organisation or the same capabilities, which only structural edits change (the
  structure version every such page is checked against), and the models nearest in
  cheapest input price: a `nearest-price` row (its id and price) for every published
  model whose stored cheapest input lies within the distance of the farthest one that
  decided the list, around each of the pair's prices (a model entering, leaving or
  moving inside that window changes the rows; an edit of anything else about it, a
  spec, does not).
A lineup page records its models only.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from functools import cache

from django.db import connection
from django.db.models import DateTimeField

from catalog.models import LanguageModel
from comparisons.models import Comparison
from sitecache.dependencies import depends_on, register_kind, row
from sitecache.signals import stamps_cover

EVERY_PRICE = "*"
PUBLISHED = str(LanguageModel.Status.PUBLISHED)


# The SELECTs are built once per shape: a cache hit runs one of them per dependency.


@cache
def _names(model) -> tuple[str, dict[str, str]]:
    q = connection.ops.quote_name
    opts = model._meta
    return q(opts.db_table), {f.name: q(f.column) for f in opts.concrete_fields}


@cache
def _no_instant() -> str:
    """NULL typed as an instant: PostgreSQL types a bare NULL in a subquery as text."""
    return f"CAST(NULL AS {DateTimeField().db_type(connection)})"


NO_NUMBER = "CAST(NULL AS NUMERIC)"


def _ids(key: tuple[str, ...]) -> list[int]:
    return [int(part) for part in key]


@cache
def _model_select(count: int) -> str:
    table, c = _names(LanguageModel)
    marks = ", ".join(["%s"] * count)
    return (
        f"SELECT {c['id']}, {c['updated_at']}, {c['scores_changed_at']}, {NO_NUMBER} "
        f"FROM {table} WHERE {c['id']} IN ({marks})"
    )


def model_sql(key: tuple[str, ...]) -> tuple[str, list]:
    ids = _ids(key)
    return _model_select(len(ids)), ids


@cache
def _comparison_select() -> str:
    table, c = _names(Comparison)
    return (
        f"SELECT {c['id']}, {c['updated_at']}, {_no_instant()}, {NO_NUMBER} FROM {table} "
        f"WHERE {c['model_a']} = %s AND {c['model_b']} = %s"
    )


def comparison_sql(key: tuple[str, ...]) -> tuple[str, list]:
    return _comparison_select(), _ids(key)


@cache
def _nearest_select(windows: int) -> str:
    """`windows` price ranges; none: every priced model."""
    table, c = _names(LanguageModel)
    price = c["cheapest_input_stored"]
    if windows:
        where = " OR ".join([f"{price} BETWEEN %s AND %s"] * windows)
    else:
        where = f"{price} IS NOT NULL"
    return (
        f"SELECT {c['id']}, {_no_instant()}, {_no_instant()}, {price} FROM {table} "
        f"WHERE {c['status']} = %s AND ({where})"
    )


def nearest_price_sql(key: tuple[str, ...]) -> tuple[str, list]:
    if key == (EVERY_PRICE,):
        return _nearest_select(0), [PUBLISHED]
    return _nearest_select(len(key) // 2), [PUBLISHED, *(Decimal(part) for part in key)]


def register() -> None:
    register_kind("model", model_sql)
    register_kind("comparison", comparison_sql)
    register_kind("nearest-price", nearest_price_sql)
    # The pair's own row, which its page records.
    stamps_cover(Comparison)


# Recording, as the page reads.


def shows_models(models: Iterable[LanguageModel]) -> None:
    models = list(models)
    depends_on(
        "model",
        sorted(m.pk for m in models),
        [row(m.pk, m.updated_at, m.scores_changed_at) for m in models],
    )


def shows_comparison(model_a_id: int, model_b_id: int, comparison) -> None:
    """`comparison`: the pair's Comparison row, or what a page kept of it (any object
    with its `pk` and `updated_at`), or None when the pair has none."""
    depends_on(
        "comparison",
        (model_a_id, model_b_id),
        [] if comparison is None else [row(comparison.pk, comparison.updated_at)],
    )


def shows_nearest_prices(inside: Iterable, windows: list[tuple[Decimal, Decimal]] | None) -> None:
    """`windows`: the price ranges whose models decided the list, None for all priced
    models; `inside`: the published models (pk, cheapest_input) with a cheapest input
    price in one of them (every priced one for None), in the order the page read them."""
    if windows is None:
        key = (EVERY_PRICE,)
    else:
        key = tuple(_text(bound) for window in windows for bound in window)
    depends_on("nearest-price", key, [row(c.pk, number=c.cheapest_input) for c in inside])


def _text(value: Decimal) -> str:
    try:
        return format(value.normalize(), "f")
    except InvalidOperation:
        return str(value)
