"""Compare a parsed price source with our catalog and store what differs.

Reads files only (through the importers' parsers) and never changes a price. Matching is
the importer's own (`catalog.importers.plan`): provider mapping, provider model id, the
source's other spellings and our OfferingAlias rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from catalog.importers.plan import find_offering, load_offering_index, match_provider
from catalog.importers.source import ParsedSource, SourceRow
from catalog.models import Price
from pricewatch.models import FIELDS, PRICE_FIELD_NAMES, Finding, OfferingCheck


def tolerance() -> Decimal:
    return Decimal(str(getattr(settings, "PRICE_WATCH_TOLERANCE", "0") or "0"))


def relative_difference(ours: Decimal | None, theirs: Decimal | None) -> Decimal | None:
    """|theirs - ours| / ours; None when either is missing or ours is zero."""
    if ours is None or theirs is None or ours == 0:
        return None
    return abs(theirs - ours) / abs(ours)


def agree(ours: Decimal, theirs: Decimal, tol: Decimal) -> bool:
    if ours == theirs:
        return True
    if tol == 0:
        return False
    return abs(theirs - ours) <= tol * max(abs(ours), abs(theirs))


@dataclass(frozen=True)
class Comparison:
    field: str
    outcome: str  # agree | disagree | missing_here | missing_there
    ours: Decimal | None
    theirs: Decimal | None

    @property
    def relative_difference(self) -> Decimal | None:
        return relative_difference(self.ours, self.theirs)


def _their_standard(row: SourceRow):
    return next((p for p in row.prices if p.tier == "standard" and p.context_threshold == 0), None)


def compare_row(row: SourceRow, ours: Price | None, model, tol: Decimal) -> list[Comparison]:
    """Field by field: the row's standard base price and limits against ours."""
    theirs_price = _their_standard(row)
    pairs = []
    for name in PRICE_FIELD_NAMES:
        pairs.append(
            (
                name,
                getattr(ours, name) if ours else None,
                getattr(theirs_price, name) if theirs_price else None,
            )
        )
    pairs.append(("context_window", model.context_window, row.context_window))
    pairs.append(("max_output_tokens", model.max_output_tokens, row.max_output_tokens))
    result = []
    for name, mine, theirs in pairs:
        mine = Decimal(mine) if mine is not None else None
        theirs = Decimal(theirs) if theirs is not None else None
        if mine is None and theirs is None:
            continue
        if mine is None:
            outcome = "missing_here"
        elif theirs is None:
            outcome = "missing_there"
        else:
            outcome = "agree" if agree(mine, theirs, tol) else "disagree"
        result.append(Comparison(name, outcome, mine, theirs))
    return result


@dataclass
class ReconcileReport:
    source: str
    matched: int = 0
    unmatched_rows: int = 0  # rows for providers we carry but no offering of ours
    missing_there: list[str] = field(default_factory=list)  # our offerings the source lacks
    counts: dict[str, int] = field(default_factory=dict)  # outcome -> fields
    disagreements: list[tuple[str, Comparison]] = field(default_factory=list)
    opened: int = 0
    reopened: int = 0
    resolved: int = 0

    def summary(self) -> str:
        c = self.counts
        return (
            f"{self.source}: {self.matched} offerings matched; fields agree "
            f"{c.get('agree', 0)}, disagree {c.get('disagree', 0)}, missing here "
            f"{c.get('missing_here', 0)}, missing there {c.get('missing_there', 0)}; "
            f"{len(self.missing_there)} of our offerings not in the source; findings "
            f"opened {self.opened}, reopened {self.reopened}, resolved {self.resolved}."
        )


def _same(a: Decimal | None, b: Decimal | None) -> bool:
    if a is None or b is None:
        return a is b
    return Decimal(a) == Decimal(b)


