"""Read and bump the catalog version.

The database row (sitecache.models.CatalogVersion) is the truth. Where the cache is
shared (Redis: a backend with `get_with_raw`), every bump also writes a copy there
(`publish_version`), so the page cache can tell a stored page is still valid with one
round trip to Redis and no SQL (sitecache.middleware). The copy is safe to trust because:

- a stored page records the version it was last found valid at, and that is always a
  version read from the database (with the stamps of what the page shows, or when it
  was rendered), never the copy: the copy only ever decides "nothing changed since";
- a bump publishes before its transaction commits, so from the moment an edit is
  visible in the database the copy no longer matches any page checked before it (a
  bump that rolls back leaves a copy no page matches: hits read the database until
  the next bump or the copy's expiry);
- the copy never moves back: a write carrying a smaller number than the one stored is
  refused, so writes arriving out of order, and a request publishing what it read just
  before an edit, cannot undo a newer bump;
- it expires after PAGE_CACHE_VERSION_SECONDS, and a hit that finds none reads the
  database and publishes what it read. That bounds how long the copy can be wrong in
  the cases the rules above do not cover: a process that could not reach Redis when it
  bumped (the outage code deletes the copy when it can reach Redis again), and a
  database restored to an older version outside the app.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache as memoize
from functools import lru_cache
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from sitecache.build import build_time
from sitecache.models import CatalogVersion

ROW_ID = 1
T = TypeVar("T")


@dataclass(frozen=True)
class Version:
    number: int
    changed_at: datetime
    # Bumped only by writes that change what many pages show (CatalogVersion.structure).
    structure: int = 0
    structure_changed_at: datetime | None = None

    @property
    def token(self) -> str:
        """Changes with every edit, and after a database is replaced (restore, re-seed)."""
        return f"{self.number}.{microseconds(self.changed_at)}"

    @property
    def structure_token(self) -> str:
        """Changes with every structural edit (and after a database is replaced)."""
        return f"{self.structure}.{microseconds(self.structure_changed_at)}"

    @property
    def last_modified(self) -> int:
        """Last-Modified of what is served at this version, in whole seconds: when the
        catalog last changed, or the served source (sitecache.build), whichever is later."""
        return int(max(self.changed_at.timestamp(), build_time()))

    def etag_for(self, key: str) -> str:
        digest = hashlib.sha256(f"{self.token}|{key}".encode()).hexdigest()[:24]
        return f'"{digest}"'


class RequestVersion:
    """The catalog version as this request sees it: read at most once, on first use."""

    def __init__(self, version: Version | None = None):
        self._version = version

    def get(self) -> Version:
        if self._version is None:
            self._version = current_version()
        return self._version

    @property
    def read(self) -> bool:
        return self._version is not None

    def use(self, version: Version) -> None:
        """Take `version` (a shared cache's copy, found to match what a cached answer
        was built at) as this request's, instead of reading the database."""
        self._version = version


# Set for the length of a request (page-cache middleware, API views) so everything that
# needs the version in that request shares one read; always reset afterwards.
request_version: ContextVar[RequestVersion | None] = ContextVar("catalog_version", default=None)


def current_version() -> Version:
    """The catalog version, in one query.

    Every page-cache hit runs this, and building the query through the ORM cost more than
    the rest of the hit (the profile of a cached page: 65%), so it is plain SQL on the
    default connection: still one query, still counted by query-count assertions."""
    with connection.cursor() as cursor:
        cursor.execute(version_columns_sql(), [ROW_ID])
        row = cursor.fetchone()
    if row is None:
        return bump_catalog_version()
    return version_from_row(row)


def version_from_row(row) -> Version:
    number, changed_at, structure_changed_at, structure = row
    return Version(int(number), _aware(changed_at), int(structure), _aware(structure_changed_at))


# The version row's columns, in the order version_from_row reads them: an integer, two
# datetimes, an integer (the shape the page cache's dependency rows share in a UNION).
VERSION_COLUMNS = ("version", "changed_at", "structure_changed_at", "structure")


@memoize
def version_columns_sql(lead: str = "") -> str:
    """SELECT `lead` (extra leading columns, e.g. "-1, ") and the version row's columns:
    what `current_version` runs, and the start of the page cache's dependency check
    (sitecache.dependencies)."""
    opts = CatalogVersion._meta
    q = connection.ops.quote_name
    columns = ", ".join(q(opts.get_field(name).column) for name in VERSION_COLUMNS)
    return f"SELECT {lead}{columns} FROM {q(opts.db_table)} WHERE {q(opts.pk.column)} = %s"


