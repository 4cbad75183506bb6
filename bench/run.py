"""`make bench`: build a synthetic catalog, serve it with the production stack, measure.

Steps: a fresh database (SQLite under bench-results/, or BENCH_DATABASE_URL) filled with
500 models / 20 providers / 5,000 offerings; SQL query counts per page at 50 and 500
models (in-process, page cache off); gunicorn with production settings and whitenoise on
127.0.0.1; a bounded load from wrk (or a small Python client when wrk is absent) on each
page; one table, written to bench-results/latest.md as well.

Every load is loopback-only and bounded in time.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench-results"
PYTHON = sys.executable
HOST, PORT = "127.0.0.1", int(os.environ.get("BENCH_PORT", "8765"))
BASE = f"http://{HOST}:{PORT}"

PROD_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_COOKIES": "0",
    "STATIC_MANIFEST": "1",
    "LOG_LEVEL": "ERROR",
    # Measure the server, not the throttle.
    "API_THROTTLE_DISABLED": "1",
}


def manage(*args: str, env: dict[str, str], capture: bool = False) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout or ""


def fresh_database(name: str) -> dict[str, str]:
    env = {**os.environ, **PROD_ENV}
    base_url = os.environ.get("BENCH_DATABASE_URL")
    if base_url:
        env["DATABASE_URL"] = base_url
        manage("flush", "--noinput", env=env)
    else:
        path = OUT / f"{name}.sqlite3"
        path.unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{path}"
    manage("migrate", "--noinput", "-v0", env=env)
    return env


QUERY_COUNT_SCRIPT = r"""
import json, django
django.setup()
from django.conf import settings
settings.PAGE_CACHE_ENABLED = False
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from catalog.models import LanguageModel, Provider
slugs = sorted(LanguageModel.objects.values_list("slug", flat=True))
a, b = slugs[0], slugs[-1]
provider = Provider.objects.order_by("slug").first().slug
pages = {
    "comparison page": f"/compare/{a}-vs-{b}/",
    "model page": f"/models/{a}/",
    "provider page": f"/providers/{provider}/",
    "/models/": "/models/",
    "/api/v1/models/": "/api/v1/models/",
    "API comparison": f"/api/v1/comparisons/{a}-vs-{b}/",
    "sitemap index": "/sitemap.xml",
}
client = Client(raise_request_exception=False)
counts = {}
for label, url in pages.items():
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(url).status_code
    counts[label] = {"queries": len(ctx.captured_queries), "status": status}
