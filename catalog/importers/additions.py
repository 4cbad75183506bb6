"""`import_catalog --add-new`: what a source lists that the catalog does not carry yet.

New models (with their offerings, prices and ids), the organisations that make them and
the providers that serve them arrive as **drafts** for the review queue ("New from
sources" in the admin). Matching is the seed builder's (catalog.importers.growth): a
source id the catalog already knows under any spelling (model slug, model alias, offering
id or alias) is that model, never a new one; a rejected id is never proposed again.

    additions = build_additions(parsed)    # reads the catalog, writes nothing
    apply_additions(additions, user=...)   # one transaction, drafts only
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from catalog.importers.apply import history_user
from catalog.importers.growth import ModelGraph
from catalog.importers.identity import model_key
from catalog.importers.matching import provider_slug_candidates
from catalog.importers.source import ParsedSource
from catalog.models import (
    LanguageModel,
    ModelAlias,
    ModelEvidence,
    Offering,
    OfferingAlias,
    Organization,
    Provider,
    RejectedModel,
)
from catalog.seed_builder import (
    BuildReport,
    Decisions,
    load_decisions,
    model_source_records,
    new_model_record,
    offering_records,
    url_prefixes,
)
from catalog.seeding import SeedReport, load_document


@dataclass
class Additions:
    format: str
    as_of: date | None
    document: dict  # seed-format records of the new drafts (catalog.seeding loads them)
    new_organizations: list[str] = field(default_factory=list)
    new_providers: list[str] = field(default_factory=list)
    left_out: list[tuple[str, str]] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    rejected_again: list[str] = field(default_factory=list)

    @property
    def models(self) -> list[dict]:
        return self.document["models"]

    def summary(self) -> str:
        offerings = sum(len(m["offerings"]) for m in self.models)
        return (
            f"{len(self.models)} new models (drafts) with {offerings} offerings, "
            f"{len(self.new_organizations)} new organisations, "
            f"{len(self.new_providers)} new providers"
        )

    def lines(self, *, limit: int = 50) -> list[str]:
        lines = [f"New from {self.format}: {self.summary()}."]
        for record in self.models[:limit]:
            providers = ", ".join(o["provider"] for o in record["offerings"])
            lines.append(f"  {record['name']} ({record['organization']}): {providers}")
        if len(self.models) > limit:
            lines.append(f"  ... and {len(self.models) - limit} more")
        if self.conflicts:
            lines.append(f"Ids not merged ({len(self.conflicts)}):")
            lines.extend(f"  {c}" for c in self.conflicts[:limit])
        return lines


def known_keys() -> dict[str, str]:
    """Every identity key the catalog knows -> its model's slug (four queries)."""
    known: dict[str, str] = {}
    slugs = dict(LanguageModel.objects.values_list("pk", "slug"))
    for slug in slugs.values():
        known.setdefault(model_key(slug), slug)
    for key, model_id in ModelAlias.objects.values_list("key", "model_id"):
        known[key] = slugs[model_id]
    offering_models = dict(Offering.objects.values_list("pk", "model_id"))
    spellings = list(Offering.objects.values_list("provider_model_id", "model_id"))
    spellings += [
        (alias, offering_models[offering_id])
        for alias, offering_id in OfferingAlias.objects.values_list("alias", "offering_id")
    ]
    for spelling, model_id in spellings:
        known.setdefault(model_key(spelling), slugs[model_id])
    return known


def _provider_lookup(source_format: str, decisions: Decisions, providers: dict[str, Provider]):
    """A source's provider name -> our provider slug: one we have (as the price import
    matches it), else one the editors' decisions carry (created with the drafts)."""
    carried = decisions.provider_of(source_format)

    def provider_of(name: str) -> str | None:
        for slug in provider_slug_candidates(source_format, name):
            if slug in providers:
                return slug
        return carried(name)

    return provider_of


