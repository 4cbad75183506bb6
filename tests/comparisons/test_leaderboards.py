"""Benchmark leaderboards: `/benchmarks/`, `/benchmarks/<slug>/` and the price-score
scatter with its Pareto front (also on the home page)."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from catalog.models import Benchmark, BenchmarkScore, LanguageModel
from comparisons.leaderboard import BoardEntry, pareto_front, rank_entries
from comparisons.scatter import price_score_chart
from tests.factories import (
    BenchmarkFactory,
    BenchmarkScoreFactory,
    LanguageModelFactory,
    ProviderFactory,
    offer,
)
from tests.html import Page


def entry(name, score, price=None, reported_by="maker"):
    return BoardEntry(
        model_name=name,
        model_url=f"/models/{name.lower()}/",
        organization="Org",
        score=Decimal(score),
        reported_by=reported_by,
        source_url="https://example.com/",
        measured_on=date(2026, 3, 1),
        blended_price=None if price is None else Decimal(price),
    )


def names(entries):
    return [e.model_name for e in entries]


def test_ranking_puts_the_best_first_and_equal_scores_share_a_rank():
    ranked = rank_entries(
        [entry("Delta", "70"), entry("alpha", "90"), entry("Charlie", "80"), entry("Bravo", "80")],
        higher_is_better=True,
    )
    assert [(r.rank, r.entry.model_name, r.shares_rank) for r in ranked] == [
        (1, "alpha", False),
        (2, "Bravo", True),
        (2, "Charlie", True),
        (4, "Delta", False),
    ]


def test_ranking_puts_the_lowest_first_when_lower_is_better():
    ranked = rank_entries(
        [entry("A", "3.5"), entry("B", "1.25"), entry("C", "2")], higher_is_better=False
    )
    assert [(r.rank, r.entry.model_name) for r in ranked] == [(1, "B"), (2, "C"), (3, "A")]


def test_pareto_front_keeps_models_nothing_beats_on_both_price_and_score():
    entries = [
        entry("Cheap", "40", "0.5"),
        entry("Mid", "50", "1"),
        entry("MidTwin", "50", "1"),  # same price and score as Mid: both on the front
        entry("Best", "70", "2"),
        entry("SamePriceWorse", "60", "2"),  # Best costs the same and scores higher
        entry("DearerSameScore", "70", "3"),  # Best scores the same for less
        entry("DearerWorse", "45", "4"),
        entry("Unpriced", "99"),  # no price: cannot be compared on price
    ]
    assert names(pareto_front(entries, higher_is_better=True)) == [
        "Cheap",
        "Mid",
        "MidTwin",
        "Best",
    ]


def test_pareto_front_when_lower_is_better_keeps_the_cheap_low_scorers():
    entries = [
        entry("A", "10", "1"),
        entry("B", "5", "2"),
        entry("C", "7", "3"),
        entry("D", "2", "8"),
    ]
    assert names(pareto_front(entries, higher_is_better=False)) == ["A", "B", "D"]


def test_pareto_front_of_models_without_prices_is_empty():
    assert pareto_front([entry("A", "10"), entry("B", "20")], higher_is_better=True) == []


def test_scatter_has_title_desc_points_and_a_table_of_the_same_figures():
    entries = [
        entry("Cheap <b>", "40", "0.05"),
        entry("Mid", "50", "1.2"),
        entry("Worse", "45", "3"),
        entry("Unpriced", "99"),
    ]
    chart = price_score_chart(entries, benchmark_name="Bench", higher_is_better=True)
    assert [(r.model_name, r.price_text, r.score_text, r.on_front) for r in chart.rows] == [
        ("Cheap <b>", "$0.05", "40", True),
        ("Mid", "$1.20", "50", True),
        ("Worse", "$3", "45", False),
    ]
    assert chart.unpriced == ("Unpriced",)
    svg = chart.svg_body
    assert "<b>" not in svg and "Cheap &lt;b&gt;" in svg
    assert svg.count("<circle") == 3
    assert svg.count("<polyline") == 1
    # A log axis: a tick per decade from $0.01 to $10.
    for tick in ("$0.01", "$0.10", "$1", "$10"):
        assert f">{tick}</text>" in svg
    assert "Cheap <b> $0.05, score 40; Mid $1.20, score 50." in chart.description


def test_scatter_needs_two_priced_models():
    chart = price_score_chart(
        [entry("A", "1", "2"), entry("B", "3")], benchmark_name="X", higher_is_better=True
    )
    assert chart is None


@pytest.fixture
def board(db):
    """A benchmark with four published models (two tied), a draft and an unscored model."""
    bench = BenchmarkFactory(name="GPQA", variant="Diamond", slug="gpqa")
    provider = ProviderFactory()
    models = {}
    for name, score, reported_by, price in [
        ("Alpha", "80", "maker", ("1", "4")),
        ("Bravo", "85.50", "independent", ("3", "15")),
        ("Charlie", "80", "competitor", ("0.1", "0.4")),
        ("Delta", "60", "maker", None),
    ]:
        model = LanguageModelFactory(name=name)
        if price:
            offer(model, provider, input=price[0], output=price[1])
        BenchmarkScoreFactory(
            benchmark=bench,
            model=model,
            score=Decimal(score),
            reported_by=reported_by,
            source_url=f"https://example.com/{name.lower()}",
            measured_on=date(2026, 2, int(Decimal(score)) // 10),
        )
        models[name] = model
    draft = LanguageModelFactory(name="Draft", status=LanguageModel.Status.DRAFT)
    BenchmarkScoreFactory(benchmark=bench, model=draft, score=Decimal("99"))
    LanguageModelFactory(name="Unscored")
    return bench, models


def test_benchmark_list_counts_published_scored_models_and_the_newest_date(client, board):
    BenchmarkFactory(name="Empty bench", slug="empty")
    page = Page(client.get("/benchmarks/").content.decode())
    rows = page.table("2 benchmarks")["rows"]
    assert ["Empty bench", "0", "—"] in rows
    assert ["GPQA (Diamond)", "4", "8 February 2026"] in rows


def test_benchmark_page_ranks_published_models_with_source_date_and_provenance(client, board):
    html = client.get("/benchmarks/gpqa/").content.decode()
    table = Page(html).table("4 models with a published GPQA (Diamond) score")
    assert table["head"] == ["Rank", "Model", "Score", "Reported by", "Source", "As of"]
    rows = table["rows"]
    assert [row[0] for row in rows] == ["1", "2 (tied)", "2 (tied)", "4"]
    assert [row[1].split()[0] for row in rows] == ["Bravo", "Alpha", "Charlie", "Delta"]
    assert [row[2] for row in rows] == ["85.5", "80", "80", "60"]
    assert [row[3] for row in rows] == [
        "Independently measured",
        "Self-reported",
        "From a competitor's announcement",
        "Self-reported",
    ]
    assert rows[0][5] == "8 February 2026"
    assert 'href="https://example.com/bravo"' in html
    assert '<strong class="badge">Self-reported</strong>' in html
    assert "Draft" not in Page(html).text and "Unscored" not in Page(html).text


def test_lower_is_better_benchmark_ranks_the_lowest_first(client, board):
    bench, _models = board
    Benchmark.objects.filter(pk=bench.pk).update(higher_is_better=False)
    rows = Page(client.get("/benchmarks/gpqa/").content.decode()).table("4 models")["rows"]
    assert [row[1].split()[0] for row in rows] == ["Delta", "Alpha", "Charlie", "Bravo"]


def test_benchmark_page_scatter_is_described_and_tabled_with_the_same_figures(client, board):
    html = client.get("/benchmarks/gpqa/").content.decode()
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and "viewBox=" in svg
    title = re.search(r"<title id=\"scatter-title\">(.*?)</title>", svg).group(1)
    assert title == "GPQA (Diamond) score against blended price"
    desc = re.search(r"<desc id=\"scatter-desc\">(.*?)</desc>", svg, re.S).group(1)
    table = Page(html).table("The chart's figures")
    # 70/30 blends: Charlie 0.1*0.7+0.4*0.3 = 0.19; Alpha 1.9; Bravo 6.6. Delta has no price.
    assert table["rows"] == [
        ["Charlie", "$0.19", "80", "Yes: on the front"],
        ["Alpha", "$1.90", "80", "No"],
        ["Bravo", "$6.60", "85.5", "Yes: on the front"],
    ]
    assert "Charlie $0.19, score 80; Bravo $6.60, score 85.5." in desc
    assert "Not drawn, no buyable price: Delta." in Page(html).text


def test_unknown_benchmark_is_404(client, db):
    response = client.get("/benchmarks/no-such-benchmark/")
    assert response.status_code == 404


def test_benchmark_without_published_scores_says_so_and_is_noindex(client, db):
    BenchmarkFactory(name="Lonely", slug="lonely")
    html = client.get("/benchmarks/lonely/").content.decode()
    assert "No published model has a Lonely score yet." in html
    assert '<meta name="robots" content="noindex">' in html


def test_home_shows_the_scatter_of_the_most_scored_benchmark(client, board):
    other = BenchmarkFactory(name="Small", slug="small")
    BenchmarkScoreFactory(benchmark=other, model=board[1]["Alpha"])
    html = client.get("/").content.decode()
    assert "GPQA (Diamond): score against price" in html
    assert 'href="/benchmarks/gpqa/"' in html
    assert Page(html).table("The chart's figures")["rows"][0][0] == "Charlie"


def test_header_links_to_benchmarks_and_sitemap_lists_scored_leaderboards(client, board):
    BenchmarkFactory(name="Empty", slug="empty")
    assert 'href="/benchmarks/">Benchmarks</a>' in client.get("/models/").content.decode()
    sitemap = client.get("/sitemap-benchmarks.xml").content.decode()
    assert "/benchmarks/gpqa/</loc>" in sitemap
    assert "/benchmarks/empty/" not in sitemap
    assert "/benchmarks/</loc>" in client.get("/sitemap-pages.xml").content.decode()
    assert "sitemap-benchmarks.xml" in client.get("/sitemap.xml").content.decode()


def scored_catalog(size: int) -> Benchmark:
    bench = BenchmarkFactory(slug="big")
    providers = [ProviderFactory() for _ in range(3)]
    for index in range(size):
        model = LanguageModelFactory()
        for provider in providers[: 1 + index % 3]:
            offer(model, provider, input=f"{1 + index % 7}", output=f"{2 + index % 5}")
        BenchmarkScoreFactory(benchmark=bench, model=model, score=Decimal(20 + index % 60))
        BenchmarkScoreFactory(model=model)  # another benchmark each
    return bench


@pytest.mark.parametrize("size", [5, 50])
@pytest.mark.parametrize(("url", "cap"), [("/benchmarks/", 2), ("/benchmarks/big/", 4), ("/", 8)])
def test_leaderboard_pages_query_count_does_not_grow(
    client, db, django_assert_max_num_queries, size, url, cap
):
    scored_catalog(size)
    with django_assert_max_num_queries(cap):
        response = client.get(url)
    assert response.status_code == 200


def test_every_benchmark_page_of_the_shipped_seed_renders(client, db):
    call_command("seed_catalog", verbosity=0)
    slugs = list(Benchmark.objects.values_list("slug", flat=True))
    assert len(slugs) >= 100
    assert client.get("/benchmarks/").status_code == 200
    scored = 0
    for slug in slugs:
        response = client.get(f"/benchmarks/{slug}/")
        assert response.status_code == 200, slug
        scored += "The chart's figures" in response.content.decode()
    assert scored >= 10  # the seed's busier benchmarks draw their scatter
    assert BenchmarkScore.objects.exists()
    assert "score against price" in client.get("/").content.decode()
