"""Match parsed rows to the catalog, show what would change, and apply it in one go.

`build_plan` reads the catalog in a fixed number of queries and writes nothing.
`apply_plan` writes the plan inside one transaction through `record_price`, so a failure
anywhere leaves the catalog as it was and every price change appends to the history.
"""

from __future__ import annotations

import hashlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.models import HistoricalRecords

from catalog.importers.identity import is_route_variant, model_key
from catalog.importers.source import PRICE_FIELDS, ParsedSource, SourceRow, TierPrice
from catalog.models import (
    LanguageModel,
    ModelAlias,
    Offering,
    OfferingAlias,
    Price,
    Provider,
    catalog_slugify,
)
from catalog.services import PriceInput, add_offering, record_price
from pricewatch.plausibility import check_price

# How each source names providers we carry, when its name is not our slug. A source name
# that equals one of our Provider slugs (or slugifies to one) needs no entry.
SOURCE_PROVIDER_SLUGS: dict[str, dict[str, str]] = {
    "litellm": {
        "gemini": "google-ai-studio",
        "vertex_ai-language-models": "google-vertex-ai",
        "vertex_ai-anthropic_models": "google-vertex-ai",
        "vertex_ai-mistral_models": "google-vertex-ai",
        "vertex_ai-llama_models": "google-vertex-ai",
        "vertex_ai": "google-vertex-ai",
        "bedrock": "amazon-bedrock",
        "bedrock_converse": "amazon-bedrock",
        "azure_ai": "azure",
        "together_ai": "together-ai",
        "fireworks_ai": "fireworks-ai",
        "cohere_chat": "cohere",
        "moonshot": "moonshot-ai",
        "dashscope": "alibaba-cloud",
        "zai": "z-ai",
    },
    "models-dev": {
        "google": "google-ai-studio",
        "google-vertex": "google-vertex-ai",
        "google-vertex-anthropic": "google-vertex-ai",
        "togetherai": "together-ai",
        "moonshotai": "moonshot-ai",
        "alibaba": "alibaba-cloud",
        "zai": "z-ai",
    },
    "genai-prices": {
        "google": "google-ai-studio",
        "google-vertex": "google-vertex-ai",  # its Claude rows (genai_prices.py)
        "aws": "amazon-bedrock",
        "together": "together-ai",
        "fireworks": "fireworks-ai",
        "moonshotai": "moonshot-ai",
        "x-ai": "xai",
        "zai": "z-ai",
    },
    "openrouter": {},
    "csv": {},
}

# Source provider names that list only some of our provider's offerings (genai-prices'
# Claude-only Vertex AI rows): their rows are matched and compared, but an offering of
# ours that they do not list is not "missing there".
PARTIAL_PROVIDER_NAMES: dict[str, set[str]] = {"genai-prices": {"google-vertex"}}

_url = URLValidator(schemes=["http", "https"])


class ImportRefused(Exception):
    """Nothing was written: the plan has errors, or a row failed while applying."""


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Decimal | None
    new: Decimal | None

    @property
    def percent(self) -> Decimal | None:
        """Change relative to the old price: 2 -> 3 is +50; none from or to nothing/zero."""
        if self.old is None or self.new is None or self.old == 0:
            return None
        return (self.new - self.old) / self.old * 100


@dataclass
class PlannedPrice:
    """One price the import would record (or that already matches)."""

    ref: str
    provider: Provider
    provider_model_id: str
    model: LanguageModel
    offering: Offering | None  # None until a new offering is created
    new: TierPrice
    old: Price | None
    effective_date: date
    source_url: str = ""
    # The date of the evidence: the source's as-of date (None: the day of the import).
    checked_on: date | None = None

    @property
    def tier(self) -> str:
        return self.new.tier

    @property
    def context_threshold(self) -> int:
        return self.new.context_threshold

    @property
    def changes(self) -> list[FieldChange]:
        old = self.old
        return [
            FieldChange(name, getattr(old, name) if old else None, getattr(self.new, name))
            for name in PRICE_FIELDS
            if old is None or getattr(old, name) != getattr(self.new, name)
        ]

    @property
    def is_change(self) -> bool:
        return self.old is None or bool(self.changes)


@dataclass
class NewOffering:
    ref: str
    provider: Provider
    model: LanguageModel
    provider_model_id: str
    prices: list[PlannedPrice] = field(default_factory=list)


@dataclass(frozen=True)
class Unmatched:
    ref: str
    provider: str
    provider_model_id: str
    reason: str


