"""Profile the pages the page cache cannot help: distinct comparison pages, model pages
and API comparisons, rendered in this process with the page cache off.

    DATABASE_URL=sqlite:////tmp/profile.sqlite3 python bench/profile_pages.py \
        --pages comparison --n 200 --mode warm --profiler cprofile

The database must hold a catalog (`manage.py build_synthetic_catalog --models=500
--providers=20 --offerings=5000`, as bench/run.py builds it). Two states:

- warm: the per-process memos (model snapshots, related candidates: sitecache.versioning's
  version_memo and cached_for_catalog_version) already hold every model, as in a worker
  that has served a while; each page is still built, since no page is cached.
- cold: those memos are emptied before each request, as right after a catalog edit.

`--dump DIR` writes each body to DIR (one file per URL, in a fixed order) instead of
timing, so two runs of the code can be compared byte for byte (`diff -r`).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import importlib
import io
import os
import pstats
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Production-like: no DEBUG (no query log, cached template loader), no manifest needed.
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("STATIC_MANIFEST", "0")
os.environ.setdefault("API_THROTTLE_DISABLED", "1")
os.environ.setdefault("LOG_LEVEL", "ERROR")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")

import warnings  # noqa: E402

import django  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402

from catalog.models import LanguageModel  # noqa: E402
from sitecache.versioning import forget_derived  # noqa: E402

settings.PAGE_CACHE_ENABLED = False


def page_urls(kind: str, slugs: list[str], n: int, seed: int) -> list[str]:
    """`n` distinct URLs of one kind, in a fixed order for a given seed."""
    if kind == "model":
        rng = random.Random(seed)
        return [f"/models/{s}/" for s in rng.sample(slugs, min(n, len(slugs)))]
    rng = random.Random(seed)
    pairs: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    while len(pairs) < n:
        pair = tuple(sorted(rng.sample(slugs, 2)))
        if pair not in seen:
            seen.add(pair)
            pairs.append(pair)
    if kind == "options":  # the blend, the calculator and a bad value, on page and API
        queries = [
            "?blend=50/50",
            "?blend=3:1&input_tokens=1000000&output_tokens=5000&cached_percent=20",
            "?input_tokens=20000000&output_tokens=0&prompt_tokens=150000",
            "?blend=0:0&input_tokens=-1",
        ]
        return [
            f"{prefix}{a}-vs-{b}/{queries[i % len(queries)]}"
            for i, (a, b) in enumerate(pairs)
            for prefix in ("/compare/", "/api/v1/comparisons/")
            if prefix == "/compare/" or i % len(queries) < 2
        ]
    prefix = "/compare/" if kind == "comparison" else "/api/v1/comparisons/"
    return [f"{prefix}{a}-vs-{b}/" for a, b in pairs]


# Where a page's time goes, without a profiler's overhead: these functions are wrapped
# with a CPU timer (`--profiler phases`). What they do not cover is the request itself:
# the test client, middleware, URL resolution, the API's negotiation.
PHASES = {
    "comparison": [
        ("comparisons.selectors", "split_pair"),
        ("comparisons.views", "build_pair_snapshot"),
        ("comparisons.views", "read_options"),
        ("comparisons.views", "build_comparison_document"),
        ("comparisons.views", "workload_costs"),
        ("comparisons.views", "price_bar_chart"),
        ("comparisons.views", "comparison_fragments"),
        ("comparisons.selectors", "related_pairs"),
        ("comparisons.views", "faq_json_ld"),
        ("comparisons.views", "render"),
    ],
    "model": [
        ("catalog.selectors", "models_by_slug"),
        ("catalog.views", "read_model_page"),
        ("catalog.selectors", "compare_candidates"),
        ("catalog.views", "render"),
    ],
    "api": [
        ("api.views", "split_pair"),
        ("api.comparison_document", "build_pair_snapshot"),
        ("api.comparison_document", "build_comparison_document"),
        ("api.comparison_document", "related_pairs"),
        ("api.renderers.DocumentJSONRenderer", "render"),
    ],
}


def wrap_phases(kind: str) -> dict[str, float]:
    """Wrap `PHASES[kind]` with CPU timers; returns the totals (ms) they fill."""
    totals: dict[str, float] = {}
    depth = {"n": 0}
    for module_name, attribute in PHASES[kind]:
        module_path, _, owner_name = module_name.rpartition(".")
        if owner_name[:1].isupper():  # a class attribute
            owner = getattr(importlib.import_module(module_path), owner_name)
        else:
            owner = importlib.import_module(module_name)
        original = getattr(owner, attribute)
        label = f"{owner_name}.{attribute}"
        totals[label] = 0.0

        def timed(*args, _original=original, _label=label, **kwargs):
            # Only the outermost timed call counts (_plain calls itself).
            depth["n"] += 1
            start = time.process_time()
            try:
                return _original(*args, **kwargs)
            finally:
                depth["n"] -= 1
                if depth["n"] == 0:
                    totals[_label] += (time.process_time() - start) * 1000

        setattr(owner, attribute, timed)
    return totals


def warm_up(client: Client, slugs: list[str]) -> None:
    """Fill the per-process memos with every model, through pages not measured."""
    for a, b in zip(slugs[::2], slugs[1::2], strict=False):
        client.get(f"/compare/{a}-vs-{b}/")
    client.get(f"/compare/{slugs[0]}-vs-{slugs[-1]}/")


def request(client: Client, url: str, *, cold: bool) -> bytes:
    if cold:
        forget_derived()
    cache.clear()  # the API keeps its answers in the cache: never answer from it
    response = client.get(url)
    if response.status_code != 200 and "?" not in url:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    return f"{response.status_code}\n".encode() + response.content


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", default="comparison,model,api")
    parser.add_argument("--n", type=int, default=200, help="distinct URLs per kind")
    parser.add_argument("--mode", choices=["warm", "cold"], default="warm")
    parser.add_argument(
        "--profiler", choices=["none", "phases", "cprofile", "pyinstrument"], default="none"
    )
    parser.add_argument("--top", type=int, default=40, help="cProfile rows to print")
    parser.add_argument("--sort", default="cumulative", help="cProfile sort: cumulative, tottime")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="timed passes; best is kept")
    parser.add_argument("--dump", type=Path, help="write bodies here instead of timing")
    args = parser.parse_args()

    slugs = sorted(LanguageModel.objects.published().values_list("slug", flat=True))
    client = Client()
    cold = args.mode == "cold"
    if not cold:
        warm_up(client, slugs)
    gc.freeze()  # as config/wsgi.py does once the application is loaded

    for kind in args.pages.split(","):
        urls = page_urls(kind, slugs, args.n, args.seed)
        if args.dump:
            folder = args.dump / kind
            folder.mkdir(parents=True, exist_ok=True)
            for i, url in enumerate(urls):
                (folder / f"{i:04d}.html").write_bytes(
                    url.encode() + b"\n" + request(client, url, cold=cold)
                )
            print(f"{kind}: {len(urls)} bodies in {folder}")
            continue

        request(client, urls[0], cold=cold)  # imports, template compilation
        if args.profiler == "none":
            # CPU time as well as wall time: on a shared machine the wall time also counts
            # waiting for a CPU, the process time only this process's work (SQLite runs
            # in it; a PostgreSQL server's work would not be counted).
            best_wall = best_cpu = float("inf")
            for _ in range(args.repeat):
                wall, cpu = time.perf_counter(), time.process_time()
                for url in urls:
                    request(client, url, cold=cold)
                best_wall = min(best_wall, (time.perf_counter() - wall) * 1000 / len(urls))
                best_cpu = min(best_cpu, (time.process_time() - cpu) * 1000 / len(urls))
            print(
                f"{kind:<10} {args.mode}: {best_cpu:6.2f} ms/page CPU, {best_wall:6.2f} ms wall "
                f"(best of {args.repeat}, {len(urls)} URLs)"
            )
        elif args.profiler == "phases":
            totals = wrap_phases(kind)
            request(client, urls[0], cold=cold)
            for label in totals:
                totals[label] = 0.0
            cpu = time.process_time()
            for url in urls:
                request(client, url, cold=cold)
            total = (time.process_time() - cpu) * 1000 / len(urls)
            print(f"== {kind} ({args.mode}), {len(urls)} URLs: {total:.2f} ms/page CPU")
            for label, spent in totals.items():
                print(f"   {label:<42} {spent / len(urls):6.2f} ms")
            rest = total - sum(totals.values()) / len(urls)
            print(f"   {'the rest (client, middleware, routing)':<42} {rest:6.2f} ms")
        elif args.profiler == "cprofile":
            profile = cProfile.Profile()
            profile.enable()
            for url in urls:
                request(client, url, cold=cold)
            profile.disable()
            out = io.StringIO()
            stats = pstats.Stats(profile, stream=out).strip_dirs()
            stats.sort_stats(args.sort).print_stats(args.top)
            print(f"== {kind} ({args.mode}), {len(urls)} URLs, sorted by {args.sort}")
            print(out.getvalue())
        else:
            from pyinstrument import Profiler  # noqa: PLC0415 (optional, only when asked)

            profiler = Profiler(interval=0.0002)
            profiler.start()
            for url in urls:
                request(client, url, cold=cold)
            profiler.stop()
            print(f"== {kind} ({args.mode}), {len(urls)} URLs")
            print(profiler.output_text(unicode=False, color=False, show_all=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
