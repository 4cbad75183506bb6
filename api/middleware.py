"""Headers every API answer carries whatever produced it (a view, a 304, a 429)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


class RateLimitHeadersMiddleware:
    """RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset (IETF draft
    "RateLimit header fields for HTTP") from the throttle that counted the request
    (api.throttling); requests no throttle counted (throttling off, or refused before
    it, such as a 401) carry none."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        rate_limit = getattr(request, "rate_limit", None)
        if rate_limit is not None:
            for name, value in rate_limit.headers().items():
                response.headers.setdefault(name, value)
        return response
