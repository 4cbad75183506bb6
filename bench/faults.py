"""`make faults`: what visitors get while a dependency fails, against the production stack.

Loopback only and bounded (about a minute and a half). gunicorn with production settings
serves a small synthetic catalog from a throwaway PostgreSQL database on the local
server, reached through a TCP proxy this script controls, with Redis as the cache (a
redis-server of its own on a free port: the shared one is never touched). Client threads
keep requesting pages and API lists while, one after the other:

- Redis stopped: its redis-server is terminated, then started again;
- database hung: the proxy accepts connections and stops passing bytes either way (new
  and already open connections alike), then resumes;
- database down: the proxy stops listening and drops its connections, then listens again;
- worker killed: one gunicorn worker gets SIGKILL under load.

One row per fault: requests sent while it lasted, answers by status, answers that are
not 2xx/3xx/503 (must be 0), requests that got no answer at all, and the time from the
dependency's return to service as usual (Redis: the first page stored in it again;
database: the first 200 from a page that needs it; worker: the master's replacement
answering). Exits non-zero when any answer is outside 2xx/3xx/503.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
LOG = ROOT / "bench-results" / "faults-server.log"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class DatabaseProxy:
    """127.0.0.1:<port> -> PostgreSQL, with a switch: "pass"; "stalled" (every byte held,
    open connections and new ones alike, until it passes again); "hung" (open connections
    dropped, new ones accepted and never answered); "down" (not listening)."""

    def __init__(self, upstream: tuple[str, int]):
        self.upstream = upstream
        self.port = free_port()
        self.mode = "pass"
        self.listener: socket.socket | None = None
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.listen()

    def listen(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((HOST, self.port))
        listener.listen(64)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # closed: "down"
            with self.lock:
                self.sockets.append(client)
            if self.mode in ("hung", "stalled"):
                continue  # accepted, never answered
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets.append(server)
            threading.Thread(target=self._pump, args=(client, server), daemon=True).start()

    def _pump(self, a: socket.socket, b: socket.socket) -> None:
        peers = {a: b, b: a}
        with selectors.DefaultSelector() as selector:
            for sock in peers:
                selector.register(sock, selectors.EVENT_READ)
            while True:
                if self.mode == "stalled":  # hold the bytes until the database "thaws"
                    time.sleep(0.05)
                    continue
                for key, _ in selector.select(timeout=0.2):
                    try:
                        data = key.fileobj.recv(65536)
                        if not data:
                            raise OSError("closed")
                        peers[key.fileobj].sendall(data)
                    except OSError:
                        a.close()
                        b.close()
                        return

    def stall(self) -> None:
        self.mode = "stalled"

    def hang(self) -> None:
        self.mode = "hung"
        self.drop_connections()

    def down(self) -> None:
        self.mode = "down"
        self.listener.close()
        self.drop_connections()

    def drop_connections(self) -> None:
        with self.lock:
            for sock in self.sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self.sockets.clear()

    def restore(self) -> None:
        if self.mode == "down":
            self.listen()
        elif self.mode == "hung":
            self.drop_connections()  # the never-answered ones
        self.mode = "pass"


class OwnRedis:
    def __init__(self):
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", HOST]
            + ["--save", "", "--appendonly", "no"]
            + ["--maxmemory", "64mb", "--maxmemory-policy", "allkeys-lru"],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while self.keys() is None:
            if time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def keys(self) -> int | None:
        """Keys in its database 0, or None while it does not answer."""
        try:
            with socket.create_connection((HOST, self.port), timeout=0.5) as conn:
                conn.sendall(b"DBSIZE\r\n")
                return int(conn.recv(64).strip().lstrip(b":"))
        except (OSError, ValueError):
            return None

    def flush(self) -> None:
        with socket.create_connection((HOST, self.port), timeout=1) as conn:
            conn.sendall(b"FLUSHALL\r\n")
            conn.recv(64)


class Load:
    """Client threads requesting `paths` until stopped; every outcome is recorded."""

    def __init__(self, base: str, paths: list[str], clients: int):
        self.base = base
        self.paths = paths
        self.clients = clients
        self.outcomes: list[tuple[float, int | str, float]] = []  # (when, status, seconds)
        self.running = False

    def __enter__(self):
        self.running = True
        self.threads = [
            threading.Thread(target=self._client, args=(seed,), daemon=True)
            for seed in range(self.clients)
        ]
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.running = False
        for thread in self.threads:
            thread.join(timeout=40)

    def _client(self, seed: int) -> None:
        rng = random.Random(seed)
        while self.running:
            sent = time.monotonic()
            status = get(self.base + rng.choice(self.paths), timeout=35)
            self.outcomes.append((time.monotonic(), status, time.monotonic() - sent))

    def between(self, start: float, end: float) -> list[tuple[int | str, float]]:
        """(status, seconds) of the requests answered (or failed) from start to end."""
        return [(status, took) for when, status, took in self.outcomes if start <= when <= end]


def get(url: str, timeout: float) -> int | str:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except Exception as error:  # no answer at all: reset, refused, timed out
        return type(error).__name__


def wait_until(condition, timeout: float) -> float | None:
    """Seconds until `condition()` holds, or None if it did not within `timeout`."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if condition():
            return time.monotonic() - start
        time.sleep(0.05)
    return None


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def worker_pids(master: int) -> list[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True
    ).stdout
    return [int(pid) for pid in out.split()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fault-seconds", type=float, default=5)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    started = time.monotonic()
    LOG.parent.mkdir(exist_ok=True)

    database = f"llmcompare_faults_{os.getpid()}"
    with psycopg.connect(**PG, dbname="postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {database}")
    proxy = DatabaseProxy((PG["host"], PG["port"]))
    redis = OwnRedis()
    redis.start()
    port = free_port()
    base = f"http://{HOST}:{port}"
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "faults-only-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": HOST,
        "SITE_URL": base,
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        # Plain static storage: the clients request pages, never static files, and the
        # compressed manifest's collectstatic alone took longer than the faults.
        "STATIC_MANIFEST": "0",
        "LOG_LEVEL": "CRITICAL",
        "API_THROTTLE_DISABLED": "1",
        "WEB_CONCURRENCY": str(args.workers),
        "REDIS_URL": f"redis://{HOST}:{redis.port}/0",
        "REDIS_OUTAGE_RETRY_SECONDS": "2",
        "DB_CONNECT_TIMEOUT": "2",
        "DB_STATEMENT_TIMEOUT": "3",
        "DB_WATCHDOG_GRACE": "1",
        "DATABASE_URL": f"postgres://postgres@{HOST}:{proxy.port}/{database}",
    }
    server = None
    try:
        print("== throwaway database, synthetic catalog", flush=True)
        direct = {**env, "DATABASE_URL": f"postgres://postgres@{HOST}:5432/{database}"}
        manage("migrate", "--noinput", "-v0", env=direct)
        manage(
            "build_synthetic_catalog", "--models=30", "--providers=6", "--offerings=150", env=direct
        )
        with psycopg.connect(**PG, dbname=database) as conn:
            slugs = [row[0] for row in conn.execute("SELECT slug FROM catalog_languagemodel")]
        rng = random.Random(1)
        paths = ["/", "/models/", "/api/v1/models/", "/sitemap.xml"]
        paths += [f"/models/{slug}/" for slug in slugs]
        paths += [f"/compare/{'-vs-'.join(sorted(rng.sample(slugs, 2)))}/" for _ in range(200)]
        paths += [f"/api/v1/models/?page_size={size}" for size in range(1, 60)]

        print(f"== gunicorn, {args.workers} workers, production settings; log: {LOG}", flush=True)
        log = LOG.open("w")
        server = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                f"--bind={HOST}:{port}",
                f"--workers={args.workers}",
                "--timeout=30",
                "--log-level=critical",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=log,
            stderr=log,
        )
        if wait_until(lambda: get(base + "/models/", 2) == 200, 30) is None:
            raise RuntimeError("gunicorn did not start")

        def database_serves() -> bool:
            # A page no one has asked for yet: rendered from the database, not the cache.
            return get(f"{base}/api/v1/models/?page_size={rng.randint(60, 100)}", 10) == 200

        def redis_used_again() -> bool:
            return bool(redis.keys()) and get(f"{base}/api/v1/models/?page_size=61", 5) == 200

        def worker_replaced() -> bool:
            return len(worker_pids(server.pid)) == args.workers and get(base + "/", 5) == 200

        def stop_redis():
            redis.stop()

        def start_redis():
            redis.start()

        killed: list[int] = []

        def kill_worker():
            pid = worker_pids(server.pid)[0]
            killed.append(pid)
            os.kill(pid, signal.SIGKILL)

        seconds = args.fault_seconds
        # The statement deadline is DB_STATEMENT_TIMEOUT + DB_WATCHDOG_GRACE = 4 s: a
        # shorter stall is waited out, a longer one is given up on (config.postgresql).
        faults = [
            ("Redis stopped", seconds, stop_redis, start_redis, redis_used_again),
            (
                "database stalls 2 s (open connections too)",
                2,
                proxy.stall,
                proxy.restore,
                database_serves,
            ),
            (
                f"database stalls {seconds:g} s, past the 4 s statement deadline",
                seconds,
                proxy.stall,
                proxy.restore,
                database_serves,
            ),
            (
                "database hung (accepts, never answers)",
                seconds,
                proxy.hang,
                proxy.restore,
                database_serves,
            ),
            ("database down", seconds, proxy.down, proxy.restore, database_serves),
            ("worker killed under load", 1, kill_worker, lambda: None, worker_replaced),
        ]
        rows = []
        with Load(base, paths, args.clients) as load:
            time.sleep(2)  # warm: every worker has connections and cached pages
            for name, duration, fail, restore, recovered in faults:
                print(f"== {name}", flush=True)
                begin = time.monotonic()
                fail()
                time.sleep(duration)
                restore()
                restored = time.monotonic()
                recovery = wait_until(recovered, 30)
                time.sleep(1)  # and a second of service as usual
                end = time.monotonic()
                outcomes = load.between(begin, end)
                statuses = [status for status, _ in outcomes]
                by_status = Counter(str(s) for s in statuses)
                answers = [s for s in statuses if isinstance(s, int)]
                bad = [s for s in answers if not (200 <= s < 400 or s == 503)]
                rows.append(
                    {
                        "fault": name,
                        "seconds": f"{restored - begin:.1f}",
                        "requests": len(statuses),
                        "statuses": ", ".join(f"{k}: {v}" for k, v in sorted(by_status.items())),
                        "bad": len(bad),
                        "unanswered": len(statuses) - len(answers),
                        "slowest": f"{max(took for _, took in outcomes):.1f} s",
                        "recovery": "not within 30 s" if recovery is None else f"{recovery:.1f} s",
                    }
                )
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        redis.stop()
        proxy.down()
        with psycopg.connect(**PG, dbname="postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")

    print()
    print(
        f"gunicorn {args.workers} sync workers, {args.clients} client threads, PostgreSQL "
        f"through a controlled proxy, Redis of its own; faults last {args.fault_seconds:g} s; "
        f"whole run {time.monotonic() - started:.0f} s."
    )
    print()
    print(
        "| fault | fault lasted | requests | answers by status | not 2xx/3xx/503 "
        "| no answer | slowest answer | back to normal after |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['fault']} | {row['seconds']} s | {row['requests']} | {row['statuses']} "
            f"| {row['bad']} | {row['unanswered']} | {row['slowest']} | {row['recovery']} |"
        )
    return 1 if any(row["bad"] for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