def _aware(value) -> datetime:
    """A stored datetime as the ORM would return it: aware, in UTC. SQLite hands back a
    naive UTC value (or its text); PostgreSQL an aware one."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return value


def microseconds(value) -> int | None:
    """A stored instant as whole microseconds since the epoch, however the database
    handed it back (text, naive or aware): the one form stamps are compared in."""
    if value is None:
        return None
    return int(_aware(value).timestamp() * 1_000_000)


# Where the shared cache keeps its copy of the version.
SHARED_VERSION_KEY = "catalog-version"


def encode_version(version: Version) -> str:
    """The version as the shared cache keeps it: its number first (SET_IF_NEWER in
    sitecache.backends compares it), its instants exact."""
    changed = version.structure_changed_at.isoformat() if version.structure_changed_at else ""
    return f"{version.number}|{version.changed_at.isoformat()}|{version.structure}|{changed}"


@lru_cache(maxsize=8)
def decode_version(raw: bytes | None) -> Version | None:
    """A copy `encode_version` wrote, or None for none (or anything else). Remembered:
    every hit reads the same copy until the next edit, and a kept hit decodes it twice
    (`get_with_shared_version`); a Version is immutable."""
    if raw is None:
        return None
    try:
        number, changed_at, structure, structure_changed_at = raw.decode().split("|")
        return Version(
            int(number),
            datetime.fromisoformat(changed_at),
            int(structure),
            datetime.fromisoformat(structure_changed_at) if structure_changed_at else None,
        )
    except (UnicodeDecodeError, ValueError):
        return None


def shares_version() -> bool:
    return hasattr(cache, "set_raw_if_newer")


def publish_version(version: Version) -> None:
    """Write `version` to the shared cache's copy (unless it holds a newer one). Nothing
    when the cache is each process's own."""
    if shares_version():
        cache.set_raw_if_newer(
            SHARED_VERSION_KEY,
            version.number,
            encode_version(version),
            settings.PAGE_CACHE_VERSION_SECONDS,
        )


def get_with_shared_version(
    key: str, still_right: Callable[[object, Version], bool]
) -> tuple[object, Version | None]:
    """The cached value at `key` and, where the cache is shared, its copy of the catalog
    version, in one round trip (None without a copy, or in a process's own memory).

    Where this process keeps the value at `key` decoded (sitecache.backends.KeptValues)
    and `still_right(value, copy)` holds, that value, and only the copy is read.
    `still_right` must hold only for a value as right as any entry at `key` would be at
    that version (a page checked at it, an answer built at it)."""
    if not shares_version():
        return cache.get(key), None

    def right(value, raw: bytes) -> bool:
        shared = decode_version(raw)
        return shared is not None and still_right(value, shared)

    value, raw = cache.get_kept_or_with_raw(key, SHARED_VERSION_KEY, right)
    return value, decode_version(raw)


def publish_if_behind(shared: Version | None, version: Version) -> None:
    """Publish `version`, just read from the database, where the copy `shared` read
    beside it was missing, expired or behind."""
    if shared is None or shared.number < version.number:
        publish_version(version)


def version_for_request() -> Version:
    holder = request_version.get()
    return holder.get() if holder is not None else current_version()


# name -> (version token, value[, changed at]): derived data kept in this process until
# the catalog changes. Per process on purpose: no pickling on the hot path, and the version check
# makes it as fresh as the shared cache.
_derived: dict[str, tuple] = {}


def cached_for_catalog_version(name: str, build: Callable[[], T]) -> T:
    """`build()`'s result, computed once per catalog version in this process."""
    return _derived_for(name, version_for_request().token, build)


def cached_for_structure(name: str, build: Callable[[], T]) -> T:
    """`build()`'s result, computed once per structure version (CatalogVersion.structure)
    in this process: for derived data only structural edits change."""
    return _derived_for(name, "structure:" + version_for_request().structure_token, build)


def refreshed_for_catalog_version(name: str, refresh: Callable[[T | None], T]) -> T:
    """Like `cached_for_catalog_version`, but a new catalog version's value is
    `refresh(kept)`, `kept` being the value this process holds for another version (None
    when it holds none): for derived data an edit changes only a little of.

    `kept` may be of an older version or, for a request that started before an edit, a
    newer one: `refresh` reads what it needs and takes from `kept` only what it has
    checked is unchanged."""
    token = version_for_request().token
    hit = _derived.get(name)
    if hit is not None and hit[0] == token:
        return hit[1]
    value = refresh(None if hit is None else hit[1])
    _derived[name] = (token, value)
    return value


