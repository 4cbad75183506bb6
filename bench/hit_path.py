"""What a page-cache hit costs, piece by piece, in process (docs/benchmarks.md, "A cache
hit on PostgreSQL + Redis").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/llm_bench \\
    REDIS_URL=redis://127.0.0.1:6379/11 python -m bench.hit_path

against a database that holds a catalog (e.g. `manage.py build_synthetic_catalog`).
The pieces are timed in turn, round after round, so a loaded machine slows them alike;
medians in microseconds. Read-only, apart from one key it writes to the cache.
"""

from __future__ import annotations

import os
import pickle
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

import django  # noqa: E402 (the settings module is chosen above)

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402

from catalog.models import LanguageModel  # noqa: E402
from sitecache.middleware import page_cache_key, read_page  # noqa: E402
from sitecache.versioning import current_version, version_columns_sql  # noqa: E402


def bench(pieces: dict, n: int = 2000, rounds: int = 5) -> None:
    samples: dict[str, list[float]] = {label: [] for label in pieces}
    for _ in range(rounds):
        for label, piece in pieces.items():
            piece()
            for _ in range(n // rounds):
                began = time.perf_counter()
                piece()
                samples[label].append((time.perf_counter() - began) * 1e6)
    for label, values in samples.items():
        print(f"{label:58s} {statistics.median(values):8.1f} us")


def main() -> None:
    slugs = sorted(LanguageModel.objects.values_list("slug", flat=True))
    url = f"/compare/{slugs[0]}-vs-{slugs[-1]}/"
    client = Client()
    client.get(url)
    response = client.get(url)
    payload = (response.content, response["Content-Type"])
    cache.set("bench:hit-path", payload, 300)
    print(
        f"{connection.vendor}, cache {cache.__class__.__name__}; page {len(payload[0]):,} bytes, "
        f"{response.get('X-Page-Cache')}"
    )
    pickled = pickle.dumps(payload)
    key = page_cache_key(RequestFactory().get(url))
    pieces = {
        "whole hit (django.test.Client, middleware and all)": lambda: client.get(url),
        "whole hit, Accept-Encoding: gzip, deflate, br, zstd": lambda: client.get(
            url, HTTP_ACCEPT_ENCODING="gzip, deflate, br, zstd"
        ),
        "read_page (the entry, and the shared version copy if any)": lambda: read_page(key),
        "version read (sitecache.versioning.current_version)": current_version,
        "health check (connection.is_usable, SELECT 1)": connection.is_usable,
        "cache.get of the page": lambda: cache.get("bench:hit-path"),
        "pickle.loads of the page": lambda: pickle.loads(pickled),
    }
    if connection.vendor == "postgresql":
        import psycopg  # noqa: PLC0415 (PostgreSQL only)

        raw = connection.connection
        sql = version_columns_sql()

        def client_bound():
            with raw.cursor() as cursor:  # Django's own cursor class: client-side binding
                cursor.execute(sql, [1])
                cursor.fetchone()

        def prepared():
            with psycopg.Cursor(raw) as cursor:  # server-side binding, prepared
                cursor.execute(sql, [1], prepare=True)
                cursor.fetchone()

        pieces["version SQL, Django's psycopg cursor (client binding)"] = client_bound
        pieces["version SQL, psycopg server binding, prepared"] = prepared
    if hasattr(cache, "_cache") and hasattr(cache._cache, "get_client"):
        redis_client = cache._cache.get_client()
        key = cache.make_and_validate_key("bench:hit-path")
        pieces["Redis GET of the stored page, raw bytes"] = lambda: redis_client.get(key)
        pieces["Redis PING"] = redis_client.ping
        pool = cache._cache._get_connection_pool(False)
        pieces["building a redis.Redis around the pool"] = lambda: cache._cache._client(
            connection_pool=pool
        )
    bench(pieces)


if __name__ == "__main__":
    main()
