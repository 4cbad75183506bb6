"""`make bench`: the speed table of issue #16 on both stacks, side by side, with targets.

For each stack (SQLite with the local-memory cache; PostgreSQL with Redis as the cache)
and each catalog (the 500-model synthetic one, the shipped seed, a 1,500-model synthetic
one): a fresh database, gunicorn with the production settings and whitenoise on
127.0.0.1, wrk (or a small Python client when wrk is absent). Every figure is a ratio to
a static file of the comparison page's size served by the same server in the same run,
so the machine's speed and load cancel out. Exits 1 when a target is missed
(bench/report.py holds the rows and targets), 2 when the harness itself fails.

    python -m bench.run                        # the full run the docs quote (20+ min)
    BENCH_QUICK=1 python -m bench.run          # or --quick: 3 s rows, 500 models, ~7 min
    python -m bench.run --stacks pg --sizes 500,seed --duration 5

PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/llm_bench), a
database dropped and created for each catalog and dropped at the end. Redis:
BENCH_REDIS_URL (default redis://127.0.0.1:6379/11), a database number of its own that
the run empties (never 0, the shared one). When either is not answering it is started
the way .ci/run starts it, and left running as .ci/run leaves it.

Every subprocess and every load is bounded in time; gunicorn, the editor process and the
PostgreSQL database are cleaned up on exit, on Ctrl-C and on SIGTERM.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import select
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
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from bench.report import Cell, exit_code, markdown_table, missed, ratio_table

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench-results"
PYTHON = sys.executable
HOST, PORT = "127.0.0.1", int(os.environ.get("BENCH_PORT", "8765"))
BASE = f"http://{HOST}:{PORT}"
STATIC_DIR = ROOT / "staticfiles" / "bench"
ADMIN_TIMINGS = ROOT / "bench" / "admin_timings.py"
# Catalogs above this many models run the scale rows only (the sitemap index, the API
# list, the admin hook), not the whole table.
FULL_TABLE_MAX_MODELS = 1000

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
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "PYTHONPATH": str(ROOT),
}
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/llm_bench"
REDIS_DEFAULT = "redis://127.0.0.1:6379/11"


class HarnessError(RuntimeError):
    pass


# --- subprocesses, all bounded ------------------------------------------------------


def run(cmd: list[str], *, env=None, timeout: float, capture: bool = False) -> str:
    try:
        result = subprocess.run(
            cmd,
            cwd=ROOT,
            env=env,
            check=True,
            text=True,
            timeout=timeout,
            stdout=subprocess.PIPE if capture else None,
        )
    except subprocess.TimeoutExpired as error:
        raise HarnessError(f"{' '.join(cmd[:4])} took over {timeout:.0f} s") from error
    except subprocess.CalledProcessError as error:
        raise HarnessError(f"{' '.join(cmd[:4])} failed (exit {error.returncode})") from error
    return result.stdout or ""


def manage(*args: str, env: dict[str, str], timeout: float = 600, capture=False) -> str:
    return run([PYTHON, "manage.py", *args], env=env, timeout=timeout, capture=capture)


def stop_process_group(process: subprocess.Popen, timeout: float = 20) -> None:
    """SIGTERM to the group `process` leads (started with start_new_session), SIGKILL if
    it is still there after `timeout`."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def _terminate(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


# --- stacks ---------------------------------------------------------------------------


def pg_admin(url: str):
    import psycopg  # noqa: PLC0415 (only the PostgreSQL stack needs it)

    parts = urlsplit(url)
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
        autocommit=True,
        connect_timeout=10,
    )


def redis_client(url: str):
    import redis  # noqa: PLC0415 (only the PostgreSQL + Redis stack needs it)

    return redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)


def redis_db_number(url: str) -> int:
    path = urlsplit(url).path.strip("/")
    return int(path or "0")


