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
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import BASE, HOST, OUT, PORT, PYTHON, ROOT, fetch, fresh_database, manage, wait_for_server  # noqa: E402, I001

LUA = r"""
local paths = {}
local i = 0
for line in io.lines("%(paths)s") do paths[#paths + 1] = line end
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
local bad = 0
response = function(status, headers, body)
  if status >= 400 then bad = bad + 1 end
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"rps": %%f, "p50": %%f, "p90": %%f, "p99": %%f, "max": %%f, "requests": %%d, '
    .. '"non_2xx_3xx": %%d, "socket_errors": %%d, "timeouts": %%d}\n',
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.requests, e.status, e.connect + e.read + e.write, e.timeout))
end
"""


def load_wrk(paths: list[str], *, seconds: int, connections: int, threads: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path_file = Path(tmp) / "paths.txt"
        path_file.write_text("\n".join(paths) + "\n")
        script = Path(tmp) / "mix.lua"
        script.write_text(LUA % {"paths": path_file})
        output = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
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
    print(output, flush=True)
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    return json.loads(line[len("RESULT ") :])


def load_python(paths: list[str], *, seconds: int, connections: int, threads: int) -> dict:
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

    return {
        "rps": len(latencies) / seconds,
        "p50": pct(0.5),
        "p90": pct(0.9),
        "p99": pct(0.99),
        "max": latencies[-1],
        "requests": len(latencies),
        "non_2xx_3xx": bad,
        "socket_errors": socket_errors,
        "timeouts": 0,
    }


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

    errors = result["non_2xx_3xx"] + result["socket_errors"] + result["timeouts"]
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
