"""The rows of `make bench`, their targets, the side-by-side table and the exit code.

Pure: no Django, no server. bench/run.py measures and fills `Cell`s; this module turns
them into the printed table and decides whether every target was met
(tests/bench/test_report.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    """`value op bound`: ">=" for ratios to the static file, "<=" for slow-downs."""

    op: str
    bound: float

    def __post_init__(self):
        if self.op not in (">=", "<="):
            raise ValueError(f"unknown comparison {self.op!r}")

    def met(self, value: float) -> bool:
        return value >= self.bound if self.op == ">=" else value <= self.bound

    def __str__(self) -> str:
        return f"{self.op} {self.bound:g}"


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    target: Target | None  # None: reported, never fails the run
    unit: str = ""  # "x" for slow-downs (1.4x); ratios to the static file print bare


@dataclass(frozen=True)
class Cell:
    """One measured value of a row on one stack and catalog. `errors`: answers that were
    not 2xx/3xx, socket errors and timeouts while measuring it (any error misses the
    target: a fast failure is not a fast page)."""

    value: float | None
    errors: int = 0
    note: str = ""


# The table of issue #16, in its order. Ratios are requests/s of the page over
# requests/s of a static file of the same size from the same server in the same run.
ROWS: tuple[Row, ...] = (
    Row("cmp_cached", "comparison page, cached", Target(">=", 0.90)),
    Row("cmp_uncached", "comparison page, uncached", Target(">=", 0.10)),
    Row("model_uncached", "model page, uncached", Target(">=", 0.10)),
    Row("models_list", "`/models/`", Target(">=", 0.90)),
    Row("api_list_cached", "`/api/v1/models/`, cached", Target(">=", 0.50)),
    Row("api_cmp_uncached", "API comparison, uncached", Target(">=", 0.15)),
    Row(
        "cmp_after_edit",
        "comparison page right after an edit, vs an ordinary uncached one",
        Target("<=", 1.5),
        unit="x",
    ),
    Row(
        "api_list_after_edit",
        "`/api/v1/models/` right after an edit, vs a new URL",
        Target("<=", 2.0),
        unit="x",
    ),
    # What a browser gets: the same cached page, compressed on the way out (wrk sends no
    # Accept-Encoding otherwise). Reported, not a target of the issue.
    Row("cmp_cached_br", "comparison page, cached, `Accept-Encoding: br, gzip`", None),
    # The cached API list against a static file of its own size (655 KB at 500 models,
    # where the row above compares it with one of the comparison page's, 51 KB).
    Row(
        "api_list_cached_own_size",
        "`/api/v1/models/`, cached, vs a static file of its own size",
        None,
    ),
    # Every sitemap pair is an uncached comparison page to a crawler: the same goal.
    Row("crawler", "crawler: random sitemap pairs, each requested once", Target(">=", 0.10)),
)
ROWS_BY_KEY = {row.key: row for row in ROWS}

MET, MISSED, NOT_RUN, REPORTED = "met", "MISSED", "not run", "report only"


def verdict(row: Row, cell: Cell | None) -> str:
    if cell is None or cell.value is None:
        return NOT_RUN
    if row.target is None:
        return REPORTED
    if cell.errors or not row.target.met(cell.value):
        return MISSED
    return MET


def format_value(row: Row, cell: Cell | None) -> str:
    if cell is None or cell.value is None:
        return "-"
    text = f"{cell.value:.2f}{row.unit}"
    if cell.errors:
        text += f" ({cell.errors} errors)"
    if cell.note:
        text += f" ({cell.note})"
    if verdict(row, cell) == MISSED:
        text = f"**{text}** ✗"
    return text


def missed(results: Mapping[str, Mapping[str, Cell]]) -> list[tuple[str, str]]:
    """(column, row label) of every measured cell that misses its target."""
    return [
        (column, row.label)
        for column, cells in results.items()
        for row in ROWS
        if verdict(row, cells.get(row.key)) == MISSED
    ]


def exit_code(results: Mapping[str, Mapping[str, Cell]]) -> int:
    """0 when every measured cell meets its target, 1 when any misses one."""
    return 1 if missed(results) else 0


def ratio_table(results: Mapping[str, Mapping[str, Cell]]) -> str:
    """Markdown: one row per scenario, its target, one column per stack and catalog
    (`results`: column label -> row key -> Cell), and whether the target was met
    everywhere it was measured."""
    columns = list(results)
    lines = [
        "| scenario | target | " + " | ".join(columns) + " | met |",
        "|---|---:|" + "---:|" * len(columns) + "---|",
    ]
    for row in ROWS:
        cells = [results[column].get(row.key) for column in columns]
        if all(cell is None or cell.value is None for cell in cells):
            continue
        verdicts = {verdict(row, cell) for cell in cells} - {NOT_RUN}
        met = "report only" if verdicts == {REPORTED} else "no" if MISSED in verdicts else "yes"
        lines.append(
            f"| {row.label} | {row.target or '-'} | "
            + " | ".join(format_value(row, cell) for cell in cells)
            + f" | {met} |"
        )
    return "\n".join(lines)


def markdown_table(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    """A plain markdown table; the first column left-aligned, the others right."""
    header = list(header)
    lines = [
        "| " + " | ".join(header) + " |",
        "|---|" + "---:|" * (len(header) - 1),
    ]
    lines += ["| " + " | ".join(str(value) for value in row) + " |" for row in rows]
    return "\n".join(lines)
