"""Writes of the api app: issuing and revoking partner keys."""

from __future__ import annotations

import secrets

from api.models import PREFIX_BYTES, SECRET_BYTES, ApiKey, hash_key


def issue_api_key(*, name: str, partner: str, api_key: ApiKey | None = None) -> tuple[ApiKey, str]:
    """Create a key (or fill in an unsaved `api_key`) and return it with the raw key.

    The raw key is returned once and never stored; lose it and issue a new one.
    """
    api_key = api_key or ApiKey()
    api_key.name, api_key.partner = name, partner
    while True:
        prefix = secrets.token_hex(PREFIX_BYTES)
        if not ApiKey.objects.filter(prefix=prefix).exists():
            break
    raw_key = f"{prefix}.{secrets.token_urlsafe(SECRET_BYTES)}"
    api_key.prefix = prefix
    api_key.hashed_key = hash_key(raw_key)
    api_key.save()
    return api_key, raw_key
