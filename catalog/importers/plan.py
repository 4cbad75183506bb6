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
    OfferingIndex,
    concerns_catalog,
    find_model,
    find_offering,
    load_offering_index,
    match_provider,
)
from catalog.importers.source import PRICE_FIELDS, ParsedSource, SourceRow, TierPrice
from catalog.models import LanguageModel, Offering, Price, Provider
from catalog.plausibility import check_price

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
            for name in self.fields
            if old is None or getattr(old, name) != getattr(self.new, name)
        ]

    @property
    def fields(self) -> tuple[str, ...]:
        """The figures compared: the token prices, and the extra dimensions the source
        states (one it does not state keeps ours; services.record_price)."""
        return PRICE_FIELDS + tuple(self.new.extras)

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
    # What reading a row noticed (a figure rounded, a source URL ignored), only for rows
    # whose prices the import would create or change: a warning about a row it leaves
    # alone asks the editor to check something that is not written.
    warnings: list[RowProblem] = field(default_factory=list)
    # How many warnings were left out of `warnings`, on rows that change nothing
    # (unchanged, not tracked, older than ours, or in error).
    quiet_warnings: int = 0
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
    figures = "|".join(str(getattr(p.new, f)) for f in p.fields)
    old = f"{p.old.pk}:" + ":".join(str(getattr(p.old, f)) for f in p.fields) if p.old else "-"
    offering = p.offering.pk if p.offering else "-"
    return f"price|{offering}|{p.tier}|{p.context_threshold}|{old}|{figures}|{p.effective_date}"


def build_plan(parsed: ParsedSource, *, plan: ImportPlan | None = None) -> ImportPlan:
    """What importing `parsed` would do to the catalog. Reads only. `plan`: an empty plan
    to fill, e.g. one whose lists keep only a sample (catalog.importers.jobs).

    Each row ends one way, each in its own function below: a provider we do not carry
    (`_unknown_provider`), a broken row (`_broken_row`), a row without a price, no
    offering or model matching, a model we already offer under another id, a second id
    for an offering this import adds (`_new_offering`), and then, price by price
    (`_plan_price`): a repeat of an earlier row, older evidence than ours, a date before
    the price in force, or a planned price: a new offering's, a change, or unchanged.
    A row's warnings reach the plan only when one of its prices is new or changed."""
    if plan is None:
        plan = ImportPlan(format=parsed.format, as_of=parsed.as_of)
    plan.errors.extend(RowProblem(e.ref, e.message) for e in parsed.errors)
    plan.skipped.extend(RowProblem(s.ref, s.message) for s in parsed.skipped)
    run = _Planning(
        parsed=parsed,
        catalog=load_offering_index(parsed.format, parsed.rows),
        plan=plan,
        today=timezone.localdate(),
    )
    for row in parsed.rows:
        notes = list(row.warnings)
        if _plan_row(run, row, notes):
            plan.warnings.extend(RowProblem(row.ref, note) for note in notes)
        else:
            plan.quiet_warnings += len(notes)
    return plan


@dataclass
class _Planning:
    """One build_plan run: the plan so far and what earlier rows already claimed."""

    parsed: ParsedSource
    catalog: OfferingIndex
    plan: ImportPlan
    today: date
    # (offering pk or ("new", provider pk, model pk), tier, threshold) -> the first row's
    # (ref, price, provider model id).
    seen_prices: dict[tuple, tuple[str, TierPrice, str]] = field(default_factory=dict)
    new_by_pair: dict[tuple[int, int], NewOffering] = field(default_factory=dict)

    @property
    def is_csv(self) -> bool:
        return self.parsed.format == "csv"

    # Both file a row that changes nothing, and say so (False), for a planner to return.
    def unmatched(self, row: SourceRow, reason: str) -> bool:
        self.plan.unmatched.append(Unmatched(row.ref, row.provider, row.provider_model_id, reason))
        return False

    def errors(self, row: SourceRow, messages: list[str]) -> bool:
        self.plan.errors.extend(RowProblem(row.ref, message) for message in messages)
        return False


