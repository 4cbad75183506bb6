"""Redis as the shared cache, without making Redis a single point of failure.

Pages, API answers, API throttles and sign-in counters all go through Django's cache, and
Django's Redis backend raises when Redis is unreachable: one stopped Redis would be a 500
on every page. `FailoverRedisCache` instead:

- catches Redis errors and serves the call from a small cache in this process's memory
  (pages are rendered, throttles and sign-in lockouts count per process rather than not
  at all, so a guesser gains nothing by the outage);
- logs the outage once when it starts and once when it ends, not per request;
- tries Redis again at most every `OUTAGE_RETRY_SECONDS` (so a request pays for a dead
  Redis at most once per interval per process), and so recovers by itself.

`socket_connect_timeout` / `socket_timeout` in OPTIONS bound each attempt, so a Redis that
hangs rather than refuses is an outage too, not a hung worker.

Two costs of Django's own Redis client are cut, as measured on a page-cache hit
(docs/benchmarks.md, "A cache hit on PostgreSQL + Redis"):

- it built a `redis.Redis` object around the connection pool for every call, about 60 µs,
  a quarter of a hit's cache read: `ReusingRedisCacheClient` keeps one per pool;
- pages travel and sit in Redis whole (a comparison page pickles to about 50 KB):
  `CompressingSerializer` stores values from COMPRESS_MIN_BYTES up as zstd (about 7 KB for
  that page, 10 µs to decompress), so Redis's `maxmemory` holds seven times the pages and
  a Redis on another host sends a seventh of the bytes.

It also keeps a copy of the catalog version beside the pages (`get_with_raw`,
`set_raw_if_newer`: sitecache.versioning explains the rules), so a page-cache hit is one
round trip and no SQL. That copy never goes to the in-process fallback, and a process
whose write of it was lost to an outage deletes it when Redis answers again.

And each process keeps, decoded, the pages and answers it last read or wrote
(`KeptValues`, up to KEPT_MAX_BYTES): `get_kept_or_with_raw` serves one of them when the
copy of the version, read alone (a few bytes), says it is still right. A hit then moves
no page over the socket and decompresses and unpickles nothing (a 655 KB API answer
cost 0.2 to 0.5 ms of that per hit).

Without Redis (one process, `make run`, the SQLite stack of `make bench`) the cache is
`LocalMemoryCache`: Django's local-memory cache, except that a value made only of
immutable built-in values (a stored page or API answer: text, bytes and tuples of them)
is kept as it is, not pickled. Django pickles every value so that no caller can change
what another reads; such a value cannot be changed, and unpickling a 655 KB API answer
on every hit cost 0.6 ms (a new 655 KB allocation each time, mapped and faulted in).
"""

from __future__ import annotations

import logging
import pickle
import threading
import time
from collections.abc import Callable
from functools import cached_property
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient, RedisSerializer
from redis.exceptions import RedisError
from zstandard import ZstdCompressor, ZstdDecompressor

logger = logging.getLogger(__name__)

DEFAULT_OUTAGE_RETRY_SECONDS = 5.0


class Outage:
    """Whether Redis at one location is down, as this process last found it."""

    def __init__(self, where: str, retry_seconds: float):
        self.where = where
        self.retry_seconds = retry_seconds
        self.since: float | None = None
        self.next_attempt = 0.0
        self._lock = threading.Lock()
        # Raw keys this process could not write during the outage: stale in Redis now.
        self.lost_writes: set[str] = set()

    def skip_redis(self) -> bool:
        return self.since is not None and time.monotonic() < self.next_attempt

    def failed(self, error: Exception) -> None:
        now = time.monotonic()
        with self._lock:
            self.next_attempt = now + self.retry_seconds
            if self.since is not None:
                return
            self.since = now
        logger.warning(
            "Shared cache (Redis at %s) unavailable: %s. Serving from this process's memory "
            "until it answers again (retrying every %g s).",
            self.where,
            error,
            self.retry_seconds,
        )

    def succeeded(self) -> bool:
        """Record a call that reached Redis; True when it ended an outage."""
        if self.since is None:
            return False
        with self._lock:
            since, self.since = self.since, None
        if since is None:
            return False
        logger.warning(
            "Shared cache (Redis at %s) is back after %.0f s.",
            self.where,
            time.monotonic() - since,
        )
        return True


# One per Redis location in this process: Django makes a cache object per thread.
_outages: dict[str, Outage] = {}


def size_of(value, depth: int = 3) -> int:
    """About how many bytes `value` holds: its bytes and text, in tuples, lists and dicts
    up to `depth` levels down (a stored page or API answer: the body, and its compressed
    forms as (coding, bytes) pairs)."""
    if isinstance(value, bytes | str):
        return len(value)
    if depth == 0:
        return 0
    if isinstance(value, dict):
        value = value.values()
    elif not isinstance(value, tuple | list):
        return 0
    return sum(size_of(item, depth - 1) for item in value)


# Values that cannot change once made, and tuples of them: safe to hand to every caller.
IMMUTABLE_TYPES = (str, bytes, int, float, bool, type(None))


