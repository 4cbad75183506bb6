"""Whole-page cache for public pages.

A page is stored under its path alone, with what decides whether it is still right: the
catalog version it was rendered at, or, for a page that recorded the records it shows
(sitecache.dependencies), those records and a fingerprint of their stamps; and the last
catalog version at which that fingerprint was found right. A hit skips the session, auth
and view layers:

- while the catalog stays at the version the entry was last checked at, it is one cache
  read and the version: on Redis one round trip for both and no SQL (the copy of the
  version kept beside the pages, sitecache.versioning), on a cache in each process's
  memory one small query (the version row);
- after an edit, a page that recorded what it shows is checked once with one query (the
  version row and the current stamps of exactly the recorded records) and, if nothing
  it shows changed, stored again as checked at the new version: an edit of one model
  leaves the pages of other models cached.

Conditional requests answer 304 from the same reads. The body goes out in the content
coding the client prefers, compressed once per coding and kept with the page
(sitecache.codings).
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
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from sitecache.build import build_id
from sitecache.codings import Encodings, in_clients_coding
from sitecache.dependencies import (
    PageDependencies,
    current_stamps,
    recording,
    version_fingerprint,
)
from sitecache.outage import database_unavailable_response
from sitecache.query_params import keep_query_params, query_params_read_by
from sitecache.versioning import (
    RequestVersion,
    Version,
    current_version,
    get_with_shared_version,
    publish_if_behind,
    request_version,
)

CACHEABLE_METHODS = {"GET", "HEAD"}


def page_cache_key(request: HttpRequest) -> str:
    """The path and kept query, and the build of the code (sitecache.build: a deploy
    starts with its own pages). Hashed: a hostile URL must not make a key longer than a
    cache backend accepts."""
    return f"page:{hashlib.sha256(f'{build_id()}|{request.get_full_path()}'.encode()).hexdigest()}"


def page_etag(fingerprint: str, request: HttpRequest) -> str:
    """Weak: the page is the same whichever content coding carries it (compression runs
    outside this middleware, on hits and misses alike). For a page kept per catalog
    version the fingerprint is the version's token. The build is part of it: a browser's
    copy from before a deploy is not confirmed with a 304."""
    digest = hashlib.sha256(
        f"{fingerprint}|{build_id()}|{request.get_full_path()}".encode()
    ).hexdigest()
    return f'W/"{digest[:24]}"'


class Entry(NamedTuple):
    """A stored page. Kept in the cache as a plain tuple (a pickle that names no class)."""

    dependencies: str  # sitecache.dependencies' encoding; "" for a page kept per version
    fingerprint: str  # of the stamps of what it shows (or of the version) when rendered
    body: bytes
    content_type: str
    # version_fingerprint of the last database version at which `fingerprint` was found
    # right: while the catalog stays at that version, a hit needs no check of the stamps.
    checked: str
    # The body in each content coding a client asked for, added on the first such hit.
    encodings: Encodings


def stored_entry(value) -> Entry | None:
    """The entry, or None for anything else (an entry of an older format)."""
    if isinstance(value, tuple | list) and len(value) == len(Entry._fields):
        return Entry._make(value)
    return None


def read_page(key: str) -> tuple[Entry | None, Version | None]:
    """The stored entry and, where the cache is shared, its copy of the catalog version
    (sitecache.versioning): one round trip. The version is None without a copy."""
    value, shared = get_with_shared_version(key, checked_at)
    return stored_entry(value), shared


def checked_at(value, shared: Version) -> bool:
    """Whether a stored page was found right at version `shared`: then it is served
    without reading the stamps, kept in this process or not."""
    entry = stored_entry(value)
    return entry is not None and entry.checked == version_fingerprint(shared)


def page_state(entry: Entry | None, shared: Version | None) -> tuple[Version, str, bool]:
    """(the catalog version, the fingerprint the page has now, whether the stamps were
    just checked against the database). Without a stored page the version comes from the
    database, which the page will be rendered from."""
    if shared is not None and entry is not None and entry.checked == version_fingerprint(shared):
        return shared, entry.fingerprint, False
    if entry is not None and entry.dependencies:
        if shared is None:  # no shared copy: the version row is the cheap first question
            version = current_version()
            if entry.checked == version_fingerprint(version):
                publish_if_behind(shared, version)  # the next hits need no SQL
                return version, entry.fingerprint, False
        version, fingerprint = current_stamps(entry.dependencies)
        checked = True
    else:
        version = current_version()
        fingerprint, checked = version_fingerprint(version), False
    publish_if_behind(shared, version)
    return version, fingerprint, checked


def is_cacheable_request(request: HttpRequest) -> bool:
    if request.method not in CACHEABLE_METHODS:
        return False
    path = request.path_info
    if any(path.startswith(prefix) for prefix in settings.PAGE_CACHE_EXCLUDED_PREFIXES):
        return False
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


def add_validators(response: HttpResponse, etag: str, version: Version) -> None:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(version.last_modified)
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
        entry, shared = read_page(key)
        try:
            version, fingerprint, checked = page_state(entry, shared)
        except (OperationalError, InterfaceError):
            # Django turns an exception here into a 500 before outer middleware sees
            # it, so answer the outage ourselves.
            return database_unavailable_response(request)
        token = request_version.set(RequestVersion(version))
        try:
            return self._respond(request, key, version, entry, fingerprint, checked)
        finally:
            request_version.reset(token)

    def _respond(
        self,
        request: HttpRequest,
        key: str,
        version: Version,
        entry: Entry | None,
        fingerprint: str,
        checked: bool,
    ) -> HttpResponse:
        etag = page_etag(fingerprint, request)
        # Django's reading of If-None-Match (the weak comparison: W/"x" matches "x") and
        # If-Modified-Since, as api.caching uses: a 304, a 412, or None to answer in full.
        # Last-Modified is when the catalog or the served source last changed, whatever
        # the page shows: an honest upper bound (ETags are exact).
        last_modified = version.last_modified
        conditional = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if conditional is not None:
            if conditional.status_code == 304:
                add_validators(conditional, etag, version)
            return conditional

        if entry is not None and entry.fingerprint == fingerprint:
            if checked:  # right at this version: the next hits need no stamps
                entry = entry._replace(checked=version_fingerprint(version))
            response = self._hit(request, key, entry, stale=checked)
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
            store(
                key,
                Entry(
                    encoded,
                    fingerprint,
                    response.content,
                    response["Content-Type"],
                    version_fingerprint(version),
                    (),
                ),
            )
            response["X-Page-Cache"] = "miss"
            new_etag = page_etag(fingerprint, request)
            add_validators(response, new_etag, version)
            if new_etag != etag:  # known only now: the page recorded what it shows
                return get_conditional_response(
                    request, etag=new_etag, last_modified=last_modified, response=response
                )
        return response

    @staticmethod
    def _hit(request: HttpRequest, key: str, entry: Entry, *, stale: bool) -> HttpResponse:
        """The stored page, in the client's content coding (sitecache.codings: compressed
        once per coding and kept with the page). `stale`: the entry changed and is
        written back."""
        body, coding, encodings = in_clients_coding(request, entry.body, entry.encodings)
        if encodings is not None:
            entry, stale = entry._replace(encodings=encodings), True
        if stale:
            store(key, entry)
        response = HttpResponse(body, content_type=entry.content_type)
        response["Content-Length"] = str(len(body))  # CommonMiddleware, inside, is skipped
        if coding is not None:
            response["Content-Encoding"] = coding
        response["X-Page-Cache"] = "hit"
        return response


def store(key: str, entry: Entry) -> None:
    cache.set(key, tuple(entry), settings.PAGE_CACHE_SECONDS)
