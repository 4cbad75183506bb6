"""Price charts as plain geometry for server-rendered SVG (no JavaScript, no CDN)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import mark_safe

from catalog.formatting import format_date, format_usd
from comparisons.snapshot import PairSnapshot

WIDTH = 640
LABEL_WIDTH = 230
BAR_AREA = WIDTH - LABEL_WIDTH - 70
BAR_HEIGHT = 12
ROW_HEIGHT = 40


@dataclass(frozen=True)
class Bar:
    y: int
    width: int
    kind: str  # "input" or "output"
    value_text: str
    text_x: int


@dataclass(frozen=True)
class ChartRow:
    label: str
    y: int
    bars: tuple[Bar, ...]


COLOURS = {"input": "#2b6cb0", "output": "#b7471b"}
LABEL_CHARS = 36


def short_label(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    rows: tuple[ChartRow, ...]
    description: str

    @property
    def svg_body(self) -> str:
        """The bars and labels as escaped SVG markup, built here in one pass: a template
        loop over every bar costs more than the rest of the page."""
        parts = []
        for row in self.rows:
            parts.append(
                format_html(
                    '<text x="0" y="{}" font-size="12" fill="#222">{}</text>',
                    row.y,
                    short_label(row.label),
                )
            )
            for bar in row.bars:
                parts.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="12" fill="{}"></rect>'
                        '<text x="{}" y="{}" font-size="10" fill="#222">{}</text>',
                        self.label_width,
                        bar.y,
                        bar.width,
                        COLOURS[bar.kind],
                        bar.text_x,
                        bar.y + 10,
                        bar.value_text,
                    )
                )
        return mark_safe("".join(parts))  # every part above is format_html-escaped


def _scale(value: Decimal, top: Decimal) -> int:
    if top <= 0:
        return 0
    return max(1, int(value / top * BAR_AREA)) if value > 0 else 0


def price_bar_chart(pair: PairSnapshot) -> BarChart | None:
    """Input and output price per provider for both models, or None with no prices."""
    entries = [
        (f"{model.name} — {offering.provider_name}", offering)
        for model in (pair.a, pair.b)
        for offering in model.priced_offerings
    ]
    if not entries:
        return None
    top = max(max(o.input, o.output) for _label, o in entries)
    rows = []
    for index, (label, offering) in enumerate(entries):
        y = 10 + index * ROW_HEIGHT
        bars = []
        for offset, kind, value in ((0, "input", offering.input), (14, "output", offering.output)):
            width = _scale(value, top)
            bars.append(
                Bar(
                    y=y + offset,
                    width=width,
                    kind=kind,
                    value_text=f"{kind} {format_usd(value)}",
                    text_x=LABEL_WIDTH + width + 4,
                )
            )
        rows.append(ChartRow(label=label, y=y + 12, bars=tuple(bars)))
    return BarChart(
        width=WIDTH,
        height=20 + len(rows) * ROW_HEIGHT,
        label_width=LABEL_WIDTH,
        rows=tuple(rows),
        description=(
            "Input and output price in USD per 1M tokens on each provider: "
            + "; ".join(
                f"{label}: input {format_usd(o.input)}, output {format_usd(o.output)}"
                for label, o in entries
            )
        ),
    )


@dataclass(frozen=True)
class Line:
    label: str
    kind: str
    points: str  # SVG polyline points
    series_index: int


@dataclass(frozen=True)
class HistoryChart:
    width: int
    height: int
    lines: tuple[Line, ...]
    start_text: str
    end_text: str
    top_text: str
    description: str


def price_history_chart(
    series: list[tuple[str, list[tuple[date, Decimal, Decimal]]]], *, today: date
) -> HistoryChart | None:
    """Step lines of input and output price over time, one pair of lines per provider.

    `series` is [(provider name, [(effective date, input, output), ...] oldest first)].
    """
    series = [(name, points) for name, points in series if points]
    if not series:
        return None
    width, height, left, right, top_pad, bottom = 640, 220, 50, 20, 15, 30
    start = min(points[0][0] for _n, points in series)
    end = max(today, max(points[-1][0] for _n, points in series))
    span = max((end - start).days, 1)
    top = max(max(max(i, o) for _d, i, o in points) for _n, points in series) or Decimal(1)

    def x(day: date) -> int:
        return left + int((day - start).days / span * (width - left - right))

    def y(value: Decimal) -> int:
        return top_pad + int((1 - value / top) * (height - top_pad - bottom))

    lines = []
    described = []
    for index, (name, points) in enumerate(series):
        for kind, position in (("input", 1), ("output", 2)):
            coords = []
            for number, point in enumerate(points):
                value = point[position]
                if number:
                    coords.append(f"{x(point[0])},{y(points[number - 1][position])}")
                coords.append(f"{x(point[0])},{y(value)}")
            coords.append(f"{x(end)},{y(points[-1][position])}")
            lines.append(
                Line(
                    label=f"{name} {kind}",
                    kind=kind,
                    points=" ".join(coords),
                    series_index=index % 4,
                )
            )
        described.append(
            f"{name}: "
            + ", ".join(
                f"from {format_date(d)} input {format_usd(i)}, output {format_usd(o)}"
                for d, i, o in points
            )
        )
    return HistoryChart(
        width=width,
        height=height,
        lines=tuple(lines),
        start_text=format_date(start),
        end_text=format_date(end),
        top_text=format_usd(top),
        description="Price history in USD per 1M tokens. " + "; ".join(described),
    )