def is_immutable(value, depth: int = 4) -> bool:
    """Whether `value` is an immutable built-in value or a tuple (at most `depth` deep)
    of them. Exact types only: a subclass may add state that can change."""
    if type(value) in IMMUTABLE_TYPES:
        return True
    return type(value) is tuple and depth > 0 and all(is_immutable(v, depth - 1) for v in value)


class _AsIs:
    """A value LocalMemoryCache keeps unpickled."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


class LocalMemoryCache(LocMemCache):
    """Django's LocMemCache, keeping immutable values (`is_immutable`) as they are: a get
    returns the very object that was set, with no pickling either way. Every other value
    is pickled as Django does, so a list or dict read back is still a copy of its own."""

    def _stored(self, value):
        return _AsIs(value) if is_immutable(value) else pickle.dumps(value, self.pickle_protocol)

    @staticmethod
    def _value(stored):
        return stored.value if type(stored) is _AsIs else pickle.loads(stored)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        stored = self._stored(value)
        with self._lock:
            if self._has_expired(key):
                self._set(key, stored, timeout)
                return True
            return False

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._delete(key)
                return default
            stored = self._cache[key]
            self._cache.move_to_end(key, last=False)
        return self._value(stored)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        stored = self._stored(value)
        with self._lock:
            self._set(key, stored, timeout)

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._delete(key)
                raise ValueError(f"Key '{key}' not found")
            new_value = self._value(self._cache[key]) + delta
            self._cache[key] = self._stored(new_value)
            self._cache.move_to_end(key, last=False)
        return new_value


class KeptValues:
    """Values this process last read from or wrote to Redis, decoded, by key: at most
    `max_bytes` of them (size_of), the oldest dropped first. Only ever served by
    `get_kept_or_with_raw`, when the caller finds the value still right from the copy
    of the catalog version; so a value kept here that Redis no longer holds (expired,
    evicted, replaced by another process) is served only while it is as right as the
    entry it was."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._values: dict[str, tuple[object, int]] = {}
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str):
        kept = self._values.get(key)
        return None if kept is None else kept[0]

    def put(self, key: str, value) -> None:
        size = size_of(value)
        with self._lock:
            self._drop(key)
            if size > self.max_bytes:
                return
            while self._values and self._bytes + size > self.max_bytes:
                self._drop(next(iter(self._values)))
            self._values[key] = (value, size)
            self._bytes += size

    def forget(self, key: str) -> None:
        with self._lock:
            self._drop(key)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._bytes = 0

    def _drop(self, key: str) -> None:
        kept = self._values.pop(key, None)
        if kept is not None:
            self._bytes -= kept[1]


_kept: dict[str, KeptValues] = {}
DEFAULT_KEPT_MAX_BYTES = 64 * 1024 * 1024


def redacted(location: str) -> str:
    """host:port/db of a Redis URL, without the password it may carry."""
    parts = urlsplit(location)
    return f"{parts.hostname}:{parts.port or 6379}{parts.path}"


class CompressingSerializer(RedisSerializer):
    """Django's format (integers as they are, so `incr` stays atomic; anything else
    pickled), with pickles of COMPRESS_MIN_BYTES or more compressed by zstd behind a
    marker. A pickle starts with 0x80 and an integer with a digit or a minus, so entries
    written without compression (before this, or small) read as before."""

    MARKER = b"zstd:"
    COMPRESS_MIN_BYTES = 2048
    LEVEL = 3

    def __init__(self, protocol=None):
        super().__init__(protocol)
        # zstandard's (de)compressor objects are not safe to share between threads.
        self._local = threading.local()

    def _codecs(self) -> tuple[ZstdCompressor, ZstdDecompressor]:
        codecs = getattr(self._local, "codecs", None)
        if codecs is None:
            codecs = self._local.codecs = (ZstdCompressor(level=self.LEVEL), ZstdDecompressor())
        return codecs

    def dumps(self, obj):
        data = super().dumps(obj)
        if isinstance(data, bytes) and len(data) >= self.COMPRESS_MIN_BYTES:
            return self.MARKER + self._codecs()[0].compress(data)
        return data

    def loads(self, data):
        if isinstance(data, bytes) and data.startswith(self.MARKER):
            return pickle.loads(self._codecs()[1].decompress(data[len(self.MARKER) :]))
        return super().loads(data)


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client, with one `redis.Redis` per connection pool instead of a new one
    for every call (redis.Redis is thread-safe: each command takes a connection from the
    pool and gives it back)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


# Writes `ARGV[2]` to `KEYS[1]` for `ARGV[3]` ms unless the value there starts with a
# larger number than `ARGV[1]` (or is the same value): a copy that only moves forward,
# whatever order its writers' calls arrive in.
SET_IF_NEWER = """
local current = redis.call('GET', KEYS[1])
if current then
  if current == ARGV[2] then return 0 end
  local number = tonumber(string.match(current, '^%d+'))
  if number and number > tonumber(ARGV[1]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
"""


