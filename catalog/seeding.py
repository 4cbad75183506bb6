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
from django.dispatch import Signal
from simple_history.utils import bulk_create_with_history

from catalog import changelog
from catalog.models import (
    CAPABILITIES,
    EXTRA_PRICE_DIMENSIONS,
    Benchmark,
    BenchmarkScore,
    LanguageModel,
    ModelAlias,
    Offering,
    OfferingAlias,
    Organization,
    Price,
    Provider,
    Source,
    catalog_slugify,
    parameter_list,
    validate_parameter_names,
)
from catalog.page_stamps import stamp_scores
from catalog.seed_builder import expand_url
from catalog.services import move_current_prices
from sitecache.versioning import bump_catalog_version

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


def _parameters(value) -> list[str]:
    """An offering's supported parameters, validated as the model validates them."""
    value = value if value is not None else []
    validate_parameter_names(value)
    return parameter_list(value)


# Sent after a load with the offerings' cross-checks from the build, so the app that
# keeps them (pricewatch) stores them without catalog importing it:
# checks = [(offering id, source, agrees, checked on, disagreements)]. A receiver returns
# the ids of the offerings it changed, for the change log.
seed_loaded = Signal()

REASON = "Seed catalog"


@transaction.atomic
def load_seed(path: Path = SEED_PATH, *, publish: bool = True) -> SeedReport:
    """Create whatever of the seed catalog is missing; never overwrite an editor's edit.

    Bulk inserts (with their history rows) in a fixed number of queries per kind of
    record, so a first load of the full seed takes seconds and a rerun that finds
    everything in place writes nothing."""
    return load_document(json.loads(Path(path).read_text(encoding="utf-8")), publish=publish)


@transaction.atomic
def load_document(data: dict, *, publish: bool = True) -> SeedReport:
    """Load records in the seed format (docs/seed-format.md): the shipped seed, or the
    drafts an import proposes (`publish=False`)."""
    loader = _Loader(data, publish=publish)
    loader.run()
    return loader.report


