from datetime import date, timedelta
from decimal import Decimal
from unittest.mock import patch

import pytest
from django.utils import timezone

from catalog.models import LanguageModel, Source
from catalog.services import PriceInput, record_price
from comparisons.snapshot import build_pair_snapshot, remembered_snapshots
from sitecache.versioning import forget_derived
from tests.factories import BenchmarkScoreFactory, gemini_seed_pair

pytestmark = pytest.mark.django_db


def test_snapshot_is_in_canonical_order_with_current_prices_and_tiers():
    live, lite = gemini_seed_pair()
    offering = lite.offerings.get(provider__slug="google-ai-studio")
    for when, price in ((date(2026, 1, 1), "0.5"), (date(2026, 2, 1), "0.6")):
        record_price(
            offering=offering,
            price=PriceInput(input=Decimal(price), output=Decimal("3"), context_threshold=200_000),
            effective_date=when,
        )
    record_price(  # a future price is not in force yet
        offering=offering,
        price=PriceInput(input=Decimal("9"), output=Decimal("9"), context_threshold=200_000),
        effective_date=timezone.localdate() + timedelta(days=30),
    )
    source = Source.objects.create(url="https://ai.google.dev/", title="Gemini docs")
    lite.sources.add(source)
    BenchmarkScoreFactory(model=lite, score=Decimal("71.5"))

    pair = build_pair_snapshot(lite.slug, live.slug)
    assert (pair.a.slug, pair.b.slug) == (live.slug, lite.slug)
    studio = next(o for o in pair.b.offerings if o.provider_slug == "google-ai-studio")
    assert (studio.input, studio.output) == (Decimal("0.25"), Decimal("1.5"))
    assert [(t.threshold, t.rates.input) for t in studio.tiers] == [(200_000, Decimal("0.6"))]
    assert pair.b.sources[0].title == "Gemini docs"
    assert pair.b.scores[0].score == Decimal("71.5")
    assert pair.b.capability("code_execution") is True


def test_snapshot_refuses_drafts_unless_asked_and_self_pairs():
    live, lite = gemini_seed_pair()
    LanguageModel.objects.filter(pk=live.pk).update(status=LanguageModel.Status.DRAFT)
    assert build_pair_snapshot(live.slug, lite.slug) is None
    preview = build_pair_snapshot(live.slug, lite.slug, include_drafts=True)
    assert preview.is_draft
    assert build_pair_snapshot(lite.slug, lite.slug) is None
    assert build_pair_snapshot(lite.slug, "missing") is None


def test_snapshot_carries_a_providers_own_limits_in_the_same_queries(django_assert_num_queries):
    live, lite = gemini_seed_pair()
    # OpenRouter serves Flash-Lite with a smaller window; a figure equal to the model's
    # (Studio's output cap here) is the model's, not the provider's own.
    lite.offerings.filter(provider__slug="openrouter").update(context_window=128_000)
    lite.offerings.filter(provider__slug="google-ai-studio").update(max_output_tokens=65_536)

    # Models, tiers, offerings, scores, sources, the catalog version and the Comparison
    # rows (kept per catalog version; snapshots are kept per model stamp): as before, no
    # query per offering for its model's limits.
    with django_assert_num_queries(7):
        pair = build_pair_snapshot(live.slug, lite.slug)
    by_provider = {o.provider_slug: o for o in pair.b.offerings}
    openrouter, studio = by_provider["openrouter"], by_provider["google-ai-studio"]
    assert (openrouter.context_window, openrouter.max_output_tokens) == (128_000, None)
    assert (studio.context_window, studio.max_output_tokens) == (None, None)
    assert pair.b.context_window_on(openrouter) == 128_000
    assert pair.b.context_window_on(studio) == 1_000_000
    assert pair.b.max_output_tokens_on(openrouter) == 65_536
    assert pair.b.context_window == 1_000_000  # the specs keep the model's figure


def test_a_snapshot_holds_across_days_until_a_dated_price_of_its_model_takes_effect(
    django_assert_num_queries,
):
    """Kept snapshots no longer go cold at midnight in every worker: only a model with a
    long-context price dated that day is read again (its offerings' current prices move
    with its stamp: catalog.services.refresh_current_prices)."""
    live, lite = gemini_seed_pair()
    offering = lite.offerings.get(provider__slug="google-ai-studio")
    today = timezone.localdate()
    for when, price in ((today - timedelta(days=10), "0.5"), (today + timedelta(days=2), "0.7")):
        record_price(
            offering=offering,
            price=PriceInput(input=Decimal(price), output=Decimal("3"), context_threshold=200_000),
            effective_date=when,
        )
    models = list(LanguageModel.objects.filter(pk__in=[live.pk, lite.pk]).order_by("slug"))
    forget_derived()

    def tiers_on(day):
        with patch.object(timezone, "localdate", return_value=day):
            snapshots = remembered_snapshots(models)
        studio = next(o for o in snapshots[1].offerings if o.provider_slug == "google-ai-studio")
        return snapshots, [(t.threshold, t.rates.input) for t in studio.tiers]

    first, tiers = tiers_on(today)
    assert tiers == [(200_000, Decimal("0.5"))]
    with django_assert_num_queries(0):
        kept, tiers = tiers_on(today + timedelta(days=1))
    assert kept[0] is first[0] and kept[1] is first[1] and tiers == [(200_000, Decimal("0.5"))]
    with django_assert_num_queries(4):  # Flash-Lite's snapshot only
        later, tiers = tiers_on(today + timedelta(days=2))
    assert later[0] is first[0] and later[1] is not first[1]
    assert tiers == [(200_000, Decimal("0.7"))]
