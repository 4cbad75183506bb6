"""Partner API keys. The key itself is shown once, when it is created; only its SHA-256
digest is stored. A key is 256 random bits, so a fast digest is enough (there is nothing
to brute-force), and the public prefix finds the row without scanning."""

from __future__ import annotations

import hashlib
import secrets

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

PREFIX_BYTES = 4  # 8 hex characters, public, shown in the admin list
SECRET_BYTES = 32


def hash_key(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


def split_key(raw_key: str) -> tuple[str, str] | None:
    """ "ab12cd34.secret" -> ("ab12cd34", "secret"), or None when malformed."""
    prefix, sep, secret = raw_key.strip().partition(".")
    if not sep or len(prefix) != PREFIX_BYTES * 2 or not secret:
        return None
    return prefix, secret


class ApiKeyQuerySet(models.QuerySet):
    def active(self) -> ApiKeyQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiKey(models.Model):
    name = models.CharField(max_length=120, help_text="What the key is for, e.g. nightly sync.")
    partner = models.CharField(max_length=120, help_text="The organisation holding the key.")
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    hashed_key = models.CharField(max_length=64, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Who issued or revoked a key, and when; use is tracked by last_used_at alone.
    history = HistoricalRecords(excluded_fields=["last_used_at"])

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["partner", "name"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.partner}: {self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def matches(self, raw_key: str) -> bool:
        return secrets.compare_digest(self.hashed_key, hash_key(raw_key))

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
