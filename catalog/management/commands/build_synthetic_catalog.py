"""A synthetic catalog of any size, for benchmarks and query-count checks.

Deterministic (seeded random), fast (bulk inserts), and realistic in shape: every model
has offerings on several providers with a price history, benchmark scores, sources.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from catalog.models import (
    Benchmark,
    BenchmarkScore,
    LanguageModel,
    Offering,
    Organization,
    Price,
    Provider,
    Source,
)
from catalog.page_stamps import refresh_cheapest_inputs
from sitecache.versioning import bump_catalog_version


def _money(rng: random.Random, low: float, high: float) -> Decimal:
    cents = rng.randint(int(low * 1000), int(high * 1000))
    return Decimal(cents) / 1000


@transaction.atomic
def build_synthetic_catalog(
    *, models: int, providers: int, offerings: int, benchmarks: int = 12, seed: int = 7
) -> dict[str, int]:
    """Create a synthetic catalog in an empty database; returns the counts made."""
    rng = random.Random(seed)
    orgs = Organization.objects.bulk_create(
        Organization(name=f"Synthetic Lab {i}", slug=f"synthetic-lab-{i}") for i in range(20)
    )
    provs = Provider.objects.bulk_create(
        Provider(
            name=f"Synthetic Cloud {i}",
            slug=f"synthetic-cloud-{i}",
            url=f"https://cloud{i}.example.com/",
            kind=rng.choice(Provider.Kind.values),
        )
        for i in range(providers)
    )
    source = Source.objects.create(url="https://example.com/synthetic", title="Synthetic")
    today = date.today()
    llms = LanguageModel.objects.bulk_create(
        LanguageModel(
            name=f"Synthetic Model {i}",
            slug=f"synthetic-model-{i:04d}",
            organization=orgs[i % len(orgs)],
            status=LanguageModel.Status.PUBLISHED,
            release_date=today - timedelta(days=rng.randint(0, 900)),
            context_window=rng.choice([8_192, 32_000, 128_000, 200_000, 1_000_000]),
            max_output_tokens=rng.choice([4_096, 8_192, 32_768, 65_536]),
            parameter_count=rng.choice([None, 8 * 10**9, 70 * 10**9, 405 * 10**9]),
            architecture="Decoder-only transformer",
            license=rng.choice(["Proprietary", "Apache 2.0", "MIT"]),
            open_weights=rng.random() < 0.4,
            knowledge_cutoff=date(2025, rng.randint(1, 12), 1),
            input_modalities=rng.choice(["text", "text,image", "text,image,audio,video"]),
            vision=rng.random() < 0.6,
            multimodal=rng.random() < 0.5,
            reasoning=rng.random() < 0.5,
            function_calling=rng.random() < 0.8,
            tool_use=rng.random() < 0.8,
            structured_outputs=rng.random() < 0.7,
            code_execution=rng.choice([None, True, False]),
            prompt_caching=rng.choice([None, True, False]),
            last_reviewed=today - timedelta(days=rng.randint(0, 60)),
        )
        for i in range(models)
    )
    LanguageModel.sources.through.objects.bulk_create(
        LanguageModel.sources.through(languagemodel_id=m.pk, source_id=source.pk) for m in llms
    )
    pairs = [(m, p) for m in llms for p in provs]
    rng.shuffle(pairs)
    # Every model gets at least one offering, the rest are spread at random.
    chosen = {}
    for i, m in enumerate(llms):
        provider = provs[i % len(provs)]
        chosen[(m.pk, provider.pk)] = (m, provider)
    for m, p in pairs:
        if len(chosen) >= offerings:
            break
        chosen.setdefault((m.pk, p.pk), (m, p))
    offers = Offering.objects.bulk_create(
        Offering(model=m, provider=p, provider_model_id=f"{p.slug}/{m.slug}", last_reviewed=today)
        for m, p in chosen.values()
    )
    prices = []
    for offering in offers:
        base_in = _money(rng, 0.05, 15)
        base_out = base_in * rng.choice([2, 3, 4, 5, 8])
        for step in range(3):  # a short history: two older prices and today's
            prices.append(
                Price(
                    offering=offering,
                    effective_date=today - timedelta(days=90 * (2 - step) + 1),
                    input=base_in * (Decimal("1.2") - Decimal("0.1") * step),
                    output=base_out * (Decimal("1.2") - Decimal("0.1") * step),
                    cache_read=(base_in / 10) if rng.random() < 0.5 else None,
                    source_url="https://example.com/pricing",
                    checked_on=today,
                )
            )
    Price.objects.bulk_create(prices, batch_size=2000)
    latest = {}
    for price in prices:  # created oldest first, so the last one per offering is current
        latest[price.offering_id] = price
    for offering in offers:
        offering.current_price = latest[offering.pk]
    Offering.objects.bulk_update(offers, ["current_price"], batch_size=2000)
    benches = Benchmark.objects.bulk_create(
        Benchmark(name=f"Synthetic Bench {i}", slug=f"synthetic-bench-{i}")
        for i in range(benchmarks)
    )
    BenchmarkScore.objects.bulk_create(
        BenchmarkScore(
            benchmark=b,
            model=m,
            score=_money(rng, 10, 95),
            self_reported=rng.random() < 0.7,
            source_url="https://example.com/scores",
            measured_on=today,
        )
        for m in llms
        for b in benches
        if rng.random() < 0.6
    )
    refresh_cheapest_inputs()  # bulk writes skip the signals that keep it
    bump_catalog_version()
    return {
        "models": len(llms),
        "providers": len(provs),
        "offerings": len(offers),
        "prices": len(prices),
        "scores": BenchmarkScore.objects.count(),
    }


class Command(BaseCommand):
    help = "Fill an EMPTY database with a synthetic catalog (for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--models", type=int, default=500)
        parser.add_argument("--providers", type=int, default=20)
        parser.add_argument("--offerings", type=int, default=5000)

    def handle(self, *args, models: int, providers: int, offerings: int, **options):
        if LanguageModel.objects.exists():
            raise CommandError("The database already holds a catalog; use an empty one.")
        counts = build_synthetic_catalog(models=models, providers=providers, offerings=offerings)
        self.stdout.write(", ".join(f"{n} {k}" for k, n in counts.items()))