@dataclass
class _MatchedRow:
    """A row that names an offering of ours, or a model of ours on a provider of ours."""

    row: SourceRow
    provider: Provider
    model: LanguageModel
    offering: Offering | None  # None: the import adds it (new_offering)
    new_offering: NewOffering | None
    # The row's date; a dated source's first changed price moves it to the source's
    # as-of date for the row's later prices too.
    effective: date
    source_url: str

    @property
    def target(self) -> int | tuple:
        offering, provider, model = self.offering, self.provider, self.model
        return offering.pk if offering else ("new", provider.pk, model.pk)


def _plan_row(run: _Planning, row: SourceRow, notes: list[str]) -> bool:
    """Plans the row's prices; True when at least one would be created or changed (then
    the row's `notes`, to which this adds its own, are the plan's warnings)."""
    provider = match_provider(run.catalog, run.parsed.format, row.provider)
    if provider is None:
        return _unknown_provider(run, row)
    if row.errors:
        return _broken_row(run, row, provider)
    if row.no_price_reason:
        return run.unmatched(row, row.no_price_reason)
    incomplete = [p for p in row.prices if p.input is None or p.output is None]
    if incomplete or not row.prices:
        return run.errors(row, ["a price needs both an input and an output figure"])

    offering = find_offering(run.catalog, provider, row)
    model = offering.model if offering else find_model(run.catalog, row)
    if model is None:
        return run.unmatched(row, "no offering or model matches")
    if offering is None and (existing := run.catalog.by_pair.get((provider.pk, model.pk))):
        return run.unmatched(
            row,
            f"{model} already runs on {provider} as {existing.provider_model_id!r}; "
            "add an alias to that offering if this is the same model",
        )
    effective, problem = _effective_date(row, run.today)
    if problem:
        return run.errors(row, [problem])
    source_url = _source_url(row, notes)
    new_offering = None
    if offering is None:
        new_offering = _new_offering(run, row, provider, model)
        if new_offering is None:
            return False
    match = _MatchedRow(row, provider, model, offering, new_offering, effective, source_url)
    # Every price planned (a list, not any() over a generator, which would stop early).
    planned = [_plan_price(run, match, price) for price in row.prices]
    return any(planned)


def _unknown_provider(run: _Planning, row: SourceRow) -> bool:
    """A provider we do not carry: an editor's CSV names ours, so that is an error; a
    public file lists many we do not carry."""
    if not run.is_csv:
        return run.unmatched(row, "provider not in our catalog")
    problems = list(row.errors)
    if row.provider:
        problems.append(f"unknown provider {row.provider!r}")
    return run.errors(row, problems)


def _broken_row(run: _Planning, row: SourceRow, provider: Provider) -> bool:
    """A broken row blocks the import when it concerns our catalog; a broken row about a
    model we do not carry is reported but cannot do harm."""
    if not run.is_csv and not concerns_catalog(run.catalog, provider, row):
        return run.unmatched(
            row, "no offering or model matches (and: " + "; ".join(row.errors) + ")"
        )
    return run.errors(row, row.errors)


def _source_url(row: SourceRow, notes: list[str]) -> str:
    """The row's source URL, or "" (with a note) when it is not an http(s) URL."""
    if not row.source_url:
        return ""
    try:
        _url(row.source_url)
    except ValidationError:
        notes.append(f"source URL {row.source_url!r} ignored: not a URL")
        return ""
    return row.source_url


def _new_offering(
    run: _Planning, row: SourceRow, provider: Provider, model: LanguageModel
) -> NewOffering | None:
    """The offering this import adds for the model on the provider (the first row that
    asks for it); None, reported, when an earlier row adds it under another id."""
    new_offering = run.new_by_pair.get((provider.pk, model.pk))
    if new_offering is None:
        new_offering = NewOffering(row.ref, provider, model, row.provider_model_id)
        run.new_by_pair[(provider.pk, model.pk)] = new_offering
        run.plan.new_offerings.append(new_offering)
        return new_offering
    if new_offering.provider_model_id != row.provider_model_id:
        run.unmatched(row, f"{new_offering.ref} already adds {model} on {provider}")
        return None
    return new_offering


