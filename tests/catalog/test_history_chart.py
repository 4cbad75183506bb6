"""The model page's price history: a step chart people can read on a phone, a legend
naming each provider, marked change points, and the same figures as a visible table."""

import re
from datetime import date
from decimal import Decimal

import pytest

from catalog.charts import change_text, price_history_chart, step_points
from catalog.services import PriceInput, record_price
from tests.factories import LanguageModelFactory, ProviderFactory, offer
from tests.html import Page

PHONE_WIDTH = 358  # the chart's width on a 390 px phone, inside the page margins


def test_a_price_cut_is_a_vertical_drop_on_its_date_not_a_slope():
    corners = step_points(
        [(date(2026, 1, 1), Decimal("1")), (date(2026, 3, 1), Decimal("0.5"))],
        until=date(2026, 5, 1),
    )
    assert corners == [
        (date(2026, 1, 1), Decimal("1")),
        (date(2026, 3, 1), Decimal("1")),  # the old price holds up to the cut
        (date(2026, 3, 1), Decimal("0.5")),  # then straight down, the same day
        (date(2026, 5, 1), Decimal("0.5")),  # and the new price holds until today
    ]


def test_a_single_price_is_a_flat_line_to_today():
    corners = step_points([(date(2026, 1, 1), Decimal("2"))], until=date(2026, 5, 1))
    assert corners == [(date(2026, 1, 1), Decimal("2")), (date(2026, 5, 1), Decimal("2"))]


def test_the_drawn_line_drops_vertically_at_the_change_date():
    chart = price_history_chart(
        [
            (
                "Host",
                [
                    (date(2026, 1, 1), Decimal("1"), Decimal("4")),
                    (date(2026, 3, 1), Decimal("0.5"), Decimal("4")),
                ],
            )
        ],
        today=date(2026, 5, 1),
    )
    line = chart.providers[0].lines[0]
    points = [tuple(map(int, p.split(","))) for p in line.points.split()]
    assert len(points) == 4
    assert points[1][0] == points[2][0]  # vertical segment
    assert points[2][1] > points[1][1]  # down the chart (y grows downwards)
    assert points[0][1] == points[1][1] and points[2][1] == points[3][1]  # horizontal
    assert points[3][0] == chart.width - 14  # reaches today, the right edge


def test_only_the_providers_with_most_history_are_charted_and_the_table_lists_all():
    series = [
        (f"Host {n}", [(date(2026, 1, day), Decimal(day), Decimal(day)) for day in range(1, n + 2)])
        for n in range(8)
    ]
    chart = price_history_chart(series, today=date(2026, 5, 1), max_charted=6)
    assert [p.name for p in chart.providers] == [f"Host {n}" for n in range(2, 8)]
    assert "6 providers with the most price changes; 2 more are in the table" in (
        chart.omitted_note
    )
    assert {row.provider for row in chart.rows} == {f"Host {n}" for n in range(8)}


def font_px_at_phone_width(svg: str) -> float:
    width = float(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))
    sizes = [float(size) for size in re.findall(r'font-size="([\d.]+)"', svg)]
    assert sizes
    return min(sizes) * PHONE_WIDTH / width


@pytest.fixture
def history(db):
    model = LanguageModelFactory(name="Stepper")
    studio = offer(
        model,
        ProviderFactory(name="Studio"),
        input="0.25",
        output="1.5",
        effective_date=date(2026, 1, 15),
    )
    record_price(
        offering=studio,
        price=PriceInput(input=Decimal("0.2"), output=Decimal("1.5")),
        effective_date=date(2026, 3, 1),
    )
    offer(
        model,
        ProviderFactory(name="Router & Co", slug="router-co"),
        input="0.3",
        output="2",
        effective_date=date(2026, 2, 1),
    )
    return model