print(json.dumps({"counts": counts, "pair": [a, b], "slugs": slugs}))
"""


def query_counts(env: dict[str, str]) -> dict:
    result = subprocess.run(
        [PYTHON, "-c", QUERY_COUNT_SCRIPT],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings", "STATIC_MANIFEST": "0"},
        check=True,
        text=True,
        stdout=subprocess.PIPE,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def fetch(path: str) -> bytes:
    try:
        return urllib.request.urlopen(BASE + path, timeout=30).read()
    except urllib.error.HTTPError as error:
        return error.read()


def wait_for_server(timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{BASE}/admin/login/", timeout=2)
            return
        except urllib.error.HTTPError:
            return  # the server answered
        except Exception:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not start")


LUA = r"""
local paths = {}
local i = 0
for line in io.lines("%(paths)s") do paths[#paths + 1] = line end
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"rps": %%f, "p50": %%f, "p90": %%f, "p95": %%f, "p99": %%f, "max": %%f, '
    .. '"requests": %%d, "non_2xx_3xx": %%d, "socket_errors": %%d, "timeouts": %%d}\n',
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(90) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    summary.requests, e.status, e.connect + e.read + e.write, e.timeout))
end
"""


def load_wrk(paths: list[str], *, seconds: int, connections: int, threads: int = 2) -> dict:
    """wrk over `paths` in turn: requests/s, latency percentiles (ms) and error counts."""
    with tempfile.TemporaryDirectory() as tmp:
        path_file = Path(tmp) / "paths.txt"
        path_file.write_text("\n".join(paths) + "\n")
        script = Path(tmp) / "paths.lua"
        script.write_text(LUA % {"paths": path_file})
        output = subprocess.run(
            [
                "wrk",
                f"-t{min(threads, connections)}",
                f"-c{connections}",
                f"-d{seconds}s",
                "--timeout=10s",
                "-s",
                str(script),
                BASE,
            ],
            check=True,
            text=True,
            stdout=subprocess.PIPE,
        ).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    return _with_error_total(json.loads(line[len("RESULT ") :]))


def load_python(paths: list[str], *, seconds: int, connections: int, threads: int = 2) -> dict:
    """The same figures as load_wrk from a thread per connection, when wrk is absent."""
    latencies: list[float] = []
    bad = socket_errors = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    counter = iter(range(10**9))

    def worker():
        nonlocal bad, socket_errors
        while time.monotonic() < stop:
            path = paths[next(counter) % len(paths)]
            start = time.perf_counter()
            status_error = socket_error = False
            try:
                with urllib.request.urlopen(BASE + path, timeout=10) as response:
                    response.read()
            except urllib.error.HTTPError:
                status_error = True
            except Exception:
                socket_error = True
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                latencies.append(elapsed)
                bad += status_error
                socket_errors += socket_error

    pool = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[max(0, int(len(latencies) * p) - 1)]

    return _with_error_total(
        {
            "rps": len(latencies) / seconds,
            "p50": pct(0.5),
            "p90": pct(0.9),
            "p95": pct(0.95),
            "p99": pct(0.99),
            "max": latencies[-1],
            "requests": len(latencies),
            "non_2xx_3xx": bad,
            "socket_errors": socket_errors,
            "timeouts": 0,
        }
    )


def _with_error_total(result: dict) -> dict:
    result["errors"] = result["non_2xx_3xx"] + result["socket_errors"] + result["timeouts"]
    return result


def server_time(paths: list[str], *, seconds: int) -> dict:
    """One client, one request at a time: the server's own time per request, read from
    the Server-Timing header (config.middleware.ServerTimingMiddleware), so neither the
    network nor the load generator is counted."""
    server, client = [], []
    stop = time.monotonic() + seconds
    for i in range(10**9):
        if time.monotonic() >= stop:
            break
        start = time.perf_counter()
        with urllib.request.urlopen(BASE + paths[i % len(paths)], timeout=30) as response:
            response.read()
            timing = response.headers.get("Server-Timing", "")
        client.append((time.perf_counter() - start) * 1000)
        server.append(float(timing.partition("dur=")[2] or "nan"))
    server.sort()
    return {
        "requests": len(server),
        "p50": statistics.median(server),
        "p95": server[int(len(server) * 0.95) - 1],
        "client_p50": statistics.median(client),
    }


BUMP = "from sitecache.versioning import bump_catalog_version; bump_catalog_version()"


def server_time_after_edit(path: str, *, env: dict[str, str], samples: int = 12) -> dict:
    """The server time of `path` right after a catalog edit (the version bumped from
    another process, as an admin save would): nothing built for the old version helps."""
    server = []
    for _ in range(samples):
        manage("shell", "-c", BUMP, env=env)
        with urllib.request.urlopen(BASE + path, timeout=30) as response:
            response.read()
            server.append(float(response.headers["Server-Timing"].partition("dur=")[2]))
    server.sort()
    return {
        "requests": samples,
        "p50": statistics.median(server),
        "p95": server[-1],
        "client_p50": None,
    }


def load(paths: list[str], *, seconds: int, connections: int) -> dict:
    if shutil.which("wrk"):
        return load_wrk(paths, seconds=seconds, connections=connections)
    return load_python(paths, seconds=seconds, connections=connections)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=8, help="per scenario")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)

    print("== query counts at 50 and 500 models", flush=True)
    counts = {}
    for size, offerings in ((50, 500), (500, 5000)):
        env = fresh_database(f"bench-{size}")
        manage(
            "build_synthetic_catalog",
            f"--models={size}",
            "--providers=20",
            f"--offerings={offerings}",
            env=env,
        )
        counts[size] = query_counts(env)
    slugs = counts[500]["slugs"]
    pair = counts[500]["pair"]

    print("== collectstatic and gunicorn (production settings)", flush=True)
    manage("collectstatic", "--noinput", "-v0", env=env)
    rng = random.Random(1)
    pairs = []
    while len(pairs) < 20000:
        a, b = sorted(rng.sample(slugs, 2))
        pairs.append(f"/compare/{a}-vs-{b}/")
    comparison = f"/compare/{pair[0]}-vs-{pair[1]}/"
    env_server = dict(env)
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            f"--bind={HOST}:{PORT}",
            f"--workers={args.workers}",
            "--access-logfile=-" if os.environ.get("BENCH_ACCESS_LOG") else "--log-level=warning",
        ],
        cwd=ROOT,
        env=env_server,
        start_new_session=True,
    )
    try:
        wait_for_server()
        page = fetch(comparison)
        static_dir = ROOT / "staticfiles" / "bench"
        static_dir.mkdir(parents=True, exist_ok=True)
        (static_dir / "same-size.html").write_bytes(page)
        # whitenoise indexes static files at start-up: restart so it sees the new file.
        os.killpg(server.pid, signal.SIGHUP)
        time.sleep(3)
        wait_for_server()
        api_pairs = [p.replace("/compare/", "/api/v1/comparisons/") for p in pairs]
        scenarios = [
            ("static file, same size (upper bound)", ["/static/bench/same-size.html"]),
            ("comparison page, cached", [comparison]),
            ("comparison page, uncached", pairs),
            ("model page", [f"/models/{s}/" for s in slugs]),
            ("/models/", ["/models/"]),
            ("/api/v1/models/, cached", ["/api/v1/models/"]),
            ("API comparison, uncached", api_pairs),
        ]
        for _, paths in scenarios:  # warm each worker's cache for the cached scenarios
            for path in paths[:1] * args.workers * 2:
                fetch(path)
        results = {}
        for label, paths in scenarios:
            print(f"   {label} ...", flush=True)
            results[label] = load(paths, seconds=args.seconds, connections=args.connections)
        print("   server time, one client ...", flush=True)
        # A query string the API ignores makes each request miss the API cache: the
        # full page is built every time.
        api_uncached = [f"/api/v1/models/?bench={i}" for i in range(100_000)]
        timed = {
            "comparison page, uncached": server_time(pairs[::-1], seconds=args.seconds),
            "comparison page, cached": server_time([comparison], seconds=args.seconds),
            "/api/v1/models/ full page, new URL (answer not cached)": server_time(
                api_uncached, seconds=args.seconds
            ),
            "/api/v1/models/ full page, cached": server_time(
                ["/api/v1/models/"], seconds=args.seconds
            ),
        }
        # Last: each sample edits the catalog, which empties every cache above.
        timed["/api/v1/models/ full page, right after an edit (max for p95)"] = (
            server_time_after_edit("/api/v1/models/", env=env_server)
        )
        timed["comparison page, right after an edit (max for p95)"] = server_time_after_edit(
            comparison, env=env_server
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)

    static_rps = results["static file, same size (upper bound)"]["rps"]
    lines = [
        f"Catalog: 500 models, 20 providers, 5,000 offerings (15,000 prices); "
        f"gunicorn {args.workers} sync workers; {args.connections} connections, "
        f"{args.seconds} s per row; {'wrk' if shutil.which('wrk') else 'python client'}; "
        f"{os.cpu_count()} CPUs; database {os.environ.get('BENCH_DATABASE_URL', 'SQLite')}.",
        "",
        "| scenario | req/s | median ms | p95 ms | errors | vs static |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, r in results.items():
        lines.append(
            f"| {label} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} | {r['errors']} "
            f"| {r['rps'] / static_rps:.2f} |"
        )
    lines += [
        "",
        "Server time, one client at a time (the Server-Timing header: Django's own time, "
        "without network or load generator):",
        "",
        "| page | requests | server median ms | server p95 ms | client median ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, r in timed.items():
        client = "-" if r["client_p50"] is None else f"{r['client_p50']:.1f}"
        lines.append(f"| {label} | {r['requests']} | {r['p50']:.1f} | {r['p95']:.1f} | {client} |")
    lines += ["", "SQL queries per page (page cache off):", ""]
    lines += ["| page | 50 models | 500 models |", "|---|---:|---:|"]
    for label in counts[50]["counts"]:
        c50, c500 = counts[50]["counts"][label], counts[500]["counts"][label]
        lines.append(
            f"| {label} | {c50['queries']} (HTTP {c50['status']}) "
            f"| {c500['queries']} (HTTP {c500['status']}) |"
        )
    report = "\n".join(lines)
    print()
    print(report)
    (OUT / "latest.md").write_text(report + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
