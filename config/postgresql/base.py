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
every row during execute), the health check of a pooled connection, COMMIT and ROLLBACK.
Not watched: the chunked reads of a server-side cursor (`.iterator()`), which rely on TCP
keepalives (settings)."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from contextlib import contextmanager

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
        if limit is None or pg_connection is None or pg_connection.closed:
            yield
            return
        self.ensure_started()
        thread_id = threading.get_ident()
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


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.execute_wrappers.append(watchdog)

    # What talks to the server outside cursor.execute: the health check at the start of a
    # request on a pooled connection (CONN_HEALTH_CHECKS: psycopg's own execute, where a
    # frozen server was first met), and ending a transaction.
    def is_usable(self):
        with watchdog.watching(self.connection):
            return super().is_usable()

    def _commit(self):
        with watchdog.watching(self.connection):
            return super()._commit()

    def _rollback(self):
        with watchdog.watching(self.connection):
            return super()._rollback()
