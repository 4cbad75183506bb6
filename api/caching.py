"""HTTP caching for API responses: a weak ETag (a hash of the uncompressed body),
Last-Modified (when the public catalog, or the served source, last changed),
Cache-Control for public data, and 304 Not Modified on a matching If-None-Match /
If-Modified-Since."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.template.response import SimpleTemplateResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from sitecache.build import build_id
from sitecache.codings import Encodings, in_clients_coding
from sitecache.versioning import (
    Version,
    get_with_shared_version,
    publish_if_behind,
    request_version,
    version_for_request,
)

# Set by answer_for_day on the request of an answer that stands for a day the URL
# does not name.
ANSWER_DAY = "api_answer_day"


def answer_for_day(request, day: date) -> None:
    """Mark the answer to `request` as one for `day` although its URL names no day (a
    default of today): the cache key and Last-Modified then follow the day as well as
    the catalog, so tomorrow's request is neither answered from today's entry nor told
    "not modified" against it."""
    setattr(request, ANSWER_DAY, day)


def cached_response(request, build) -> HttpResponse:
    """The view's answer for this URL at this catalog version, computed once. Only
    successful answers are kept; any edit to the catalog makes a new version, and the
    next request builds the answer again.

    The key is the URL and what shapes the body, and the build of the code
    (sitecache.build: a deploy starts with its own answers); the entry carries the catalog version
    it was built at, checked on each hit against the shared cache's copy of the version
    (one round trip, no SQL) or the database. The rendered body is kept, not the data: a
    hit is then served without serialising the data again, with its ETag (hashing a
    650 KB list on every hit cost 0.4 ms) and its compressed forms (sitecache.codings),
    each made once. The renderer and its indent are part of the key, since they shape
    the body; other media-type parameters do not, so they cannot multiply entries."""
    variant = f"{build_id()}\n{request.get_full_path()}\n{body_variant(request)}"
    day = getattr(request, ANSWER_DAY, None)
    if day is not None:
        variant = f"{variant}\n{day.isoformat()}"
    key = f"api:{hashlib.sha256(variant.encode()).hexdigest()}"
    hit, shared = read_answer(key)
    if hit is not None and answer_is_current(hit[TOKEN], shared):
        content_type, body, etag, encodings, _token = hit
        response = HttpResponse(body, content_type=content_type)
        response.api_cache_hit = (key, etag, encodings)
        return response
    response = build()
    if response.status_code == 200:
        # Stored by apply_http_caching, once the response is rendered.
        response.api_cache_key = key
    return response


# What an entry holds, as a plain tuple: the body as sent (content type, bytes, ETag),
# its compressed forms, and the catalog version (read from the database) it was built at.
ENTRY_FIELDS = ("content type", "body", "etag", "encodings", "version token")
TOKEN = ENTRY_FIELDS.index("version token")


def read_answer(key: str) -> tuple[tuple | None, Version | None]:
    """The stored answer (None for none, or one of an older format) and, where the cache
    is shared, its copy of the catalog version: one round trip."""
    value, shared = get_with_shared_version(key, built_at)
    return stored_answer(value), shared


def stored_answer(value) -> tuple | None:
    """The entry, or None for anything else (an entry of an older format)."""
    if isinstance(value, tuple) and len(value) == len(ENTRY_FIELDS):
        return value
    return None


def built_at(value, shared: Version) -> bool:
    """Whether a stored answer was built at version `shared`."""
    answer = stored_answer(value)
    return answer is not None and answer[TOKEN] == shared.token


def answer_is_current(token: str, shared: Version | None) -> bool:
    """Whether an answer built at catalog version `token` is still right. The shared
    copy of the version can only say "nothing changed since" (sitecache.versioning): a
    match is trusted, anything else is decided by the database, which then stands for
    the rest of the request (a new answer is built from it)."""
    holder = request_version.get()
    if shared is not None and token == shared.token and holder is not None and not holder.read:
        holder.use(shared)
        return True
    version = version_for_request()
    publish_if_behind(shared, version)
    return token == version.token


def body_variant(request) -> str:
    """What of the content negotiation shapes the body: the renderer's format and the
    indent it resolves (DRF's JSONRenderer reads `; indent=N` and caps it)."""
    renderer = getattr(request, "accepted_renderer", None)
    if renderer is None:
        return ""
    get_indent = getattr(renderer, "get_indent", None)
    media_type = getattr(request, "accepted_media_type", "") or ""
    indent = get_indent(media_type, {}) if get_indent else None
    return f"{renderer.format}:{indent}"


def apply_http_caching(request, response):
    """Finish a rendered API response; returns it, or a 304 in its place."""
    if request.method not in ("GET", "HEAD"):
        return response
    if response.status_code != 200:
        patch_cache_control(response, no_store=True)
        return response
    if isinstance(response, SimpleTemplateResponse):
        response.render()
    hit = getattr(response, "api_cache_hit", None)
    if hit is not None:
        cache_key, etag, encodings = hit
    else:
        # Weak: the body is the same JSON whichever content coding (gzip, br, zstd)
        # carries it (config.middleware.ResponseCompressionMiddleware), and a validator
        # that names the JSON, not the bytes on the wire, revalidates whatever encoding
        # the client accepts.
        etag = f'W/"{hashlib.sha256(response.content).hexdigest()[:32]}"'
        cache_key, encodings = getattr(response, "api_cache_key", None), ()
        if cache_key is not None:
            store(cache_key, response, etag, encodings)
    response["ETag"] = etag
    timestamp = version_for_request().last_modified
    day = getattr(request, ANSWER_DAY, None)
    if day is not None:
        day_start = timezone.make_aware(datetime.combine(day, time.min))
        timestamp = max(timestamp, int(day_start.timestamp()))
    response["Last-Modified"] = http_date(timestamp)
    patch_cache_control(response, public=True, max_age=settings.API_CACHE_MAX_AGE)
    # The body does not depend on who asks, so shared caches may serve it to anyone.
    patch_vary_headers(response, ["Accept"])
    response = get_conditional_response(
        request, etag=etag, last_modified=timestamp, response=response
    )
    if hit is not None and response.status_code == 200:
        body, coding, added = in_clients_coding(request, response.content, encodings)
        if added is not None:
            store(cache_key, response, etag, added)
        if coding is not None:
            response.content = body
            response["Content-Encoding"] = coding
    return response


def store(key: str, response, etag: str, encodings: Encodings) -> None:
    """Keep the answer, marked with the version the request read from the database (a
    miss always has: answer_is_current)."""
    token = version_for_request().token
    entry = (response["Content-Type"], response.content, etag, encodings, token)
    cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
