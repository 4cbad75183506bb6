"""`make bench`'s "once" rows (each path requested once) are timed by the harness, from
wrk's start to the moment 90% of the paths are answered (bench/run.py, load_wrk)."""

import json
import os
import stat
from pathlib import Path

import pytest

from bench import run

# Stands in for wrk: prints its banner and DONE in one write, as wrk's buffered stdout
# does, then waits for SIGINT (or its run of FAKE_WRK_TENTHS tenths of a second) before
# printing the summary.
FAKE_WRK = """#!/bin/sh
trap 'cat "$FAKE_WRK_RESULT"; exit 0' INT
printf 'Running 5s test\\n  1 threads and 8 connections\\nDONE 45\\n'
i=0
while [ $i -lt "$FAKE_WRK_TENTHS" ]; do sleep 0.1; i=$((i + 1)); done
cat "$FAKE_WRK_RESULT"
"""
SUMMARY = {"rps": 1.0, "p50": 40.0, "p95": 60.0, "max": 90.0, "seconds": 5.0, "requests": 5}
SUMMARY |= {"non_2xx_3xx": 0, "socket_errors": 0, "timeouts": 0}


@pytest.fixture
def fake_wrk(tmp_path, monkeypatch):
    wrk = Path(tmp_path) / "wrk"
    wrk.write_text(FAKE_WRK)
    wrk.chmod(wrk.stat().st_mode | stat.S_IEXEC)
    result = Path(tmp_path) / "result"
    result.write_text(f"RESULT {json.dumps(SUMMARY)}\n")
    monkeypatch.setenv("FAKE_WRK_RESULT", str(result))
    monkeypatch.setenv("FAKE_WRK_TENTHS", "50")
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    return monkeypatch


def test_a_once_row_is_timed_to_its_done_line_not_to_wrks_end(fake_wrk):
    paths = [f"/models/m{i}/" for i in range(50)]
    figures = run.load_wrk(paths, seconds=5, connections=8, once=True)
    # DONE came with the banner in one write; it is seen at once, and wrk is stopped.
    assert figures["requests"] == 45
    assert figures["seconds"] < 2.5
    assert figures["rps"] == pytest.approx(45 / figures["seconds"])
    assert figures["p95"] == 60.0  # latencies stay wrk's


def test_a_row_that_runs_its_whole_duration_keeps_wrks_figures(fake_wrk):
    fake_wrk.setenv("FAKE_WRK_TENTHS", "5")
    figures = run.load_wrk(["/"], seconds=5, connections=8, once=False)
    assert figures["requests"] == 5 and figures["seconds"] == 5.0 and figures["rps"] == 1.0