def _derived_for(name: str, token: str, build: Callable[[], T]) -> T:
    hit = _derived.get(name)
    if hit is not None and hit[0] == token:
        return hit[1]
    value = build()
    _derived[name] = (token, value)
    return value


def version_memo(name: str) -> dict:
    """A dict that lives in this process for the current catalog version, then starts
    empty again: for per-record data many pages share (a model's snapshot). Its values
    are shared: treat them as read-only.

    A request still on an older version (it started before an edit) gets a dict of its
    own rather than emptying the newer one."""
    version = version_for_request()
    hit = _derived.get(name)
    if hit is not None and hit[0] == version.token:
        return hit[1]
    if hit is not None and hit[2] > version.changed_at:
        return {}
    memo: dict = {}
    _derived[name] = (version.token, memo, version.changed_at)
    return memo


class StampedMemo:
    """Values kept in this process per key, each valid while the stamp it was built
    under is the one asked for: for per-record data many pages share (a model's
    snapshot, its API representation), so an edit rebuilds only the records it touched.
    One value per key (a newer stamp replaces the older), so it holds at most one value
    per record. Values are shared: treat them as read-only."""

    def __init__(self) -> None:
        self._values: dict = {}

    def get(self, key, stamp):
        hit = self._values.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        return None

    def put(self, key, stamp, value) -> None:
        self._values[key] = (stamp, value)

    def clear(self) -> None:
        self._values.clear()


_stamped: dict[str, StampedMemo] = {}


def stamped_memo(name: str) -> StampedMemo:
    memo = _stamped.get(name)
    if memo is None:
        memo = _stamped.setdefault(name, StampedMemo())
    return memo


def forget_derived() -> None:
    _derived.clear()
    for memo in _stamped.values():
        memo.clear()


def bump_catalog_version(*, structure: bool = True) -> Version:
    """Record that the catalog changed. Call it after writes that skip model signals
    (queryset.update, bulk_create); ordinary saves and deletes bump it by themselves.

    `structure=False` only where the write moved the stamps of every record it changed
    (catalog.changelog.touch does: the models' `updated_at`), so pages that record their
    dependencies can stay valid; a caller that does not know keeps the default, which
    makes every cached page cold."""
    version = _bump(structure)
    publish_version(version)  # before the commit: see this module's docstring
    return version


def _bump(structure: bool) -> Version:
    now = timezone.now()
    returned = _bump_returning(now, structure)
    if returned is not None:
        number, structure_number, structure_changed_at = returned
        return Version(int(number), now, int(structure_number), _aware(structure_changed_at))
    changes = {"version": F("version") + 1, "changed_at": now}
    if structure:
        changes |= {"structure": F("structure") + 1, "structure_changed_at": now}
    updated = CatalogVersion.objects.filter(pk=ROW_ID).update(**changes)
    if not updated:
        try:
            with transaction.atomic():
                CatalogVersion.objects.create(
                    pk=ROW_ID, version=1, changed_at=now, structure=1, structure_changed_at=now
                )
        except IntegrityError:  # another process created it first
            CatalogVersion.objects.filter(pk=ROW_ID).update(**changes)
    number, structure_number, structure_changed_at = CatalogVersion.objects.values_list(
        "version", "structure", "structure_changed_at"
    ).get(pk=ROW_ID)
    return Version(number, now, structure_number, structure_changed_at)


def _bump_returning(now: datetime, structure: bool) -> tuple | None:
    """The bump and the read of what it stored in one statement (UPDATE ... RETURNING):
    every catalog write bumps at least twice, so this halves what the bumps cost. None
    when the database cannot, or the row is missing (the caller's slower path)."""
    if not (
        connection.vendor == "postgresql"
        or (connection.vendor == "sqlite" and sqlite3.sqlite_version_info >= (3, 35))
    ):
        return None
    opts = CatalogVersion._meta
    q = connection.ops.quote_name
    column = {name: q(opts.get_field(name).column) for name in _VERSION_FIELDS}
    stamp = connection.ops.adapt_datetimefield_value(now)
    sets = [f"{column['version']} = {column['version']} + 1", f"{column['changed_at']} = %s"]
    params: list = [stamp]
    if structure:
        sets += [
            f"{column['structure']} = {column['structure']} + 1",
            f"{column['structure_changed_at']} = %s",
        ]
        params.append(stamp)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {q(opts.db_table)} SET {', '.join(sets)} WHERE {q(opts.pk.column)} = %s "
            f"RETURNING {column['version']}, {column['structure']}, "
            f"{column['structure_changed_at']}",
            [*params, ROW_ID],
        )
        return cursor.fetchone()


_VERSION_FIELDS = ("version", "changed_at", "structure", "structure_changed_at")
