"""Compare a parsed price source with our catalog and store what differs.

Reads files only (through the importers' parsers) and never changes a price. Matching is
the importer's own (`catalog.importers.matching`): provider mapping, provider model id, the
source's other spellings and our OfferingAlias rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from catalog import changelog
from catalog.importers.matching import (
    PARTIAL_PROVIDER_NAMES,
    find_model,
    find_offering,
    load_offering_index,
    match_provider,
)
from catalog.importers.source import ParsedSource, SourceRow
from catalog.models import LanguageModel, Lifecycle, Offering, Price, Provider
from pricewatch.models import FIELDS, PRICE_FIELD_NAMES, WHOLE_OFFERING, Finding, OfferingCheck
from sitecache.versioning import bump_catalog_version


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


def compare_row(row: SourceRow, ours: Price | None, offering, tol: Decimal) -> list[Comparison]:
    """Field by field: the row's standard base price and limits against ours (the
    offering's own limits where it has them, else its model's)."""
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
    pairs.append(("context_window", offering.effective_context_window, row.context_window))
    pairs.append(("max_output_tokens", offering.effective_max_output_tokens, row.max_output_tokens))
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
    missing_here: list[str] = field(default_factory=list)  # their offerings of our models
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
            f"{len(self.missing_there)} of our offerings not in the source; "
            f"{len(self.missing_here)} of its offerings of our models not in our catalog; "
            f"findings opened {self.opened}, reopened {self.reopened}, resolved "
            f"{self.resolved}."
        )


def _same(a: Decimal | None, b: Decimal | None) -> bool:
    if a is None or b is None:
        return a is b
    return Decimal(a) == Decimal(b)


@dataclass(frozen=True)
class _Problem:
    """What this run says should be an open finding."""

    kind: str
    field: str
    provider: Provider
    provider_model_id: str
    offering: Offering | None = None
    model: LanguageModel | None = None
    ours: Decimal | None = None
    theirs: Decimal | None = None
    their_figures: dict | None = None

    @property
    def relative_difference(self) -> Decimal | None:
        return relative_difference(self.ours, self.theirs)


def _figures(row: SourceRow) -> dict[str, str]:
    """A source row's standard price and limits, as strings, for a finding to keep."""
    price = _their_standard(row)
    figures = {}
    if price is not None:
        figures.update(
            {
                name: str(getattr(price, name))
                for name in PRICE_FIELD_NAMES
                if getattr(price, name) is not None
            }
        )
    for name in ("context_window", "max_output_tokens"):
        if getattr(row, name) is not None:
            figures[name] = str(getattr(row, name))
    return figures


def _key(finding: Finding) -> tuple:
    """A stored finding's identity, as `problems` and `examined` key it below."""
    if finding.kind == Finding.Kind.NOT_IN_CATALOG:
        return ("lacking", finding.provider_id, finding.model_id)
    return ("offering", finding.offering_id, finding.field)


@transaction.atomic
def reconcile(source: str, parsed: ParsedSource) -> ReconcileReport:
    """Match `parsed` to our offerings, compare, and store findings and per-offering
    checks. A fixed number of queries whatever the file's size.

    Besides field-by-field disagreements, two whole-offering gaps become findings: an
    active offering of ours on a provider the source covers that the source does not
    list (missing there), and a source row for one of our models on a provider we carry
    that we have no offering for (missing here). Rows for models we do not carry at all
    are only counted: the catalog chooses its models, a source does not."""
    report = ReconcileReport(source=source)
    catalog = load_offering_index(parsed.format, parsed.rows)
    today = timezone.localdate()
    matched = _match(parsed, catalog, today, report)
    problems, examined = _problems(catalog, matched, report)
    _store_findings(source, catalog, matched, problems, examined, report)
    _store_checks(source, matched.results, today)
    # Not structural: the checks went through changelog.touch; findings are admin-only.
    bump_catalog_version(structure=False)
    return report


@dataclass
class _Matched:
    """What a source's rows say about our catalog, before anything is stored."""

    # offering id -> (offering, its first row, the field comparisons)
    results: dict[int, tuple[Offering, SourceRow, list[Comparison]]] = field(default_factory=dict)
    lacking: dict[tuple[int, int], _Problem] = field(default_factory=dict)  # priced rows
    listed_in_full: set[int] = field(default_factory=set)  # providers listed whole
    listed: set[int] = field(default_factory=set)  # our offerings it lists, priced or not
    lacked: set[tuple[int, int]] = field(default_factory=set)  # (provider, model) we lack


def _match(parsed: ParsedSource, catalog, today, report: ReconcileReport) -> _Matched:
    tol = tolerance()
    partial = PARTIAL_PROVIDER_NAMES.get(parsed.format, set())
    matched = _Matched()
    for row in parsed.rows:
        provider = match_provider(catalog, parsed.format, row.provider)
        if provider is None:
            continue
        if row.provider not in partial:
            matched.listed_in_full.add(provider.pk)
        offering = find_offering(catalog, provider, row)
        model = offering.model if offering else find_model(catalog, row)
        lacked = False
        if offering is None and model is not None:
            # Listed under another id than ours (an alias is missing), or not carried.
            listed_as = catalog.by_pair.get((provider.pk, model.pk))
            if listed_as is None:
                lacked = True
                matched.lacked.add((provider.pk, model.pk))
            else:
                matched.listed.add(listed_as.pk)  # not compared: which price it means is unsure
        elif offering is not None:
            matched.listed.add(offering.pk)
        if row.errors or row.no_price_reason:
            continue  # listed, but with nothing to compare
        if offering is None:
            report.unmatched_rows += 1
            if lacked:
                matched.lacking.setdefault(
                    (provider.pk, model.pk),
                    _Problem(
                        kind=Finding.Kind.NOT_IN_CATALOG,
                        field=WHOLE_OFFERING,
                        provider=provider,
                        provider_model_id=row.provider_model_id,
                        model=model,
                        their_figures=_figures(row),
                    ),
                )
            continue
        if offering.pk not in matched.results:  # the first row for an offering wins
            ours = catalog.price_on((offering.pk, "standard", 0), today)
            comparisons = compare_row(row, ours, offering, tol)
            matched.results[offering.pk] = (offering, row, comparisons)
    report.matched = len(matched.results)
    return matched


