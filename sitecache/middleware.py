"""Whole-page cache for public pages.

A page is stored under its path alone, with what decides whether it is still right: the
catalog version it was rendered at, or, for a page that recorded the records it shows
(sitecache.dependencies), those records and a fingerprint of their stamps. A hit costs
one cache read and one small query (the version row, and the current stamps of exactly
the recorded records), and skips the session, auth and view layers, so a cached page is
nearly as cheap as a static file. Conditional requests answer 304 from the same query.
Anything personal is never cached: requests carrying a session (staff previewing
drafts, editors), responses that set cookies, non-GET methods, errors.

The key is the path and the query parameters the page reads (sitecache.query_params:
others are dropped before the view runs), never the Host: bodies build absolute URLs
from SITE_URL (sitecache.site_url), so they do not depend on it. Bodies larger than
PAGE_CACHE_MAX_ENTRY_BYTES are served but not stored, so the cache's size is bounded by
its entry cap (CACHES OPTIONS MAX_ENTRIES, or Redis's maxmemory) times that.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from sitecache.dependencies import (
    PageDependencies,
    current_stamps,
    recording,
    version_fingerprint,
)
from sitecache.outage import database_unavailable_response
from sitecache.query_params import keep_query_params, query_params_read_by
from sitecache.versioning import RequestVersion, Version, current_version, request_version

CACHEABLE_METHODS = {"GET", "HEAD"}


def page_cache_key(request: HttpRequest) -> str:
    # Hashed: a hostile URL must not make a key longer than a cache backend accepts.
    return f"page:{hashlib.sha256(request.get_full_path().encode()).hexdigest()}"


def page_etag(fingerprint: str, request: HttpRequest) -> str:
    """Weak: the page is the same whichever content coding carries it (compression runs
    outside this middleware, on hits and misses alike). For a page kept per catalog
    version the fingerprint is the version's token."""
    digest = hashlib.sha256(f"{fingerprint}|{request.get_full_path()}".encode()).hexdigest()
    return f'W/"{digest[:24]}"'


def stored_entry(value) -> tuple[str, str, bytes, str] | None:
    """(dependencies, fingerprint, body, content type), or None for anything else (an
    entry of an older format)."""
    if isinstance(value, tuple | list) and len(value) == 4:
        return tuple(value)
    return None


def is_cacheable_request(request: HttpRequest) -> bool:
    if request.method not in CACHEABLE_METHODS:
        return False
    path = request.path_info
    if any(path.startswith(prefix) for prefix in settings.PAGE_CACHE_EXCLUDED_PREFIXES):
        return False
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


def add_validators(response: HttpResponse, etag: str, version: Version) -> None:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(version.changed_at.timestamp())
    response["Cache-Control"] = settings.PAGE_CACHE_CONTROL
    patch_vary_headers(response, ["Cookie"])


class CatalogPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.PAGE_CACHE_ENABLED or not is_cacheable_request(request):
            # Not cached, but whatever in this request needs the version reads it once.
            token = request_version.set(RequestVersion())
            try:
                return self.get_response(request)
            finally:
                request_version.reset(token)

        if request.META.get("QUERY_STRING"):  # resolving the view costs ~25 us: only then
            keep_query_params(request, query_params_read_by(request.path_info))
        key = page_cache_key(request)
        stored = stored_entry(cache.get(key))
        try:
            if stored is not None and stored[0]:
                version, fingerprint = current_stamps(stored[0])
            else:
                version = current_version()
                fingerprint = version_fingerprint(version)
        except (OperationalError, InterfaceError):
            # Django turns an exception here into a 500 before outer middleware sees
            # it, so answer the outage ourselves.
            return database_unavailable_response(request)
        token = request_version.set(RequestVersion(version))
        try:
            return self._respond(request, key, version, stored, fingerprint)
        finally:
            request_version.reset(token)

    def _respond(
        self, request: HttpRequest, key: str, version: Version, stored, fingerprint: str
    ) -> HttpResponse:
        etag = page_etag(fingerprint, request)
        # Django's reading of If-None-Match (the weak comparison: W/"x" matches "x") and
        # If-Modified-Since, as api.caching uses: a 304, a 412, or None to answer in full.
        # Last-Modified is when the catalog last changed, whatever the page shows: an
        # honest upper bound (ETags are exact).
        last_modified = int(version.changed_at.timestamp())
        conditional = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if conditional is not None:
            if conditional.status_code == 304:
                add_validators(conditional, etag, version)
            return conditional

        if stored is not None and stored[1] == fingerprint:
            _dependencies, _fingerprint, content, content_type = stored
            response = HttpResponse(content, content_type=content_type)
            response["X-Page-Cache"] = "hit"
            add_validators(response, etag, version)
            return response

        dependencies = PageDependencies()
        recorder = recording.set(dependencies)
        try:
            response = self.get_response(request)
        finally:
            recording.reset(recorder)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not response.has_header("Cache-Control")
            and len(response.content) <= settings.PAGE_CACHE_MAX_ENTRY_BYTES
        ):
            if dependencies.entries:
                encoded, fingerprint = dependencies.encoded(), dependencies.fingerprint(version)
            else:
                encoded, fingerprint = "", version_fingerprint(version)
            cache.set(
                key,
                (encoded, fingerprint, response.content, response["Content-Type"]),
                settings.PAGE_CACHE_SECONDS,
            )
            response["X-Page-Cache"] = "miss"
            new_etag = page_etag(fingerprint, request)
            add_validators(response, new_etag, version)
            if new_etag != etag:  # known only now: the page recorded what it shows
                return get_conditional_response(
                    request, etag=new_etag, last_modified=last_modified, response=response
                )
        return response