def build_additions(parsed: ParsedSource, *, today: date | None = None) -> Additions:
    """The drafts importing `parsed` with --add-new would create. Reads only."""
    today = today or timezone.localdate()
    decisions = load_decisions()
    providers = {p.slug: p for p in Provider.objects.all()}
    organizations = {o.slug: o for o in Organization.objects.all()}
    graph = ModelGraph(
        known=known_keys(),
        rejected=set(RejectedModel.objects.values_list("key", flat=True)),
        is_rejected=lambda key: bool(decisions.rejection(key)),
        same_as={model_key(k): model_key(v) for k, v in decisions.merges.items()},
    )
    if parsed.canonical_models:
        graph.add_canonical(parsed, allow_new=True)
    graph.add_rows(
        parsed,
        allow_new=True,
        provider_of=_provider_lookup(parsed.format, decisions, providers),
    )
    graph.drop_aliases_of_other_models()
    org_records = {
        slug: {"slug": slug, "name": o.name, "url": o.url} for slug, o in organizations.items()
    }
    provider_records = {
        slug: {"slug": slug, "name": p.name, "kind": p.kind, "url": p.url}
        for slug, p in providers.items()
    }
    for slug, entry in decisions.providers.items():
        provider_records.setdefault(
            slug, {"slug": slug, "name": entry["name"], "kind": entry["kind"], "url": entry["url"]}
        )
    report = BuildReport()
    names_taken = {n.casefold() for n in LanguageModel.objects.values_list("name", flat=True)}
    models = []
    left_out = []
    for slug in sorted(s for s, m in graph.models.items() if m.new):
        proposed = graph.models[slug]
        offerings = [o for (s, _), o in sorted(graph.offerings.items()) if s == slug]
        record, why = new_model_record(proposed, offerings, decisions, org_records, today)
        if record is None:
            left_out.append((slug, why))
            continue
        if record["name"].casefold() in names_taken:
            record["name"] = f"{record['name']} ({slug})"
        names_taken.add(record["name"].casefold())
        record["offerings"] = offering_records(
            record, offerings, decisions, provider_records, today, report
        )
        if not record["offerings"]:
            left_out.append((slug, "no priced offering on a provider we carry"))
            continue
        record["sources"] = model_source_records(record, proposed, decisions)
        record["evidence"] = {
            source: {
                "as_of": as_of.isoformat() if as_of else None,
                "ref": ref,
                "facts": _facts_dict(facts),
            }
            for source, (as_of, facts, ref) in sorted(proposed.facts.items())
        }
        models.append(record)
    used_orgs = {m["organization"] for m in models}
    used_providers = {o["provider"] for m in models for o in m["offerings"]}
    document = {
        "url_prefixes": url_prefixes(decisions),
        "built_from": {
            parsed.format: {"as_of": parsed.as_of.isoformat() if parsed.as_of else None}
        },
        "organizations": [org_records[s] for s in sorted(used_orgs)],
        "providers": [provider_records[s] for s in sorted(used_providers)],
        "models": models,
    }
    return Additions(
        format=parsed.format,
        as_of=parsed.as_of,
        document=document,
        new_organizations=sorted(used_orgs - set(organizations)),
        new_providers=sorted(used_providers - set(providers)),
        left_out=left_out,
        conflicts=[f"{c.ref}: {c.message}" for c in graph.conflicts],
    )


def _facts_dict(facts) -> dict:
    values = {
        name: (list(value) if isinstance(value, tuple) else value)
        for name, value in vars(facts).items()
    }
    return {k: v for k, v in values.items() if v not in (None, "", [], {})}


def apply_additions(additions: Additions, *, user=None) -> SeedReport:
    """Create the drafts (models unpublished, with their offerings, prices, ids and what
    each source said) in one transaction."""
    with transaction.atomic(), history_user(user):
        report = load_document(additions.document, publish=False)
        evidence = []
        models = {
            m.slug: m
            for m in LanguageModel.objects.filter(slug__in=[r["slug"] for r in additions.models])
        }
        have = set(
            ModelEvidence.objects.filter(model__in=models.values()).values_list(
                "model_id", "source"
            )
        )
        for record in additions.models:
            model = models[record["slug"]]
            for source, entry in record.get("evidence", {}).items():
                if (model.pk, source) in have:
                    continue
                evidence.append(
                    ModelEvidence(
                        model=model,
                        source=source,
                        source_ref=entry["ref"][:300],
                        as_of=date.fromisoformat(entry["as_of"]) if entry["as_of"] else None,
                        facts=entry["facts"],
                    )
                )
        ModelEvidence.objects.bulk_create(evidence)
    return report
