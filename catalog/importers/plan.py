"""What importing a parsed source would change: `build_plan` matches its rows to the
catalog (`matching.py`) in a fixed number of queries and writes nothing; `apply.py`
writes the plan."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone

from catalog.importers.matching import (
    concerns_catalog,
    find_model,
    find_offering,
    load_offering_index,
    match_provider,
)
from catalog.importers.source import PRICE_FIELDS, ParsedSource, SourceRow, TierPrice
from catalog.models import LanguageModel, Offering, Price, Provider
from pricewatch.plausibility import check_price

_url = URLValidator(schemes=["http", "https"])


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


def build_plan(parsed: ParsedSource, *, plan: ImportPlan | None = None) -> ImportPlan:
    """What importing `parsed` would do to the catalog. Reads only. `plan`: an empty plan
    to fill, e.g. one whose lists keep only a sample (catalog.importers.jobs)."""
    if plan is None:
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
            if parsed.format != "csv" and not concerns_catalog(catalog, provider, row):
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


def _effective_date(row: SourceRow, today: date) -> tuple[date, str]:
    if not row.effective_date:
        return today, ""
    try:
        return date.fromisoformat(row.effective_date), ""
    except ValueError:
        return today, f"effective_date {row.effective_date!r} is not YYYY-MM-DD"
