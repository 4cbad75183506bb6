"""System checks: counters that must be shared really are.

The sign-in lockout and the API throttles count in the default cache. A cache in each
process's memory gives every gunicorn worker (and host) counts of its own: with three
workers the lockout lets three times the failures through and the API limits triple.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "sitecache.backends.LocalMemoryCache",
    "django.core.cache.backends.dummy.DummyCache",
}
HINT = (
    "Set REDIS_URL (e.g. redis://127.0.0.1:6379/0) so every worker and host shares the "
    "cache: sign-in lockout and API throttle counters, pages, API answers."
)


def counters_are_shared() -> bool:
    return settings.CACHES["default"]["BACKEND"] not in PROCESS_LOCAL_CACHES


@register(Tags.caches)
def check_counters_shared_by_workers(app_configs, **kwargs):
    workers = settings.WEB_CONCURRENCY
    if workers <= 1 or counters_are_shared():
        return []
    return [
        Warning(
            f"WEB_CONCURRENCY={workers} workers with a cache in each process's memory: each "
            f"worker counts sign-in failures and API requests on its own, so the lockout "
            f"and the API limits are {workers} times as lenient.",
            hint=HINT,
            id="sitecache.W001",
        )
    ]


@register(Tags.caches, Tags.security, deploy=True)
def check_counters_shared_in_production(app_configs, **kwargs):
    if counters_are_shared():
        return []
    return [
        Error(
            "The cache is in each process's memory: with several workers or hosts, sign-in "
            "lockout and API throttle counters are not shared, so their limits multiply.",
            hint=HINT + " Only a single worker on a single host may silence sitecache.E001.",
            id="sitecache.E001",
        )
    ]