class FailoverRedisCache(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        retry_seconds = float(params.pop("OUTAGE_RETRY_SECONDS", DEFAULT_OUTAGE_RETRY_SECONDS))
        fallback_entries = params.pop("FALLBACK_MAX_ENTRIES", None)
        kept_bytes = int(params.pop("KEPT_MAX_BYTES", DEFAULT_KEPT_MAX_BYTES))
        params["OPTIONS"] = {"serializer": CompressingSerializer, **params.get("OPTIONS", {})}
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        where = ", ".join(redacted(location) for location in self._servers)
        self._outage = _outages.setdefault(where, Outage(where, retry_seconds))
        self._outage.retry_seconds = retry_seconds
        self._kept = _kept.setdefault(where, KeptValues(kept_bytes))
        self._kept.max_bytes = kept_bytes
        # LocMemCache objects with the same name share their storage in a process.
        fallback_params = {k: v for k, v in params.items() if k != "OPTIONS"}
        if fallback_entries is not None:
            fallback_params["OPTIONS"] = {"MAX_ENTRIES": int(fallback_entries)}
        self._fallback = LocalMemoryCache(f"redis-fallback:{where}", fallback_params)

    def _call(self, name: str, *args, **kwargs):
        if not self._outage.skip_redis():
            try:
                result = getattr(super(), name)(*args, **kwargs)
            except RedisError as error:
                self._outage.failed(error)
            else:
                self._succeeded()
                return result
        return getattr(self._fallback, name)(*args, **kwargs)

    def _succeeded(self) -> bool:
        """Record a call that reached Redis; True when it ended an outage during which
        this process lost writes of raw keys (deleted now: their values are stale)."""
        if not (self._outage.succeeded() and self._outage.lost_writes):
            return False
        lost, self._outage.lost_writes = self._outage.lost_writes, set()
        try:
            self._cache.get_client(write=True).delete(*lost)
        except RedisError as error:
            self._outage.lost_writes |= lost
            self._outage.failed(error)
        return True

    def get_with_raw(self, key: str, raw_key: str) -> tuple[object, bytes | None]:
        """The value at `key` (as `get` reads it) and the bytes at `raw_key` (written by
        `set_raw_if_newer`), in one round trip to the primary. While Redis is out: the
        fallback's value and None (the raw copy is never kept in this process)."""
        if not self._outage.skip_redis():
            keys = [self.make_and_validate_key(key), self.make_and_validate_key(raw_key)]
            try:
                value, raw = self._cache.get_client(write=True).mget(keys)
            except RedisError as error:
                self._outage.failed(error)
            else:
                if self._succeeded():  # `raw` may be one of the stale values just deleted
                    raw = None
                return (None if value is None else self._cache._serializer.loads(value)), raw
        return self._fallback.get(key), None

    def get_kept_or_with_raw(
        self, key: str, raw_key: str, still_right: Callable[[object, bytes], bool]
    ) -> tuple[object, bytes | None]:
        """What `get_with_raw` returns; but where this process keeps the value at `key`
        and `still_right(value, raw)` holds for the bytes at `raw_key`, read alone, that
        value (one round trip of a few bytes). The value read or written last is kept."""
        kept = self._kept.get(key)
        if kept is not None and not self._outage.skip_redis():
            try:
                raw = self._cache.get_client(write=True).get(self.make_and_validate_key(raw_key))
            except RedisError as error:
                self._outage.failed(error)
            else:
                if not self._succeeded() and raw is not None and still_right(kept, raw):
                    return kept, raw
        value, raw = self.get_with_raw(key, raw_key)
        if value is not None and raw is not None:  # read from Redis, not the fallback
            self._kept.put(key, value)
        return value, raw

    def set_raw_if_newer(self, raw_key: str, number: int, raw: str, timeout: float) -> None:
        """Store `raw` (text starting with `number`) at `raw_key` for `timeout` seconds
        unless a larger number is there already (SET_IF_NEWER). Not kept anywhere while
        Redis is out; the key is deleted when it answers again."""
        key = self.make_and_validate_key(raw_key)
        if not self._outage.skip_redis():
            try:
                self._set_if_newer(keys=[key], args=[number, raw, int(timeout * 1000)])
            except RedisError as error:
                self._outage.failed(error)
            else:
                self._succeeded()
                return
        self._outage.lost_writes.add(key)

    @cached_property
    def _set_if_newer(self):
        return self._cache.get_client(write=True).register_script(SET_IF_NEWER)

    def add(self, *args, **kwargs):
        return self._call("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._call("get", *args, **kwargs)

    def set(self, key, value, *args, **kwargs):
        self._kept.put(key, value)  # the value this process wrote last
        return self._call("set", key, value, *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._call("touch", *args, **kwargs)

    def delete(self, key, *args, **kwargs):
        self._kept.forget(key)
        return self._call("delete", key, *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._call("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._call("incr", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, keys, *args, **kwargs):
        for key in keys:
            self._kept.forget(key)
        return self._call("delete_many", keys, *args, **kwargs)

    def clear(self):
        self._kept.clear()
        self._fallback.clear()
        return self._call("clear")
