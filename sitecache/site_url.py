"""Absolute URLs of this site, built from the configured canonical `SITE_URL`.

Never from the request's Host: pages, sitemaps and API answers are cached and shared by
every visitor, so one request naming another allowed host (or a proxy's internal name)
must not put that host into what later visitors receive. With the address fixed, no
cached body depends on the Host, and the caches need not key on it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path: str) -> str:
    """SITE_URL + a site path (with its query string, if any): "/models/" ->
    "https://llmcompare.example/models/"."""
    return settings.SITE_URL.rstrip("/") + path


def site_scheme() -> str:
    return urlsplit(settings.SITE_URL).scheme or "https"


def site_domain() -> str:
    """host[:port] of SITE_URL."""
    return urlsplit(settings.SITE_URL).netloc