@dataclass(frozen=True)
class RowProblem:
    ref: str
    message: str


@dataclass
class ImportPlan:
    format: str
    new_offerings: list[NewOffering] = field(default_factory=list)
    changed: list[PlannedPrice] = field(default_factory=list)
    unchanged: list[PlannedPrice] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)
    errors: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)
    skipped: list[RowProblem] = field(default_factory=list)
    # Planned prices the plausibility check questions; applying needs confirm_warnings.
    plausibility: list[RowProblem] = field(default_factory=list)
    # Prices the source states differently but on older evidence than ours: not applied.
    regressions: list[RowProblem] = field(default_factory=list)
    # The date the source is evidence of (None: unknown, e.g. an editor's CSV).
    as_of: date | None = None

    @property
    def can_apply(self) -> bool:
        return not self.errors

    @property
    def has_changes(self) -> bool:
        return bool(self.new_offerings or self.changed)

    def counts(self) -> dict[str, int]:
        return {
            "new_offerings": len(self.new_offerings),
            "changed": len(self.changed),
            "unchanged": len(self.unchanged),
            "unmatched": len(self.unmatched),
            "errors": len(self.errors),
        }

    def summary(self) -> str:
        c = self.counts()
        return (
            f"{c['new_offerings']} new offerings, {c['changed']} changed prices, "
            f"{c['unchanged']} unchanged, {c['unmatched']} unmatched, {c['errors']} errors"
            + (f", {len(self.regressions)} older than ours (kept ours)" if self.regressions else "")
        )

    def fingerprint(self) -> str:
        """A digest of what applying would write; the admin's confirm step checks that
        the catalog did not move under the preview."""
        parts = []
        for new in self.new_offerings:
            parts.append(f"new|{new.provider.pk}|{new.model.pk}|{new.provider_model_id}")
            parts.extend(_price_key(p) for p in new.prices)
        parts.extend(_price_key(p) for p in self.changed)
        parts.extend(f"error|{e.ref}|{e.message}" for e in self.errors)
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _price_key(p: PlannedPrice) -> str:
    figures = "|".join(str(getattr(p.new, f)) for f in PRICE_FIELDS)
    old = f"{p.old.pk}:" + ":".join(str(getattr(p.old, f)) for f in PRICE_FIELDS) if p.old else "-"
    offering = p.offering.pk if p.offering else "-"
    return f"price|{offering}|{p.tier}|{p.context_threshold}|{old}|{figures}|{p.effective_date}"


@dataclass
class _Catalog:
    """The slice of the catalog a plan needs, read once."""

    providers: dict[str, Provider]
    offerings: dict[tuple[int, str], Offering]  # (provider id, casefolded id or alias)
    by_pair: dict[tuple[int, int], Offering]  # (provider id, model id)
    # (offering id, tier, threshold) -> its prices, newest effective date first
    prices: dict[tuple[int, str, int], list[Price]]

    def price_on(self, key: tuple[int, str, int], day: date) -> Price | None:
        """The price in force on `day` (today's, or a scheduled future one)."""
        return next((p for p in self.prices.get(key, []) if p.effective_date <= day), None)

    models_by_slug: dict[str, LanguageModel]
    models_by_name: dict[str, LanguageModel]
    # Identity keys (catalog.importers.identity) of every model's slug and aliases.
    models_by_key: dict[str, LanguageModel] = field(default_factory=dict)


def _load_catalog(provider_slugs: set[str]) -> _Catalog:
    providers = {p.slug: p for p in Provider.objects.filter(slug__in=provider_slugs)}
    offerings: dict[tuple[int, str], Offering] = {}
    by_pair: dict[tuple[int, int], Offering] = {}
    rows = Offering.objects.filter(provider__in=providers.values()).select_related(
        "model", "provider"
    )
    by_pk = {}
    for offering in rows:
        by_pk[offering.pk] = offering
        offerings[(offering.provider_id, offering.provider_model_id.casefold())] = offering
        by_pair[(offering.provider_id, offering.model_id)] = offering
    for alias in OfferingAlias.objects.filter(offering_id__in=by_pk):
        offering = by_pk[alias.offering_id]
        offerings.setdefault((offering.provider_id, alias.alias.casefold()), offering)
    prices: dict[tuple[int, str, int], list[Price]] = {}
    ordered = Price.objects.filter(offering_id__in=by_pk).order_by(
        "offering_id", "tier", "context_threshold", "-effective_date"
    )
    for price in ordered:
        prices.setdefault((price.offering_id, price.tier, price.context_threshold), []).append(
            price
        )
    models = list(LanguageModel.objects.only("pk", "name", "slug"))
    by_pk = {m.pk: m for m in models}
    models_by_key = {model_key(m.slug): m for m in models}
    for key, model_id in ModelAlias.objects.values_list("key", "model_id"):
        models_by_key[key] = by_pk[model_id]
    return _Catalog(
        models_by_key=models_by_key,
        providers=providers,
        offerings=offerings,
        by_pair=by_pair,
        prices=prices,
        models_by_slug={m.slug: m for m in models},
        models_by_name={m.name.casefold(): m for m in models},
    )


