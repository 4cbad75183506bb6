"""The model page read as plain rows (catalog.model_page): what it shows where the old
ORM-walking template was wrong or undefined, and the parts it writes in Python."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import set_script_prefix
from django.urls.base import clear_script_prefix

from catalog.models import Lifecycle
from tests.factories import (
    BenchmarkFactory,
    BenchmarkScoreFactory,
    LanguageModelFactory,
    OfferingFactory,
    ProviderFactory,
    offer,
)
from tests.html import Page

pytestmark = pytest.mark.django_db


def page_of(client, model) -> tuple[Page, str]:
    response = client.get(f"/models/{model.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    return Page(html), html


def test_an_offering_without_a_price_yet_reads_as_dashes_not_an_error(client):
    model = LanguageModelFactory(name="Fresh Model")
    offer(model, ProviderFactory(name="Priced Cloud"), input="2", output="8")
    OfferingFactory(model=model, provider=ProviderFactory(name="Unpriced Cloud"))
    page, _html = page_of(client, model)
    rows = {row[0]: row for row in page.table("Current standard prices")["rows"]}
    assert rows["Unpriced Cloud"][2:6] == ["—", "—", "— not published", "—"]
    assert rows["Priced Cloud"][2:4] == ["$2", "$8"]
    assert "prices on 2 providers" in _html


def test_a_whole_score_reads_as_a_number_not_an_exponent(client):
    model = LanguageModelFactory()
    BenchmarkScoreFactory(model=model, benchmark=BenchmarkFactory(name="ChartQA"), score=90)
    page, html = page_of(client, model)
    (row,) = page.table("Benchmark scores")["rows"]
    assert row[:2] == ["ChartQA", "90 (0-100)"]
    assert "E+1" not in html


def test_variants_of_one_benchmark_are_listed_in_a_fixed_order(client):
    model = LanguageModelFactory()
    public = BenchmarkFactory(name="SWE-Bench Pro", variant="Public")
    plain = BenchmarkFactory(name="SWE-Bench Pro", variant="")
    BenchmarkScoreFactory(model=model, benchmark=public, score=Decimal("43.6"))
    BenchmarkScoreFactory(model=model, benchmark=plain, score=Decimal("41.2"))
    page, _html = page_of(client, model)
    rows = page.table("Benchmark scores")["rows"]
    assert [row[0] for row in rows] == ["SWE-Bench Pro", "SWE-Bench Pro (Public)"]


def test_rows_carry_lifecycle_sources_preview_results_and_escape_their_text(client):
    model = LanguageModelFactory(name="Model <b>", release_date=date(2026, 3, 1))
    retired = offer(model, ProviderFactory(name="Old & Co", slug="old-co"), input="1", output="2")
    retired.lifecycle = Lifecycle.DEPRECATED
    retired.save()
    BenchmarkScoreFactory(
        model=model,
        benchmark=BenchmarkFactory(name="Bench <i>"),
        score=Decimal("71.30"),
        measured_on=date(2026, 2, 1),
        attribution="LLM Stats <CC BY>",
    )
    page, html = page_of(client, model)
    (offering,) = page.table("Current standard prices")["rows"]
    assert offering[0] == "Old & Co Deprecated: not counted as the cheapest price"
    assert "Old &amp; Co" in html and "<b>" not in html and "<i>" not in html
    (score,) = page.table("Benchmark scores")["rows"]
    assert score[1] == "71.3 (0-100)"
    assert score[2] == (
        "The model's maker (self-reported), preview result (recorded before the release); "
        "data: LLM Stats <CC BY>"
    )
    assert 'title="Source, checked 15 January 2026">$1</a>' in html
    assert 'href="https://example.com/scores" rel="nofollow noopener" title="Source">71.3</a>' in (
        html.replace(', measured 1 February 2026"', '"')
    )


def test_the_history_table_and_legend_list_every_price_and_charted_provider(client):
    model = LanguageModelFactory()
    for n in range(8):  # more than the chart draws (6): the table lists all
        offer(model, ProviderFactory(name=f"Cloud {n}"), input=f"{n + 1}", output="9")
    page, html = page_of(client, model)
    history = page.table("Price history")["rows"]
    assert sorted(row[0] for row in history) == [f"Cloud {n}" for n in range(8)]
    assert all(row[1] == "15 January 2026" and row[4] == "First price" for row in history)
    legend = html.split('<ul class="chart-legend">', 1)[1].split("</ul>", 1)[0]
    assert legend.count("<li>") == 6 and legend.count("stroke-dasharray") == 10


def test_the_shared_header_follows_the_script_prefix_and_the_static_settings(client):
    model, other = LanguageModelFactory.create_batch(2)
    html = client.get(f"/models/{model.slug}/").content.decode()
    assert '<a href="/models/">Models</a>' in html and 'action="/search/"' in html
    # Another page: the page cache keys pages by path alone (one script prefix a site).
    set_script_prefix("/mirror/")
    try:
        mirrored = client.get(f"/models/{other.slug}/").content.decode()
    finally:
        clear_script_prefix()
    assert '<a href="/mirror/models/">Models</a>' in mirrored
    with override_settings(STATIC_URL="/assets/"):
        assert 'href="/assets/css/site.css"' in client.get("/models/").content.decode()
    cache.clear()  # the page cache keeps pages whatever the settings they were made with
    assert 'href="/static/css/site.css"' in client.get("/models/").content.decode()
