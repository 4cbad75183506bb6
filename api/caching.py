"""HTTP caching for API responses: ETag (a hash of the body), Last-Modified (when the
public catalog last changed), Cache-Control for public data, and 304 Not Modified on a
matching If-None-Match / If-Modified-Since."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from rest_framework.response import Response

from sitecache.versioning import version_for_request


def cached_response(request, build) -> Response:
    """The view's answer for this URL at this catalog version, computed once. Only
    successful answers are kept; any edit to the catalog makes a new version."""
    version = version_for_request()
    path_hash = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    key = f"api:{version.token}:{path_hash}"
    data = cache.get(key)
    if data is not None:
        return Response(data)
    response = build()
    if response.status_code == 200:
        cache.set(key, response.data, settings.PAGE_CACHE_SECONDS)
    return response


def apply_http_caching(request, response):
    """Finish a rendered API response; returns it, or a 304 in its place."""
    if request.method not in ("GET", "HEAD"):
        return response
    if response.status_code != 200:
        patch_cache_control(response, no_store=True)
        return response
    response.render()
    etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    response["ETag"] = etag
    timestamp = int(version_for_request().changed_at.timestamp())
    response["Last-Modified"] = http_date(timestamp)
    patch_cache_control(response, public=True, max_age=settings.API_CACHE_MAX_AGE)
    # The body does not depend on who asks, so shared caches may serve it to anyone.
    patch_vary_headers(response, ["Accept"])
    return get_conditional_response(request, etag=etag, last_modified=timestamp, response=response)
