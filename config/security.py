"""Admin sign-in throttling: repeated failures lock a username (per address) for a while.

Counters live in Django's cache, keyed on a hash of the username and the client address,
so nothing is stored about people beyond a number that expires. Use a shared cache
(REDIS_URL) in production so every worker sees the same counts.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError

from sitecache.client_address import client_address

LOCKED_OUT_MESSAGE = (
    "Too many failed sign-in attempts. For your security, sign-in is paused for "
    "%(minutes)s minutes; try again later or ask an administrator to reset your password."
)


def _key(kind: str, *parts: str) -> str:
    digest = hashlib.sha256("\x00".join(parts).encode("utf-8", "replace")).hexdigest()
    return f"login-throttle:{kind}:{digest}"


class LoginThrottle:
    """Failure counts for one username from one address (and for the address alone)."""

    def __init__(self, *, username: str, address: str):
        username = (username or "").strip().lower()
        self.pair_failures = _key("pair-failures", username, address)
        self.pair_lock = _key("pair-lock", username, address)
        self.ip_failures = _key("ip-failures", address)
        self.ip_lock = _key("ip-lock", address)

    def is_locked(self) -> bool:
        return bool(cache.get_many([self.pair_lock, self.ip_lock]))

    def record_failure(self) -> None:
        window = settings.LOGIN_FAILURE_WINDOW_SECONDS
        for counter, lock, limit in (
            (self.pair_failures, self.pair_lock, settings.LOGIN_FAILURES_PER_USER_AND_IP),
            (self.ip_failures, self.ip_lock, settings.LOGIN_FAILURES_PER_IP),
        ):
            cache.add(counter, 0, timeout=window)
            try:
                count = cache.incr(counter)
            except ValueError:  # expired between add and incr
                cache.set(counter, 1, timeout=window)
                count = 1
            if count >= limit:
                cache.set(lock, True, timeout=settings.LOGIN_LOCKOUT_SECONDS)
                cache.delete(counter)

    def reset(self) -> None:
        cache.delete_many([self.pair_failures, self.pair_lock])


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin login form, refusing (without checking the password) while locked."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "locked_out": LOCKED_OUT_MESSAGE,
    }

    def clean(self):
        throttle = LoginThrottle(
            username=self.cleaned_data.get("username") or "",
            address=client_address(self.request) if self.request else "unknown",
        )
        if throttle.is_locked():
            raise ValidationError(
                self.error_messages["locked_out"],
                code="locked_out",
                params={"minutes": max(1, settings.LOGIN_LOCKOUT_SECONDS // 60)},
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            throttle.record_failure()
            raise
        throttle.reset()
        return cleaned
