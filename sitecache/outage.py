"""The answer when the database is unreachable: a 503 with Retry-After, JSON of the
API's error shape under /api/ and the site's 503 page elsewhere, never a 500.

Here, at the bottom of the stack, because three layers answer it: the page cache
(sitecache.middleware), the site-wide middleware (config.middleware) and the API's
handler500 (api.exceptions)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

DATABASE_UNAVAILABLE_DETAIL = (
    "The catalog database is unavailable for a moment. Please try again shortly."
)


def error_body(status_code: int, code: str, message: str, errors=None) -> dict:
    """Every JSON error of the site, the API's included: {"status", "code", "message"},
    plus "errors" (per parameter) for invalid input."""
    body = {"status": status_code, "code": code, "message": message}
    if errors is not None:
        body["errors"] = errors
    return body


def wants_json(request: HttpRequest) -> bool:
    return request.path.startswith(settings.API_PATH_PREFIX)


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    if wants_json(request):
        body = error_body(503, "database_unavailable", DATABASE_UNAVAILABLE_DETAIL)
        response = JsonResponse(body, status=503)
    else:
        # Rendered without the request: context processors could touch the database.
        body = render_to_string("503.html", {"detail": DATABASE_UNAVAILABLE_DETAIL})
        response = HttpResponse(body, status=503)
    response["Retry-After"] = str(settings.DATABASE_UNAVAILABLE_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response
