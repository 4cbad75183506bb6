"""Every API error is JSON of one shape:

    {"status": 400, "code": "invalid", "message": "…", "errors": {"min_context_window": [...]}}

`errors` is present only for invalid input, naming each parameter and the reason.
"""

from __future__ import annotations

import logging
import sys

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import Http404, JsonResponse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from catalog.views_search import page_not_found
from sitecache.outage import database_unavailable_response, error_body

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"


def _flatten(detail) -> list[str]:
    if isinstance(detail, dict):
        return [f"{key}: {msg}" for key, value in detail.items() for msg in _flatten(value)]
    if isinstance(detail, list):
        return [msg for item in detail for msg in _flatten(item)]
    return [str(detail)]


def api_exception_handler(exc, context):
    # DRF turns Django's Http404 / PermissionDenied into its own; do it here too so the
    # code below sees one kind of exception.
    if isinstance(exc, Http404):
        # Django's own messages name model classes ("No LanguageModel matches…").
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    elif isinstance(exc, SuspiciousOperation):
        # A request Django refuses to read (more query parameters than
        # DATA_UPLOAD_MAX_NUMBER_FIELDS): the client's fault, a 400 rather than a 500.
        exc = exceptions.ParseError(str(exc))
    if isinstance(exc, OperationalError | InterfaceError):
        # The database is unreachable or timed out: not a bug but an outage. Re-raised, it
        # gets the outage 503 from DatabaseUnavailableMiddleware like any page.
        return None
    response = exception_handler(exc, context)
    if response is None:
        # An unexpected error: log it with its traceback, answer a JSON 500.
        logger.exception("Unhandled error in API view", exc_info=exc)
        return Response(
            error_body(500, "server_error", "Internal server error."),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    detail = response.data
    if isinstance(exc, exceptions.ValidationError):
        errors = detail if isinstance(detail, dict) else {"non_field_errors": detail}
        message = "Invalid request: " + "; ".join(_flatten(errors))
        response.data = error_body(response.status_code, "invalid", message, errors)
    else:
        message = str(detail.get("detail", detail)) if isinstance(detail, dict) else str(detail)
        code = getattr(exc, "default_code", "error")
        if isinstance(exc, exceptions.APIException):
            codes = exc.get_codes()
            code = codes if isinstance(codes, str) else code
        response.data = error_body(response.status_code, code, message)
    return response


def not_found(request, exception=None):
    """handler404: JSON under /api/, the site's page elsewhere."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse(error_body(404, "not_found", "Not found."), status=404)
    return page_not_found(request, exception)


def server_error(request):
    """handler500: JSON under /api/, the site's page elsewhere.

    A database connection error raised outside a view (middleware, a context processor)
    never reaches DatabaseUnavailableMiddleware.process_exception; it is still an outage,
    not a bug, so it gets the same friendly 503 (JSON under /api/)."""
    exception = sys.exc_info()[1]
    if isinstance(exception, OperationalError | InterfaceError):
        return database_unavailable_response(request)
    if request.path.startswith(API_PREFIX):
        return JsonResponse(error_body(500, "server_error", "Internal server error."), status=500)
    return defaults.server_error(request)
