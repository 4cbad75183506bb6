"""Reads written as ORM querysets, turned into SQL once and then run as plain SQL.

The first page after an edit rebuilds the edited model's snapshot (four small queries),
and building each query through the ORM cost more than the database took to answer it
(docs/benchmarks.md, "right after an edit"). A PreparedRead builds its queryset once
per number of ids, with stand-in arguments, remembers the SQL, where the arguments go
among its parameters, and how the ORM converts each column, and from then on runs the
SQL with the real arguments: the same statement, the same values, as tuples.

`read_together` runs several such reads at once. On PostgreSQL they go in one round trip
(psycopg's pipeline mode) as prepared statements, planned once per connection: a round
trip and a plan each cost the server more than running these statements
(docs/benchmarks.md, "Issue #16, round three"). Elsewhere they run one after another.
Every statement still goes through Django's cursor, so it is counted and logged as any
other query.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import QuerySet

# Stand-ins no real argument equals: ids below any primary key, a day before any price.
_FIRST_STAND_IN_ID = -(10**15)
_STAND_IN_DAY = date(1901, 2, 3)
# Statements kept per number of ids, up to this many (a lineup misses at most four
# models); a longer list is prepared afresh each time.
MOST_KEPT_IDS = 8


@dataclass(frozen=True)
class _Statement:
    sql: str
    params: tuple
    # For each parameter: the index of the id it takes, "on" for the day, None to keep.
    arguments: tuple[int | str | None, ...]
    converters: tuple[tuple[int, list, object], ...]  # (column, converters, expression)


class PreparedRead:
    """`build(ids, on)` is a `values_list` queryset of the rows of those ids (and, if it
    filters by day, `on`); `rows(ids, on)` runs it. Each row holds the queryset's
    fields, then its annotations, in that order (the order the SQL selects them)."""

    def __init__(
        self,
        build: Callable[[list[int], date], QuerySet],
        row: Callable[[Sequence], tuple] = tuple,
    ):
        """`row` makes each row of its values (a NamedTuple's `_make`, so readers name
        the columns instead of unpacking them in order)."""
        self._build = build
        self._row = row
        self._kept: dict[int, _Statement] = {}

    def rows(self, ids: Sequence[int], on: date | None = None) -> list[tuple]:
        (rows,) = read_together((self, ids, on))
        return rows

    def _statement(self, count: int) -> _Statement:
        statement = self._kept.get(count)
        if statement is None:
            statement = self._prepare(count)
            if count <= MOST_KEPT_IDS:
                self._kept[count] = statement
        return statement

    def _arguments(self, statement: _Statement, ids: Sequence[int], on: date | None) -> list:
        day = connection.ops.adapt_datefield_value(on) if on is not None else None
        return [
            value if at is None else day if at == "on" else ids[at]
            for value, at in zip(statement.params, statement.arguments, strict=True)
        ]

    def _converted(self, statement: _Statement, rows: list[tuple]) -> list[tuple]:
        if not statement.converters:
            return rows if self._row is tuple else [self._row(row) for row in rows]
        converted = []
        for row in rows:
            row = list(row)
            for column, converters, expression in statement.converters:
                value = row[column]
                for converter in converters:
                    value = converter(value, expression, connection)
                row[column] = value
            converted.append(self._row(row))
        return converted

    def _prepare(self, count: int) -> _Statement:
        stand_ins = {_FIRST_STAND_IN_ID - i: i for i in range(count)}
        queryset = self._build(list(stand_ins), _STAND_IN_DAY)
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        day = connection.ops.adapt_datefield_value(_STAND_IN_DAY)
        arguments = []
        for value in params:
            if isinstance(value, int) and value in stand_ins:
                arguments.append(stand_ins[value])
            elif value == day:
                arguments.append("on")
            else:
                arguments.append(None)
        if sorted(at for at in arguments if isinstance(at, int)) != list(range(count)):
            raise ValueError("A prepared read must take each id once, as a parameter.")
        columns = [expression for expression, _sql, _alias in compiler.select]
        converters = compiler.get_converters(columns[: compiler.col_count])
        return _Statement(
            sql=sql,
            params=tuple(params),
            arguments=tuple(arguments),
            converters=tuple(
                (column, converters, expression)
                for column, (converters, expression) in converters.items()
            ),
        )


def read_together(
    *reads: tuple[PreparedRead, Sequence[int], date | None],
) -> list[list[tuple]]:
    """The rows of each `(read, ids, on)`, in order: `read.rows(ids, on)` for each, one
    query each, sent together where the database can take them so (`pipelined`)."""
    statements = [read._statement(len(ids)) for read, ids, _on in reads]
    arguments = [
        read._arguments(statement, ids, on)
        for (read, ids, on), statement in zip(reads, statements, strict=True)
    ]
    cursors = []
    try:
        with pipelined() if len(reads) > 1 else nullcontext():  # one has nothing to wait for
            for statement, params in zip(statements, arguments, strict=True):
                cursor = prepared_cursor()
                cursors.append(cursor)
                cursor.execute(statement.sql, params)
            # In a pipeline the first fetch sends every statement and waits once.
            fetched = [cursor.fetchall() for cursor in cursors]
    finally:
        for cursor in cursors:
            cursor.close()
    return [
        read._converted(statement, rows)
        for (read, _ids, _on), statement, rows in zip(reads, statements, fetched, strict=True)
    ]


def pipelined():
    """A block whose statements go to the server without waiting for each other's
    results, where the connection can (config.postgresql's `pipeline`); otherwise a block
    that changes nothing."""
    pipeline = getattr(connection, "pipeline", None)
    return pipeline() if pipeline is not None else nullcontext()


def prepared_cursor():
    """A cursor whose statements the server plans once per connection, where the
    database can (config.postgresql's `prepared_cursor`); otherwise an ordinary one."""
    make = getattr(connection, "prepared_cursor", None)
    return make() if make is not None else connection.cursor()
