"""The pair's price bar chart as plain geometry for server-rendered SVG (no JavaScript,
no CDN). A model's price history chart is the catalog's (catalog.charts)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from html import escape  # Django's, without its lazy-string checks (8x the cost)

from django.utils.safestring import mark_safe

from catalog.formatting import format_usd
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
        loop over every bar costs more than the rest of the page, and format_html (which
        escapes the numbers too) a fifth of an uncached page's render."""
        parts = []
        for row in self.rows:
            parts.append(
                f'<text x="0" y="{row.y}" font-size="12" fill="#222">'
                f"{escape(short_label(row.label))}</text>"
            )
            for bar in row.bars:
                parts.append(
                    f'<rect x="{self.label_width}" y="{bar.y}" width="{bar.width}" height="12" '
                    f'fill="{COLOURS[bar.kind]}"></rect>'
                    f'<text x="{bar.text_x}" y="{bar.y + 10}" font-size="10" fill="#222">'
                    f"{escape(bar.value_text)}</text>"
                )
        # Every text above is escaped; the numbers are ints and the colours constants.
        return mark_safe("".join(parts))


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
