"""Price against benchmark score as server-rendered SVG geometry (no JavaScript): a log
price axis, every priced model a point, the Pareto front drawn as a line through labelled
points. The same figures go to a visible table (ScatterChart.rows)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from catalog.formatting import derived_usd, format_usd, score_number
from comparisons.leaderboard import BoardEntry, pareto_front

# A narrow viewBox: drawn about 360 px wide on a 390 px phone, 13-unit text reads at
# about 11.5 px there.
WIDTH, HEIGHT = 400, 300
LEFT, RIGHT, TOP, BOTTOM = 44, 14, 14, 46
FONT = 13
LABEL_FONT = 12
LABEL_CHARS = 20
# The widest a glyph of the chart's text runs, in em (for anchor_inside).
GLYPH_EM = 0.6
# Both at least 4.5:1 on the white panel the chart always has (also in dark mode).
FRONT_COLOUR = "#2b6cb0"
OTHER_COLOUR = "#595959"
TEXT_COLOUR = "#222"


@dataclass(frozen=True)
class ScatterRow:
    """One model of the chart, as the visible table shows it."""

    model_name: str
    model_url: str
    price_text: str
    score_text: str
    on_front: bool


@dataclass(frozen=True)
class ScatterChart:
    width: int
    height: int
    svg_body: SafeString
    description: str
    rows: tuple[ScatterRow, ...]  # cheapest first
    unpriced: tuple[str, ...]  # model names not drawn: no buyable price (or free)
    higher_is_better: bool


def _nice_step(span: float) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) giving about four ticks."""
    raw = span / 4 if span > 0 else 1
    power = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 5, 10):
        if raw <= multiple * power:
            return multiple * power
    return 10 * power  # pragma: no cover - the loop always returns


def _short(name: str) -> str:
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"


def anchor_inside(x: float, text: str, *, font: int = FONT) -> str:
    """The text-anchor that keeps a label centred on `x` inside the viewBox: centred
    where it fits, else ending at `x` (the right edge) or starting there (the left). The
    width is estimated (a glyph is at most about 0.6 em in the site's sans-serif), since
    SVG text cannot be measured on the server: "$1,000" centred on the last tick ran
    past the right edge and read "$1,00"."""
    half = len(text) * font * GLYPH_EM / 2
    if x + half > WIDTH:
        return "end"
    if x - half < 0:
        return "start"
    return "middle"


def _tick_text(value: float) -> str:
    return score_number(Decimal(repr(round(value, 6))))