def provider_slug_candidates(source_format: str, name: str) -> list[str]:
    """Our Provider slugs a source's provider name may mean, best first."""
    mapped = SOURCE_PROVIDER_SLUGS.get(source_format, {}).get(name)
    return [s for s in dict.fromkeys([mapped, name, catalog_slugify(name)]) if s]


def load_offering_index(source_format: str, rows: list[SourceRow]) -> _Catalog:
    """The catalog slice that `rows` of a source can match, read in a fixed number of
    queries (no query per row). Use with `match_provider` and `find_offering`."""
    wanted = set()
    for row in rows:
        wanted.update(provider_slug_candidates(source_format, row.provider))
    return _load_catalog(wanted)


def match_provider(catalog: _Catalog, source_format: str, name: str) -> Provider | None:
    """Our Provider for a source's provider name, or None when we do not carry it."""
    return next(
        (
            catalog.providers[s]
            for s in provider_slug_candidates(source_format, name)
            if s in catalog.providers
        ),
        None,
    )


def build_plan(parsed: ParsedSource) -> ImportPlan:
    """What importing `parsed` would do to the catalog. Reads only."""
    plan = ImportPlan(format=parsed.format, as_of=parsed.as_of)
    plan.errors.extend(RowProblem(e.ref, e.message) for e in parsed.errors)
    plan.skipped.extend(RowProblem(s.ref, s.message) for s in parsed.skipped)
    catalog = load_offering_index(parsed.format, parsed.rows)
    today = timezone.localdate()
    seen_prices: dict[tuple, tuple[str, TierPrice]] = {}
    new_by_pair: dict[tuple[int, int], NewOffering] = {}

    for row in parsed.rows:
        provider = match_provider(catalog, parsed.format, row.provider)
        if provider is None:
            if parsed.format == "csv":
                problems = list(row.errors)
                if row.provider:
                    problems.append(f"unknown provider {row.provider!r}")
                plan.errors.extend(RowProblem(row.ref, message) for message in problems)
            else:
                plan.unmatched.append(
                    Unmatched(
                        row.ref, row.provider, row.provider_model_id, "provider not in our catalog"
                    )
                )
            continue
        if row.errors:
            # A broken row blocks the import when it concerns our catalog; a broken row
            # about a model we do not carry is reported but cannot do harm.
            if parsed.format != "csv" and not _concerns_catalog(catalog, provider, row):
                plan.unmatched.append(
                    Unmatched(
                        row.ref,
                        row.provider,
                        row.provider_model_id,
                        "no offering or model matches (and: " + "; ".join(row.errors) + ")",
                    )
                )
            else:
                plan.errors.extend(RowProblem(row.ref, message) for message in row.errors)
            continue
        plan.warnings.extend(RowProblem(row.ref, message) for message in row.warnings)
        if row.no_price_reason:
            plan.unmatched.append(
                Unmatched(row.ref, row.provider, row.provider_model_id, row.no_price_reason)
            )
            continue
        incomplete = [p for p in row.prices if p.input is None or p.output is None]
        if incomplete or not row.prices:
            plan.errors.append(
                RowProblem(row.ref, "a price needs both an input and an output figure")
            )
            continue

        offering = find_offering(catalog, provider, row)
        model = offering.model if offering else find_model(catalog, row)
        if offering is None and model is None:
            plan.unmatched.append(
                Unmatched(
                    row.ref, row.provider, row.provider_model_id, "no offering or model matches"
                )
            )
            continue
        if offering is None:
            existing = catalog.by_pair.get((provider.pk, model.pk))
            if existing is not None:
                plan.unmatched.append(
                    Unmatched(
                        row.ref,
                        row.provider,
                        row.provider_model_id,
                        f"{model} already runs on {provider} as {existing.provider_model_id!r}; "
                        "add an alias to that offering if this is the same model",
                    )
                )
                continue

        effective, problem = _effective_date(row, today)
        if problem:
            plan.errors.append(RowProblem(row.ref, problem))
            continue
        source_url = row.source_url
        if source_url:
            try:
                _url(source_url)
            except ValidationError:
                plan.warnings.append(
                    RowProblem(row.ref, f"source URL {source_url!r} ignored: not a URL")
                )
                source_url = ""

        target = offering.pk if offering else ("new", provider.pk, model.pk)
        new_offering = None
        if offering is None:
            new_offering = new_by_pair.get((provider.pk, model.pk))
            if new_offering is None:
                new_offering = NewOffering(row.ref, provider, model, row.provider_model_id)
                new_by_pair[(provider.pk, model.pk)] = new_offering
                plan.new_offerings.append(new_offering)
            elif new_offering.provider_model_id != row.provider_model_id:
                plan.unmatched.append(
                    Unmatched(
                        row.ref,
                        row.provider,
                        row.provider_model_id,
                        f"{new_offering.ref} already adds {model} on {provider}",
                    )
                )
                continue

        for price in row.prices:
            key = (target, price.tier, price.context_threshold)
            if key in seen_prices:
                first_ref, first, first_id = seen_prices[key]
                if first != price and first_id == row.provider_model_id and parsed.format == "csv":
                    plan.errors.append(
                        RowProblem(
                            row.ref, f"same offering and tier as {first_ref} with other prices"
                        )
                    )
                elif first != price:
                    # A public file listing one offering twice with other prices (another
                    # id, a regional endpoint, a duplicate key): the first row's price is
                    # kept and the other is reported, not imported.
                    plan.unmatched.append(
                        Unmatched(
                            row.ref,
                            row.provider,
                            row.provider_model_id,
                            f"the offering {first_ref} names, with other prices",
                        )
                    )
                continue
            seen_prices[key] = (row.ref, price, row.provider_model_id)
            price_key = (offering.pk if offering else 0, price.tier, price.context_threshold)
            # Compared with the price in force on the row's date (a file may schedule one);
            # never backdated before the price in force today.
            old = catalog.price_on(price_key, effective) if offering else None
            current = catalog.price_on(price_key, today) if offering else None
            planned = PlannedPrice(
                ref=row.ref,
                provider=provider,
                provider_model_id=row.provider_model_id,
                model=model,
                offering=offering,
                new=price,
                old=old,
                effective_date=effective,
                source_url=source_url,
            )
            if planned.is_change and _older_than_ours(parsed.as_of, current):
                plan.regressions.append(
                    RowProblem(
                        row.ref,
                        f"{model} on {provider}: the source is as of {parsed.as_of}, older "
                        f"than our price checked on {current.checked_on} "
                        f"({change_summary(planned)}); ours is kept",
                    )
                )
                continue
            if planned.is_change and parsed.as_of and not row.effective_date:
                # Evidence from a dated source: the change took effect by its date.
                planned.checked_on = parsed.as_of
                if parsed.as_of <= today and (
                    current is None or parsed.as_of > current.effective_date
                ):
                    planned.effective_date = effective = parsed.as_of
            if planned.is_change and current is not None and effective < current.effective_date:
                plan.errors.append(
                    RowProblem(
                        row.ref,
                        f"effective_date {effective} is before the current price's date "
                        f"{current.effective_date}; a new price must take effect later",
                    )
                )
                continue
            if planned.is_change and current is not None and effective == current.effective_date:
                # An edited export keeps the current price's date: the change starts today
                # rather than overwriting the record in force.
                planned.effective_date = today
            if planned.is_change:
                plan.plausibility.extend(
                    RowProblem(row.ref, f"{model} on {provider}: {warning}")
                    for warning in check_price(
                        price, previous=old, provider_model_id=row.provider_model_id
                    )
                )
            if new_offering is not None:
                new_offering.prices.append(planned)
            elif planned.is_change:
                plan.changed.append(planned)
            else:
                plan.unchanged.append(planned)
    return plan


