"""Partner keys, sent as `Authorization: Api-Key <key>` (or `Bearer <key>`) or
`X-API-Key: <key>`.

No key: an anonymous read (lower throttle). A key that is unknown, malformed or revoked:
401, never a silent fall-back to anonymous, so a partner notices at once.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from rest_framework import authentication, exceptions

from api.models import ApiKey, split_key

KEYWORD = "Api-Key"
# `Authorization: Bearer <key>` is what most HTTP clients send for a token; a key sent that
# way is checked like any other (so a wrong one is a 401, not a silent anonymous read).
KEYWORDS = {KEYWORD.lower(), "bearer"}
# Writing last_used_at on every request would turn reads into writes; once a minute is
# precise enough for "is this key still in use?".
LAST_USED_PRECISION = timedelta(minutes=1)


class Partner:
    """The request.user of a request made with a valid key."""

    is_authenticated = True
    is_anonymous = False
    is_staff = False
    is_superuser = False

    def __init__(self, api_key: ApiKey):
        self.api_key = api_key

    def __str__(self) -> str:
        return self.api_key.partner


def key_from_request(request) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    keyword, _, value = header.partition(" ")
    if keyword.lower() in KEYWORDS and value.strip():
        return value.strip()
    value = request.META.get("HTTP_X_API_KEY", "").strip()
    return value or None


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        raw_key = key_from_request(request)
        if raw_key is None:
            return None
        parts = split_key(raw_key)
        api_key = ApiKey.objects.filter(prefix=parts[0]).first() if parts else None
        if api_key is None or not api_key.matches(raw_key):
            raise exceptions.AuthenticationFailed("Unknown API key.")
        if api_key.is_revoked:
            raise exceptions.AuthenticationFailed("This API key has been revoked.")
        now = timezone.now()
        if api_key.last_used_at is None or now - api_key.last_used_at > LAST_USED_PRECISION:
            ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
            api_key.last_used_at = now
        return Partner(api_key), api_key

    def authenticate_header(self, request):
        # Makes DRF answer 401 (with WWW-Authenticate) rather than 403.
        return KEYWORD
