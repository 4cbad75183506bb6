"""Every figure links to its source: the price and benchmark cells of the model page
and the every-provider price table of a comparison link to the source behind the figure,
titled with the date it was checked; a figure without a source is shown unlinked."""

import re
from datetime import date

import pytest

from tests.factories import (
    BenchmarkFactory,
    BenchmarkScoreFactory,
    LanguageModelFactory,
    ProviderFactory,
    offer,
)

pytestmark = pytest.mark.django_db


def cell(html: str, caption: str, row_header: str, label: str) -> str:
    """The inner HTML of a table cell, by the table's caption, the row and the column."""
    table = html.split(f"<caption>{caption}", 1)[1].split("</table>", 1)[0]
    row = next(r for r in table.split("<tr>") if f">{row_header}<" in r)
    return re.search(rf'<td data-label="{label}">(.*?)</td>', row).group(1)


@pytest.fixture
def sourced_model():
    model = LanguageModelFactory(name="Sourced")
    offer(
        model,
        ProviderFactory(name="Listed", slug="listed"),
        input="1",
        output="4",
        cache_read="0.1",
        source_url="https://listed.example/pricing",
        checked_on=date(2026, 4, 2),
    )
    offer(model, ProviderFactory(name="Unlisted", slug="unlisted"), input="2", source_url="")
    BenchmarkScoreFactory(
        model=model,
        benchmark=BenchmarkFactory(name="Quiz"),
        score="71.5",
        source_url="https://lab.example/quiz",
        measured_on=date(2026, 3, 9),
    )
    BenchmarkScoreFactory(model=model, benchmark=BenchmarkFactory(name="Riddle"), source_url="")
    return model


def test_model_page_price_cells_link_to_the_price_source_with_its_date(client, sourced_model):
    html = client.get(sourced_model.get_absolute_url()).content.decode()
    caption = "Current standard prices"
    link = (
        '<a href="https://listed.example/pricing" rel="nofollow noopener" '
        'title="Source, checked 2 April 2026">{}</a>'
    )
    assert cell(html, caption, "Listed", "Input") == link.format("$1")
    assert cell(html, caption, "Listed", "Output") == link.format("$4")
    assert cell(html, caption, "Listed", "Cached input") == link.format("$0.10")
    assert cell(html, caption, "Unlisted", "Input") == "$2"  # no source, no link


def test_model_page_score_cells_link_to_the_score_source_with_its_date(client, sourced_model):
    html = client.get(sourced_model.get_absolute_url()).content.decode()
    caption = "Benchmark scores"
    assert cell(html, caption, "Quiz", "Score") == (
        '<a href="https://lab.example/quiz" rel="nofollow noopener" '
        'title="Source, measured 9 March 2026">71.5</a> (0-100)'
    )
    assert "<a" not in cell(html, caption, "Riddle", "Score")


def test_comparison_price_cells_link_to_the_price_source(client, sourced_model):
    other = LanguageModelFactory(name="Other")
    offer(other, ProviderFactory(name="Elsewhere", slug="elsewhere"), source_url="")
    slugs = sorted([sourced_model.slug, other.slug])
    response = client.get(f"/compare/{slugs[0]}-vs-{slugs[1]}/")
    assert response.status_code == 200
    html = response.content.decode()
    table = html.split("<caption>Prices on every provider", 1)[1].split("</table>", 1)[0]
    rows = {
        re.search(r'<th scope="row">(.*?)</th>', r).group(1) + "/" + p: r
        for r in table.split("<tr>")[2:]
        for p in re.findall(r'data-label="Provider">(?:<a[^>]*>)?([^<]*)', r)
    }
    listed = rows["Sourced/Listed"]
    assert (
        '<td data-label="Input"><a href="https://listed.example/pricing" rel="nofollow noopener"'
        ' title="Source, checked 2 April 2026">$1</a></td>'
    ) in listed
    assert "listed.example/pricing" not in rows["Sourced/Unlisted"]
    assert "<a" not in rows["Other/Elsewhere"].split('data-label="Input">', 1)[1]