def _older_than_ours(as_of: date | None, current: Price | None) -> bool:
    """A source dated before the evidence for our price in force cannot replace it."""
    if as_of is None or current is None:
        return False
    evidence = current.checked_on or current.effective_date
    return as_of < evidence


def change_summary(planned: PlannedPrice) -> str:
    return ", ".join(f"{c.field} {c.old} -> {c.new}" for c in planned.changes)


def find_offering(catalog: _Catalog, provider: Provider, row: SourceRow) -> Offering | None:
    """Our offering for a row: its provider model id, its other spellings, or an alias."""
    for candidate in (row.provider_model_id, *row.alternate_ids):
        offering = catalog.offerings.get((provider.pk, candidate.casefold()))
        if offering is not None:
            return offering
    return None


def _concerns_catalog(catalog: _Catalog, provider: Provider, row: SourceRow) -> bool:
    return bool(find_offering(catalog, provider, row) or find_model(catalog, row))


def find_model(catalog: _Catalog, row: SourceRow) -> LanguageModel | None:
    """Our model for a row no offering matches: by slug, then name, then the identity
    key of the row's ids (a model alias). Only the catalog's own models count; an import
    never invents one (`--add-new` proposes drafts instead)."""
    tail = row.provider_model_id.rsplit("/", 1)[-1]
    for slug in (row.model_slug, catalog_slugify(row.model_name), catalog_slugify(tail)):
        if slug and slug in catalog.models_by_slug:
            return catalog.models_by_slug[slug]
    if row.model_name and row.model_name.casefold() in catalog.models_by_name:
        return catalog.models_by_name[row.model_name.casefold()]
    if is_route_variant(row.provider_model_id):
        return None
    base = row.extras.get("base_model")
    for spelling in (base, row.provider_model_id, *row.alternate_ids):
        if spelling and model_key(spelling) in catalog.models_by_key:
            return catalog.models_by_key[model_key(spelling)]
    return None


