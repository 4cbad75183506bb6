"""Headers every API answer carries whatever produced it (a view, a 304, a 401, a 404 for
an unknown URL, a 429)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from rest_framework import exceptions

from api.exceptions import API_PREFIX, error_body
from api.throttling import count_unthrottled


class RateLimitHeadersMiddleware:
    """RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset (IETF draft
    "RateLimit header fields for HTTP") from the throttle that counted the request
    (api.throttling). An API request no view throttle counted (an unknown URL, a key
    refused with 401 before the throttles run) is counted here against the client's
    anonymous allowance; once that is used up it is answered 429 like any other."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        rate_limit = getattr(request, "rate_limit", None)
        if rate_limit is None and request.path.startswith(API_PREFIX):
            counted = count_unthrottled(request)
            if counted is not None:
                rate_limit, wait = counted
                if wait is not None:
                    response = throttled(wait)
        if rate_limit is not None:
            for name, value in rate_limit.headers().items():
                response.headers.setdefault(name, value)
        return response


def throttled(wait: int) -> JsonResponse:
    message = str(exceptions.Throttled(wait).detail)  # DRF's own wording
    response = JsonResponse(error_body(429, "throttled", message), status=429)
    response["Retry-After"] = str(wait)
    return response
