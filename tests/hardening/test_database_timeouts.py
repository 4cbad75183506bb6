"""A database that hangs gives the friendly 503 within seconds, not a worker stuck until
gunicorn kills it: connect and statement timeouts (DB_CONNECT_TIMEOUT,
DB_STATEMENT_TIMEOUT) on PostgreSQL, the lock timeout on SQLite.

The site runs in a subprocess configured from the environment, as in production."""

import json
import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path
from unittest import mock
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import OperationalError, connection

from tests.factories import ProviderFactory

BASE_DIR = Path(__file__).resolve().parents[2]

REQUEST_SCRIPT = """
import json, sys, time
import django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
for path in sys.argv[1:]:
    started = time.monotonic()
    response = client.get(path)
    print(json.dumps({
        "path": path,
        "status": response.status_code,
        "content_type": response["Content-Type"],
        "body": response.content.decode(errors="replace"),
        "seconds": time.monotonic() - started,
    }))
"""


def get_in_subprocess(*paths: str, **environment: str) -> list[dict]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_URL", "DB_", "REDIS_URL"))
    }
    env.update(DJANGO_SETTINGS_MODULE="config.settings", SECURE_SSL_REDIRECT="0", **environment)
    result = subprocess.run(
        [sys.executable, "-c", REQUEST_SCRIPT, *paths],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_a_postgresql_server_that_accepts_and_never_answers_gives_a_503_within_seconds():
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)  # connections complete in the backlog; nothing ever replies
        port = silent.getsockname()[1]
        answers = get_in_subprocess(
            "/models/",
            "/api/v1/models/",
            DATABASE_URL=f"postgres://postgres@127.0.0.1:{port}/llmcompare",
            DB_CONNECT_TIMEOUT="2",
        )
    page, api = answers
    assert page["status"] == 503
    assert "Back in a moment" in page["body"]
    assert api["status"] == 503
    assert api["content_type"] == "application/json"
    for answer in answers:
        assert answer["seconds"] < 8, answer  # libpq's connect_timeout, plus slack


def postgresql_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


needs_postgresql = pytest.mark.skipif(
    postgresql_url() is None, reason="PostgreSQL only: run with DATABASE_URL=postgres://..."
)


@needs_postgresql
@pytest.mark.django_db
def test_every_postgresql_connection_carries_the_statement_timeout(settings):
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        (value,) = cursor.fetchone()
    assert value == f"{int(settings.DB_STATEMENT_TIMEOUT)}s"


@needs_postgresql
@pytest.mark.django_db
def test_postgresql_connections_compile_no_query_just_in_time():
    # JIT compiling cost 90 ms of a 15 ms admin search (docs/benchmarks.md, "Admin").
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        (value,) = cursor.fetchone()
    assert value == "off"


@needs_postgresql
def test_a_statement_over_the_timeout_is_cancelled_as_an_outage():
    # The maintenance database: this only sleeps, it writes nothing.
    url = urlunsplit(urlsplit(postgresql_url())._replace(path="/postgres"))
    script = """
import time, django
django.setup()
from django.db import OperationalError, connection
started = time.monotonic()
try:
    connection.cursor().execute("SELECT pg_sleep(5)")
    print("finished")
except OperationalError as error:
    print(f"cancelled after {time.monotonic() - started:.1f} s: {error}")
"""
    env = {**os.environ, "DATABASE_URL": url, "DB_STATEMENT_TIMEOUT": "1"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert "cancelled after 1." in result.stdout, result.stdout + result.stderr
    assert "statement timeout" in result.stdout


def test_a_locked_sqlite_database_gives_a_503_after_the_statement_timeout(tmp_path):
    path = tmp_path / "locked.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute(
        "CREATE TABLE sitecache_catalogversion "
        "(id integer PRIMARY KEY, version integer, changed_at datetime)"
    )
    holder.execute("INSERT INTO sitecache_catalogversion VALUES (1, 1, '2026-01-01 00:00:00')")
    holder.execute("BEGIN EXCLUSIVE")  # a writer that never finishes
    try:
        (page,) = get_in_subprocess(
            "/models/", DATABASE_URL=f"sqlite:///{path}", DB_STATEMENT_TIMEOUT="1"
        )
    finally:
        holder.close()
    assert page["status"] == 503
    assert "Back in a moment" in page["body"]
    assert 1 <= page["seconds"] < 4, page


@pytest.mark.django_db
def test_a_statement_timeout_inside_an_api_view_is_the_outage_503_not_a_500(client):
    ProviderFactory(name="Groq")
    timeout = OperationalError("canceling statement due to statement timeout")
    with mock.patch("api.views.ProviderViewSet.paginate_queryset", side_effect=timeout):
        response = client.get("/api/v1/providers/")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert int(response["Retry-After"]) > 0