def ensure_postgres(url: str) -> None:
    """Start the local cluster the way .ci/run does when nothing answers."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", str(parts.port or 5432)

    def ready() -> bool:
        return (
            subprocess.run(
                ["pg_isready", "-h", host, "-p", port, "-q"], timeout=10, check=False
            ).returncode
            == 0
        )

    if ready():
        return
    versions = sorted(os.listdir("/etc/postgresql")) if Path("/etc/postgresql").is_dir() else []
    if not versions:
        raise HarnessError(f"PostgreSQL is not answering on {host}:{port} and none to start")
    print(f"== starting PostgreSQL {versions[0]} (left running, as .ci/run does)", flush=True)
    run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", versions[0], "main", "start"],
        timeout=60,
    )
    for _ in range(30):
        if ready():
            return
        time.sleep(1)
    raise HarnessError("PostgreSQL did not start in 30 s")


def ensure_redis(url: str) -> None:
    parts = urlsplit(url)
    client = redis_client(url)
    with contextlib.suppress(Exception):
        if client.ping():
            return
    print("== starting redis-server (left running, as .ci/run does)", flush=True)
    run(
        [
            "redis-server",
            "--daemonize",
            "yes",
            "--bind",
            parts.hostname or "127.0.0.1",
            "--port",
            str(parts.port or 6379),
            "--save",
            "",
            "--maxmemory",
            "256mb",
            "--maxmemory-policy",
            "allkeys-lru",
        ],
        timeout=30,
    )
    for _ in range(30):
        with contextlib.suppress(Exception):
            if client.ping():
                return
        time.sleep(0.5)
    raise HarnessError("redis-server did not start")


@dataclass
class Stack:
    key: str
    label: str
    database_url: str = ""
    redis_url: str = ""

    @property
    def database_name(self) -> str:
        return urlsplit(self.database_url).path.strip("/")

    def prepare(self) -> None:
        if self.key != "pg":
            return
        if redis_db_number(self.redis_url) in (0, 15):
            raise HarnessError(
                f"BENCH_REDIS_URL {self.redis_url}: the run empties its database; use a "
                "number of its own (not 0, the shared one, nor 15, CI's)"
            )
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", self.database_name):
            raise HarnessError(f"BENCH_DATABASE_URL: odd database name {self.database_name!r}")
        ensure_postgres(self.database_url)
        ensure_redis(self.redis_url)

    def fresh(self, catalog: str) -> dict[str, str]:
        env = {**os.environ, **PROD_ENV}
        env.pop("REDIS_URL", None)
        if self.key == "sqlite":
            path = OUT / f"bench-{catalog}.sqlite3"
            path.unlink(missing_ok=True)
            env["DATABASE_URL"] = f"sqlite:///{path}"
        else:
            self.drop()
            with pg_admin(self.database_url) as admin:
                admin.execute(f"CREATE DATABASE {self.database_name}")
            env["DATABASE_URL"] = self.database_url
            env["REDIS_URL"] = self.redis_url
            redis_client(self.redis_url).flushdb()
        return env

    def drop(self) -> None:
        if self.key != "pg":
            return
        with contextlib.suppress(Exception):
            redis_client(self.redis_url).flushdb()
        with pg_admin(self.database_url) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {self.database_name} WITH (FORCE)")


def make_stacks(names: list[str]) -> list[Stack]:
    stacks = []
    for name in names:
        if name == "sqlite":
            stacks.append(Stack("sqlite", "SQLite + locmem"))
        elif name == "pg":
            stacks.append(
                Stack(
                    "pg",
                    "PG + Redis",
                    database_url=os.environ.get("BENCH_DATABASE_URL", PG_DEFAULT),
                    redis_url=os.environ.get("BENCH_REDIS_URL", REDIS_DEFAULT),
                )
            )
        else:
            raise HarnessError(f"unknown stack {name!r} (sqlite, pg)")
    return stacks


# --- catalogs ---------------------------------------------------------------------------


def build_catalog(catalog: str, env: dict[str, str]) -> None:
    manage("migrate", "--noinput", "-v0", env=env, timeout=600)
    if catalog == "seed":
        manage("seed_catalog", env=env, timeout=600)
    else:
        models = int(catalog)
        manage(
            "build_synthetic_catalog",
            f"--models={models}",
            "--providers=20",
            f"--offerings={models * 10}",
            env=env,
            timeout=900,
        )


CATALOG_INFO_SCRIPT = r"""
import json, django
django.setup()
from django.conf import settings
settings.PAGE_CACHE_ENABLED = False
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from catalog.models import LanguageModel, Offering, Provider
slugs = sorted(LanguageModel.objects.published().values_list("slug", flat=True))
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
counts, size, api_size = {}, 0, 0
for label, url in pages.items():
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    counts[label] = {"queries": len(ctx.captured_queries), "status": response.status_code}
    if label == "comparison page":
        size = len(response.content)
    if label == "/api/v1/models/":
        api_size = len(response.content)
print(json.dumps({
    "counts": counts, "slugs": slugs, "page_bytes": size, "api_bytes": api_size,
    "offerings": Offering.objects.count(),
}))
"""


def catalog_info(env: dict[str, str]) -> dict:
    """Published slugs, SQL queries per page (page cache off), the comparison page's size."""
    output = run(
        [PYTHON, "-c", CATALOG_INFO_SCRIPT],
        env={**env, "STATIC_MANIFEST": "0"},
        timeout=300,
        capture=True,
    )
    return json.loads(output.strip().splitlines()[-1])


# --- the server and its clients -----------------------------------------------------------


def fetch(path: str, timeout: float = 60) -> bytes:
    try:
        with urllib.request.urlopen(BASE + path, timeout=timeout) as response:
            return response.read()
    except urllib.error.HTTPError as error:
        return error.read()


def wait_for_server(process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise HarnessError(f"gunicorn exited ({process.returncode})")
        try:
            urllib.request.urlopen(f"{BASE}/admin/login/", timeout=2)
            return
        except urllib.error.HTTPError:
            return  # the server answered
        except Exception:
            time.sleep(0.3)
    raise HarnessError(f"gunicorn did not answer within {timeout:.0f} s")


def start_gunicorn(
    env: dict[str, str], workers: int, warm_paths: list[str] = (), warm_timeout: float = 600
) -> subprocess.Popen:
    """gunicorn with `workers` workers, each of which has requested `warm_paths` in
    process (bench/gunicorn_warm.py) before this returns: every worker warm, which
    requests over HTTP cannot promise (the kernel picks the worker)."""
    with tempfile.TemporaryDirectory() as tmp:
        paths_file, done = Path(tmp) / "warm-paths.txt", Path(tmp) / "done"
        done.mkdir()
        paths_file.write_text("\n".join(warm_paths) + "\n")
        warm_env = {**env, "BENCH_WARM_PATHS": str(paths_file), "BENCH_WARM_DONE": str(done)}
        process = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--config=python:bench.gunicorn_warm",
                f"--bind={HOST}:{PORT}",
                f"--workers={workers}",
                "--timeout=60",
                "--access-logfile=-"
                if os.environ.get("BENCH_ACCESS_LOG")
                else "--log-level=warning",
            ],
            cwd=ROOT,
            env=warm_env if warm_paths else env,
            start_new_session=True,
        )
        try:
            if warm_paths:
                wait_for_warm_workers(process, done, workers, timeout=warm_timeout)
            wait_for_server(process)
        except BaseException:
            stop_process_group(process)
            raise
    return process