def model_page(client, model) -> str:
    response = client.get(model.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_the_legend_names_each_provider_with_input_and_output(client, history):
    html = model_page(client, history)
    legend = html.split('<ul class="chart-legend">', 1)[1].split("</ul>", 1)[0]
    items = [" ".join(re.sub(r"<svg.*?</svg>", "", li).split()) for li in legend.split("<li>")[1:]]
    assert [item.removesuffix("</li>") for item in items] == [
        "Router &amp; Co: input, output",
        "Studio: input, output",
    ]
    # Providers differ by dash pattern, input and output by colour.
    assert legend.count('stroke="#2b6cb0"') == 2 and legend.count('stroke="#b7471b"') == 2
    assert legend.count("stroke-dasharray") == 2  # the second provider's two lines


def test_each_change_point_is_marked_with_a_title(client, history):
    svg = model_page(client, history).split("<svg", 1)[1].split("</svg>")[0]
    titles = re.findall(r"<circle[^>]*><title>([^<]*)</title></circle>", svg)
    assert "Studio: input $0.25 from 15 January 2026" in titles
    assert "Studio: input $0.20 from 1 March 2026" in titles
    assert "Studio: output $1.50 from 15 January 2026" in titles
    # The output price did not change on 1 March: no marker there.
    assert "Studio: output $1.50 from 1 March 2026" not in titles
    assert 'role="img"' in svg and "<desc" in svg


def test_the_visible_table_holds_the_recorded_prices(client, history):
    page = Page(model_page(client, history))
    rows = page.table("Price history")["rows"]
    assert rows == [
        ["Router & Co", "1 February 2026", "$0.30", "$2", "First price"],
        ["Studio", "15 January 2026", "$0.25", "$1.50", "First price"],
        ["Studio", "1 March 2026", "$0.20", "$1.50", "Input down 20%, output unchanged"],
    ]


def test_axis_text_stays_readable_when_the_chart_is_phone_wide(client, history):
    svg = model_page(client, history).split("<svg", 1)[1].split("</svg>")[0]
    assert font_px_at_phone_width(svg) >= 11


def test_a_provider_name_with_markup_is_text_in_the_chart():
    """The chart's SVG is written in Python (HistoryChart.svg_body): an editor's
    provider name still reads as text, never as markup."""
    chart = price_history_chart(
        [('Host <b>"A" & B</b>', [(date(2026, 1, 1), Decimal("1"), Decimal("4"))])],
        today=date(2026, 5, 1),
    )

    svg = chart.svg_body

    assert "<b>" not in svg
    assert (
        "<title>Host &lt;b&gt;&quot;A&quot; &amp; B&lt;/b&gt;: input $1 from 1 January 2026"
        "</title>" in svg
    )
    assert svg.count("<polyline") == 2 and svg.count("<circle") == 2


D = Decimal
# (date, input, output, then catalog.charts.OTHER_PRICES' columns: cache read, cache
# write, audio input, audio output, image input, per image, web search, reasoning)
NONE_ELSE = (None,) * 8


def point(day: int, input_price: str, output_price: str, *others) -> tuple:
    return (date(2026, 1, day), D(input_price), D(output_price), *others, *NONE_ELSE[len(others) :])


@pytest.mark.parametrize(
    ("before", "after", "said"),
    [
        (point(1, "1", "4"), point(2, "0.8", "4"), "Input down 20%, output unchanged"),
        # Only a column the table does not show moved: named, with its new value.
        (
            point(1, "0.8", "4"),
            point(2, "0.8", "4", D("0.08"), D("1")),
            "Input and output unchanged; cached input added at $0.08; cache write added at $1",
        ),
        (
            point(1, "3", "15", D("0.3")),
            point(2, "2", "15", D("0.15")),
            "Input down 33%, output unchanged; cached input down 50% to $0.15",
        ),
        (
            point(1, "3", "15", D("0.3")),
            point(2, "3", "15"),
            "Input and output unchanged; cached input no longer listed",
        ),
        (
            point(1, "3", "15", None, None, None, None, None, D("0.0048"), D("10")),
            point(2, "3", "15", None, None, None, None, None, D("0.0048"), D("5")),
            "Input and output unchanged; web search down 50% to $5 per 1K searches",
        ),
        (
            point(1, "3", "15", None, None, None, None, None, None),
            point(2, "3", "15", None, None, None, None, None, D("0.0048")),
            "Input and output unchanged; image input added at $0.0048 per image",
        ),
        # Image input per 1M tokens and per image share a name: each says its unit.
        (
            point(1, "3", "15", None, None, None, None, D("1.25")),
            point(2, "3", "15", None, None, None, None, D("1")),
            "Input and output unchanged; image input down 20% to $1 per 1M tokens",
        ),
        # A record that repeats the last one, and a move too small to show as a percent.
        (point(1, "3", "15", D("0.3")), point(2, "3", "15", D("0.3")), "No price changed"),
        (point(1, "3", "15"), point(2, "3.001", "15"), "Input up less than 1%, output unchanged"),
        (point(1, "0", "15"), point(2, "1", "15"), "Input up from $0, output unchanged"),
    ],
)
def test_the_change_column_names_whatever_moved(before, after, said):
    assert change_text(before, after) == said


def test_a_record_that_adds_a_cached_price_is_not_called_unchanged(client, history):
    """The seed has dozens of such records (a provider starting to list cached input): they read
    "Input unchanged, output unchanged" until the table named what moved."""
    studio = history.offerings.get(provider__name="Studio")
    record_price(
        offering=studio,
        price=PriceInput(input=Decimal("0.2"), output=Decimal("1.5"), cache_read=Decimal("0.05")),
        effective_date=date(2026, 4, 1),
    )

    rows = Page(model_page(client, history)).table("Price history")["rows"]

    assert rows[-1] == [
        "Studio",
        "1 April 2026",
        "$0.20",
        "$1.50",
        "Input and output unchanged; cached input added at $0.05",
    ]
