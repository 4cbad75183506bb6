"""Pages that say what they show, so an edit elsewhere in the catalog leaves them cached.

A page that records nothing is cached per catalog version, as every page used to be: any
edit makes it cold (lists, the home page and sitemaps show everything, so that is right
for them). A page may instead record, while it renders, every record its content was
built from: `depends_on(kind, key, rows)` names a set of rows (a kind of dependency
registered by the app that knows the tables, and the key that selects rows of it) and
the stamps those rows had when the page read them. The page cache stores the recorded
dependencies beside the body, with a fingerprint of the stamps and of the catalog's
structure version (sitecache.models.CatalogVersion.structure); a later request reads the
current stamps of exactly those rows, and the version row, in one query, and serves the
body only when the fingerprint is unchanged.

Two rules keep this exact:
- a kind's rows must change (a stamp moves, a row appears or disappears) whenever what
  the page shows of them could change: the app that registers the kind keeps its stamps
  moving (catalog.page_stamps);
- a stamp is read no later than the data it covers (in the same row, or earlier in the
  request), so a page can be newer than its stamps (it is rebuilt once more, needlessly)
  but never older.

This module knows no catalog table: kinds are registered (`register_kind`) by apps above.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from sitecache.versioning import (
    ROW_ID,
    Version,
    current_version,
    microseconds,
    version_columns_sql,
    version_from_row,
)

# (id, stamp, second stamp, a number): instants in microseconds, the number as text.
Row = tuple[int, int | None, int | None, str | None]


@dataclass(frozen=True)
class Kind:
    """A kind of dependency: `sql(key)` gives a SELECT of four columns (an id, two
    instants and a number, any but the id NULL, cast to its type: PostgreSQL types a bare
    NULL in a subquery as text) and its parameters, for the rows `key` names."""

    name: str
    sql: Callable[[tuple[str, ...]], tuple[str, list]]


_kinds: dict[str, Kind] = {}


def register_kind(name: str, sql: Callable[[tuple[str, ...]], tuple[str, list]]) -> None:
    _kinds[name] = Kind(name, sql)


def row(pk, stamp=None, second=None, number=None) -> Row:
    """A dependency row in the one form both sides compare: what a page read, and what
    the check query returns (instants as text, naive or aware; numbers as Decimal, int
    or SQLite's float of a stored decimal)."""
    return (int(pk), microseconds(stamp), microseconds(second), _number(number))


def _number(value) -> str | None:
    if value is None:
        return None
    return format(Decimal(str(value)).normalize(), "f")


@dataclass
class PageDependencies:
    """What one page rendered from: {(kind, key): rows}."""

    entries: dict[tuple[str, tuple[str, ...]], set[Row]] = field(default_factory=dict)

    def add(self, kind: str, key: Sequence, rows: Iterable[Row]) -> None:
        if kind not in _kinds:
            raise LookupError(f"No dependency kind {kind!r} is registered.")
        self.entries.setdefault((kind, tuple(str(part) for part in key)), set()).update(rows)

    def encoded(self) -> str:
        """The dependencies as text (stored beside the page): kinds and keys, no stamps."""
        return json.dumps([[kind, list(key)] for kind, key in sorted(self.entries)])

    def fingerprint(self, version: Version) -> str:
        return fingerprint(version, [sorted(self.entries[dep]) for dep in sorted(self.entries)])


def fingerprint(version: Version, rows: list[list[Row]]) -> str:
    # Today's date too: prices (long-context tiers included) are chosen by the day they
    # take effect, which moves no stamp, so every page is rebuilt once a day.
    text = json.dumps([version.structure_token, timezone.localdate().isoformat(), rows])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


recording: ContextVar[PageDependencies | None] = ContextVar("page_dependencies", default=None)


def depends_on(kind: str, key: Sequence, rows: Iterable[Row]) -> None:
    """Record that the page being rendered shows what `rows` (the rows of `kind` that
    `key` selects, as this request read them) hold. Outside a page being cached, nothing."""
    page = recording.get()
    if page is not None:
        page.add(kind, key, rows)


def decode(encoded: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(kind, tuple(key)) for kind, key in json.loads(encoded)]


def current_stamps(encoded: str) -> tuple[Version, str]:
    """The catalog version and the fingerprint the dependencies `encoded` have now: one
    query, whatever their number. Dependencies this code cannot read (an entry stored by
    an earlier release that recorded a kind since dropped) give an empty fingerprint,
    which matches no entry: the page is rendered afresh, never an error."""
    try:
        deps = decode(encoded)
        if not all(kind in _kinds for kind, _key in deps):
            raise KeyError("unknown dependency kind")
    except (ValueError, KeyError, TypeError):
        return current_version(), ""
    # The version row first, each dependency's rows after it: five columns of the same
    # types column by column, as PostgreSQL's UNION wants.
    parts = [version_columns_sql("-1, ")]
    params: list = [ROW_ID]
    for index, (kind, key) in enumerate(deps):
        sql, kind_params = _kinds[kind].sql(key)
        parts.append(f"SELECT {index}, d{index}.* FROM ({sql}) d{index}")
        params += kind_params
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    version = None
    found: list[set[Row]] = [set() for _ in deps]
    for dep, pk, stamp, second, number in rows:
        if dep == -1:
            version = version_from_row((pk, stamp, second, number))
        else:
            found[dep].add(row(pk, stamp, second, number))
    if version is None:  # no version row (an emptied database): read it the usual way
        return current_version(), ""
    return version, fingerprint(version, [sorted(rows) for rows in found])


def version_fingerprint(version: Version) -> str:
    """The fingerprint of a page that depends on the whole catalog: its version, and
    the day (see `fingerprint`)."""
    return f"{version.token}@{timezone.localdate().isoformat()}"