@transaction.atomic
def reconcile(source: str, parsed: ParsedSource) -> ReconcileReport:
    """Match `parsed` to our offerings, compare, and store findings and per-offering
    checks. A fixed number of queries whatever the file's size."""
    report = ReconcileReport(source=source)
    tol = tolerance()
    catalog = load_offering_index(parsed.format, parsed.rows)
    now = timezone.now()
    today = timezone.localdate()
    results: dict[int, tuple[object, SourceRow, list[Comparison]]] = {}
    for row in parsed.rows:
        if row.errors or row.no_price_reason:
            continue
        provider = match_provider(catalog, parsed.format, row.provider)
        if provider is None:
            continue
        offering = find_offering(catalog, provider, row)
        if offering is None:
            report.unmatched_rows += 1
            continue
        if offering.pk in results:  # first row for an offering wins
            continue
        ours = catalog.price_on((offering.pk, "standard", 0), today)
        results[offering.pk] = (offering, row, compare_row(row, ours, offering.model, tol))
    report.matched = len(results)
    for (_provider_id, _key), offering in catalog.offerings.items():
        if offering.pk not in results and str(offering) not in report.missing_there:
            report.missing_there.append(str(offering))

    existing = {
        (f.offering_id, f.field): f
        for f in Finding.objects.filter(source=source, offering_id__in=results)
    }
    to_create, to_update = [], []
    for offering_pk, (offering, row, comparisons) in results.items():
        for comp in comparisons:
            report.counts[comp.outcome] = report.counts.get(comp.outcome, 0) + 1
            finding = existing.get((offering_pk, comp.field))
            if comp.outcome in ("agree", "missing_there"):
                if finding is not None and finding.status != Finding.Status.RESOLVED:
                    finding.status = Finding.Status.RESOLVED
                    finding.resolved_at = now
                    finding.our_value, finding.their_value = comp.ours, comp.theirs
                    finding.relative_difference = comp.relative_difference
                    finding.last_seen = now
                    to_update.append(finding)
                    report.resolved += 1
                continue
            if comp.outcome == "disagree":
                report.disagreements.append((str(offering), comp))
            if finding is None:
                to_create.append(
                    Finding(
                        source=source,
                        offering=offering,
                        provider_model_id=row.provider_model_id,
                        field=comp.field,
                        kind=comp.outcome,
                        our_value=comp.ours,
                        their_value=comp.theirs,
                        relative_difference=comp.relative_difference,
                        first_seen=now,
                        last_seen=now,
                    )
                )
                report.opened += 1
                continue
            same = _same(finding.our_value, comp.ours) and _same(finding.their_value, comp.theirs)
            finding.last_seen = now
            finding.provider_model_id = row.provider_model_id
            if not (same and finding.status in (Finding.Status.OPEN, Finding.Status.DISMISSED)):
                # New values (or a settled finding back again): open it.
                if finding.status != Finding.Status.OPEN:
                    report.reopened += 1
                finding.status = Finding.Status.OPEN
                finding.resolved_at = None
                finding.resolved_by = None
                finding.kind = comp.outcome
                finding.our_value, finding.their_value = comp.ours, comp.theirs
                finding.relative_difference = comp.relative_difference
            to_update.append(finding)
    Finding.objects.bulk_create(to_create)
    Finding.objects.bulk_update(
        to_update,
        [
            "status",
            "kind",
            "our_value",
            "their_value",
            "relative_difference",
            "last_seen",
            "resolved_at",
            "resolved_by",
            "provider_model_id",
        ],
    )
    _store_checks(source, results, today)
    from sitecache.versioning import bump_catalog_version

    bump_catalog_version()
    return report


def _store_checks(source: str, results, today) -> None:
    checks = {
        c.offering_id: c
        for c in OfferingCheck.objects.filter(source=source, offering_id__in=results)
    }
    create, update = [], []
    for offering_pk, (_offering, _row, comparisons) in results.items():
        bad = [
            {"field": c.field, "ours": str(c.ours), "theirs": str(c.theirs)}
            for c in comparisons
            if c.outcome == "disagree" and c.field in FIELDS
        ]
        check = checks.get(offering_pk)
        if check is None:
            create.append(
                OfferingCheck(
                    offering_id=offering_pk,
                    source=source,
                    agrees=not bad,
                    checked_on=today,
                    disagreements=bad,
                )
            )
        else:
            check.agrees, check.checked_on, check.disagreements = not bad, today, bad
            update.append(check)
    OfferingCheck.objects.bulk_create(create)
    OfferingCheck.objects.bulk_update(update, ["agrees", "checked_on", "disagreements"])
