"""Cross-check the catalog against the public source files (`manage.py audit_catalog`).

For every price, limit, date, cutoff and lifecycle of the catalog, what each source says
on its own date. A contradiction is *explained* when our figure rests on newer evidence
than the source's (an editor's check of the maker's page after the file's date) or an
editor's note in `catalog/seed/decisions.toml` ([[notes]], with a source URL) covers it;
otherwise it is reported as a problem to fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db.models import Prefetch

from catalog.importers.additions import known_keys
from catalog.importers.growth import ModelGraph
from catalog.importers.source import PRICE_FIELDS
from catalog.models import LanguageModel, Offering, Price, Provider
from catalog.seed_builder import Decisions, load_decisions, parse_sources

KINDS = {
    "newer_source_differs": "a price kept though a newer source states another",
    "older_source_differs": "an older source states another price",
    "history_missing": "a dated price a source documents is missing from our history",
    "tier_one_source": "a long-context tier only one source claims, absent first-party",
    "context_below_tier": "a context window no larger than a price tier's threshold",
    "cutoff_is_release": "a knowledge cutoff equal to the release month, contradicted",
    "ga_but_deprecated": "called generally available, marked deprecated by a source",
    "unstated": "a figure no source states",
}


@dataclass(frozen=True)
class AuditFinding:
    kind: str
    model: str  # slug
    provider: str  # slug, "" for a model-level figure
    message: str
    explanation: str = ""  # why it stands; empty: a problem to fix

    @property
    def explained(self) -> bool:
        return bool(self.explanation)


def _figures(price) -> dict:
    return {f: getattr(price, f) for f in PRICE_FIELDS}


def _differs(ours: dict, theirs: dict) -> list[str]:
    """Fields that differ where both state a value (input and output always)."""
    return [
        f
        for f in PRICE_FIELDS
        if (f in ("input", "output") or (ours[f] is not None and theirs[f] is not None))
        and (Decimal(ours[f]) if ours[f] is not None else None)
        != (Decimal(theirs[f]) if theirs[f] is not None else None)
    ]


def _note(decisions: Decisions, kind: str, model: str, provider: str) -> str:
    for note in decisions.notes:
        same = note.get("kind") == kind and note.get("model") == model
        if same and note.get("provider", provider) == provider:
            return f"{note['note']} ({note.get('source_url', 'no source')})"
    return ""


def audit_catalog(data_dir: Path, *, today: date, sources: dict | None = None) -> list:
    """Every contradiction between the catalog (published and draft) and the sources
    (`sources`: the files already parsed by `parse_sources`, to audit several times)."""
    decisions = load_decisions()
    sources = sources or parse_sources(Path(data_dir), decisions)
    graph = ModelGraph(known=known_keys())
    graph.add_canonical(sources["models-dev"], allow_new=False)
    # Rows speak for the providers the editors' decisions map them to, as in the build.
    for name in ("openrouter", "models-dev", "litellm", "genai-prices"):
        graph.add_rows(sources[name], allow_new=False, provider_of=decisions.provider_of(name))
    offerings = Offering.objects.select_related("model", "provider").prefetch_related(
        Prefetch("prices", queryset=Price.objects.order_by("effective_date"))
    )
    findings: list[AuditFinding] = []
    first_party_tiers: dict[int, set[int]] = {}
    rows = list(offerings)
    for offering in rows:
        if offering.provider.kind == Provider.Kind.FIRST_PARTY:
            first_party_tiers.setdefault(offering.model_id, set()).update(
                p.context_threshold for p in offering.prices.all() if p.context_threshold
            )
    for offering in rows:
        findings += _offering_findings(offering, graph, decisions, first_party_tiers, today)
    for model in LanguageModel.objects.all():
        findings += _model_findings(model, graph, decisions, today)
    return findings


def _offering_findings(offering, graph, decisions, first_party_tiers, today) -> list:
    model, provider = offering.model.slug, offering.provider.slug
    proposed = graph.offerings.get((model, provider))
    prices = list(offering.prices.all())
    base = [p for p in prices if p.tier == "standard" and p.context_threshold == 0]
    current = [p for p in base if p.effective_date <= today]
    found = []

    def add(kind, message, explanation=""):
        found.append(
            AuditFinding(
                kind,
                model,
                provider,
                message,
                explanation or _note(decisions, kind, model, provider),
            )
        )

    window = offering.effective_context_window
    for price in prices:
        if price.context_threshold and price.context_threshold >= window:
            add(
                "context_below_tier",
                f"context window {window:,} is no larger than the tier above "
                f"{price.context_threshold:,} tokens",
            )
    if proposed is None or not current:
        return found
    ours = current[-1]
    evidence = ours.checked_on or ours.effective_date
    for observation in proposed.observations:
        theirs = _figures(observation.price)
        if observation.effective is None and observation.as_of:
            fields = _differs(_figures(ours), theirs)
            if not fields:
                continue
            text = ", ".join(f"{f} ours {getattr(ours, f)} theirs {theirs[f]}" for f in fields)
            if observation.as_of > evidence:
                add(
                    "newer_source_differs",
                    f"{observation.source} (as of {observation.as_of}) says {text}; ours "
                    f"rests on evidence of {evidence}",
                )
            else:
                add(
                    "older_source_differs",
                    f"{observation.source} (as of {observation.as_of}) says {text}",
                    f"ours rests on newer evidence ({evidence})",
                )
        elif observation.effective:
            in_force = [p for p in base if p.effective_date <= observation.effective]
            if in_force and not _differs(_figures(in_force[-1]), theirs):
                continue
            if any(not _differs(_figures(p), theirs) for p in base):
                continue  # the price is in our history, dated otherwise
            stronger = in_force and (in_force[-1].checked_on or date.min) >= (
                observation.as_of or observation.effective
            )
            add(
                "history_missing",
                f"{observation.source} dates {theirs['input']} / {theirs['output']} from "
                f"{observation.effective}; our history does not have it",
                f"newer evidence ({in_force[-1].checked_on}) says otherwise" if stronger else "",
            )
    tiers = {p.context_threshold for p in prices if p.context_threshold}
    for threshold in sorted(tiers):
        claiming = [
            s
            for s, listed in proposed.tiers.items()
            if any(t.context_threshold == threshold for t in listed)
        ]
        if len(claiming) <= 1 and threshold not in first_party_tiers.get(offering.model_id, set()):
            add(
                "tier_one_source",
                f"a tier above {threshold:,} tokens that {len(claiming)} source(s) state "
                "and the first-party offering lacks",
            )
    return found


def _model_findings(model, graph, decisions, today) -> list:
    proposed = graph.models.get(model.slug)
    found = []

    def add(kind, message, explanation=""):
        found.append(
            AuditFinding(
                kind, model.slug, "", message, explanation or _note(decisions, kind, model.slug, "")
            )
        )

    facts = proposed.facts if proposed else {}
    if model.knowledge_cutoff and model.release_date:
        same_month = model.knowledge_cutoff.replace(day=1) == model.release_date.replace(day=1)
        stated = {f.knowledge[:7] for _, f, _ in facts.values() if f.knowledge}
        ours = model.knowledge_cutoff.strftime("%Y-%m")
        if same_month and stated - {ours}:
            add(
                "cutoff_is_release",
                f"knowledge cutoff {ours} equals the release month; sources say "
                f"{', '.join(sorted(stated - {ours}))}",
            )
    if model.lifecycle == "ga":
        for source, (_, f, _) in facts.items():
            deprecated = f.lifecycle == "deprecated" or (
                f.deprecation_date and f.deprecation_date <= today.isoformat()
            )
            if deprecated:
                add(
                    "ga_but_deprecated",
                    f"generally available here; {source} marks it deprecated"
                    + (f" from {f.deprecation_date}" if f.deprecation_date else ""),
                )
                break
    if model.last_reviewed is None and facts:
        windows = {f.context_window for _, f, _ in facts.values() if f.context_window}
        offering_windows = {
            limits[0]
            for o in graph.offerings.values()
            if o.model == model.slug
            for limits in o.limits.values()
            if limits[0]
        }
        if model.context_window not in windows | offering_windows:
            add("unstated", f"context window {model.context_window:,} is stated by no source")
    return found
