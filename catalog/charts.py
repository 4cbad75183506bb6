"""A model's price history as plain geometry for a server-rendered SVG chart (no
JavaScript, no CDN), with the same figures as table rows: the model page's chart."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypeVar

from django.utils.safestring import mark_safe

from catalog.formatting import format_date, format_percent, format_usd
from catalog.markup import escape_html
from catalog.models import EXTRA_PRICE_DIMENSIONS

# The viewBox width and the font size together set how large the axis text reads when
# the chart is scaled down: 13 / 400 * 358 px (a phone's content width) is 11.6 px.
WIDTH, HEIGHT = 400, 240
FONT_SIZE = 13
LEFT, RIGHT, TOP, BOTTOM = 64, 14, 14, 44
# The most providers one chart can tell apart; the table lists every one.
MAX_CHARTED = 6
# One dash pattern per provider ("" is solid); colour tells input from output.
DASHES = ("", "8 4", "2 3", "10 3 2 3", "4 4", "1 5")
COLOURS = {"input": "#2b6cb0", "output": "#b7471b"}

T = TypeVar("T")
# (effective date, input, output, then the price's other columns in the order of
# OTHER_PRICES, None where it states none). The chart draws input and output; the table
# says what moved in any of them.
PricePoint = tuple  # (date, Decimal, Decimal, Decimal | None, ...)
# A price's columns besides input and output, as the table's change text names them:
# (name in a sentence, unit when not per 1M tokens or when two share a name: image
# input per 1M tokens and per image).
_SHARED = Counter(label for label, _unit in EXTRA_PRICE_DIMENSIONS.values())
OTHER_PRICES = {
    "cache_read": ("cached input", ""),
    "cache_write": ("cache write", ""),
    **{
        field: (
            label.lower(),
            "" if unit == "1M tokens" and _SHARED[label] == 1 else f" per {unit}",
        )
        for field, (label, unit) in EXTRA_PRICE_DIMENSIONS.items()
    },
}


def said_once(say: Callable[[T], str]) -> Callable[[T], str]:
    """`say`, remembering what it said of each value (for one chart: a value's text must
    depend on the value alone)."""
    said: dict[T, str] = {}

    def once(value: T) -> str:
        try:
            return said[value]
        except KeyError:
            text = said[value] = say(value)
            return text

    return once


def step_points(prices: list[tuple[date, Decimal]], *, until: date) -> list[tuple[date, Decimal]]:
    """The corners of a step line: each price holds until the next dated price, where
    the line drops or rises straight down or up, and the last price holds until `until`
    (or its own date, if later). `prices` is oldest first."""
    corners: list[tuple[date, Decimal]] = []
    for day, value in prices:
        if corners:
            corners.append((day, corners[-1][1]))
        corners.append((day, value))
    if corners:
        corners.append((max(until, corners[-1][0]), corners[-1][1]))
    return corners


@dataclass(frozen=True)
class Marker:
    x: int
    y: int
    title: str  # "Google AI Studio: input $0.20 from 1 March 2026"


@dataclass(frozen=True)
class Line:
    kind: str  # "input" or "output"
    colour: str
    points: str  # SVG polyline points
    markers: tuple[Marker, ...]


@dataclass(frozen=True)
class ChartedProvider:
    name: str
    dash: str
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class TableRow:
    provider: str
    date: str
    input: str
    output: str
    change: str  # "First price", "Input down 20%, output unchanged", …


@dataclass(frozen=True)
class Label:
    x: int
    y: int
    text: str
    anchor: str = "start"


@dataclass(frozen=True)
class HistoryChart:
    width: int
    height: int
    font_size: int
    axis: tuple[tuple[int, int, int, int], ...]  # x1, y1, x2, y2
    labels: tuple[Label, ...]
    providers: tuple[ChartedProvider, ...]
    rows: tuple[TableRow, ...]
    # Said when some providers are left out of the chart (not the table).
    omitted_note: str
    description: str

    @property
    def legend_items(self) -> str:
        """The legend's items, one per charted provider, a sample of each of its lines,
        as escaped markup in one pass."""
        e = escape_html
        items = []
        for provider in self.providers:
            dash = f' stroke-dasharray="{e(provider.dash)}"' if provider.dash else ""
            lines = ", ".join(
                '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 36 12" width="36" '
                'height="12" aria-hidden="true" focusable="false"><line x1="0" y1="6" x2="36" '
                f'y2="6" stroke="{e(line.colour)}" stroke-width="2"{dash}></line></svg> '
                f"{e(line.kind)}"
                for line in provider.lines
            )
            items.append(f"\n      <li>{e(provider.name)}: {lines}</li>\n    ")
        return mark_safe("".join(items))  # every text is escaped

    @property
    def table_body(self) -> str:
        """The history table's rows as escaped markup, in one pass (a template loop of
        five cells a row, over every dated price of every provider)."""
        e = escape_html
        return mark_safe(  # every text is escaped
            "".join(
                f'\n      <tr><th scope="row">{e(row.provider)}</th><td data-label="From">'
                f'{e(row.date)}</td><td data-label="Input">{e(row.input)}</td>'
                f'<td data-label="Output">{e(row.output)}</td>'
                f'<td data-label="Change vs previous">{e(row.change)}</td></tr>\n    '
                for row in self.rows
            )
        )

    @property
    def svg_body(self) -> str:
        """The axes, labels, lines and markers as escaped SVG markup, in one pass (as a
        template loop they were a third of the model page's render). The numbers are
        ints; every text is escaped."""
        e = escape_html
        axis = "".join(
            f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#595959"></line>'
            for x1, y1, x2, y2 in self.axis
        )
        labels = "".join(
            f'<text x="{label.x}" y="{label.y}" font-size="{self.font_size}" fill="#222" '
            f'text-anchor="{e(label.anchor)}">{e(label.text)}</text>'
            for label in self.labels
        )
        parts = [axis, "\n    ", labels, "\n    "]
        for provider in self.providers:
            dash = f' stroke-dasharray="{e(provider.dash)}"' if provider.dash else ""
            for line in provider.lines:
                colour = e(line.colour)
                parts.append(
                    f'\n      <polyline points="{e(line.points)}" fill="none" stroke="{colour}" '
                    f'stroke-width="2"{dash}></polyline>\n      '
                )
                parts.extend(
                    f'<circle cx="{marker.x}" cy="{marker.y}" r="3.5" fill="#fff" '
                    f'stroke="{colour}" stroke-width="2"><title>{e(marker.title)}</title></circle>'
                    for marker in line.markers
                )
                parts.append("\n    ")
        return mark_safe("".join(parts))  # every text above is escaped


def price_history_chart(
    series: list[tuple[str, list[PricePoint]]], *, today: date, max_charted: int = MAX_CHARTED
) -> HistoryChart | None:
    """Step lines of input and output price over time up to today, one pair of lines
    per provider (the `max_charted` with the most price records when there are more),
    and every provider's prices as table rows.

    `series` is [(provider name, [(effective date, input, output), ...] oldest first)].
    """
    series = [(name, points) for name, points in series if points]
    if not series:
        return None
    # Each price is said in a marker, the description and the table: format it once.
    # Both texts depend on the value alone (1.5 and 1.50 read the same).
    usd, day_text = said_once(format_usd), said_once(format_date)
    ranked = sorted(range(len(series)), key=lambda n: (-len(series[n][1]), series[n][0]))
    charted = [series[n] for n in sorted(ranked[:max_charted])]
    start = min(points[0][0] for _n, points in charted)
    end = max(today, max(points[-1][0] for _n, points in charted))
    span = max((end - start).days, 1)
    top = max(max(max(point[1:3]) for point in points) for _n, points in charted) or Decimal(1)
    plot_right, plot_bottom = WIDTH - RIGHT, HEIGHT - BOTTOM

    def x(day: date) -> int:
        return LEFT + round((day - start).days / span * (plot_right - LEFT))

    def y(value: Decimal) -> int:
        return TOP + round((1 - value / top) * (plot_bottom - TOP))

    providers = []
    for index, (name, points) in enumerate(charted):
        lines = []
        for kind, position in (("input", 1), ("output", 2)):
            prices = [(point[0], point[position]) for point in points]
            corners = step_points(prices, until=end)
            markers = tuple(
                Marker(
                    x=x(day),
                    y=y(value),
                    title=f"{name}: {kind} {usd(value)} from {day_text(day)}",
                )
                for number, (day, value) in enumerate(prices)
                if number == 0 or value != prices[number - 1][1]
            )
            lines.append(
                Line(
                    kind=kind,
                    colour=COLOURS[kind],
                    points=" ".join(f"{x(day)},{y(value)}" for day, value in corners),
                    markers=markers,
                )
            )
        providers.append(
            ChartedProvider(name=name, dash=DASHES[index % len(DASHES)], lines=tuple(lines))
        )

    left_out = len(series) - len(charted)
    omitted_note = (
        f"The chart shows the {len(charted)} providers with the most price changes; "
        f"{left_out} more {'is' if left_out == 1 else 'are'} in the table."
        if left_out
        else ""
    )
    baseline = plot_bottom + FONT_SIZE + 6
    return HistoryChart(
        width=WIDTH,
        height=HEIGHT,
        font_size=FONT_SIZE,
        axis=((LEFT, plot_bottom, plot_right, plot_bottom), (LEFT, TOP, LEFT, plot_bottom)),
        labels=(
            Label(LEFT - 6, TOP + FONT_SIZE // 2, usd(top), "end"),
            Label(LEFT - 6, plot_bottom, "$0", "end"),
            Label(LEFT, baseline, day_text(start)),
            Label(plot_right, baseline, day_text(end), "end"),
        ),
        providers=tuple(providers),
        rows=tuple(
            row for name, points in series for row in table_rows(name, points, usd, day_text)
        ),
        omitted_note=omitted_note,
        description=(
            "Price history in USD per 1M tokens, each price holding until the next. "
            + "; ".join(
                f"{name}: "
                + ", ".join(
                    f"from {day_text(d)} input {usd(i)}, output {usd(o)}"
                    for d, i, o, *_others in points
                )
                for name, points in charted
            )
        ),
    )


def table_rows(
    name: str,
    points: list[PricePoint],
    usd: Callable[[Decimal], str] = format_usd,
    day_text: Callable[[date], str] = format_date,
) -> list[TableRow]:
    """One row per dated price of a provider, with how it moved from the one before."""
    rows = []
    for number, (day, input_price, output_price, *_others) in enumerate(points):
        rows.append(
            TableRow(
                provider=name,
                date=day_text(day),
                input=usd(input_price),
                output=usd(output_price),
                change=change_text(points[number - 1], points[number], usd)
                if number
                else "First price",
            )
        )
    return rows


def change_text(
    before: PricePoint, after: PricePoint, usd: Callable[[Decimal], str] = format_usd
) -> str:
    """How a provider's price moved from one dated record to the next: input and output
    (the table's columns), then every other column that moved, with its new value since
    the table does not show it ("Input and output unchanged; cached input added at
    $0.08"). A record that repeats the one before says so."""
    (_d, input_before, output_before, *others_before) = before
    (_d, input_after, output_after, *others_after) = after
    if input_before == input_after and output_before == output_after:
        head = "Input and output unchanged"
    else:
        head = (
            f"{price_move('Input', input_before, input_after)}, "
            f"{price_move('output', output_before, output_after)}"
        )
    others = [
        other_move(label, unit, was, now, usd)
        for (label, unit), was, now in zip(
            OTHER_PRICES.values(), others_before, others_after, strict=False
        )
        if was != now
    ]
    if not others and head == "Input and output unchanged":
        return "No price changed"
    return "; ".join([head, *others])


def other_move(
    label: str, unit: str, before: Decimal | None, after: Decimal | None, usd=format_usd
) -> str:
    """ "cached input added at $0.08", "web search no longer listed", "cache write down
    20% to $1" (the table shows no column for it, so the new value is said)."""
    if before is None:
        return f"{label} added at {usd(after)}{unit}"
    if after is None:
        return f"{label} no longer listed"
    return f"{price_move(label, before, after)} to {usd(after)}{unit}"


def price_move(label: str, before: Decimal, after: Decimal) -> str:
    """ "Input down 20%", "output up 50%", "output unchanged", "input up from $0",
    "input up less than 1%"."""
    if after == before:
        return f"{label} unchanged"
    direction = "up" if after > before else "down"
    if not before:
        return f"{label} {direction} from $0"
    percent = abs(after - before) / before * 100
    if percent < Decimal("0.5"):  # "up 0%" would say it did not move
        return f"{label} {direction} less than 1%"
    return f"{label} {direction} {format_percent(percent)}"