def _problems(catalog, matched: _Matched, report: ReconcileReport):
    """What should be an open finding after this run, and every key the run looked at
    (a stored finding for a key looked at and found fine is settled)."""
    problems: dict[tuple, _Problem] = {}
    examined: set[tuple] = set()
    for offering_pk, (offering, row, comparisons) in matched.results.items():
        examined.add(("offering", offering_pk, WHOLE_OFFERING))
        for comp in comparisons:
            report.counts[comp.outcome] = report.counts.get(comp.outcome, 0) + 1
            key = ("offering", offering_pk, comp.field)
            examined.add(key)
            if comp.outcome == "disagree":
                report.disagreements.append((str(offering), comp))
            if comp.outcome in ("disagree", "missing_here"):
                problems[key] = _Problem(
                    kind=comp.outcome,
                    field=comp.field,
                    provider=offering.provider,
                    provider_model_id=row.provider_model_id,
                    offering=offering,
                    ours=comp.ours,
                    theirs=comp.theirs,
                )
    # The index holds an offering once per id and alias: each is looked at once.
    unmatched = {o.pk: o for o in catalog.offerings.values() if o.pk not in matched.results}
    for offering in unmatched.values():
        key = ("offering", offering.pk, WHOLE_OFFERING)
        examined.add(key)
        if (
            offering.pk in matched.listed
            or offering.lifecycle == Lifecycle.RETIRED
            or offering.provider_id not in matched.listed_in_full
        ):
            continue  # listed, or not expected: settles an earlier "missing there"
        report.missing_there.append(str(offering))
        problems[key] = _Problem(
            kind=Finding.Kind.NOT_IN_SOURCE,
            field=WHOLE_OFFERING,
            provider=offering.provider,
            provider_model_id=offering.provider_model_id,
            offering=offering,
        )
    for (provider_pk, model_pk), problem in matched.lacking.items():
        report.missing_here.append(f"{problem.model} on {problem.provider}")
        problems[("lacking", provider_pk, model_pk)] = problem
    return problems, examined


def _store_findings(source, catalog, matched, problems, examined, report) -> None:
    """Open, reopen, refresh and settle the stored findings, in three queries."""
    now = timezone.now()
    covered = {provider.pk for provider in catalog.providers.values()}
    # By the offering's provider too: an offering moved to another provider keeps its
    # findings (they are keyed on the offering), which then follow it.
    existing = {
        _key(f): f
        for f in Finding.objects.filter(
            Q(provider_id__in=covered) | Q(offering__provider_id__in=covered), source=source
        )
    }
    to_create, to_update = [], []
    for key, finding in existing.items():
        if key[0] == "lacking":
            # Settled once the source stops listing the pair or we carry it; a row that
            # merely lost its price this time settles nothing.
            settled = key not in problems and key[1:] not in matched.lacked
        else:
            settled = key not in problems and key in examined
        if settled and finding.status != Finding.Status.RESOLVED:
            finding.status = Finding.Status.RESOLVED
            finding.resolved_at = now
            finding.last_seen = now
            to_update.append(finding)
            report.resolved += 1
    for key, problem in problems.items():
        finding = existing.get(key)
        if finding is None:
            to_create.append(
                Finding(
                    source=source,
                    offering=problem.offering,
                    provider=problem.provider,
                    model=problem.model,
                    provider_model_id=problem.provider_model_id,
                    field=problem.field,
                    kind=problem.kind,
                    our_value=problem.ours,
                    their_value=problem.theirs,
                    relative_difference=problem.relative_difference,
                    their_figures=problem.their_figures or {},
                    first_seen=now,
                    last_seen=now,
                )
            )
            report.opened += 1
            continue
        same = (
            _same(finding.our_value, problem.ours)
            and _same(finding.their_value, problem.theirs)
            and finding.kind == problem.kind
        )
        finding.last_seen = now
        finding.provider = problem.provider
        finding.provider_model_id = problem.provider_model_id
        finding.their_figures = problem.their_figures or {}
        if not (same and finding.status in (Finding.Status.OPEN, Finding.Status.DISMISSED)):
            # New values (or a settled finding back again): open it.
            if finding.status != Finding.Status.OPEN:
                report.reopened += 1
            finding.status = Finding.Status.OPEN
            finding.resolved_at = None
            finding.resolved_by = None
            finding.kind = problem.kind
            finding.our_value, finding.their_value = problem.ours, problem.theirs
            finding.relative_difference = problem.relative_difference
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
            "provider",
            "provider_model_id",
            "their_figures",
        ],
    )


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
        elif (check.agrees, check.checked_on, check.disagreements) != (not bad, today, bad):
            check.agrees, check.checked_on, check.disagreements = not bad, today, bad
            update.append(check)
    OfferingCheck.objects.bulk_create(create)
    OfferingCheck.objects.bulk_update(update, ["agrees", "checked_on", "disagreements"])
    # Checks show in the offering's price_check: the offerings (and their models) changed.
    changelog.touch(offerings={check.offering_id for check in [*create, *update]})
