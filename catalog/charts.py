"""A model's price history as plain geometry for a server-rendered SVG chart (no
JavaScript, no CDN): the model page's chart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from catalog.formatting import format_date, format_usd


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
