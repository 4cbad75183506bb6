"""Load the shipped seed catalog (`catalog/seed/catalog.json`, format in
docs/seed-format.md). Loading is idempotent: records are keyed on slugs, offerings on
(model, provider) and prices on (offering, tier, threshold, date), so a second load
changes nothing."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from catalog.models import (
    CAPABILITIES,
    Benchmark,
    BenchmarkScore,
    LanguageModel,
    Offering,
    OfferingAlias,
    Organization,
    Provider,
    Source,
    catalog_slugify,
)
from catalog.services import PriceInput, record_price

SEED_PATH = Path(__file__).resolve().parent / "seed" / "catalog.json"


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, created: bool) -> None:
        if created:
            self.created[kind] = self.created.get(kind, 0) + 1

    def summary(self) -> str:
        if not self.created:
            return "Seed catalog already loaded: nothing changed."
        parts = [f"{n} {kind}" for kind, n in sorted(self.created.items())]
        return "Created " + ", ".join(parts) + "."


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _month(value: str | None) -> date | None:
    return date.fromisoformat(f"{value}-01") if value else None


def _money(value) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, float):
        raise ValueError(f"Price {value!r} must be a string, not a float.")
    return Decimal(str(value))


@transaction.atomic
def load_seed(path: Path = SEED_PATH, *, publish: bool = True) -> SeedReport:
    """Create whatever of the seed catalog is missing; never overwrite an editor's edit."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    report = SeedReport()

    orgs = {}
    for row in data["organizations"]:
        org, created = Organization.objects.get_or_create(
            slug=row["slug"], defaults={"name": row["name"], "url": row.get("url") or ""}
        )
        orgs[org.slug] = org
        report.count("organizations", created)

    providers = {}
    for row in data["providers"]:
        provider, created = Provider.objects.get_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "url": row.get("url") or "",
                "kind": row.get("kind") or Provider.Kind.FIRST_PARTY,
            },
        )
        providers[provider.slug] = provider
        report.count("providers", created)

    benchmarks = {}
    for row in data.get("benchmarks", []):
        benchmark, created = Benchmark.objects.get_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "variant": row.get("variant") or "",
                "metric": row.get("metric") or "accuracy",
                "scale": row.get("scale") or Benchmark.Scale.PERCENT,
                "higher_is_better": row.get("higher_is_better", True) is not False,
                "url": row.get("url") or "",
            },
        )
        benchmarks[benchmark.slug] = benchmark
        report.count("benchmarks", created)

    for row in data["models"]:
        slug = row.get("slug") or catalog_slugify(row["name"])
        capabilities = row.get("capabilities", {})
        defaults = {
            "name": row["name"],
            "organization": orgs[row["organization"]],
            "status": LanguageModel.Status.PUBLISHED if publish else LanguageModel.Status.DRAFT,
            "lifecycle": row.get("lifecycle") or "ga",
            "deprecation_date": _date(row.get("deprecation_date")),
            "retirement_date": _date(row.get("retirement_date")),
            "release_date": _date(row.get("release_date")),
            "context_window": row["context_window"],
            "max_output_tokens": row.get("max_output_tokens"),
            "parameter_count": row.get("parameter_count"),
            "architecture": row.get("architecture") or "",
            "license": row.get("license") or "",
            "open_weights": bool(row.get("open_weights")),
            "knowledge_cutoff": _month(row.get("knowledge_cutoff")),
            "input_modalities": ",".join(row.get("input_modalities", ["text"])),
            "output_modalities": ",".join(row.get("output_modalities", ["text"])),
            "last_reviewed": _date(row.get("last_reviewed")),
            **{name: capabilities.get(name) for name, _ in CAPABILITIES},
        }
        model, created = LanguageModel.objects.get_or_create(slug=slug, defaults=defaults)
        if created:
            model.full_clean()
        report.count("models", created)

        for source_row in row.get("sources", []):
            source, created = Source.objects.get_or_create(
                url=source_row["url"],
                defaults={
                    "title": source_row.get("title") or "",
                    "retrieved_on": _date(source_row.get("retrieved")),
                },
            )
            report.count("sources", created)
            model.sources.add(source)

        for offering_row in row.get("offerings", []):
            offering, created = Offering.objects.get_or_create(
                model=model,
                provider=providers[offering_row["provider"]],
                defaults={
                    "provider_model_id": offering_row["provider_model_id"],
                    "lifecycle": offering_row.get("lifecycle") or "ga",
                    "url": offering_row.get("url") or "",
                    "last_reviewed": _date(offering_row.get("last_reviewed"))
                    or _date(row.get("last_reviewed")),
                },
            )
            report.count("offerings", created)
            for alias in offering_row.get("aliases", []):
                _, created = OfferingAlias.objects.get_or_create(offering=offering, alias=alias)
                report.count("aliases", created)
            prices = sorted(offering_row.get("prices", []), key=lambda p: p["effective_date"])
            for price_row in prices:
                effective = _date(price_row["effective_date"])
                tier = price_row.get("tier") or "standard"
                threshold = price_row.get("context_threshold") or 0
                if offering.prices.filter(
                    tier=tier, context_threshold=threshold, effective_date=effective
                ).exists():
                    continue
                _, created = record_price(
                    offering=offering,
                    price=PriceInput(
                        input=_money(price_row["input"]),
                        output=_money(price_row["output"]),
                        cache_read=_money(price_row.get("cache_read")),
                        cache_write=_money(price_row.get("cache_write")),
                        tier=tier,
                        context_threshold=threshold,
                    ),
                    effective_date=effective,
                    source_url=price_row.get("source_url") or "",
                    checked_on=_date(price_row.get("checked")),
                )
                report.count("prices", created)

        for score_row in row.get("scores", []):
            _, created = BenchmarkScore.objects.get_or_create(
                benchmark=benchmarks[score_row["benchmark"]],
                model=model,
                defaults={
                    "score": _money(score_row["score"]),
                    "self_reported": score_row.get("self_reported") is not False,
                    "source_url": score_row.get("source_url") or "",
                    "measured_on": _date(score_row.get("measured_on")),
                },
            )
            report.count("scores", created)
    return report
