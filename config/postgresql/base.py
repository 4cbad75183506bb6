"""Django's PostgreSQL backend with a client-side limit on every statement.

`statement_timeout` (config.settings.with_timeouts) is enforced by the server: a server
that has stopped answering on a connection it already accepted (frozen, or a proxy or
network in between holding the bytes) never enforces it, and the request would wait until
gunicorn kills the worker. Here every statement has a deadline, DB_STATEMENT_TIMEOUT plus
DB_WATCHDOG_GRACE seconds (the server gets the first chance to cancel it cleanly); one
watchdog thread per process shuts down the socket of a statement past its deadline, so the
waiting read fails at once, psycopg raises OperationalError and the visitor gets the
outage 503 (config.middleware.DatabaseUnavailableMiddleware). Django discards the broken
connection at the end of the request. Cost per statement: a clock read and two dictionary
writes; the watchdog wakes every WATCH_INTERVAL seconds.

Watched: statements (cursor.execute / executemany: PostgreSQL's client-side cursors fetch
every row during execute), a pipeline of statements (`DatabaseWrapper.pipeline`: their
results arrive at the fetch, after each execute returned), the health check of a pooled
connection, COMMIT and ROLLBACK.
Not watched: the chunked reads of a server-side cursor (`.iterator()`), which rely on TCP
keepalives (settings).

Also here, for catalog.prepared's reads: `pipeline` (several statements in one round
trip) and `prepared_cursor` (statements planned once per connection); and a health check
that makes no round trip on a live connection (`is_usable`)."""

from __future__ import annotations

import logging
import os
import select
import socket
import threading
import time
from contextlib import contextmanager

import psycopg
from django.conf import settings
from django.db.backends.postgresql import base

logger = logging.getLogger(__name__)

WATCH_INTERVAL = 0.25


class StatementWatchdog:
    """Deadlines of the statements running in this process, by thread, and the thread that
    enforces them. Started lazily, and again in a forked child (threads do not survive a
    fork: gunicorn forks its workers after importing the app)."""

    def __init__(self) -> None:
        self.running: dict[int, tuple[float, int]] = {}
        self.pid: int | None = None
        self.lock = threading.Lock()

    def ensure_started(self) -> None:
        if self.pid == os.getpid():
            return
        with self.lock:
            if self.pid != os.getpid():
                self.running.clear()
                threading.Thread(target=self.watch, name="db-watchdog", daemon=True).start()
                self.pid = os.getpid()

    def watch(self) -> None:
        while True:
            time.sleep(WATCH_INTERVAL)
            now = time.monotonic()
            for thread_id, (deadline, fd) in list(self.running.items()):
                if now >= deadline and self.running.get(thread_id) == (deadline, fd):
                    self.running.pop(thread_id, None)
                    shut_down(fd)

    @contextmanager
    def watching(self, pg_connection):
        """Within the block, `pg_connection` (psycopg's) is closed if it stays past the
        statement deadline."""
        limit = statement_limit()
        thread_id = threading.get_ident()
        if (
            limit is None
            or pg_connection is None
            or pg_connection.closed
            or thread_id in self.running  # within a watched block (a pipeline): its deadline
        ):
            yield
            return
        self.ensure_started()
        self.running[thread_id] = (time.monotonic() + limit, pg_connection.pgconn.socket)
        try:
            yield
        finally:
            self.running.pop(thread_id, None)

    def __call__(self, execute, sql, params, many, context):
        """Django's execute_wrapper hook: every cursor.execute / executemany."""
        with self.watching(context["connection"].connection):
            return execute(sql, params, many, context)


def statement_limit() -> float | None:
    timeout = settings.DB_STATEMENT_TIMEOUT
    if timeout <= 0:
        return None
    return timeout + settings.DB_WATCHDOG_GRACE


def shut_down(fd: int) -> None:
    logger.error("Database silent past the statement deadline: closing its connection")
    try:
        # A duplicate of the descriptor: shutting it down ends the connection for the
        # waiting read; closing the duplicate leaves the original for psycopg to close.
        with socket.socket(fileno=os.dup(fd)) as sock:
            sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # the statement finished and psycopg closed the socket meanwhile


watchdog = StatementWatchdog()


def has_input(fd: int) -> bool:
    """Whether the socket has something to read (or was closed), without waiting."""
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(0))


# psycopg's threshold for preparing a statement by itself: never in practice, but
# `prepare=True` is honoured (with the threshold None, Django's default, it is not), so
# only PreparingCursor's statements are prepared.
ONLY_WHEN_ASKED = 2**62


class PreparingCursor(base.ServerBindingCursor):
    """Binds its parameters on the server and runs each statement as a prepared one:
    planned once per connection and parameter types (psycopg keeps the last
    `prepared_max`, 100, and deallocates older ones)."""

    def execute(self, query, params=None, *, prepare=True, binary=None):
        return super().execute(query, params, prepare=prepare, binary=binary)


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.execute_wrappers.append(watchdog)

    @contextmanager
    def pipeline(self):
        """A block whose statements are sent without waiting for each other's results
        (psycopg's pipeline mode): the first fetch, or the end of the block, sends them
        all and waits once. The connection's health is checked before (in a pipeline the
        check's `SELECT 1` could not fail); the block as a whole is under the statement
        deadline, and a failure in it is Django's error, as from a cursor."""
        if not psycopg.Pipeline.is_supported():
            yield
            return
        self.close_if_health_check_failed()
        self.ensure_connection()
        with (
            self.wrap_database_errors,
            watchdog.watching(self.connection),
            self.connection.pipeline(),
        ):
            yield

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        if settings.DB_PREPARED_STATEMENTS and connection.prepare_threshold is None:
            connection.prepare_threshold = ONLY_WHEN_ASKED
        return connection

    def prepared_cursor(self):
        """A cursor (Django's, so counted and logged) whose statements are prepared on
        the server, for the fixed statements of catalog.prepared that every uncached page
        runs: planning them cost the server twice what running them did (a model page:
        3.0 to 1.6 ms of the server's CPU). An ordinary cursor with
        DB_PREPARED_STATEMENTS off (a pooler in transaction mode that does not keep
        prepared statements per client)."""
        if not settings.DB_PREPARED_STATEMENTS:
            return self.cursor()
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            return self._prepare_cursor(PreparingCursor(self.connection))

    # What talks to the server outside cursor.execute: the health check at the start of a
    # request on a pooled connection (CONN_HEALTH_CHECKS: psycopg's own execute, where a
    # frozen server was first met), and ending a transaction.
    def is_usable(self):
        """Whether a reused connection still works (CONN_HEALTH_CHECKS: asked before the
        first query of each request). Django sends `SELECT 1`, a round trip on every
        request that reaches the database. Here an idle connection with nothing to read
        passes without one: the server sends nothing unprompted on an idle session
        except when it ends it (an error message, then the close), so a connection the
        server dropped (a restart, an idle timeout, pg_terminate_backend) has something to
        read and gets the `SELECT 1`, which fails, and Django replaces the connection. A
        server gone silent is met by the request's first statement instead, under the
        same deadline."""
        pg_connection = self.connection
        if pg_connection is None or pg_connection.closed:
            return False
        if (
            pg_connection.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
            and not has_input(pg_connection.pgconn.socket)
        ):
            return True
        with watchdog.watching(pg_connection):
            return super().is_usable()

    def _commit(self):
        with watchdog.watching(self.connection):
            return super()._commit()

    def _rollback(self):
        with watchdog.watching(self.connection):
            return super()._rollback()
