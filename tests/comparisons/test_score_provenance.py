"""Benchmark scores say who published them, whether they predate the release, and credit
the data's licence on the page."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.models import BenchmarkScore
from catalog.seed_builder import _reported_by, load_decisions
from comparisons.narrative.tables import format_score
from tests.factories import BenchmarkFactory, BenchmarkScoreFactory, OfferingFactory


def test_score_text_names_who_published_it_and_a_preview_result():
    assert format_score(Decimal("71.30"), "maker") == "71.3 (self-reported)"
    assert format_score(Decimal("58"), "competitor") == "58 (from a competitor's announcement)"
    assert format_score(Decimal("12.5"), "independent", preview=True) == (
        "12.5 (independently measured, preview result)"
    )


def test_who_published_a_score_comes_from_its_source():
    decisions = load_decisions()
    orgs = {}
    opus_news = "https://www.anthropic.com/news/claude-opus-4-8"
    assert _reported_by(opus_news, "anthropic", None, decisions, orgs) == "maker"
    assert _reported_by(opus_news, "openai", None, decisions, orgs) == "competitor"
    board = "https://openrouter.ai/openai/gpt-5.5/benchmarks"
    assert _reported_by(board, "openai", None, decisions, orgs) == "independent"
    # An unknown host follows the source's own flag.
    assert _reported_by("https://example.org/x", "openai", False, decisions, orgs) == "independent"


@pytest.mark.django_db
def test_the_comparison_page_credits_llm_stats_when_it_shows_its_scores(
    client, django_assert_max_num_queries
):
    a = OfferingFactory(model__slug="alpha-model", model__name="Alpha Model").model
    b = OfferingFactory(model__slug="beta-model", model__name="Beta Model").model
    bench = BenchmarkFactory(name="GPQA", slug="gpqa")
    for model, value in ((a, "41.6"), (b, "65")):
        BenchmarkScoreFactory(
            model=model,
            benchmark=bench,
            score=Decimal(value),
            reported_by=BenchmarkScore.ReportedBy.MAKER,
            attribution="LLM Stats (llm-stats.com), CC BY 4.0",
            measured_on=date(2024, 1, 1),
        )
    url = reverse("comparisons:detail", kwargs={"pair": "alpha-model-vs-beta-model"})
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    assert "Benchmark data: LLM Stats (llm-stats.com), CC BY 4.0." in page
    assert "41.6 (self-reported" in page
