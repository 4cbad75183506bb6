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
"""

from __future__ import annotations

import logging
import threading
import time
from urllib.parse import urlsplit

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

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

    def succeeded(self) -> None:
        if self.since is None:
            return
        with self._lock:
            since, self.since = self.since, None
        if since is not None:
            logger.warning(
                "Shared cache (Redis at %s) is back after %.0f s.",
                self.where,
                time.monotonic() - since,
            )


# One per Redis location in this process: Django makes a cache object per thread.
_outages: dict[str, Outage] = {}


def redacted(location: str) -> str:
    """host:port/db of a Redis URL, without the password it may carry."""
    parts = urlsplit(location)
    return f"{parts.hostname}:{parts.port or 6379}{parts.path}"


class FailoverRedisCache(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        retry_seconds = float(params.pop("OUTAGE_RETRY_SECONDS", DEFAULT_OUTAGE_RETRY_SECONDS))
        fallback_entries = params.pop("FALLBACK_MAX_ENTRIES", None)
        super().__init__(server, params)
        where = ", ".join(redacted(location) for location in self._servers)
        self._outage = _outages.setdefault(where, Outage(where, retry_seconds))
        self._outage.retry_seconds = retry_seconds
        # LocMemCache objects with the same name share their storage in a process.
        fallback_params = {k: v for k, v in params.items() if k != "OPTIONS"}
        if fallback_entries is not None:
            fallback_params["OPTIONS"] = {"MAX_ENTRIES": int(fallback_entries)}
        self._fallback = LocMemCache(f"redis-fallback:{where}", fallback_params)

    def _call(self, name: str, *args, **kwargs):
        if not self._outage.skip_redis():
            try:
                result = getattr(super(), name)(*args, **kwargs)
            except RedisError as error:
                self._outage.failed(error)
            else:
                self._outage.succeeded()
                return result
        return getattr(self._fallback, name)(*args, **kwargs)

    def add(self, *args, **kwargs):
        return self._call("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._call("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._call("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._call("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._call("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._call("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._call("incr", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._call("delete_many", *args, **kwargs)

    def clear(self):
        self._fallback.clear()
        return self._call("clear")
