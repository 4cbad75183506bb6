"""The shipped seed catalog is data we publish: test it as data."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from catalog.formatting import cross_check_sentence, format_usd, score_number
from catalog.models import (
    BenchmarkScore,
    LanguageModel,
    Offering,
    Organization,
    Price,
    Provider,
)
from catalog.seed_builder import CURATED_PATH
from catalog.seeding import SEED_PATH
from catalog.selectors import with_cross_checks
from tests.html import Page

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _seeded_module(django_db_setup, django_db_blocker):
    # Load once for the module, roll back at its end: each test still runs in its own
    # transaction inside this one.
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_catalog", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def seeded(_seeded_module, db):
    return None


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (Organization, Provider, LanguageModel, Offering, Price, BenchmarkScore)
    }


def test_seed_holds_the_promised_catalog(seeded):
    assert LanguageModel.objects.published().count() >= 300
    makers = Organization.objects.filter(models__isnull=False).distinct()
    assert makers.count() >= 25
    for slug in ("amazon", "microsoft", "nvidia", "cohere", "meta", "mistral-ai"):
        assert LanguageModel.objects.published().filter(organization__slug=slug).exists(), slug
    assert Provider.objects.filter(offerings__isnull=False).distinct().count() >= 40
    assert Offering.objects.count() >= 1500
    assert not Offering.objects.filter(current_price__isnull=True).exists()
    # The newest models the sources list (models.dev's tree runs to the end of June).
    assert LanguageModel.objects.filter(release_date__gte=date(2026, 6, 1)).count() >= 5


def test_most_provider_rows_are_cross_checked_out_of_the_box(seeded):
    """A fresh site shows "matches N of M sources" from the build's reconciliation, not
    "not cross-checked yet", on at least 90% of the provider rows."""
    total = Offering.objects.count()
    checked = Offering.objects.filter(price_checks__isnull=False).distinct().count()
    assert checked / total >= 0.9


def test_newer_evidence_wins_and_older_sources_do_not_undo_it(seeded):
    # models.dev (2 July) still lists Claude Sonnet 5 at $2; the 1 September change to $3,
    # checked by an editor on 24 November, stays, and the launch price stays in history.
    offering = Offering.objects.get(model__slug="claude-sonnet-5", provider__slug="anthropic")
    base = offering.prices.filter(tier="standard", context_threshold=0).order_by("effective_date")
    assert [(p.effective_date, p.input) for p in base] == [
        (date(2026, 6, 30), Decimal("2")),
        (date(2026, 9, 1), Decimal("3")),
    ]
    assert offering.current_price.input == Decimal("3")
    check = offering.price_checks.get(source="models-dev")
    assert not check.agrees  # the older source disagrees, and the page says so


def test_dated_changes_from_the_sources_are_history(seeded):
    # LiteLLM's history: o3 on Azure launched at $10/$40 and was cut to $2/$8.
    azure = Offering.objects.get(model__slug="o3", provider__slug="azure")
    history = list(
        azure.prices.filter(tier="standard", context_threshold=0)
        .order_by("effective_date")
        .values_list("effective_date", "input", "output")
    )
    assert history[0][1:] == (Decimal("10"), Decimal("40"))
    assert (date(2025, 6, 21), Decimal("2"), Decimal("8")) in history
    assert azure.current_price.input == Decimal("2")


def test_providers_limits_are_kept_on_their_offerings(seeded):
    own = Offering.objects.filter(context_window__isnull=False).select_related("model")
    assert own.count() >= 20
    for offering in own:
        assert offering.context_window != offering.model.context_window


def test_loading_the_seed_twice_changes_nothing(seeded, capsys):
    before = _counts()
    call_command("seed_catalog")
    assert _counts() == before
    assert "nothing changed" in capsys.readouterr().out


def test_every_model_is_sourced(seeded):
    for model in LanguageModel.objects.prefetch_related("sources"):
        assert model.sources.exists(), model.name
        assert model.context_window > 0
    # Editors' curated records carry their review date; records built from the sources
    # are not reviewed by anyone yet, and say so (no invented review date).
    curated = json.loads(CURATED_PATH.read_text())["models"]
    reviewed = {m.get("slug") for m in curated}
    assert LanguageModel.objects.filter(slug__in=reviewed, last_reviewed__isnull=True).count() == 0
    assert (
        LanguageModel.objects.exclude(slug__in=reviewed).filter(last_reviewed__isnull=False).count()
        == 0
    )


def test_every_price_cites_its_source(seeded):
    assert not Price.objects.filter(source_url="").exists()
    assert not Price.objects.filter(checked_on__isnull=True).exists()


def test_seed_comparison_pair_has_the_reference_page_figures(seeded):
    live = LanguageModel.objects.get(slug="gemini-2-5-flash-live-api")
    lite = LanguageModel.objects.get(slug="gemini-3-1-flash-lite")
    assert live.name == "Gemini 2.5 Flash Live API"
    assert live.release_date == date(2025, 12, 1)
    assert live.context_window == 128_000
    assert lite.release_date == date(2026, 5, 7)
    assert lite.context_window == 1_000_000
    assert lite.knowledge_cutoff == date(2025, 1, 1)
    assert live.license == lite.license == "Proprietary"
    assert not live.open_weights and not lite.open_weights

    def current(model):
        return {
            o.provider.name: (o.current_price.input, o.current_price.output)
            for o in model.offerings.select_related("provider", "current_price")
        }

    assert current(live) == {"Google AI Studio": (Decimal("0.5"), Decimal("2"))}
    # The reference page's providers keep their figures; the sources add more providers.
    lite_prices = current(lite)
    assert lite_prices["Google AI Studio"] == (Decimal("0.25"), Decimal("1.5"))
    assert lite_prices["OpenRouter"] == (Decimal("0.25"), Decimal("1.5"))


def test_capabilities_follow_the_makers_documentation(seeded):
    live = LanguageModel.objects.get(slug="gemini-2-5-flash-live-api")
    lite = LanguageModel.objects.get(slug="gemini-3-1-flash-lite")
    assert (live.vision, live.function_calling, live.structured_outputs) == (True, True, False)
    assert (lite.structured_outputs, lite.code_execution) == (True, True)
    # The reference page says "No"; Google documents thinking for Flash-Lite, and we cite it.
    assert lite.reasoning is True
    assert lite.sources.filter(url__contains="ai.google.dev/gemini-api/docs/thinking").exists()


def test_price_history_is_seeded_for_known_changes(seeded):
    o3 = Offering.objects.get(model__slug="o3", provider__slug="openai")
    history = list(
        o3.prices.filter(tier="standard", context_threshold=0)
        .order_by("effective_date")
        .values_list("input", "output")
    )
    assert history[0] == (Decimal("10"), Decimal("40"))
    assert history[-1] == (Decimal("2"), Decimal("8"))
    assert o3.current_price.input == Decimal("2")


def test_seed_file_prices_are_decimal_strings_never_floats():
    data = json.loads(SEED_PATH.read_text(), parse_float=lambda text: pytest.fail(text))
    for model in data["models"]:
        for offering in model.get("offerings", []):
            for price in offering["prices"]:
                assert Decimal(price["input"]) >= 0 and Decimal(price["output"]) >= 0


def test_benchmark_scores_carry_their_provenance(seeded):
    scores = BenchmarkScore.objects.select_related("model", "benchmark")
    assert scores.count() >= 500
    assert not scores.filter(source_url="", attribution="").exists()
    # LLM Stats is CC BY 4.0: each of its figures carries the credit.
    credited = scores.filter(attribution__contains="LLM Stats")
    assert credited.count() >= 100
    # A score published in another maker's announcement says so.
    competitor = scores.get(
        model__slug="gpt-5-5", source_url__contains="anthropic.com", reported_by="competitor"
    )
    assert not competitor.self_reported
    # A score recorded before the model's release is a preview result.
    assert any(s.is_preview_result for s in scores if s.measured_on)


def test_an_editors_override_corrects_a_source_built_record_and_cites_its_page(seeded):
    # The only file describing Grok 4 (a reseller's models.dev file) names it "xAI Grok 4",
    # dates it 2024 and denies it reasoning; decisions.toml corrects it, citing the page.
    grok = LanguageModel.objects.get(slug="grok-4")
    assert (grok.name, grok.release_date, grok.knowledge_cutoff) == (
        "Grok 4",
        date(2025, 7, 9),
        None,
    )
    assert grok.reasoning is True and grok.input_modality_list == ["text", "image", "pdf"]
    assert grok.sources.filter(url="https://openrouter.ai/x-ai/grok-4").exists()


def test_first_party_apis_name_their_maker(seeded):
    """Where providers tie on price, pages name the maker's own API: the seed says which
    provider that is for every maker that runs one."""
    makers = dict(Provider.objects.filter(maker__isnull=False).values_list("slug", "maker__slug"))
    assert makers["openai"] == "openai"
    assert makers["anthropic"] == "anthropic"
    assert makers["google-ai-studio"] == "google-deepmind"
    assert "openrouter" not in makers and "azure" not in makers
    assert not Provider.objects.filter(maker__isnull=False).exclude(kind="first_party").exists()


def test_free_trial_zero_prices_are_not_carried(seeded):
    """$0 on GitHub Models or NVIDIA's NIM trial is a rate-limited prototype tier, not a
    price anyone can buy at: it must never make a model look free."""
    trial = Price.objects.filter(
        offering__provider__slug__in=["github-models", "nvidia"], input=0, output=0
    )
    assert not trial.exists()
    # Prices NVIDIA does charge are kept.
    assert Price.objects.filter(offering__provider__slug="nvidia", input__gt=0).exists()


def test_every_shipped_score_is_on_its_benchmarks_scale():
    # Sources give percentages; a curated benchmark recording fractions ("0-1": 0.828)
    # must receive 0.416, not 41.6, or leaderboards and prose compare 41.6 with 0.83 as
    # if on one scale.
    document = json.loads(SEED_PATH.read_text(encoding="utf-8"))
    scales = {b["slug"]: b["scale"] for b in document["benchmarks"]}
    off_scale = [
        (model["slug"], score["benchmark"], score["score"])
        for model in document["models"]
        for score in model.get("scores", [])
        if not 0 <= Decimal(score["score"]) <= (1 if scales[score["benchmark"]] == "0-1" else 100)
    ]
    assert off_scale == []


def test_no_shipped_benchmark_records_fractions():
    """Every other benchmark the seed carries is on 0-100 (GPQA Diamond, SWE-bench...):
    GPQA at 0.83 beside them read as a tiny score on model and pair pages. The makers'
    pages the curated scores cite state percentages too."""
    document = json.loads(SEED_PATH.read_text(encoding="utf-8"))
    assert [b["slug"] for b in document["benchmarks"] if b["scale"] != "0-100"] == []


def test_seed_model_pages_show_what_the_orm_says(seeded, client):
    """The model page reads plain rows (catalog.model_page); the ORM, read here the way
    the page used to read it, is the oracle: offerings in order with their prices and
    cross-checks, every score, every dated base price."""
    today = timezone.localdate()
    models = (
        LanguageModel.objects.published()
        .annotate(n=Count("offerings", distinct=True) + Count("scores", distinct=True))
        .order_by("-n", "slug")[:25]
    )
    for model in models:
        page = Page(client.get(f"/models/{model.slug}/").content.decode())
        offerings = with_cross_checks(
            model.offerings.select_related("provider", "current_price")
        ).order_by("provider__name")
        rows = page.table("Current standard prices")["rows"]
        assert len(rows) == len(offerings), model.slug
        for row, offering in zip(rows, offerings, strict=True):
            price = offering.current_price
            assert row[0].startswith(offering.provider.name), model.slug
            assert row[1:4] == [
                offering.provider_model_id,
                format_usd(price.input),
                format_usd(price.output),
            ], model.slug
            assert row[6] == cross_check_sentence(
                offering.checks_total, offering.checks_agreeing, offering.checks_on
            )
        scores = model.scores.select_related("benchmark").order_by(
            "benchmark__name", "benchmark__variant"
        )
        if scores:
            shown = page.table("Benchmark scores")["rows"]
            assert [(r[0], r[1]) for r in shown] == [
                (str(s.benchmark), f"{score_number(s.score)} ({s.benchmark.scale})") for s in scores
            ], model.slug
        dated = Price.objects.filter(
            offering__model=model, tier="standard", context_threshold=0, effective_date__lte=today
        ).count()
        history = [t for t in page.tables if t["caption"].startswith("Price history")]
        assert sum(len(t["rows"]) for t in history) == dated, model.slug
