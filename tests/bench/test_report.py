"""`make bench`'s verdict (bench/report.py): a missed target, or errors while measuring,
make the run exit non-zero and show in the table; targets met exit 0."""

import pytest

from bench.report import ROWS, Cell, Target, exit_code, missed, ratio_table
from bench.run import parse_args

ALL_MET = {
    "cmp_cached": Cell(0.95),
    "cmp_uncached": Cell(0.12),
    "model_uncached": Cell(0.10),  # exactly on the bound counts as met
    "models_list": Cell(0.93),
    "api_list_cached": Cell(0.61),
    "api_cmp_uncached": Cell(0.2),
    "cmp_after_edit": Cell(1.2),
    "api_list_after_edit": Cell(2.0),
    "crawler": Cell(0.11),
}


def test_every_row_of_the_issue_has_its_target():
    targets = {row.key: str(row.target) for row in ROWS}
    assert targets == {
        "cmp_cached": ">= 0.9",
        "cmp_cached_br": "None",  # reported only
        "cmp_uncached": ">= 0.1",
        "model_uncached": ">= 0.1",
        "models_list": ">= 0.9",
        "api_list_cached": ">= 0.5",
        "api_list_cached_own_size": "None",  # reported only
        "api_cmp_uncached": ">= 0.15",
        "cmp_after_edit": "<= 1.5",
        "api_list_after_edit": "<= 2",
        "crawler": ">= 0.1",
    }


def test_all_targets_met_exits_zero():
    results = {"SQLite": ALL_MET, "PG + Redis": ALL_MET}
    assert exit_code(results) == 0
    assert missed(results) == []
    assert "| no |" not in ratio_table(results)


@pytest.mark.parametrize(
    ("key", "value"),
    [("cmp_cached", 0.89), ("api_cmp_uncached", 0.149), ("cmp_after_edit", 1.51)],
)
def test_a_missed_target_on_one_stack_exits_non_zero_and_is_named(key, value):
    results = {"SQLite": ALL_MET, "PG + Redis": {**ALL_MET, key: Cell(value)}}
    assert exit_code(results) == 1
    label = next(row.label for row in ROWS if row.key == key)
    assert missed(results) == [("PG + Redis", label)]
    line = next(line for line in ratio_table(results).splitlines() if label in line)
    assert line.endswith("| no |")
    assert "✗" in line


def test_errors_while_measuring_miss_the_target_however_fast():
    results = {"SQLite": {**ALL_MET, "cmp_uncached": Cell(5.0, errors=3)}}
    assert exit_code(results) == 1
    assert "3 errors" in ratio_table(results)


def test_rows_not_measured_neither_pass_nor_fail():
    results = {"SQLite": {"cmp_cached": Cell(0.95)}, "PG + Redis": {}}
    assert exit_code(results) == 0
    table = ratio_table(results)
    assert "comparison page, cached" in table
    assert "model page" not in table


def test_a_report_only_row_never_fails_the_run():
    results = {"SQLite": {**ALL_MET, "cmp_cached_br": Cell(0.01)}}
    assert exit_code(results) == 0
    line = next(line for line in ratio_table(results).splitlines() if "Accept-Encoding" in line)
    assert line.endswith("| report only |")


def test_target_comparisons():
    assert Target(">=", 0.9).met(0.9) and not Target(">=", 0.9).met(0.899)
    assert Target("<=", 1.5).met(1.5) and not Target("<=", 1.5).met(1.501)
    with pytest.raises(ValueError):
        Target("<", 1)


def test_quick_mode_shortens_the_run(monkeypatch):
    monkeypatch.setenv("BENCH_QUICK", "1")
    quick = parse_args([])
    assert (quick.duration, quick.sizes, quick.crawl) == (3.0, "500", 1000)
    monkeypatch.delenv("BENCH_QUICK")
    full = parse_args(["--stacks", "pg"])
    assert (full.duration, full.sizes, full.crawl, full.stacks) == (
        8.0,
        "500,seed,1500",
        10_000,
        "pg",
    )
