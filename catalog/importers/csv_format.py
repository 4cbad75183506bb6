"""Our own price list CSV (docs/csv-format.md): one line per offering price.

    provider,provider_model_id,model,tier,context_threshold,input,output,cache_read,
    cache_write,effective_date,source_url

Money is USD per 1M tokens written as a decimal ("0.25"). The exporter writes the same
columns, so an export imported again changes nothing; cells a spreadsheet would run as
formulas are written inert and read back as they were (catalog.spreadsheet_cells).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from catalog.importers.source import (
    ImportFormatError,
    ParsedSource,
    PriceValueError,
    SourceRow,
    check_size,
    price_per_million,
)
from catalog.spreadsheet_cells import neutralise_formula, restore_formula

FORMAT = "csv"
COLUMNS = [
    "provider",
    "provider_model_id",
    "model",
    "tier",
    "context_threshold",
    "input",
    "output",
    "cache_read",
    "cache_write",
    "effective_date",
    "source_url",
]
REQUIRED = {"provider", "provider_model_id", "input", "output"}
# What each column holds, as the admin's import page explains it (docs/csv-format.md
# has the full rules).
COLUMN_HELP = {
    "provider": "our provider slug, e.g. google-ai-studio or openrouter",
    "provider_model_id": "the id the provider's API uses, or one of the offering's aliases",
    "model": "our model slug: only to add a new offering of a model we carry",
    "tier": "standard (when empty), batch, flex or priority",
    "context_threshold": "0 for the base price; else the prompt size above which it applies",
    "input": "USD per 1M input tokens, e.g. 0.25",
    "output": "USD per 1M output tokens",
    "cache_read": "USD per 1M cached input tokens; empty when not offered",
    "cache_write": "USD per 1M tokens written to the cache; empty when not offered",
    "effective_date": "YYYY-MM-DD the price takes effect; empty means today",
    "source_url": "the page the price was read from",
}
TIERS = ("standard", "batch", "flex", "priority")
CONTEXT_THRESHOLD_MAX = 2**31 - 1


def parse(path: str | Path) -> ParsedSource:
    path = Path(path)
    check_size(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFormatError("The CSV is not UTF-8 text.") from None
    return parse_text(text)


def parse_text(text: str) -> ParsedSource:
    if "\x00" in text:
        raise ImportFormatError("The file is binary, not a CSV.")
    parsed = ParsedSource(format=FORMAT)
    parsed.rows.extend(_read_rows(io.StringIO(text, newline="")))
    return parsed


def stream(path: str | Path) -> ParsedSource:
    """`parse` for files of any length: the rows are a `CsvRows`, read from disk again on
    each pass, so memory does not grow with the file. The header is checked now."""
    path = Path(path)
    check_size(path)
    rows = CsvRows(path)
    with rows.lines() as lines:
        next(_read_rows(lines), None)  # the header's problems, before any task runs
    return ParsedSource(format=FORMAT, rows=rows)


class CsvRows:
    """The rows of a CSV file, one at a time, from the file itself on each iteration."""

    def __init__(self, path: Path):
        self.path = path

    def __iter__(self) -> Iterator[SourceRow]:
        with self.lines() as lines:
            yield from _read_rows(lines)

    @contextmanager
    def lines(self) -> Iterator[Iterator[str]]:
        with self.path.open(encoding="utf-8-sig", newline="") as handle:
            yield _text_lines(handle)


def _text_lines(handle) -> Iterator[str]:
    """`parse`'s checks of the whole text, a line at a time."""
    try:
        for line in handle:
            if "\x00" in line:
                raise ImportFormatError("The file is binary, not a CSV.")
            yield line
    except UnicodeDecodeError:
        raise ImportFormatError("The CSV is not UTF-8 text.") from None


def _read_rows(lines: Iterable[str]) -> Iterator[SourceRow]:
    reader = csv.DictReader(lines, strict=True)
    try:
        header = reader.fieldnames or []
    except csv.Error as exc:
        raise ImportFormatError(f"Not a readable CSV: {exc}") from None
    missing = sorted(REQUIRED - {h.strip() for h in header})
    if missing:
        raise ImportFormatError(
            f"Not our price CSV: the header lacks {', '.join(missing)} "
            f"(expected columns: {', '.join(COLUMNS)})."
        )
    try:
        for record in reader:
            line = reader.line_num
            record = {
                (k or "").strip(): restore_formula((v or "").strip())
                for k, v in record.items()
                if k
            }
            if not any(record.values()):
                continue
            yield _row(line, record)
    except csv.Error as exc:
        # line_num still counts the lines of the last good record: the broken one is next.
        raise ImportFormatError(f"Line {reader.line_num + 1}: broken CSV ({exc}).") from None


def _row(line: int, record: dict[str, str]) -> SourceRow:
    row = SourceRow(
        ref=f"line {line}",
        provider=record.get("provider", ""),
        provider_model_id=record.get("provider_model_id", ""),
        model_slug=record.get("model", ""),
        model_name=record.get("model", ""),
        source_url=record.get("source_url", ""),
        effective_date=record.get("effective_date", ""),
    )
    if not row.provider:
        row.errors.append("provider is empty")
    if not row.provider_model_id:
        row.errors.append("provider_model_id is empty")
    row.tier = record.get("tier") or "standard"
    if row.tier not in TIERS:
        row.errors.append(f"tier {row.tier!r} is not one of {', '.join(TIERS)}")
    threshold = record.get("context_threshold") or "0"
    if not (threshold.isascii() and threshold.isdigit()):  # "²" is a digit, not a number
        row.errors.append(f"context_threshold {threshold!r} is not a whole number of tokens")
    elif int(threshold) > CONTEXT_THRESHOLD_MAX:  # the column's limit on PostgreSQL
        row.errors.append(f"context_threshold {threshold} is over {CONTEXT_THRESHOLD_MAX:,}")
    else:
        row.context_threshold = int(threshold)
    if row.effective_date:
        try:
            date.fromisoformat(row.effective_date)
        except ValueError:
            row.errors.append(f"effective_date {row.effective_date!r} is not YYYY-MM-DD")
    for field in ("input", "output", "cache_read", "cache_write"):
        value = record.get(field, "")
        if value == "":
            if field in ("input", "output"):
                row.errors.append(f"{field} price is missing")
            continue
        try:
            setattr(row, field, price_per_million(value, what=field))
        except PriceValueError as exc:
            row.errors.append(str(exc))
    return row


def write(lines: Iterable[dict], out) -> int:
    """Write price lines (dicts keyed by COLUMNS) as our CSV; returns the line count."""
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for line in lines:
        writer.writerow(
            {key: "" if line.get(key) is None else neutralise_formula(line[key]) for key in COLUMNS}
        )
        count += 1
    return count
