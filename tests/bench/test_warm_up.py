"""`make bench` warms every gunicorn worker before measuring (bench/gunicorn_warm.py):
pairs that between them name every model, requested in each worker in process, and a
failed warm-up request fails the run."""

import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

from bench import gunicorn_warm
from bench.run import HarnessError, PairPool, wait_for_warm_workers

SLUGS = [f"model-{i:03d}" for i in range(101)]


def test_the_covering_pairs_name_every_model_and_none_is_requested_again():
    pool = PairPool(SLUGS)
    pool.used.add((SLUGS[0], SLUGS[1]))
    covering = pool.cover(SLUGS)
    assert {slug for pair in covering for slug in pair} == set(SLUGS)
    assert len(covering) <= len(SLUGS) // 2 + 2
    assert (SLUGS[0], SLUGS[1]) not in covering
    assert all(a < b for a, b in covering)  # canonical order: no redirect
    assert len(set(covering)) == len(covering)
    later = pool.take(500)
    assert not set(later) & set(covering)


def test_each_worker_requests_every_warm_path_through_its_application(tmp_path, monkeypatch):
    seen = []

    def application(environ, start_response):
        seen.append((environ["PATH_INFO"], environ["QUERY_STRING"], environ["HTTP_HOST"]))
        start_response("404 Not Found" if "missing" in environ["PATH_INFO"] else "200 OK", [])
        return [b"body"]

    (tmp_path / "paths.txt").write_text("/compare/a-vs-b/\n/api/v1/models/?page=2\n/missing/\n")
    done = tmp_path / "done"
    done.mkdir()
    monkeypatch.setenv("BENCH_WARM_PATHS", str(tmp_path / "paths.txt"))
    monkeypatch.setenv("BENCH_WARM_DONE", str(done))
    socket = SimpleNamespace(getsockname=lambda: ("127.0.0.1", 8765))
    notified = []
    worker = SimpleNamespace(
        wsgi=application, sockets=[socket], notify=lambda: notified.append(True)
    )

    gunicorn_warm.post_worker_init(worker)

    assert seen == [
        ("/compare/a-vs-b/", "", "127.0.0.1:8765"),
        ("/api/v1/models/", "page=2", "127.0.0.1:8765"),
        ("/missing/", "", "127.0.0.1:8765"),
    ]
    assert len(notified) == 3  # the arbiter hears from a worker that warms for long
    (answers,) = done.iterdir()
    assert answers.read_text().splitlines() == [
        "200 /compare/a-vs-b/",
        "200 /api/v1/models/?page=2",
        "404 /missing/",
    ]


def test_without_warm_paths_a_worker_starts_at_once(monkeypatch):
    monkeypatch.delenv("BENCH_WARM_PATHS", raising=False)
    gunicorn_warm.post_worker_init(SimpleNamespace())  # touches nothing of the worker


def running() -> subprocess.Popen:
    return subprocess.Popen(["sleep", "30"])


def test_the_run_goes_on_once_every_worker_answered_200(tmp_path: Path):
    (tmp_path / "101").write_text("200 /models/\n")
    (tmp_path / "102").write_text("200 /models/\n")
    process = running()
    try:
        wait_for_warm_workers(process, tmp_path, 2, timeout=5)
    finally:
        process.kill()
        process.wait()


def test_the_run_fails_when_a_warm_up_request_failed(tmp_path: Path):
    (tmp_path / "101").write_text("200 /models/\n")
    (tmp_path / "102").write_text("200 /models/\n500 /compare/a-vs-b/\n")
    process = running()
    try:
        with pytest.raises(HarnessError, match="500 /compare/a-vs-b/"):
            wait_for_warm_workers(process, tmp_path, 2, timeout=5)
    finally:
        process.kill()
        process.wait()


def test_the_run_waits_for_every_worker_and_gives_up_in_time(tmp_path: Path):
    (tmp_path / "101").write_text("200 /models/\n")
    process = running()
    try:
        with pytest.raises(HarnessError, match="did not warm up"):
            wait_for_warm_workers(process, tmp_path, 2, timeout=0.5)
    finally:
        process.kill()
        process.wait()
