"""The client's IP address, worked out in one place for everything that counts per
client (API throttles, admin sign-in lockout).

X-Forwarded-For is written by whoever sends the request, so it is trusted only as far as
our own proxies wrote it: each of the `NUM_PROXIES` proxies in front of the app appends
the address it saw, so the client is the entry `NUM_PROXIES` from the end. Anything left
of it is the client's own claim and ignored. With no proxies configured the header is
ignored altogether and the socket's address (REMOTE_ADDR) counts.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_address(request) -> str:
    """The address to count this request against (an HttpRequest or DRF Request)."""
    remote = request.META.get("REMOTE_ADDR") or "unknown"
    proxies = settings.NUM_PROXIES
    if proxies <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",")]
    if len(hops) < proxies:
        # Not through every proxy we have: only the socket's address is known to be true.
        return remote
    return ip_address(hops[-proxies]) or remote


def ip_address(text: str) -> str | None:
    """The address alone, normalised, from "203.0.113.7", "203.0.113.7:5100" or
    "[2001:db8::1]:443" (proxies that add the port); None when it is not an address."""
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None
