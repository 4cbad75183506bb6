"""HTTP caching for API responses: ETag (a hash of the body), Last-Modified (when the
public catalog last changed), Cache-Control for public data, and 304 Not Modified on a
matching If-None-Match / If-Modified-Since."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from api.selectors import catalog_last_modified


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
    last_modified = catalog_last_modified()
    timestamp = int(last_modified.timestamp()) if last_modified else None
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    patch_cache_control(response, public=True, max_age=settings.API_CACHE_MAX_AGE)
    # The body does not depend on who asks, so shared caches may serve it to anyone.
    patch_vary_headers(response, ["Accept"])
    return get_conditional_response(request, etag=etag, last_modified=timestamp, response=response)