def _effective_date(row: SourceRow, today: date) -> tuple[date, str]:
    if not row.effective_date:
        return today, ""
    try:
        return date.fromisoformat(row.effective_date), ""
    except ValueError:
        return today, f"effective_date {row.effective_date!r} is not YYYY-MM-DD"


@dataclass
class ApplyResult:
    offerings_created: int = 0
    prices_recorded: int = 0


@contextmanager
def _history_user(user):
    """Attribute history rows to `user` outside a request (the command); inside a
    request simple-history's middleware already knows who it is."""
    context = HistoricalRecords.context
    if user is None or getattr(context, "request", None) is not None:
        yield
        return
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        del context.request


def apply_plan(plan: ImportPlan, *, user=None, confirm_warnings: bool = False) -> ApplyResult:
    """Write the plan in one transaction: new offerings, then every changed price through
    `record_price`. Refuses a plan with errors, or with plausibility warnings unless
    `confirm_warnings`; any failure rolls everything back and names the row."""
    if not plan.can_apply:
        first = plan.errors[0]
        raise ImportRefused(
            f"Nothing imported: {len(plan.errors)} rows have errors (first: {first.ref}: "
            f"{first.message})."
        )
    if plan.plausibility and not confirm_warnings:
        first = plan.plausibility[0]
        raise ImportRefused(
            f"Nothing imported: {len(plan.plausibility)} prices need checking (first: "
            f"{first.ref}: {first.message}). Confirm the figures to import them."
        )
    result = ApplyResult()
    with transaction.atomic(), _history_user(user):
        for new in plan.new_offerings:
            offering = _write(
                new.ref,
                lambda new=new: add_offering(
                    model=new.model,
                    provider=new.provider,
                    provider_model_id=new.provider_model_id,
                    reason=f"Imported from {plan.format}",
                ),
            )
            result.offerings_created += 1
            for planned in new.prices:
                planned.offering = offering
                _record(planned)
                result.prices_recorded += 1
        for planned in plan.changed:
            _record(planned)
            result.prices_recorded += 1
    return result


def _record(planned: PlannedPrice) -> None:
    price = PriceInput(
        input=planned.new.input,
        output=planned.new.output,
        cache_read=planned.new.cache_read,
        cache_write=planned.new.cache_write,
        tier=planned.tier,
        context_threshold=planned.context_threshold,
    )
    _write(
        planned.ref,
        lambda: record_price(
            offering=planned.offering,
            price=price,
            effective_date=planned.effective_date,
            source_url=planned.source_url,
            checked_on=planned.checked_on,
        ),
    )


def _write(ref: str, action):
    """`action()`'s result; a failure refuses the whole import, naming the row."""
    try:
        with transaction.atomic():
            return action()
    except ValidationError as exc:
        raise ImportRefused(f"Nothing imported: {ref}: {'; '.join(exc.messages)}") from exc
    except IntegrityError as exc:
        raise ImportRefused(f"Nothing imported: {ref}: {exc}") from exc