class _Loader:
    def __init__(self, data: dict, *, publish: bool):
        self.data = data
        self.publish = publish
        self.report = SeedReport()
        # model class -> rows created, for the change log (bulk inserts send no signals).
        self.created: dict[type, list] = {}
        self.prefixes = data.get("url_prefixes") or {}
        as_of = {k: v.get("as_of") for k, v in (data.get("built_from") or {}).items()}
        self.as_of = {k: _date(v) for k, v in as_of.items() if v}

    def url(self, value: str | None) -> str:
        return expand_url(value, self.prefixes) if value else ""

    def create(self, model, objects: list, kind: str) -> list:
        if not objects:
            return []
        if hasattr(model, "history"):
            created = bulk_create_with_history(
                objects, model, batch_size=500, default_change_reason=REASON
            )
        else:
            created = model.objects.bulk_create(objects, batch_size=500)
        self.report.created[kind] = self.report.created.get(kind, 0) + len(objects)
        self.created.setdefault(model, []).extend(created)
        return created

    def run(self) -> None:
        data = self.data
        orgs = self.keyed(Organization, data["organizations"], "organizations", self.organization)
        providers = self.keyed(
            Provider, data["providers"], "providers", lambda row: self.provider(row, orgs)
        )
        benchmarks = self.keyed(Benchmark, data.get("benchmarks", []), "benchmarks", self.benchmark)
        rows = {row.get("slug") or catalog_slugify(row["name"]): row for row in data["models"]}
        existing = {m.slug: m for m in LanguageModel.objects.filter(slug__in=rows)}
        new = []
        for slug, row in rows.items():
            if slug in existing:
                continue
            model = self.language_model(slug, row, orgs)
            model.full_clean(validate_unique=False, validate_constraints=False)
            new.append(model)
        self.create(LanguageModel, new, "models")
        models = {m.slug: m for m in LanguageModel.objects.filter(slug__in=rows)}
        self.model_aliases(rows, models)
        self.sources(rows, models)
        offerings = self.offerings(rows, models, providers)
        self.offering_aliases(rows, models, providers, offerings)
        created_prices = self.prices(rows, models, providers, offerings)
        self.scores(rows, models, benchmarks)
        moved = move_current_prices() if created_prices else []
        checks = [
            (offerings[(models[slug].pk, providers[o["provider"]].pk)].pk, *check)
            for slug, row in rows.items()
            for o in row.get("offerings", [])
            for check in self.checks(o)
        ]
        answers = seed_loaded.send(sender=load_seed, checks=checks, report=self.report)
        checked = {pk for _, ids in answers for pk in ids or ()}
        # One bulk insert of events, so partners syncing from the change log see a
        # seed top-up (and a first load costs one query per kind, not per record).
        changelog.record_bulk_creation(self.created, touched_offerings={*moved, *checked})
        # Bulk inserts skip the signals that stamp a model's scores for the page cache.
        stamp_scores(score.model_id for score in self.created.get(BenchmarkScore, []))
        if self.report.created:
            bump_catalog_version()

    def keyed(self, model, rows: list[dict], kind: str, build) -> dict:
        have = {o.slug: o for o in model.objects.all()}
        self.create(model, [build(r) for r in rows if r["slug"] not in have], kind)
        return {o.slug: o for o in model.objects.all()}

    def organization(self, row: dict) -> Organization:
        return Organization(slug=row["slug"], name=row["name"], url=self.url(row.get("url")))

    def provider(self, row: dict, orgs: dict) -> Provider:
        return Provider(
            slug=row["slug"],
            name=row["name"],
            url=self.url(row.get("url")),
            kind=row.get("kind") or Provider.Kind.FIRST_PARTY,
            maker=orgs.get(row.get("maker")) if row.get("maker") else None,
        )

    def benchmark(self, row: dict) -> Benchmark:
        return Benchmark(
            slug=row["slug"],
            name=row["name"],
            variant=row.get("variant") or "",
            metric=row.get("metric") or "accuracy",
            scale=row.get("scale") or Benchmark.Scale.PERCENT,
            higher_is_better=row.get("higher_is_better", True) is not False,
            url=self.url(row.get("url")),
        )

    def language_model(self, slug: str, row: dict, orgs: dict) -> LanguageModel:
        capabilities = row.get("capabilities", {})
        return LanguageModel(
            slug=slug,
            name=row["name"],
            organization=orgs[row["organization"]],
            status=LanguageModel.Status.PUBLISHED if self.publish else LanguageModel.Status.DRAFT,
            lifecycle=row.get("lifecycle") or "ga",
            deprecation_date=_date(row.get("deprecation_date")),
            retirement_date=_date(row.get("retirement_date")),
            release_date=_date(row.get("release_date")),
            context_window=row["context_window"],
            max_output_tokens=row.get("max_output_tokens"),
            parameter_count=row.get("parameter_count"),
            architecture=row.get("architecture") or "",
            license=row.get("license") or "",
            open_weights=bool(row.get("open_weights")),
            knowledge_cutoff=_month(row.get("knowledge_cutoff")),
            input_modalities=",".join(row.get("input_modalities", ["text"])),
            output_modalities=",".join(row.get("output_modalities", ["text"])),
            last_reviewed=_date(row.get("last_reviewed")),
            **{name: capabilities.get(name) for name, _ in CAPABILITIES},
        )

    def model_aliases(self, rows: dict, models: dict) -> None:
        taken = set(ModelAlias.objects.values_list("key", flat=True))
        new = []
        for slug, row in rows.items():
            for key in row.get("aliases", []):
                if key not in taken:
                    taken.add(key)
                    new.append(ModelAlias(model=models[slug], key=key, source="seed"))
        self.create(ModelAlias, new, "model aliases")

    def sources(self, rows: dict, models: dict) -> None:
        wanted = {}
        for row in rows.values():
            for source in row.get("sources", []):
                wanted.setdefault(self.url(source["url"]), source)
        have = {s.url: s for s in Source.objects.filter(url__in=wanted)}
        self.create(
            Source,
            [
                Source(
                    url=url,
                    title=source.get("title") or "",
                    retrieved_on=_date(source.get("retrieved")),
                )
                for url, source in wanted.items()
                if url not in have
            ],
            "sources",
        )
        by_url = {s.url: s.pk for s in Source.objects.filter(url__in=wanted)}
        through = LanguageModel.sources.through
        linked = set(
            through.objects.filter(languagemodel__in=models.values()).values_list(
                "languagemodel_id", "source_id"
            )
        )
        links = {
            (models[slug].pk, by_url[self.url(source["url"])])
            for slug, row in rows.items()
            for source in row.get("sources", [])
        } - linked
        self.create(
            through,
            [through(languagemodel_id=m, source_id=s) for m, s in sorted(links)],
            "source links",
        )

    def offerings(self, rows: dict, models: dict, providers: dict) -> dict:
        def pairs():
            return {
                (o.model_id, o.provider_id): o
                for o in Offering.objects.filter(model__in=models.values())
            }

        have = pairs()
        new = []
        for slug, row in rows.items():
            model = models[slug]
            for o in row.get("offerings", []):
                provider = providers[o["provider"]]
                if (model.pk, provider.pk) in have:
                    continue
                new.append(
                    Offering(
                        model=model,
                        provider=provider,
                        provider_model_id=o["provider_model_id"],
                        lifecycle=o.get("lifecycle") or "ga",
                        url=self.url(o.get("url")),
                        context_window=o.get("context_window"),
                        max_output_tokens=o.get("max_output_tokens"),
                        supported_parameters=_parameters(o.get("supported_parameters")),
                        tokenizer=o.get("tokenizer") or "",
                        last_reviewed=_date(o.get("last_reviewed"))
                        or _date(row.get("last_reviewed")),
                    )
                )
        self.create(Offering, new, "offerings")
        return pairs() if new else have

    def offering_aliases(self, rows, models, providers, offerings) -> None:
        have = set(
            OfferingAlias.objects.filter(offering__in=offerings.values()).values_list(
                "offering_id", "alias"
            )
        )
        new = []
        for slug, row in rows.items():
            for o in row.get("offerings", []):
                offering = offerings[(models[slug].pk, providers[o["provider"]].pk)]
                for alias in o.get("aliases", []):
                    if (offering.pk, alias) not in have:
                        have.add((offering.pk, alias))
                        new.append(OfferingAlias(offering=offering, alias=alias))
        self.create(OfferingAlias, new, "aliases")

    def prices(self, rows, models, providers, offerings) -> int:
        have = set(
            Price.objects.filter(offering__in=offerings.values()).values_list(
                "offering_id", "tier", "context_threshold", "effective_date"
            )
        )
        new = []
        for slug, row in rows.items():
            for o in row.get("offerings", []):
                offering = offerings[(models[slug].pk, providers[o["provider"]].pk)]
                for p in o.get("prices", []):
                    effective = _date(p["effective_date"])
                    key = (
                        offering.pk,
                        p.get("tier") or "standard",
                        p.get("context_threshold") or 0,
                        effective,
                    )
                    if key in have:
                        continue
                    have.add(key)
                    price = Price(
                        offering=offering,
                        effective_date=effective,
                        tier=key[1],
                        context_threshold=key[2],
                        input=_money(p["input"]),
                        output=_money(p["output"]),
                        cache_read=_money(p.get("cache_read")),
                        cache_write=_money(p.get("cache_write")),
                        **{name: _money(p.get(name)) for name in EXTRA_PRICE_DIMENSIONS},
                        source_url=self.url(p.get("source_url")),
                        checked_on=_date(p.get("checked")) or effective,
                    )
                    price.full_clean(validate_unique=False, validate_constraints=False)
                    new.append(price)
        self.create(Price, new, "prices")
        return len(new)

    def scores(self, rows, models, benchmarks) -> None:
        have = set(
            BenchmarkScore.objects.filter(model__in=models.values()).values_list(
                "benchmark_id", "model_id"
            )
        )
        new = []
        for slug, row in rows.items():
            for s in row.get("scores", []):
                benchmark, model = benchmarks[s["benchmark"]], models[slug]
                if (benchmark.pk, model.pk) in have:
                    continue
                have.add((benchmark.pk, model.pk))
                reported_by = s.get("reported_by") or (
                    "maker" if s.get("self_reported") is not False else "independent"
                )
                new.append(
                    BenchmarkScore(
                        benchmark=benchmark,
                        model=model,
                        score=_money(s["score"]),
                        reported_by=reported_by,
                        self_reported=reported_by == BenchmarkScore.ReportedBy.MAKER,
                        attribution=s.get("attribution") or "",
                        source_url=self.url(s.get("source_url")),
                        measured_on=_date(s.get("measured_on")),
                    )
                )
        self.create(BenchmarkScore, new, "scores")

    def checks(self, offering_row: dict) -> list[tuple]:
        """(source, agrees, checked on, disagreements) for each source the build
        compared this offering's price with."""
        checks = offering_row.get("checks") or {}
        result = [(source, True, self.as_of.get(source), []) for source in checks.get("agree", [])]
        differ: dict[str, list] = {}
        for d in checks.get("disagree", []):
            differ.setdefault(d["source"], []).append(
                {"field": d["field"], "ours": d.get("ours"), "theirs": d.get("theirs")}
            )
        result += [(s, False, self.as_of.get(s), items) for s, items in differ.items()]
        return [r for r in result if r[2] is not None]