def wait_for_warm_workers(
    process: subprocess.Popen, done: Path, workers: int, *, timeout: float
) -> None:
    """Until each of the `workers` has written what its warm-up requests answered; a
    warm-up request that failed fails the run (a fast error page is no warm page)."""
    deadline = time.monotonic() + timeout
    while len(list(done.iterdir())) < workers:
        if process.poll() is not None:
            raise HarnessError(f"gunicorn exited while warming up ({process.returncode})")
        if time.monotonic() > deadline:
            raise HarnessError(f"gunicorn's workers did not warm up in {timeout:.0f} s")
        time.sleep(0.2)
    time.sleep(0.2)  # a file seen may still be being written
    for answers in done.iterdir():
        failed = [line for line in answers.read_text().splitlines() if not line.startswith("200 ")]
        if failed:
            raise HarnessError(f"warm-up request failed in a worker: {failed[0]}")


EDITOR_SCRIPT = r"""
import sys, django
django.setup()
from catalog.models import LanguageModel
print("ready", flush=True)
for line in sys.stdin:
    model = LanguageModel.objects.get(slug=line.strip())
    model.context_window = (model.context_window or 0) + 1
    model.save()
    print("edited", flush=True)
"""


class Editor:
    """A Django process beside the server that makes real edits (a model's context window
    saved through the ORM, as an admin save would), one per line, so "right after an
    edit" costs the edit and not a `manage.py` start-up."""

    def __init__(self, env: dict[str, str]):
        self.process = subprocess.Popen(
            [PYTHON, "-c", EDITOR_SCRIPT],
            cwd=ROOT,
            env={**env, "STATIC_MANIFEST": "0"},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self._expect("ready", timeout=60)

    def _expect(self, word: str, timeout: float) -> None:
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        line = self.process.stdout.readline() if ready else ""
        if line.strip() != word:
            raise HarnessError(f"editor process: expected {word!r}, got {line!r}")

    def edit(self, slug: str) -> None:
        self.process.stdin.write(slug + "\n")
        self.process.stdin.flush()
        self._expect("edited", timeout=30)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.process.stdin.close()
        stop_process_group(self.process, timeout=5)


# wrk: "cycle" requests the paths in turn for the whole duration; "once" requests each
# path once (the paths shared out between the threads). In "once" each thread counts its
# answers and prints "DONE n" when 90% of its paths are answered (the last ones can wait
# seconds in the client: load_wrk says why), and the harness ends wrk with SIGINT and
# times the row itself. Only "once" defines `response`: it costs wrk a Lua call per answer.
LUA = r"""
local paths = {}
for line in io.lines("%(paths)s") do paths[#paths + 1] = line end
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end
function init(args)
  local threads, mode, connections = tonumber(args[1]), args[2], tonumber(args[3])
  once = mode == "once"
  mine = {}
  for i = id + 1, #paths, threads do mine[#mine + 1] = paths[i] end
  if #mine == 0 then mine[1] = paths[1] end
  target = math.max(1, math.min(#mine - math.ceil(connections / threads), math.floor(#mine * 0.9)))
  i = 0
  answered = 0
end
request = function()
  i = i + 1
  if once and i > #mine then
    wrk.thread:stop()
    return wrk.format("GET", mine[#mine])
  end
  return wrk.format("GET", mine[(i - 1) %% #mine + 1])
end
%(response)s
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"rps": %%f, "p50": %%f, "p95": %%f, "max": %%f, "seconds": %%f, '
    .. '"requests": %%d, "non_2xx_3xx": %%d, "socket_errors": %%d, "timeouts": %%d}\n',
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency.max / 1000, summary.duration / 1e6,
    summary.requests, e.status, e.connect + e.read + e.write, e.timeout))
end
"""
ONCE_LUA = r"""
response = function(status, headers, body)
  answered = answered + 1
  if answered == target then
    io.write(string.format("DONE %d\n", answered))
    io.stdout:flush()
  end
end
"""


def load_wrk(paths: list[str], *, seconds: float, connections: int, once: bool, headers=()) -> dict:
    """wrk over `paths`: requests/s, latency (ms), error counts. Bounded: wrk's own
    duration, and a hard limit beyond it.

    A "once" row that runs out of paths is timed here: the answers in when DONE was
    printed (90% of the paths), over the time from wrk's start to then. wrk's own
    figures for such a row were wrong (the 500 model pages, 92 to 110 req/s and p95s of
    0.9 to 1.4 s in `make bench` for a row the server answers at 140 to 180):
    - the harness saw DONE only when wrk exited: a buffered readline had taken it off
      the pipe with the line before, and select() then waited on an empty pipe. So the
      SIGINT came at the end of `-d`, and wrk's time was `-d` or wherever its main
      thread happened to wake;
    - in some runs its last few requests went out only after a wait of 2 s or more,
      with gunicorn's workers idle all the while (their log: no request over 160 ms).
      The wait is in the client or the kernel, not traced further; timing 90% of the
      paths leaves it out.
    One thread per "once" row: a few hundred requests a second are nothing for it."""
    threads = 1 if once else min(2, connections)
    with tempfile.TemporaryDirectory() as tmp:
        path_file = Path(tmp) / "paths.txt"
        path_file.write_text("\n".join(paths) + "\n")
        script = Path(tmp) / "paths.lua"
        script.write_text(LUA % {"paths": path_file, "response": ONCE_LUA if once else ""})
        started, finished = time.monotonic(), None
        process = subprocess.Popen(
            [
                "wrk",
                f"-t{threads}",
                f"-c{connections}",
                f"-d{max(1, round(seconds))}s",
                "--timeout=10s",
                *(f"--header={header}" for header in headers),
                "-s",
                str(script),
                BASE,
                "--",
                str(threads),
                "once" if once else "cycle",
                str(connections),
            ],
            stdout=subprocess.PIPE,
            start_new_session=True,
        )
        deadline = time.monotonic() + seconds + 30
        done = answered = 0
        lines, pending = [], b""
        try:
            # Read the pipe itself: a buffered reader's readline can hold a line (DONE)
            # that select() then no longer sees, until wrk exits.
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise HarnessError("wrk did not finish in time")
                ready, _, _ = select.select([process.stdout], [], [], remaining)
                if not ready:
                    continue
                chunk = os.read(process.stdout.fileno(), 65536)
                if not chunk:
                    break
                *complete, pending = (pending + chunk).split(b"\n")
                for line in (raw.decode() for raw in complete):
                    lines.append(line)
                    if line.startswith("DONE "):
                        done += 1
                        answered += int(line.split()[1])
                        if done == threads:
                            finished = time.monotonic()
                            process.send_signal(signal.SIGINT)
            process.wait(timeout=10)
        finally:
            stop_process_group(process, timeout=5)
    result = next((x for x in lines if x.startswith("RESULT ")), None)
    if result is None:
        raise HarnessError("wrk printed no result:\n" + "\n".join(lines[-10:]))
    figures = json.loads(result[len("RESULT ") :])
    if finished is not None:  # ran out of paths: timed here (see above)
        figures["seconds"] = finished - started
        figures["requests"] = answered
        figures["rps"] = answered / figures["seconds"]
    return _with_error_total(figures)


def load_python(
    paths: list[str], *, seconds: float, connections: int, once: bool, headers=()
) -> dict:
    """The same figures as load_wrk from a thread per connection, when wrk is absent."""
    latencies: list[float] = []
    bad = socket_errors = 0
    lock = threading.Lock()
    start = time.monotonic()
    stop = start + seconds
    counter = iter(range(len(paths) if once else 10**9))

    def worker():
        nonlocal bad, socket_errors
        while time.monotonic() < stop:
            with lock:
                index = next(counter, None)
            if index is None:
                return
            began = time.perf_counter()
            status_error = socket_error = False
            try:
                request = urllib.request.Request(
                    BASE + paths[index % len(paths)],
                    headers=dict(h.split(": ", 1) for h in headers),
                )
                with urllib.request.urlopen(request, timeout=10) as r:
                    r.read()
            except urllib.error.HTTPError:
                status_error = True
            except Exception:
                socket_error = True
            with lock:
                latencies.append((time.perf_counter() - began) * 1000)
                bad += status_error
                socket_errors += socket_error

    pool = [threading.Thread(target=worker, daemon=True) for _ in range(connections)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=seconds + 15)
    elapsed = time.monotonic() - start
    latencies = sorted(latencies) or [float("nan")]
    return _with_error_total(
        {
            "rps": len(latencies) / elapsed,
            "p50": latencies[len(latencies) // 2],
            "p95": latencies[max(0, int(len(latencies) * 0.95) - 1)],
            "max": latencies[-1],
            "seconds": elapsed,
            "requests": len(latencies),
            "non_2xx_3xx": bad,
            "socket_errors": socket_errors,
            "timeouts": 0,
        }
    )


def _with_error_total(result: dict) -> dict:
    result["errors"] = result["non_2xx_3xx"] + result["socket_errors"] + result["timeouts"]
    return result


def load(
    paths: list[str], *, seconds: float, connections: int, once: bool = False, headers=()
) -> dict:
    runner = load_wrk if shutil.which("wrk") else load_python
    return runner(paths, seconds=seconds, connections=connections, once=once, headers=headers)


def timed_get(path: str) -> tuple[float, float, int]:
    """(server ms from the Server-Timing header, client ms, HTTP status) of one request."""
    began = time.perf_counter()
    try:
        with urllib.request.urlopen(BASE + path, timeout=60) as response:
            response.read()
            timing, status = response.headers.get("Server-Timing", ""), response.status
    except urllib.error.HTTPError as error:
        error.read()
        timing, status = error.headers.get("Server-Timing", ""), error.code
    client = (time.perf_counter() - began) * 1000
    return float(timing.partition("dur=")[2] or "nan"), client, status


def server_time(paths: list[str], *, seconds: float, max_requests: int | None = None) -> dict:
    """One client, one request at a time, each path at most once in order: the server's
    own time per request (Server-Timing, config.middleware), without the network or the
    load generator."""
    server, client, errors = [], [], 0
    stop = time.monotonic() + seconds
    for index, path in enumerate(paths):
        if time.monotonic() >= stop or (max_requests and index >= max_requests):
            break
        s, c, status = timed_get(path)
        server.append(s)
        client.append(c)
        errors += status >= 400
    return summarise(server, client, errors)


def summarise(server: list[float], client: list[float], errors: int = 0) -> dict:
    server = sorted(server) or [float("nan")]
    return {
        "requests": len(server),
        "p50": statistics.median(server),
        "p95": server[max(0, int(len(server) * 0.95) - 1)],
        "max": server[-1],
        "client_p50": statistics.median(client) if client else float("nan"),
        "errors": errors,
    }


def after_edits(editor: Editor, targets: list[tuple[str, str]]) -> dict:
    """For each (model slug, path): edit that model, then request the path once."""
    server, client, errors = [], [], 0
    for slug, path in targets:
        editor.edit(slug)
        s, c, status = timed_get(path)
        server.append(s)
        client.append(c)
        errors += status >= 400
    return summarise(server, client, errors)


def between_edits(editor: Editor, targets: list[tuple[str, str, str]]) -> tuple[dict, dict]:
    """For each (model slug, path, ordinary path): request the ordinary path (a page of
    the same kind, new to the run), edit the model, request the path.
    Returns (the ordinary requests, the requests right after an edit): the two measured
    alternately, so the slow-down compares pages served in the same state of the workers
    (after the load rows, whose cached answers and memos the workers still hold), not a
    page after the load rows with one measured before them."""
    ordinary: dict[str, list] = {"server": [], "client": [], "errors": 0}
    after: dict[str, list] = {"server": [], "client": [], "errors": 0}
    for slug, path, ordinary_path in targets:
        for figures, edit, url in ((ordinary, False, ordinary_path), (after, True, path)):
            if edit:
                editor.edit(slug)
            s, c, status = timed_get(url)
            figures["server"].append(s)
            figures["client"].append(c)
            figures["errors"] += status >= 400
    return (
        summarise(ordinary["server"], ordinary["client"], ordinary["errors"]),
        summarise(after["server"], after["client"], after["errors"]),
    )


# --- one catalog on one stack --------------------------------------------------------------


@dataclass
class Options:
    duration: float
    connections: int
    workers: int
    crawl: int
    edits: int


@dataclass
class CatalogRun:
    stack: Stack
    catalog: str
    info: dict = field(default_factory=dict)
    loads: dict[str, dict] = field(default_factory=dict)  # label -> wrk figures
    timings: dict[str, dict] = field(default_factory=dict)  # label -> one-client figures
    cells: dict[str, Cell] = field(default_factory=dict)
    scale: list[tuple] = field(default_factory=list)
    admin: str = ""

    @property
    def column(self) -> str:
        name = "seed" if self.catalog == "seed" else f"{self.catalog} models"
        return f"{self.stack.label}, {name}"


class PairPool:
    """Comparison paths never requested before in this run: every scenario that needs
    a page the cache has not seen draws from here, so no two share a page."""

    def __init__(self, slugs: list[str], seed: int = 1):
        self.slugs = slugs
        self.rng = random.Random(seed)
        self.used: set[tuple[str, str]] = set()

    def take(self, n: int, *, with_model: str | None = None) -> list[tuple[str, str]]:
        taken: list[tuple[str, str]] = []
        limit = len(self.slugs) * (len(self.slugs) - 1) // 2
        while len(taken) < n and len(self.used) < limit:
            a = with_model or self.rng.choice(self.slugs)
            b = self.rng.choice(self.slugs)
            pair = tuple(sorted((a, b)))
            if a != b and pair not in self.used:
                self.used.add(pair)
                taken.append(pair)
        return taken

    def cover(self, slugs: list[str]) -> list[tuple[str, str]]:
        """Pairs not used before (and now used) that between them name every one of
        `slugs`, about half as many as there are slugs."""
        order = list(slugs)
        self.rng.shuffle(order)
        covered: set[str] = set()
        covering: list[tuple[str, str]] = []
        for i, slug in enumerate(order):
            if slug in covered:
                continue
            partners = [o for o in order[i + 1 :] if o not in covered] + order
            for other in partners:
                pair = tuple(sorted((slug, other)))
                if other != slug and pair not in self.used:
                    self.used.add(pair)
                    covering.append(pair)
                    covered.update(pair)
                    break
        return covering


def cmp_path(pair: tuple[str, str]) -> str:
    return f"/compare/{pair[0]}-vs-{pair[1]}/"


def api_cmp_path(pair: tuple[str, str]) -> str:
    return f"/api/v1/comparisons/{pair[0]}-vs-{pair[1]}/"


LOC = re.compile(r"<loc>([^<]+)</loc>")


def sitemap_pairs() -> list[tuple[str, str]]:
    """Every comparison pair the sitemap lists, read from the running server."""
    index = fetch("/sitemap.xml").decode()
    pages = [urlsplit(loc) for loc in LOC.findall(index) if "sitemap-comparisons" in loc]
    pairs = []
    for page in pages:
        body = fetch(page.path + (f"?{page.query}" if page.query else ""), timeout=120).decode()
        for loc in LOC.findall(body):
            a, _, b = urlsplit(loc).path.rstrip("/").rpartition("/")[2].partition("-vs-")
            pairs.append((a, b))
    return pairs


def measure_catalog(stack: Stack, catalog: str, opts: Options, cleanup) -> CatalogRun:
    result = CatalogRun(stack, catalog)
    print(f"== {result.column}: building the catalog", flush=True)
    env = stack.fresh(catalog)
    cleanup.callback(stack.drop)
    build_catalog(catalog, env)
    result.info = info = catalog_info(env)
    slugs = info["slugs"]
    full_table = len(slugs) <= FULL_TABLE_MAX_MODELS
    static_name = f"same-size-{stack.key}-{catalog}.html"
    STATIC_DIR.mkdir(parents=True, exist_ok=True)
    # A file of the comparison page's size: written before gunicorn starts, as
    # whitenoise indexes the static files then.
    (STATIC_DIR / static_name).write_bytes(b"x" * max(info["page_bytes"], 1))
    static = f"/static/bench/{static_name}"
    # And one of the API list's size (655 KB at 500 models), to tell what its row pays
    # for the bytes alone from what it pays for being an API answer.
    api_static_name = f"api-size-{stack.key}-{catalog}.json"
    (STATIC_DIR / api_static_name).write_bytes(b"x" * max(info["api_bytes"], 1))
    api_static = f"/static/bench/{api_static_name}"

    pool = PairPool(slugs)
    pool.used.add((slugs[0], slugs[-1]))  # catalog_info requested it
    # Warm every worker as production is warm: the cached URLs stored, and what pages
    # share per model and per catalog version (a snapshot of every model, its rows of
    # the provider table, the related-pairs index) built, through pairs that between
    # them hold every model (used: no row requests them again).
    cached = ["/models/", "/api/v1/models/", "/sitemap.xml"]
    cached_cmp = cmp_path(pool.take(1)[0])
    warm = [cached_cmp, *cached]
    if full_table:
        covering = pool.cover(slugs)
        warm += [cmp_path(pair) for pair in covering] + [api_cmp_path(covering[0])]
    print(f"== {result.column}: gunicorn, {opts.workers} workers, warming up", flush=True)
    server = start_gunicorn(env, opts.workers, warm)
    cleanup.callback(stop_process_group, server)
    editor = Editor(env)
    cleanup.callback(editor.close)
    d, c = opts.duration, opts.connections
    try:

        def wrk_row(label: str, paths: list[str], *, once: bool = False, headers=()) -> dict:
            print(f"   {label} ...", flush=True)
            result.loads[label] = load(paths, seconds=d, connections=c, once=once, headers=headers)
            return result.loads[label]

        # Enough never-requested pages for the fastest uncached rate we could meet.
        uncached = max(2000, int(d * 600))
        static_rps = [wrk_row("static file, same size (upper bound)", [static])["rps"]]
        if full_table:
            wrk_row("comparison page, cached", [cached_cmp])
            wrk_row(
                "comparison page, cached, compressed",
                [cached_cmp],
                headers=["Accept-Encoding: br, gzip"],
            )
            wrk_row(
                "comparison page, uncached", [cmp_path(p) for p in pool.take(uncached)], once=True
            )
            wrk_row("model page, uncached", [f"/models/{s}/" for s in slugs], once=True)
            wrk_row("/models/", ["/models/"])
            wrk_row("/api/v1/models/, cached", ["/api/v1/models/"])
            wrk_row("static file, the API list's size", [api_static])
            wrk_row(
                "API comparison, uncached",
                [api_cmp_path(p) for p in pool.take(uncached)],
                once=True,
            )
            print("   reading the sitemap ...", flush=True)
            listed = [p for p in sitemap_pairs() if p not in pool.used]
            crawl = random.Random(2).sample(listed, min(opts.crawl, len(listed)))
            pool.used.update(crawl)
            crawl_load = load(
                [cmp_path(p) for p in crawl],
                seconds=max(d, opts.crawl / 10),  # bounded: 10 pages/s at the least
                connections=c,
                once=True,
            )
            result.loads[f"crawler: {len(crawl):,} sitemap pairs, each once"] = crawl_load
        static_rps.append(wrk_row("static file again (after the rows)", [static])["rps"])
        static_mean = statistics.fmean(static_rps)

        print("   one client at a time (Server-Timing) ...", flush=True)
        t = result.timings
        # New URLs for the same full page: every model has a context window of at least
        # 8,192 tokens, and the API answers 400 to parameters it does not know.
        api_new = [f"/api/v1/models/?min_context_window={i}" for i in range(1, 8001)]
        if full_table:
            t["comparison page, uncached"] = server_time(
                [cmp_path(p) for p in pool.take(2000)], seconds=d
            )
            t["comparison page, cached"] = server_time([cached_cmp] * 10**5, seconds=d)
        t["/api/v1/models/, new URL (answer not cached)"] = server_time(api_new[:2000], seconds=d)
        t["/api/v1/models/, cached"] = server_time(["/api/v1/models/"] * 10**5, seconds=d)
        t["sitemap index, cached"] = server_time(["/sitemap.xml"] * 10**5, seconds=d)
        t["comparisons sitemap, first page (50,000 pairs, built each time)"] = server_time(
            ["/sitemap-comparisons.xml"] * 100, seconds=d, max_requests=5
        )
        scale_loads = {
            "sitemap index, cached": wrk_row("sitemap index, cached", ["/sitemap.xml"]),
            "/api/v1/models/, new URL (answer not cached)": wrk_row(
                "/api/v1/models/, new URL", api_new[2100:], once=True
            ),
            "/api/v1/models/, cached": result.loads.get("/api/v1/models/, cached")
            or wrk_row("/api/v1/models/, cached", ["/api/v1/models/"]),
        }

        # Last: each edit makes what was built for the catalog before it stale.
        print("   right after an edit ...", flush=True)
        rng = random.Random(3)
        edited = [rng.choice(slugs) for _ in range(opts.edits)]
        if full_table:
            (
                t["comparison page, uncached, between the edits"],
                t["comparison page, right after an edit"],
            ) = between_edits(
                editor,
                [
                    (s, cmp_path(pool.take(1, with_model=s)[0]), cmp_path(pool.take(1)[0]))
                    for s in edited
                ],
            )
        t["/api/v1/models/, right after an edit (new URL)"] = after_edits(
            editor, [(s, api_new[2000 + i]) for i, s in enumerate(edited)]
        )
        t["sitemap index, right after an edit"] = after_edits(
            editor, [(s, "/sitemap.xml") for s in edited]
        )
        if ADMIN_TIMINGS.exists() and not full_table:
            result.admin = admin_hook(env, models=len(slugs), offerings=info["offerings"])
    finally:
        editor.close()
        stop_process_group(server)

    cells = result.cells
    loads = result.loads

    def ratio(label: str) -> Cell:
        r = loads[label]
        return Cell(r["rps"] / static_mean, errors=r["errors"])

    def slowdown(after: str, before: str) -> Cell:
        return Cell(
            t[after]["p50"] / t[before]["p50"], errors=t[after]["errors"] + t[before]["errors"]
        )

    if full_table:
        cells["cmp_cached"] = ratio("comparison page, cached")
        cells["cmp_cached_br"] = ratio("comparison page, cached, compressed")
        cells["cmp_uncached"] = ratio("comparison page, uncached")
        cells["model_uncached"] = ratio("model page, uncached")
        cells["models_list"] = ratio("/models/")
        cells["api_list_cached"] = ratio("/api/v1/models/, cached")
        api_static_rps = loads["static file, the API list's size"]["rps"]
        cells["api_list_cached_own_size"] = Cell(
            loads["/api/v1/models/, cached"]["rps"] / api_static_rps,
            errors=loads["/api/v1/models/, cached"]["errors"],
        )
        cells["api_cmp_uncached"] = ratio("API comparison, uncached")
        cells["cmp_after_edit"] = slowdown(
            "comparison page, right after an edit",
            "comparison page, uncached, between the edits",
        )
        cells["api_list_after_edit"] = slowdown(
            "/api/v1/models/, right after an edit (new URL)",
            "/api/v1/models/, new URL (answer not cached)",
        )
        crawl_label = next(label for label in loads if label.startswith("crawler"))
        crawl_cell = ratio(crawl_label)
        cells["crawler"] = Cell(
            crawl_cell.value,
            errors=crawl_cell.errors,
            note=f"{loads[crawl_label]['rps']:.0f} req/s, {loads[crawl_label]['requests']:,}",
        )
    for label, figures in scale_loads.items():
        result.scale.append(
            (label, t[label]["p50"], figures["rps"] / static_mean, figures["errors"])
        )
    for label in (
        "sitemap index, right after an edit",
        "comparisons sitemap, first page (50,000 pairs, built each time)",
        "/api/v1/models/, right after an edit (new URL)",
    ):
        result.scale.append((label, t[label]["p50"], None, t[label]["errors"]))
    return result


def admin_hook(env: dict[str, str], *, models: int, offerings: int) -> str:
    """bench/admin_timings.py at the size of the catalog just measured (on PostgreSQL
    its database, DATABASE_URL in the environment; on SQLite a file of its own); whatever
    it prints is included in the report, also when it exits non-zero (a page over its
    target)."""
    print("   admin changelists (bench/admin_timings.py) ...", flush=True)
    cmd = [PYTHON, str(ADMIN_TIMINGS), f"--models={models}", f"--offerings={offerings}"]
    try:
        done = subprocess.run(
            cmd,
            cwd=ROOT,
            env={**env, "BENCH_BASE_URL": BASE, "STATIC_MANIFEST": "0"},
            text=True,
            timeout=900,
            stdout=subprocess.PIPE,
        )
    except subprocess.TimeoutExpired:
        return "bench/admin_timings.py took over 900 s"
    failed = f"\n\n(bench/admin_timings.py exited {done.returncode})" if done.returncode else ""
    return (done.stdout or "").strip() + failed


# --- the report --------------------------------------------------------------------------------


def details(run_: CatalogRun) -> str:
    info = run_.info
    lines = [
        f"### {run_.column}",
        "",
        f"{len(info['slugs'])} published models, {info['offerings']:,} offerings, "
        f"{len(info['slugs']) * (len(info['slugs']) - 1) // 2:,} pairs; comparison page "
        f"{info['page_bytes']:,} bytes.",
        "",
    ]
    if run_.loads:
        lines.append(
            markdown_table(
                ["load (wrk)", "req/s", "median ms", "p95 ms", "requests", "errors"],
                (
                    (
                        label,
                        f"{r['rps']:.0f}",
                        f"{r['p50']:.1f}",
                        f"{r['p95']:.1f}",
                        f"{r['requests']:,}",
                        r["errors"],
                    )
                    for label, r in run_.loads.items()
                ),
            )
        )
        lines.append("")
    lines.append(
        markdown_table(
            ["one client at a time", "requests", "server median ms", "server p95 ms", "errors"],
            (
                (label, r["requests"], f"{r['p50']:.1f}", f"{r['p95']:.1f}", r["errors"])
                for label, r in run_.timings.items()
            ),
        )
    )
    if run_.admin:
        lines += ["", "Admin changelists (bench/admin_timings.py):", "", run_.admin]
    return "\n".join(lines)


def scale_table(runs: list[CatalogRun]) -> str:
    labels = list(dict.fromkeys(row[0] for r in runs for row in r.scale))
    header = ["server median ms (ratio to static)", *(r.column for r in runs)]
    body = []
    for label in labels:
        cells = []
        for r in runs:
            row = next((x for x in r.scale if x[0] == label), None)
            if row is None:
                cells.append("-")
                continue
            _, ms, ratio, errors = row
            text = f"{ms:.1f} ms" + (f" ({ratio:.2f})" if ratio is not None else "")
            cells.append(text + (f", {errors} errors" if errors else ""))
        body.append([label, *cells])
    return markdown_table(header, body)


def counts_table(runs: list[CatalogRun]) -> str:
    pages = list(runs[0].info["counts"])
    return markdown_table(
        ["SQL queries per page (page cache off)", *(r.column for r in runs)],
        (
            [
                page,
                *(
                    f"{r.info['counts'][page]['queries']} (HTTP {r.info['counts'][page]['status']})"
                    for r in runs
                ),
            ]
            for page in pages
        ),
    )


def report(runs: list[CatalogRun], opts: Options, started: datetime, elapsed: float) -> str:
    table_runs = [r for r in runs if r.cells]
    results = {r.column: r.cells for r in table_runs}
    lines = [
        f"`make bench`, {started:%Y-%m-%d %H:%M} UTC, {elapsed / 60:.1f} min; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end; gunicorn "
        f"{opts.workers} sync workers; {opts.connections} connections, {opts.duration:g} s "
        f"per load row; {'wrk' if shutil.which('wrk') else 'Python client (caps the figures)'}.",
        "",
    ]
    if results:
        lines += [
            "Ratios to a static file of the comparison page's size served by the same server "
            "in the same run (the mean of its two rows); the after-edit rows are slow-downs "
            "of the server's median time (Server-Timing, one client).",
            "",
            ratio_table(results),
            "",
        ]
        misses = missed(results)
        lines.append(
            "Targets missed: " + "; ".join(f"{row} ({column})" for column, row in misses)
            if misses
            else "Every target met."
        )
        lines.append("")
    lines += ["At catalog size:", "", scale_table(runs), "", counts_table(runs), ""]
    lines += [details(r) + "\n" for r in runs]
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    quick_env = os.environ.get("BENCH_QUICK", "") not in ("", "0")
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        default=quick_env,
        help="3 s rows, the 500-model catalog, a 1,000-pair crawl (BENCH_QUICK=1)",
    )
    parser.add_argument("--duration", type=float, help="seconds per load row (default 8; quick 3)")
    parser.add_argument("--stacks", default="sqlite,pg", help="sqlite, pg or both")
    parser.add_argument(
        "--sizes", help="catalogs: model counts and/or seed (default 500,seed,1500; quick 500)"
    )
    parser.add_argument("--crawl", type=int, help="sitemap pairs (default 10000; quick 1000)")
    parser.add_argument("--edits", type=int, help="edits per after-edit row (default 12; quick 5)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    args = parser.parse_args(argv)
    q = args.quick
    args.duration = args.duration or (3.0 if q else 8.0)
    args.sizes = args.sizes or ("500" if q else "500,seed,1500")
    args.crawl = args.crawl or (1000 if q else 10_000)
    args.edits = min(args.edits or (5 if q else 12), 100)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    opts = Options(args.duration, args.connections, args.workers, args.crawl, args.edits)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    for size in sizes:
        if size != "seed" and not size.isdigit():
            print(f"--sizes: {size!r} is neither a model count nor 'seed'", file=sys.stderr)
            return 2
    started, began = datetime.now(UTC), time.monotonic()
    OUT.mkdir(exist_ok=True)
    runs: list[CatalogRun] = []
    try:
        stacks = make_stacks([s.strip() for s in args.stacks.split(",") if s.strip()])
        for stack in stacks:
            stack.prepare()
        env = {**os.environ, **PROD_ENV, "DATABASE_URL": f"sqlite:///{OUT / 'static.sqlite3'}"}
        env.pop("REDIS_URL", None)
        manage("collectstatic", "--noinput", "-v0", env=env, timeout=300)
        for size in sizes:
            for stack in stacks:
                with contextlib.ExitStack() as cleanup:
                    runs.append(measure_catalog(stack, size, opts, cleanup))
    except KeyboardInterrupt:
        print("\ninterrupted: gunicorn stopped, bench databases dropped", file=sys.stderr)
        return 130
    except HarnessError as error:
        print(f"\nbench failed: {error}", file=sys.stderr)
        return 2
    text = report(runs, opts, started, time.monotonic() - began)
    print()
    print(text)
    (OUT / "latest.md").write_text(text + "\n")
    print(f"(written to {OUT / 'latest.md'})")
    return exit_code({r.column: r.cells for r in runs if r.cells})


if __name__ == "__main__":
    sys.exit(main())
