"""Rates live in settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]: "anon" for requests
without a key (per client address, from sitecache.client_address, the same as the admin
sign-in lockout), "partner" for requests with one (per key).

DRF's throttles copy the rates when the module is imported; these read them on every
request, so a settings override (tests, a reload) takes effect at once.

settings.API_THROTTLE_DISABLED (env API_THROTTLE_DISABLED=1; off by default) switches
both throttles off, for loopback load tests such as `make bench` and `make loadtest`."""

from django.conf import settings
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from api.models import ApiKey
from sitecache.client_address import client_address


class CurrentSettingsRateMixin:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def allow_request(self, request, view):
        if settings.API_THROTTLE_DISABLED:
            return True
        return super().allow_request(request, view)


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
