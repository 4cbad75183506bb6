"""gunicorn settings for `make bench` (`--config python:bench.gunicorn_warm`): each worker
warms itself before it accepts a connection.

The "uncached" rows measure pages nobody requested before from workers that have served a
while, so the per-process memos (a snapshot of every model, its provider-table rows, the
related-pairs index) hold every model, as docs/benchmarks.md says. Warming over HTTP could
not promise that: which worker accepts a request is up to the kernel, and the 24 pairs the
harness used to request reached about 33 of 500 models per worker, so most requests of
those rows built two model snapshots cold (about 40% of the workers' time, py-spy).

Here each worker, once its application is loaded, requests every path of the file named
by BENCH_WARM_PATHS through that application in process, then writes a file named after
its pid into BENCH_WARM_DONE holding the statuses it got (one per line), which the
harness waits for and checks.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from urllib.parse import urlsplit


def post_worker_init(worker) -> None:
    paths_file = os.environ.get("BENCH_WARM_PATHS")
    if not paths_file:
        return
    statuses = []
    for path in Path(paths_file).read_text().split():
        worker.notify()  # the arbiter counts a silent worker as hung
        statuses.append(request(worker.wsgi, path, worker.sockets[0].getsockname()[:2]))
    done = Path(os.environ["BENCH_WARM_DONE"]) / str(os.getpid())
    done.write_text("".join(f"{status} {path}\n" for status, path in statuses))


def request(application, path: str, address: tuple[str, int]) -> tuple[str, str]:
    """GET `path` from the WSGI `application` as gunicorn would: (status line, path)."""
    parts = urlsplit(path)
    host, port = address
    environ = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": parts.path,
        "QUERY_STRING": parts.query,
        "SERVER_NAME": host,
        "SERVER_PORT": str(port),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": f"{host}:{port}",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    status = []
    body = application(environ, lambda line, headers, exc_info=None: status.append(line))
    try:
        for _chunk in body:
            pass
    finally:
        if hasattr(body, "close"):
            body.close()  # Django's request_finished: connections handled as after a request
    return status[0].split()[0], path
