"""Site-wide response hardening: security headers on every response, and a clear 503
(HTML for pages, JSON under /api/) instead of a 500 when the database is unreachable."""

from __future__ import annotations

import logging
import time

from compression_middleware.middleware import CompressionMiddleware
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from sitecache.outage import database_unavailable_response

logger = logging.getLogger(__name__)


def build_csp(directives: dict[str, str]) -> str:
    """{"default-src": "'self'"} -> "default-src 'self'"."""
    return "; ".join(f"{name} {value}".strip() for name, value in directives.items())


def csp_for_path(path: str) -> str:
    """The policy for a path: the site-wide one, with `CSP_PATH_OVERRIDES` applied to the
    longest matching path prefix (only pages that cannot work without inline code)."""
    directives = dict(settings.CONTENT_SECURITY_POLICY)
    matches = [prefix for prefix in settings.CSP_PATH_OVERRIDES if path.startswith(prefix)]
    if matches:
        directives.update(settings.CSP_PATH_OVERRIDES[max(matches, key=len)])
    return build_csp(directives)


class SecurityHeadersMiddleware:
    """Adds Content-Security-Policy and Permissions-Policy to every response.

    Django's SecurityMiddleware already sends X-Content-Type-Options, Referrer-Policy,
    Cross-Origin-Opener-Policy and HSTS; XFrameOptionsMiddleware sends X-Frame-Options.
    A view that sets its own policy keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", csp_for_path(request.path))
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class ServerTimingMiddleware:
    """`Server-Timing: app;dur=3.2`: the milliseconds Django spent on the request, from
    the outermost middleware. Browsers' developer tools show it, and `make bench` reads it
    to report server time apart from the network and the load generator."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start = time.perf_counter()
        response = self.get_response(request)
        elapsed = (time.perf_counter() - start) * 1000
        response.headers.setdefault("Server-Timing", f"app;dur={elapsed:.1f}")
        return response


class ResponseCompressionMiddleware(CompressionMiddleware):
    """zstd, brotli or gzip, whichever the client accepts (django-compression-middleware),
    for pages and API answers of 500 bytes or more; static files come precompressed from
    WhiteNoise, and files compressed already (the API's gzip export) pass as they are.

    BREACH: a compressed body that holds a secret beside text an attacker chooses leaks
    the secret through its length. Public pages and API answers hold no secret (no
    session, no CSRF token, keys are never echoed), so they are compressed. Anything
    under COMPRESSION_EXCLUDED_PREFIXES (the admin: an editor's session, CSRF tokens and
    data) and any response that rendered a CSRF token (a form) goes uncompressed.

    Validators stay right: the ETags of pages and API answers are weak (the same content
    whatever the coding), so a revalidation answers 304 for any Accept-Encoding, and
    `Vary: Accept-Encoding` is on every answer that could be compressed, 304s and small
    bodies included, so a shared cache never hands brotli to a client that asked for
    gzip."""

    def process_response(self, request, response):
        if self.must_not_compress(request) or is_compressed_already(response):
            return response
        patch_vary_headers(response, ["Accept-Encoding"])
        return super().process_response(request, response)

    @staticmethod
    def must_not_compress(request: HttpRequest) -> bool:
        excluded = tuple(settings.COMPRESSION_EXCLUDED_PREFIXES)
        return request.path.startswith(excluded) or bool(
            request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        )


# Files whose bytes are compressed already (the API's catalog export): another coding
# gains nothing, and would turn the file's strong ETag weak.
COMPRESSED_CONTENT_TYPES = frozenset({"application/gzip", "application/zstd", "application/zip"})


def is_compressed_already(response: HttpResponse) -> bool:
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return content_type in COMPRESSED_CONTENT_TYPES


class DatabaseUnavailableMiddleware:
    """Turns "the database is down" into a 503 with Retry-After instead of a 500.

    Connection errors reach `process_exception` from the view; Django closes the broken
    connection at the end of the request (its health check), so the next request after
    the database returns is served normally.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error(
            "Database unavailable while serving %s: %s",
            request.path,
            exception,
            exc_info=exception,
        )
        return database_unavailable_response(request)