STALLING_PROXY_SCRIPT = """
import os, socket, sys, threading, time
from urllib.parse import urlsplit, urlunsplit

upstream = urlsplit(os.environ["DATABASE_URL"])
hold = threading.Event()  # set: bytes are taken in and never passed on


def pump(source, target):
    while data := source.recv(65536):
        while hold.is_set():
            time.sleep(0.05)
        target.sendall(data)


def serve(listener):
    while True:
        client, _ = listener.accept()
        server = socket.create_connection((upstream.hostname, upstream.port or 5432))
        for pair in ((client, server), (server, client)):
            threading.Thread(target=pump, args=pair, daemon=True).start()


listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen(8)
threading.Thread(target=serve, args=(listener,), daemon=True).start()
proxied = upstream._replace(netloc=f"postgres@127.0.0.1:{listener.getsockname()[1]}")
os.environ["DATABASE_URL"] = urlunsplit(proxied)

import django
django.setup()
from django.db import OperationalError, connection

connection.cursor().execute("SELECT 1")  # connected, through the proxy
hold.set()  # the server goes silent on the open connection
started = time.monotonic()
if sys.argv[1] == "health check":
    # What a pooled connection meets first in a request (CONN_HEALTH_CHECKS): an idle
    # connection with nothing to read passes at once, so the wait is the first statement's.
    connection.health_check_done = False
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        print("answered")
    except OperationalError as error:
        print(f"gave up after {time.monotonic() - started:.1f} s")
elif sys.argv[1] == "pipeline":
    # Statements sent together (catalog.prepared.read_together): the wait is at the fetch.
    try:
        with connection.pipeline():
            cursors = [connection.prepared_cursor() for _ in range(3)]
            for cursor in cursors:
                cursor.execute("SELECT %s", [1])
            print([cursor.fetchall() for cursor in cursors])
    except OperationalError as error:
        print(f"gave up after {time.monotonic() - started:.1f} s")
else:
    try:
        connection.cursor().execute("SELECT 1")
        print("answered")
    except OperationalError as error:
        print(f"gave up after {time.monotonic() - started:.1f} s")
"""


@needs_postgresql
@pytest.mark.parametrize("waiting_in", ["statement", "health check", "pipeline"])
def test_a_server_silent_on_an_open_connection_is_given_up_on_by_the_watchdog(waiting_in):
    # statement_timeout cannot help: the server never sees the statement. The client-side
    # watchdog (config.postgresql) closes the socket after DB_STATEMENT_TIMEOUT + grace.
    url = urlunsplit(urlsplit(postgresql_url())._replace(path="/postgres"))
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DB_STATEMENT_TIMEOUT": "1",
        "DB_WATCHDOG_GRACE": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", STALLING_PROXY_SCRIPT, waiting_in],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.stdout.startswith("gave up after"), result.stdout + result.stderr
    seconds = float(result.stdout.split()[3])
    assert 2 <= seconds < 4, result.stdout


@needs_postgresql
@pytest.mark.django_db
def test_postgresql_connections_carry_tcp_keepalives():
    parameters = connection.connection.info.get_parameters()
    assert parameters["keepalives"] == "1"
    assert int(parameters["tcp_user_timeout"]) > 0


DROPPED_CONNECTION_SCRIPT = """
import os, time, django
django.setup()
import psycopg
from django.db import connection
from django.db.backends.postgresql.base import DatabaseWrapper

round_trips = []
selects = DatabaseWrapper.is_usable  # Django's: a `SELECT 1`


def counted(self):
    round_trips.append(1)
    return selects(self)


DatabaseWrapper.is_usable = counted
connection.cursor().execute("SELECT 1")
first = connection.connection.info.backend_pid
connection.health_check_done = False  # as at the start of every request
connection.close_if_health_check_failed()
print("idle", connection.connection.info.backend_pid == first, len(round_trips))

with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as other:
    other.execute("SELECT pg_terminate_backend(%s)", [first])
time.sleep(0.5)
connection.health_check_done = False
with connection.cursor() as cursor:
    cursor.execute("SELECT pg_backend_pid()")
    (now,) = cursor.fetchone()
print("dropped", now != first, len(round_trips))
"""


@needs_postgresql
def test_the_health_check_sends_nothing_on_a_live_connection_and_replaces_a_dropped_one():
    # Django's check is a `SELECT 1` round trip before each request's first query; here
    # an idle connection with nothing to read passes without it, and one the server
    # ended (a restart, an idle timeout) still gets it, fails it and is replaced, so the
    # request after a restart answers instead of giving the outage 503.
    url = urlunsplit(urlsplit(postgresql_url())._replace(path="/postgres"))
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("DB_CONN_HEALTH_CHECKS", None)
    result = subprocess.run(
        [sys.executable, "-c", DROPPED_CONNECTION_SCRIPT],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.stdout.splitlines() == ["idle True 0", "dropped True 1"], (
        result.stdout + result.stderr
    )