def _plan_price(run: _Planning, match: _MatchedRow, price: TierPrice) -> bool:
    """Files one price of a matched row; True when it is one to create or change."""
    if _repeats_an_earlier_row(run, match, price):
        return False
    row, offering, today, as_of = match.row, match.offering, run.today, run.parsed.as_of
    price_key = (offering.pk if offering else 0, price.tier, price.context_threshold)
    # Compared with the price in force on the row's date (a file may schedule one);
    # never backdated before the price in force today.
    old = run.catalog.price_on(price_key, match.effective) if offering else None
    current = run.catalog.price_on(price_key, today) if offering else None
    planned = PlannedPrice(
        ref=row.ref,
        provider=match.provider,
        provider_model_id=row.provider_model_id,
        model=match.model,
        offering=offering,
        new=price,
        old=old,
        effective_date=match.effective,
        source_url=match.source_url,
    )
    if planned.is_change and _older_than_ours(as_of, current):
        return _older_evidence(run, match, planned, current)
    if planned.is_change and as_of and not row.effective_date:
        # Evidence from a dated source: the change took effect by its date.
        planned.checked_on = as_of
        if as_of <= today and (current is None or as_of > current.effective_date):
            planned.effective_date = match.effective = as_of
    if planned.is_change and current is not None:
        if match.effective < current.effective_date:
            return run.errors(
                row,
                [
                    f"effective_date {match.effective} is before the current price's date "
                    f"{current.effective_date}; a new price must take effect later"
                ],
            )
        if match.effective == current.effective_date:
            # An edited export keeps the current price's date: the change starts today
            # rather than overwriting the record in force.
            planned.effective_date = today
    return _file_planned_price(run, match, planned)


def _repeats_an_earlier_row(run: _Planning, match: _MatchedRow, price: TierPrice) -> bool:
    """True when an earlier row already priced this offering, tier and threshold: the
    same figures are skipped quietly; other figures are an error in an editor's CSV
    (same id) and otherwise reported, the first row's price kept."""
    row = match.row
    key = (match.target, price.tier, price.context_threshold)
    if key not in run.seen_prices:
        run.seen_prices[key] = (row.ref, price, row.provider_model_id)
        return False
    first_ref, first, first_id = run.seen_prices[key]
    if first != price and first_id == row.provider_model_id and run.is_csv:
        run.errors(row, [f"same offering and tier as {first_ref} with other prices"])
    elif first != price:
        # A public file listing one offering twice with other prices (another id, a
        # regional endpoint, a duplicate key): the first row's price is kept and the
        # other is reported, not imported.
        run.unmatched(row, f"the offering {first_ref} names, with other prices")
    return True


def _older_evidence(
    run: _Planning, match: _MatchedRow, planned: PlannedPrice, current: Price
) -> bool:
    """A change the source states on older evidence than our price in force: ours is kept."""
    run.plan.regressions.append(
        RowProblem(
            match.row.ref,
            f"{match.model} on {match.provider}: the source is as of {run.parsed.as_of}, "
            f"older than our price checked on {current.checked_on} "
            f"({change_summary(planned)}); ours is kept",
        )
    )
    return False


def _file_planned_price(run: _Planning, match: _MatchedRow, planned: PlannedPrice) -> bool:
    """A price to record: a new offering's, a change (checked for plausibility) or one
    that already matches ours. True for the first two."""
    if planned.is_change:
        run.plan.plausibility.extend(
            RowProblem(match.row.ref, f"{match.model} on {match.provider}: {warning}")
            for warning in check_price(
                planned.new, previous=planned.old, provider_model_id=match.row.provider_model_id
            )
        )
    if match.new_offering is not None:
        match.new_offering.prices.append(planned)
    elif planned.is_change:
        run.plan.changed.append(planned)
    else:
        run.plan.unchanged.append(planned)
    return planned.is_change


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