def price_score_chart(
    entries: Sequence[BoardEntry], *, benchmark_name: str, higher_is_better: bool
) -> ScatterChart | None:
    """The scatter of a benchmark's scored models, or None with fewer than two priced
    models (nothing to compare)."""
    plotted = sorted(
        (e for e in entries if e.blended_price is not None and e.blended_price > 0),
        key=lambda e: (e.blended_price, e.model_name.casefold()),
    )
    if len(plotted) < 2:
        return None
    front = pareto_front(plotted, higher_is_better=higher_is_better)
    on_front = {id(e) for e in front}

    low_decade = math.floor(math.log10(plotted[0].blended_price))
    high_decade = math.ceil(math.log10(plotted[-1].blended_price))
    if high_decade == low_decade:
        high_decade += 1
    scores = [float(e.score) for e in plotted]
    step = _nice_step(max(scores) - min(scores))
    bottom_score = max(0.0, math.floor(min(scores) / step) * step)
    top_score = math.ceil(max(scores) / step) * step
    if top_score <= bottom_score:
        top_score = bottom_score + step
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(price: Decimal) -> float:
        share = (math.log10(price) - low_decade) / (high_decade - low_decade)
        return round(LEFT + share * plot_w, 1)

    def y(score: Decimal | float) -> float:
        share = (float(score) - bottom_score) / (top_score - bottom_score)
        return round(TOP + (1 - share) * plot_h, 1)

    parts = [
        format_html(
            '<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="#999"></rect>',
            LEFT,
            TOP,
            plot_w,
            plot_h,
        )
    ]
    for decade in range(low_decade, high_decade + 1):
        tick_x = x(Decimal(10) ** decade)
        text = format_usd(Decimal(10) ** decade)
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#ddd"></line>'
                '<text x="{}" y="{}" font-size="{}" fill="{}" text-anchor="{}">{}</text>',
                tick_x,
                TOP,
                tick_x,
                TOP + plot_h,
                tick_x,
                TOP + plot_h + 16,
                FONT,
                TEXT_COLOUR,
                anchor_inside(tick_x, text),
                text,
            )
        )
    tick = bottom_score
    while tick <= top_score + step / 1000:
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#ddd"></line>'
                '<text x="{}" y="{}" font-size="{}" fill="{}" text-anchor="end">{}</text>',
                LEFT,
                y(tick),
                LEFT + plot_w,
                y(tick),
                LEFT - 4,
                y(tick) + 4,
                FONT,
                TEXT_COLOUR,
                _tick_text(tick),
            )
        )
        tick += step
    parts.append(
        format_html(
            '<text x="{}" y="{}" font-size="{}" fill="{}" text-anchor="middle">{}</text>',
            LEFT + plot_w / 2,
            HEIGHT - 8,
            FONT,
            TEXT_COLOUR,
            "Blended price, USD per 1M tokens (log scale)",
        )
    )
    if len(front) > 1:
        parts.append(
            format_html(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"></polyline>',
                " ".join(f"{x(e.blended_price)},{y(e.score)}" for e in front),
                FRONT_COLOUR,
            )
        )
    for entry in plotted:
        if id(entry) in on_front:
            continue
        parts.append(
            format_html(
                '<circle cx="{}" cy="{}" r="4" fill="#fff" stroke="{}" stroke-width="1.5">'
                "<title>{}: {}, score {}</title></circle>",
                x(entry.blended_price),
                y(entry.score),
                OTHER_COLOUR,
                entry.model_name,
                format_usd(derived_usd(entry.blended_price)),
                entry.score_text,
            )
        )
    placed: list[tuple[float, float, float]] = []  # (left, right, baseline) of labels
    for entry in front:
        point_x, point_y = x(entry.blended_price), y(entry.score)
        label = _short(entry.model_name)
        label_w = len(label) * LABEL_FONT * 0.55
        to_left = point_x + 7 + label_w > WIDTH - 2
        left = point_x - 7 - label_w if to_left else point_x + 7
        baseline = point_y + 4
        # Step down past labels already drawn there, so none is written over another.
        while any(
            left < other_right
            and other_left < left + label_w
            and abs(baseline - other_baseline) < LABEL_FONT
            for other_left, other_right, other_baseline in placed
        ):
            baseline += LABEL_FONT
        placed.append((left, left + label_w, baseline))
        parts.append(
            format_html(
                '<circle cx="{}" cy="{}" r="5" fill="{}"><title>{}: {}, score {}</title></circle>'
                '<text x="{}" y="{}" font-size="{}" fill="{}" text-anchor="{}">{}</text>',
                point_x,
                point_y,
                FRONT_COLOUR,
                entry.model_name,
                format_usd(derived_usd(entry.blended_price)),
                entry.score_text,
                point_x - 7 if to_left else point_x + 7,
                baseline,
                LABEL_FONT,
                FRONT_COLOUR,
                "end" if to_left else "start",
                label,
            )
        )

    rows = tuple(
        ScatterRow(
            model_name=e.model_name,
            model_url=e.model_url,
            price_text=format_usd(derived_usd(e.blended_price)),
            score_text=e.score_text,
            on_front=id(e) in on_front,
        )
        for e in plotted
    )
    direction = "higher" if higher_is_better else "lower"
    best_value = "; ".join(
        f"{r.model_name} {r.price_text}, score {r.score_text}" for r in rows if r.on_front
    )
    description = (
        f"{benchmark_name} score ({direction} is better) against the 70/30 blended price "
        f"of the cheapest provider, for {len(plotted)} models. Best value for the price "
        "(no model both cheaper and better): "
        f"{best_value}."
    )
    return ScatterChart(
        width=WIDTH,
        height=HEIGHT,
        svg_body=mark_safe("".join(parts)),  # every part above is format_html-escaped
        description=description,
        rows=rows,
        unpriced=tuple(
            sorted(e.model_name for e in entries if e.blended_price is None or e.blended_price <= 0)
        ),
        higher_is_better=higher_is_better,
    )
