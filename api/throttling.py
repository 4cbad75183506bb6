"""Rates live in settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]: "anon" for requests
without a key (per client address, from sitecache.client_address, the same as the admin
sign-in lockout), "partner" for requests with one (per key).

DRF's throttles copy the rates when the module is imported; these read them on every
request, so a settings override (tests, a reload) takes effect at once.

settings.API_THROTTLE_DISABLED (env API_THROTTLE_DISABLED=1; off by default) switches
both throttles off, for loopback load tests such as `make bench` and `make loadtest`.

The throttle that counted a request leaves its state on it (`RateLimit`), and
api.middleware.RateLimitHeadersMiddleware sends it as the IETF draft's RateLimit-Limit,
RateLimit-Remaining and RateLimit-Reset headers, on 429s too (beside Retry-After).
Answers no view throttle counted (an unknown URL's 404, a refused key's 401) are counted
by `count_unthrottled` against the anonymous allowance, so they carry the headers too
and a client guessing keys or URLs runs into the same limit."""

import math
from dataclasses import dataclass

from django.conf import settings
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from api.models import ApiKey
from sitecache.client_address import client_address


@dataclass(frozen=True)
class RateLimit:
    """The caller's allowance after this request: requests per window, how many are left,
    and seconds until the oldest counted request leaves the window (a sliding window: one
    more request is then allowed)."""

    limit: int
    remaining: int
    reset: int

    def headers(self) -> dict[str, str]:
        return {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset),
        }


class CurrentSettingsRateMixin:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def allow_request(self, request, view):
        if settings.API_THROTTLE_DISABLED:
            return True
        allowed = super().allow_request(request, view)
        if getattr(self, "key", None) is not None:
            # This throttle counted the request (the other one has no key for it).
            request._request.rate_limit = self.rate_limit()
        return allowed

    def rate_limit(self) -> RateLimit:
        # SimpleRateThrottle.allow_request leaves the window's request times, newest first.
        if self.history:
            reset = max(0, math.ceil(self.duration - (self.now - self.history[-1])))
        else:
            reset = math.ceil(self.duration)
        return RateLimit(
            limit=self.num_requests,
            remaining=max(0, self.num_requests - len(self.history)),
            reset=reset,
        )


class AnonymousRateThrottle(CurrentSettingsRateMixin, AnonRateThrottle):
    scope = "anon"

    def get_ident(self, request):
        # DRF's own reads X-Forwarded-For whole when NUM_PROXIES is unset, so a new
        # made-up header per request was a new allowance.
        return client_address(request)


class PartnerRateThrottle(CurrentSettingsRateMixin, SimpleRateThrottle):
    scope = "partner"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiKey):
            return None  # requests without a key are AnonymousRateThrottle's business
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


def count_unthrottled(request) -> tuple[RateLimit, int | None] | None:
    """Count a request no view throttle counted against its client address's anonymous
    allowance: its RateLimit, and the seconds to wait when the allowance was already
    used up (None while within it). None when throttling is off."""
    if settings.API_THROTTLE_DISABLED:
        return None
    throttle = AnonymousRateThrottle()
    # A bare DRF Request: no authenticators, so an anonymous user, counted per address.
    allowed = throttle.allow_request(Request(request), None)
    return throttle.rate_limit(), None if allowed else math.ceil(throttle.wait() or 1)
