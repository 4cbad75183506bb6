"""`make loadtest`: a bounded load test, loopback only, against the production server.

A synthetic catalog (500 models / 20 providers / 5,000 offerings) served by gunicorn with
production settings and whitenoise on 127.0.0.1, driven by wrk (or a Python client when
wrk is absent) with 200 concurrent connections for 60 s over a mix of URLs: comparison
pages across many pairs, model pages, /models/, /api/v1/models/ and the site's CSS.

Prints requests/s, latency percentiles, the count of non-2xx/3xx responses and of socket
errors; exits non-zero on any error.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import (  # noqa: E402
    BASE,
    HOST,
    OUT,
    PORT,
    PYTHON,
    ROOT,
    fetch,
    fresh_database,
    load_python,
    load_wrk,
    manage,
    wait_for_server,
)


def url_mix(slugs: list[str], css: str, *, pairs: int = 5000, seed: int = 1) -> list[str]:
    """Comparison pages over many pairs, model pages, the list pages, the API and CSS,
    interleaved so every stretch of the run sees every kind."""
    rng = random.Random(seed)
    mix: list[str] = []
    for _ in range(pairs):
        a, b = sorted(rng.sample(slugs, 2))
        mix.append(f"/compare/{a}-vs-{b}/")
        mix.append(f"/models/{rng.choice(slugs)}/")
        if len(mix) % 10 == 0:
            mix += ["/models/", "/api/v1/models/", css]
    return mix


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--models", type=int, default=500)
    parser.add_argument("--python-client", action="store_true", help="do not use wrk")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)

    print(f"== synthetic catalog: {args.models} models", flush=True)
    env = fresh_database("loadtest")
    manage(
        "build_synthetic_catalog",
        f"--models={args.models}",
        "--providers=20",
        f"--offerings={args.models * 10}",
        env=env,
    )
    slugs = manage(
        "shell",
        "-v0",
        "-c",
        "from catalog.models import LanguageModel;"
        "print('\\n'.join(LanguageModel.objects.values_list('slug', flat=True)))",
        env=env,
        capture=True,
    ).split()
    slugs = [slug for slug in slugs if re.fullmatch(r"[a-z0-9-]+", slug)]
    manage("collectstatic", "--noinput", "-v0", env=env)

    print(f"== gunicorn, {args.workers} workers, production settings, {BASE}", flush=True)
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            f"--bind={HOST}:{PORT}",
            f"--workers={args.workers}",
            "--backlog=2048",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        wait_for_server()
        home = fetch("/").decode()
        match = re.search(r'href="(/static/[^"]+\.css)"', home)
        if not match:
            print("no stylesheet link on the home page", file=sys.stderr)
            return 2
        paths = url_mix(slugs, match.group(1))
        use_wrk = shutil.which("wrk") and not args.python_client
        client = "wrk" if use_wrk else "python client"
        print(
            f"== {client}: {args.connections} connections for {args.seconds} s over "
            f"{len(paths)} URLs",
            flush=True,
        )
        runner = load_wrk if use_wrk else load_python
        result = runner(
            paths, seconds=args.seconds, connections=args.connections, threads=os.cpu_count() or 2
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)

    errors = result["errors"]
    report = "\n".join(
        [
            f"Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; machine: "
            f"{os.cpu_count()} CPUs (nproc), loopback only; {client}; gunicorn "
            f"{args.workers} sync workers; database "
            f"{'BENCH_DATABASE_URL' if os.environ.get('BENCH_DATABASE_URL') else 'SQLite'}.",
            f"Catalog: {args.models} models, 20 providers, {args.models * 10} offerings. "
            f"{args.connections} concurrent connections for {args.seconds} s over a mix of "
            f"{len(paths)} URLs (comparison pages across 5,000 pairs, model pages, /models/, "
            "/api/v1/models/, the site CSS).",
            "",
            "| requests | req/s | p50 ms | p90 ms | p99 ms | max ms "
            "| non-2xx/3xx | socket errors | timeouts |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
            f"| {result['requests']} | {result['rps']:.0f} | {result['p50']:.1f} "
            f"| {result['p90']:.1f} | {result['p99']:.1f} | {result['max']:.1f} "
            f"| {result['non_2xx_3xx']} | {result['socket_errors']} | {result['timeouts']} |",
        ]
    )
    print()
    print(report)
    (OUT / "loadtest.md").write_text(report + "\n")
    if errors:
        print(f"FAILED: {errors} errors", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
