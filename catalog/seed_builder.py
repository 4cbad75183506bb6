"""Build the shipped seed (`catalog/seed/catalog.json`) from the public source files, the
editors' curated records (`curated.json`) and their decisions (`decisions.toml`).

    python manage.py build_seed --data ../shared/data

Pure apart from reading files: no database. The rules (docs/catalog-growth.md):
- one model per identity (catalog.importers.growth), new models only from model-level
  sources (models.dev, OpenRouter), offerings only on providers the decisions carry;
- model facts by source priority (editors, then models.dev's model record, OpenRouter,
  the deployment files); offering prices by date of evidence: dated changes (editors,
  genai-prices `start_date`, LiteLLM's history) make the history, and a source's
  snapshot adds a change only when it is newer than the evidence for the price in force.
  An older source that differs is a contradiction, recorded for `audit_catalog`;
- every offering keeps what each source said of its price as a cross-check
  (`checks`), dated with the source's as-of date.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from catalog.importers import genai_prices, litellm, llm_stats, models_dev, openrouter
from catalog.importers.growth import (
    FACT_PRIORITY,
    ModelGraph,
    Observation,
    ProposedModel,
    offering_id,
)
from catalog.importers.identity import model_key
from catalog.importers.source import PRICE_FIELDS, ParsedSource, TierPrice
from catalog.models import CAPABILITIES, Modality, catalog_slugify

SEED_DIR = Path(__file__).resolve().parent / "seed"
CURATED_PATH = SEED_DIR / "curated.json"
DECISIONS_PATH = SEED_DIR / "decisions.toml"
OUTPUT_PATH = SEED_DIR / "catalog.json"

SOURCE_FILES = {
    "models-dev": "models-dev",
    "openrouter": "openrouter/models.json",
    "litellm": "litellm/model_prices_and_context_window.json",
    "genai-prices": "genai-prices/data.json",
}
LITELLM_HISTORY = "litellm/price_changes.csv"


@dataclass
class Decisions:
    sources: dict[str, dict]
    organizations: dict[str, dict]
    providers: dict[str, dict]
    merges: dict[str, str]
    rejections: dict[str, str]
    # Editors' notes on figures a source contradicts: [{kind, model, provider?, note,
    # source_url}] (catalog.audit).
    notes: list[dict] = field(default_factory=list)
    # Editors' corrections of a source-built record: [{model, values = {field: value},
    # source_url, note}], applied over what the sources say ("capabilities.reasoning"
    # names a capability).
    overrides: list[dict] = field(default_factory=list)
    # Hosts whose benchmark figures are independent measurements (leaderboards, labs).
    independent_hosts: list[str] = field(default_factory=list)

    def provider_of(self, source: str):
        """For one source: its provider name -> our provider slug (None: not carried)."""
        table = {
            name: slug
            for slug, entry in self.providers.items()
            for name in (entry.get("ids") or {}).get(source, [])
        }
        return table.get

    def organization_for(self, *hints: str) -> str | None:
        for hint in hints:
            wanted = (hint or "").strip().lower()
            if not wanted:
                continue
            for slug, entry in self.organizations.items():
                names = [n.lower() for n in entry.get("names", [])]
                if wanted == slug or wanted in names or catalog_slugify(wanted) in names:
                    return slug
        return None

    def rejection(self, key: str) -> str:
        """Why the key is not carried, or ""."""
        for pattern, reason in self.rejections.items():
            if key == pattern or (pattern.endswith("*") and key.startswith(pattern[:-1])):
                return reason
        return ""

    def as_of(self, source: str) -> date | None:
        value = self.sources.get(source, {}).get("as_of")
        return value if isinstance(value, date) else None


def load_decisions(path: Path = DECISIONS_PATH) -> Decisions:
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    return Decisions(
        sources=data.get("sources", {}),
        organizations=data.get("organizations", {}),
        providers=data.get("providers", {}),
        merges=data.get("merges", {}),
        rejections=data.get("rejections", {}),
        notes=data.get("notes", []),
        overrides=data.get("overrides", []),
        independent_hosts=data.get("benchmarks", {}).get("independent_hosts", []),
    )


@dataclass
class BuildReport:
    contradictions: list[dict] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    left_out: list[tuple[str, str]] = field(default_factory=list)  # (model, why)
    merged_by_name: list[tuple[str, str]] = field(default_factory=list)
    # (model, field, was, now): figures the build corrected by the rules above.
    corrected: list[tuple[str, str, str, str]] = field(default_factory=list)
    # $0 rows of providers whose zero is a free trial (decisions: zero_is_trial).
    trial_prices_dropped: int = 0

    def summary(self, document: dict) -> str:
        models = document["models"]
        offerings = sum(len(m["offerings"]) for m in models)
        prices = sum(len(o["prices"]) for m in models for o in m["offerings"])
        return (
            f"{len(models)} models from {len(document['organizations'])} organisations, "
            f"{len(document['providers'])} providers, {offerings} offerings, {prices} prices; "
            f"{len(self.contradictions)} older-source contradictions kept for the audit, "
            f"{len(self.conflicts)} id conflicts not merged, {len(self.left_out)} models left out, "
            f"{self.trial_prices_dropped} free-trial $0 prices not carried."
        )


def parse_sources(data_dir: Path, decisions: Decisions) -> dict[str, ParsedSource]:
    """Every source file in `data_dir`, dated by the decisions' as-of dates."""
    parsers = {
        "models-dev": models_dev.parse,
        "openrouter": openrouter.parse,
        "litellm": litellm.parse,
        "genai-prices": genai_prices.parse,
    }
    parsed = {}
    for name, relative in SOURCE_FILES.items():
        source = parsers[name](data_dir / relative)
        source.as_of = decisions.as_of(name) or source.as_of
        parsed[name] = source
    history = data_dir / LITELLM_HISTORY
    if history.exists():
        litellm.attach_history(parsed["litellm"], history)
    return parsed


def build(
    data_dir: Path,
    *,
    curated_path: Path = CURATED_PATH,
    decisions_path: Path = DECISIONS_PATH,
    today: date | None = None,
) -> tuple[dict, BuildReport]:
    """The seed document and a report of what was contradicted, conflicted or left out."""
    today = today or date.today()
    decisions = load_decisions(decisions_path)
    curated = json.loads(Path(curated_path).read_text(encoding="utf-8"))
    sources = parse_sources(Path(data_dir), decisions)
    report = BuildReport()

    curated_models = {m.get("slug") or catalog_slugify(m["name"]): m for m in curated["models"]}
    known: dict[str, str] = {}
    for slug, record in curated_models.items():
        known.setdefault(model_key(slug), slug)
        for offering in record.get("offerings", []):
            for spelling in [offering["provider_model_id"], *offering.get("aliases", [])]:
                known.setdefault(model_key(spelling), slug)
    graph = ModelGraph(
        known=known,
        is_rejected=lambda key: bool(decisions.rejection(key)),
        same_as={model_key(k): model_key(v) for k, v in decisions.merges.items()},
    )
    # Models first (models.dev's model records, then OpenRouter's listings), so every
    # deployment row of the other files finds the model it serves.
    graph.add_canonical(sources["models-dev"], allow_new=True)
    for name in ("openrouter", "models-dev", "litellm", "genai-prices"):
        graph.add_rows(sources[name], allow_new=True, provider_of=decisions.provider_of(name))
    report.conflicts = [f"{c.ref}: {c.message}" for c in graph.conflicts]
    report.merged_by_name = _merge_same_names(graph, curated_models, decisions)
    graph.drop_aliases_of_other_models()

    stats_path = Path(data_dir) / "llm-stats"
    stats = _stats_by_key(llm_stats.parse(stats_path)) if stats_path.is_dir() else {}
    benchmarks = Benchmarks(curated.get("benchmarks", []))
    providers = _providers(curated, decisions)
    organizations = {o["slug"]: o for o in curated["organizations"]}
    names_taken = {m["name"].casefold() for m in curated["models"]}
    models = []
    for slug in sorted(graph.models):
        proposed = graph.models[slug]
        offerings = [o for (s, _), o in sorted(graph.offerings.items()) if s == slug]
        if slug in curated_models:
            record = _curated_model(curated_models[slug])
        else:
            record, why = new_model_record(proposed, offerings, decisions, organizations, today)
            if record is None:
                report.left_out.append((slug, why))
                continue
            _apply_overrides(record, decisions)
            if record["name"].casefold() in names_taken:
                record["name"] = f"{record['name']} ({slug})"
            names_taken.add(record["name"].casefold())
        record["offerings"] = offering_records(
            record, offerings, decisions, providers, today, report
        )
        _check_cutoff(record, proposed, report)
        if not record["offerings"]:
            report.left_out.append((slug, "no priced offering on a provider we carry"))
            continue
        if record["capabilities"].get("prompt_caching") is None and any(
            p.get("cache_read") for o in record["offerings"] for p in o["prices"]
        ):
            record["capabilities"]["prompt_caching"] = True
        record["sources"] = model_source_records(record, proposed, decisions)
        record["scores"] = _scores(record, proposed, stats, benchmarks, decisions, organizations)
        models.append(record)

    used_orgs = {m["organization"] for m in models}
    used_providers = {o["provider"] for m in models for o in m["offerings"]}
    document = {
        "catalog_reviewed": curated.get("catalog_reviewed"),
        "built_on": today.isoformat(),
        "url_prefixes": url_prefixes(decisions),
        "built_from": {
            name: {
                "as_of": sources[name].as_of.isoformat() if sources[name].as_of else None,
                "title": decisions.sources.get(name, {}).get("title", name),
            }
            for name in SOURCE_FILES
        },
        "organizations": [organizations[s] for s in sorted(organizations) if s in used_orgs],
        "providers": [providers[s] for s in sorted(providers) if s in used_providers],
        "benchmarks": benchmarks.used(models),
        "models": models,
    }
    return document, report


def _merge_same_names(graph: ModelGraph, curated_models: dict, decisions: Decisions) -> list:
    """One maker does not sell two models under one name: a new model whose name and
    maker equal another's is that model under another id (models.dev's "Devstral 2" at
    `devstral-medium-latest`, our `devstral-2`). Merged into the curated, else the
    earlier-named record."""
    seen: dict[tuple[str, str], str] = {}
    merged = []
    order = sorted(graph.models, key=lambda s: (s not in curated_models, s))
    for slug in order:
        proposed = graph.models.get(slug)
        if proposed is None:
            continue
        if slug in curated_models:
            name = curated_models[slug]["name"]
            org = curated_models[slug]["organization"]
        else:
            name = _display_name(proposed)
            org = _organization(proposed, decisions, {})
        key = (org, name.casefold())
        if key in seen and not proposed.known:
            graph.merge(slug, seen[key])
            merged.append((slug, seen[key]))
        else:
            seen.setdefault(key, slug)
    return merged


def _apply_overrides(record: dict, decisions: Decisions) -> None:
    """The editors' corrections for this model (decisions.toml [[overrides]]); each
    cites the page that says so, which joins the model's sources."""
    for override in decisions.overrides:
        if override["model"] != record["slug"]:
            continue
        for name, value in override["values"].items():
            if name.startswith("capabilities."):
                record.setdefault("capabilities", {})[name.split(".", 1)[1]] = value
            else:
                record[name] = value
        sources = record.setdefault("sources", [])
        if all(s["url"] != override["source_url"] for s in sources):
            sources.append({"url": override["source_url"], "title": override.get("note", "")})


def _check_cutoff(record: dict, proposed: ProposedModel, report) -> None:
    """A knowledge cutoff equal to the release month is usually a source copying the
    release date; when other sources state another month, theirs is kept (the one most
    sources state, then by FACT_PRIORITY)."""
    cutoff, released = record.get("knowledge_cutoff"), (record.get("release_date") or "")[:7]
    if not cutoff or cutoff != released:
        return
    stated: dict[str, int] = {}
    for source in FACT_PRIORITY:
        entry = proposed.facts.get(source)
        month = _month(entry[1].knowledge) if entry else None
        if month and month != cutoff:
            stated[month] = stated.get(month, 0) + 1
    if stated:
        record["knowledge_cutoff"] = max(stated, key=lambda m: (stated[m], -list(stated).index(m)))
        report.corrected.append(
            (record["slug"], "knowledge_cutoff", cutoff, record["knowledge_cutoff"])
        )


def _display_name(proposed: ProposedModel) -> str:
    return str(proposed.fact("name")[0] or proposed.slug).removesuffix(" (latest)").strip()


class Benchmarks:
    """Benchmarks by a name key ("SWE-Bench Verified" = "SWE-bench (Verified)"): the
    curated ones, and new ones as sources name them."""

    def __init__(self, curated: list[dict]):
        self.by_key = {self.key(b["name"], b.get("variant") or ""): dict(b) for b in curated}
        self.by_key.update({self.key(b["slug"], ""): dict(b) for b in curated})

    @staticmethod
    def key(name: str, variant: str) -> str:
        return re.sub(r"[^a-z0-9]", "", f"{name}{variant}".lower())

    def slug_for(self, name: str, metric: str = "") -> str:
        key = self.key(name, "")
        if key not in self.by_key:
            slug = catalog_slugify(name) or f"benchmark-{key}"
            taken = {b["slug"] for b in self.by_key.values()}
            if slug in taken:
                slug = f"{slug}-{len(taken)}"
            self.by_key[key] = {
                "slug": slug,
                "name": name,
                "metric": metric or "score",
                "scale": "0-100",
                "higher_is_better": True,
            }
        return self.by_key[key]["slug"]

    def on_scale(self, slug: str, percent: Decimal) -> Decimal:
        """A source's score (0-100, as the parsers give it) on the benchmark's own scale:
        a curated benchmark may record fractions ("0-1": 0.828, not 82.8)."""
        unique = {b["slug"]: b for b in self.by_key.values()}
        return percent / 100 if unique[slug].get("scale") == "0-1" else percent

    def used(self, models: list[dict]) -> list[dict]:
        wanted = {s["benchmark"] for m in models for s in m.get("scores", [])}
        unique = {b["slug"]: b for b in self.by_key.values()}
        return [unique[slug] for slug in sorted(unique) if slug in wanted]


def _stats_by_key(models) -> dict:
    by_key = {}
    for model in models:
        for spelling in (model.key, model.canonical_id):
            if spelling:
                by_key.setdefault(model_key(spelling), model)
    return by_key


def _host(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def _reported_by(url: str, maker: str, self_reported: bool | None, decisions, organizations) -> str:
    """Who published a score: the model's maker, another maker (a competitor's
    announcement) or an independent lab, from the source's host."""
    host = _host(url)

    def domains(slug):
        entry = decisions.organizations.get(slug, {})
        urls = [entry.get("url", ""), organizations.get(slug, {}).get("url", "")]
        return {d for d in entry.get("domains", [])} | {_host(u) for u in urls if u}

    def matches(domain_set):
        return any(host == d or host.endswith(f".{d}") for d in domain_set if d)

    if host and matches(domains(maker)):
        return "maker"
    if host and any(matches(domains(o)) for o in decisions.organizations if o != maker):
        return "competitor"
    if host and matches(set(decisions.independent_hosts)):
        return "independent"
    return "maker" if self_reported is not False else "independent"


def _scores(record, proposed, stats, benchmarks, decisions, organizations) -> list[dict]:
    """The curated scores, then one per further benchmark from models.dev's model record
    or LLM Stats (the newest dated), each with who published it."""
    scores = list(record.get("scores", []))
    have = {s["benchmark"] for s in scores}
    candidates: dict[str, list[dict]] = {}
    maker = record["organization"]
    for row in proposed.benchmarks:
        if not 0 <= row.score <= 100:
            continue
        slug = benchmarks.slug_for(row.name, row.metric)
        candidates.setdefault(slug, []).append(
            {
                "benchmark": slug,
                "score": _money(benchmarks.on_scale(slug, row.score)),
                "reported_by": _reported_by(row.source_url, maker, None, decisions, organizations),
                "source_url": row.source_url if _is_url(row.source_url) else "",
                "measured_on": _iso(row.date),
            }
        )
    matched = next((stats[k] for k in sorted(proposed.keys | {record["slug"]}) if k in stats), None)
    for score in matched.scores if matched else []:
        slug = benchmarks.slug_for(score.benchmark)
        candidates.setdefault(slug, []).append(
            {
                "benchmark": slug,
                "score": _money(benchmarks.on_scale(slug, score.score)),
                "reported_by": _reported_by(
                    score.source_url, maker, score.self_reported, decisions, organizations
                ),
                "source_url": score.source_url if _is_url(score.source_url) else "",
                "measured_on": _iso(score.date),
                "attribution": llm_stats.ATTRIBUTION,
            }
        )
    for slug, rows in sorted(candidates.items()):
        if slug in have:
            continue
        newest = max(rows, key=lambda r: r.get("measured_on") or "")
        scores.append(newest)
    return scores


def _providers(curated: dict, decisions: Decisions) -> dict[str, dict]:
    providers = {p["slug"]: dict(p) for p in curated["providers"]}
    for slug, entry in decisions.providers.items():
        record = providers.setdefault(
            slug, {"slug": slug, "name": entry["name"], "kind": entry["kind"], "url": entry["url"]}
        )
        if entry.get("maker"):
            record.setdefault("maker", entry["maker"])
    return providers


def _curated_model(record: dict) -> dict:
    record = json.loads(json.dumps(record))  # a copy: the curated file is never changed
    record.setdefault("slug", catalog_slugify(record["name"]))
    return record


def _iso(value) -> str | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        return None


def _month(value) -> str | None:
    text = str(value or "")[:7]
    try:
        date.fromisoformat(f"{text}-01")
    except ValueError:
        return None
    return text


def new_model_record(
    proposed: ProposedModel, offerings, decisions: Decisions, organizations: dict, today: date
):
    """A seed record for a model no editor curated, from its sources; (None, why) when it
    cannot be published (not a language model, no context window, rejected)."""
    fact = lambda name: proposed.fact(name)[0]  # noqa: E731
    reason = decisions.rejection(proposed.slug)
    if reason:
        return None, reason
    inputs = [m for m in (fact("input_modalities") or ("text",)) if m in Modality.values]
    outputs = [m for m in (fact("output_modalities") or ("text",)) if m in Modality.values]
    if "text" not in inputs or "text" not in outputs:
        return None, "does not take and give text"
    context = fact("context_window") or max(
        (limits[0] or 0 for o in offerings for limits in o.limits.values()), default=0
    )
    if not context:
        return None, "no source states a context window"
    org = _organization(proposed, decisions, organizations)
    name = _display_name(proposed)
    known = {key for key, _ in CAPABILITIES}
    capabilities = {k: v for k, v in (fact("capabilities") or {}).items() if k in known}
    lifecycle = fact("lifecycle") or ("preview" if "preview" in proposed.slug else "ga")
    record = {
        "name": name,
        "slug": proposed.slug,
        "organization": org,
        "release_date": _iso(fact("release_date")),
        "lifecycle": lifecycle,
        "context_window": context,
        "max_output_tokens": fact("max_output_tokens"),
        "parameter_count": fact("parameter_count"),
        "license": fact("license") or "",
        "open_weights": bool(fact("open_weights")),
        "knowledge_cutoff": _month(fact("knowledge")),
        "input_modalities": inputs,
        "output_modalities": outputs,
        "capabilities": capabilities,
        "aliases": sorted(proposed.keys - {proposed.slug}),
    }
    deprecated = any(f.lifecycle == "deprecated" for _, f, _ in proposed.facts.values())
    if deprecated and record["lifecycle"] == "ga":
        record["lifecycle"] = "deprecated"
    deprecation = _iso(fact("deprecation_date"))
    if deprecation:
        record["deprecation_date"] = deprecation
        if deprecation <= today.isoformat() and lifecycle != "retired":
            record["lifecycle"] = "deprecated"
    return record, ""


def _organization(proposed: ProposedModel, decisions: Decisions, organizations: dict) -> str:
    hints = []
    for source in ("models-dev-canonical", "openrouter"):
        if source in proposed.facts:
            _, facts, ref = proposed.facts[source]
            if source == "openrouter":
                hints.append(ref.split("(", 1)[-1].split("/", 1)[0])  # "data[3] (meta-llama/…)"
            hints.append(facts.organization)
    slug = decisions.organization_for(*hints)
    if slug is None:
        display = next((h for h in reversed(hints) if h), proposed.slug)
        slug = catalog_slugify(display)
        organizations.setdefault(slug, {"slug": slug, "name": display, "url": ""})
    elif slug not in organizations:
        entry = decisions.organizations[slug]
        organizations[slug] = {"slug": slug, "name": entry["name"], "url": entry.get("url", "")}
    return slug


def _money(value) -> str | None:
    return None if value is None else format(Decimal(value).normalize(), "f")


def _price_dict(price: TierPrice) -> dict:
    return {f: _money(getattr(price, f)) for f in PRICE_FIELDS}


def _same(a: dict, b: dict) -> bool:
    """Two figure sets agree on every field both state (input and output always)."""
    for name in PRICE_FIELDS:
        x, y = a.get(name), b.get(name)
        stated = name in ("input", "output") or (x is not None and y is not None)
        if stated and _decimal(x) != _decimal(y):
            return False
    return True


_url_validator = URLValidator(schemes=["http", "https"])


def _is_url(value: str) -> bool:
    try:
        _url_validator(value)
    except ValidationError:
        return False
    return True


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(value)


def _source_url(observation: Observation, offering, decisions: Decisions, provider_url: str) -> str:
    if _is_url(observation.source_url):
        return observation.source_url
    if observation.source == "openrouter":
        model_id = offering.ids.get("openrouter", [""])[0]
        return f"https://openrouter.ai/{model_id}" if model_id else provider_url
    if observation.source == "models-dev":
        ref = offering.refs.get("models-dev", "")
        base = decisions.sources.get("models-dev", {}).get("file_url", "")
        return f"{base}{ref}" if ref and base else provider_url
    return decisions.sources.get(observation.source, {}).get("url", provider_url)


def offering_records(
    record: dict, proposed_offerings, decisions, providers, today, report
) -> list[dict]:
    by_provider = {o["provider"]: o for o in record.get("offerings", [])}
    result = []
    for proposed in proposed_offerings:
        curated = by_provider.pop(proposed.provider, None)
        if curated is None and not proposed.observations:
            continue
        offering = curated or {"provider": proposed.provider, "lifecycle": "ga", "prices": []}
        chosen, others = offering_id(proposed)
        offering.setdefault("provider_model_id", chosen)
        known = {
            offering["provider_model_id"].casefold(),
            *(a.casefold() for a in offering.get("aliases", [])),
        }
        offering["aliases"] = sorted(
            {
                *offering.get("aliases", []),
                *(a for a in [chosen, *others] if a.casefold() not in known),
            }
        )
        if curated is None:
            lifecycles = set(proposed.lifecycle.values())
            offering["lifecycle"] = (
                "deprecated"
                if "deprecated" in lifecycles
                else (
                    "preview"
                    if "preview" in lifecycles or record.get("lifecycle") == "preview"
                    else "ga"
                )
            )
        _limits(offering, record, proposed)
        provider_url = providers.get(proposed.provider, {}).get("url", "")
        kind = providers.get(proposed.provider, {}).get("kind", "")
        offering["prices"] = _timeline(
            record["slug"], offering, proposed, decisions, provider_url, today, report, kind
        )
        if not offering["prices"]:
            continue
        _extra_prices(offering, proposed, today)
        _details(offering, proposed)
        offering["checks"] = _checks(offering, proposed, today)
        result.append(offering)
    result.extend(by_provider.values())  # curated offerings no source lists
    return sorted(result, key=lambda o: o["provider"])


LIMIT_SOURCES = ("models-dev", "openrouter", "litellm", "genai-prices")


def _limits(offering: dict, record: dict, proposed) -> None:
    """The offering's own context and output limits where its sources state other ones
    than the model's (the newest source first)."""
    for source in LIMIT_SOURCES:
        context, output = proposed.limits.get(source, (None, None))
        if context and context != record["context_window"] and "context_window" not in offering:
            offering["context_window"] = context
        # An output cap at least the window is a source's shorthand, not a limit.
        if (
            output
            and output != record.get("max_output_tokens")
            and "max_output_tokens" not in offering
            and output < (offering.get("context_window") or record["context_window"])
        ):
            offering["max_output_tokens"] = output
        if context or output:
            break


def _details(offering: dict, proposed) -> None:
    """The offering's supported parameters and tokenizer, from the first source (in
    _limits' order) that states each; an editor's stay."""
    for source in LIMIT_SOURCES:
        parameters, tokenizer = proposed.details.get(source, ([], ""))
        if parameters and "supported_parameters" not in offering:
            offering["supported_parameters"] = list(parameters)
        if tokenizer and "tokenizer" not in offering:
            offering["tokenizer"] = tokenizer


def _extra_prices(offering: dict, proposed, today: date) -> None:
    """The extra price dimensions (audio, images, web search, reasoning) of the price in
    force today: each from the newest source snapshot that states it and agrees with our
    token prices, so an extra figure is never joined to a price its source does not
    give. Dimensions an editor recorded stay."""
    base = [
        p
        for p in offering["prices"]
        if not p.get("tier")
        and not p.get("context_threshold")
        and p["effective_date"] <= today.isoformat()
    ]
    if not base:
        return
    current = base[-1]
    snapshots = sorted(
        (o for o in proposed.observations if o.effective is None and o.as_of),
        key=lambda o: (o.as_of, o.source),
        reverse=True,
    )
    for observation in snapshots:
        if not _same(current, _price_dict(observation.price)):
            continue
        for name, value in observation.price.extras.items():
            current.setdefault(name, _money(value))


def _timeline(
    slug, offering, proposed, decisions, provider_url, today, report, providers_kind=""
) -> list[dict]:
    """The offering's dated prices: see the module docstring."""
    prices = [dict(p) for p in offering.get("prices", [])]
    base = [
        p
        for p in prices
        if (p.get("tier") or "standard") == "standard" and not p.get("context_threshold")
    ]
    others = [p for p in prices if p not in base]
    base.sort(key=lambda p: p["effective_date"])
    _realign_launch(base, proposed)
    for observation in sorted(
        (o for o in proposed.observations if o.effective), key=lambda o: o.effective
    ):
        day = observation.effective.isoformat()
        if any(p["effective_date"] == day for p in base):
            continue
        # LiteLLM's history is a mirror's daily commits: evidence of the day itself.
        # genai-prices' start dates are evidence as of the file's date.
        evidence_day = (
            day
            if observation.source == "litellm"
            else (observation.as_of or observation.effective).isoformat()
        )
        figures = _price_dict(observation.price)
        in_force = [
            p for p in sorted(base, key=lambda p: p["effective_date"]) if p["effective_date"] <= day
        ]
        if (
            in_force
            and not _same(in_force[-1], figures)
            and (in_force[-1].get("checked") or "") >= evidence_day
        ):
            # Newer evidence says another price was in force that day.
            report.contradictions.append(
                {
                    "model": slug,
                    "provider": offering["provider"],
                    "source": observation.source,
                    "as_of": evidence_day,
                    "theirs": figures,
                    "ours": {f: in_force[-1].get(f) for f in PRICE_FIELDS},
                    "ours_checked": in_force[-1].get("checked"),
                }
            )
            continue
        base.append(
            {
                "effective_date": day,
                **figures,
                "source_url": _source_url(observation, proposed, decisions, provider_url),
                "checked": evidence_day,
            }
        )
    base.sort(key=lambda p: p["effective_date"])
    base = _collapse(base)
    snapshots = sorted(
        (o for o in proposed.observations if o.effective is None and o.as_of),
        key=lambda o: o.as_of,
    )
    for observation in snapshots:
        day = observation.as_of.isoformat()
        figures = _price_dict(observation.price)
        in_force = [p for p in base if p["effective_date"] <= day]
        if in_force and _same(in_force[-1], figures):
            continue
        latest = base[-1] if base else None
        if latest is None or (
            day > latest["effective_date"] and day >= (latest.get("checked") or "")
        ):
            base.append(
                {
                    "effective_date": day,
                    **figures,
                    "source_url": _source_url(observation, proposed, decisions, provider_url),
                    "checked": day,
                }
            )
        else:
            report.contradictions.append(
                {
                    "model": slug,
                    "provider": offering["provider"],
                    "source": observation.source,
                    "as_of": day,
                    "theirs": figures,
                    "ours": {
                        f: (in_force[-1] if in_force else latest).get(f) for f in PRICE_FIELDS
                    },
                    "ours_checked": (in_force[-1] if in_force else latest).get("checked"),
                }
            )
    if not others and base:
        others = _tiers(proposed, base[0]["effective_date"], decisions, provider_url)
        if providers_kind != "first_party":
            # A long-context tier only one source claims for a reseller is not kept
            # (often a copy of the maker's older pricing).
            others = [
                t
                for t in others
                if not t.get("context_threshold") or _tier_sources(proposed, t) >= 2
            ]
    for p in base + others:
        for name in ("tier", "context_threshold"):
            p.pop(name, None) if p.get(name) in ("standard", 0, None) else None
    if decisions.providers.get(offering["provider"], {}).get("zero_is_trial"):
        # $0 there is a rate-limited trial for prototyping, not a price anyone can buy at:
        # the offering is carried without it.
        dropped = [p for p in base + others if _is_zero(p)]
        if dropped:
            report.trial_prices_dropped += len(dropped)
            base = [p for p in base if not _is_zero(p)]
            others = [p for p in others if not _is_zero(p)]
    return _collapse(base) + others


def _is_zero(price: dict) -> bool:
    return all(Decimal(str(price.get(f) or 0)) == 0 for f in ("input", "output"))


def _realign_launch(base: list[dict], proposed) -> None:
    """An editor's first record dates a price from the launch, often by assumption. When
    a source's dated history shows that price only from a later day, after other prices
    (o3 on Azure: $10 at launch, $2 from 21 June 2025), the record starts that day and
    the history before it comes from the source ("a launch price missing from history")."""
    if not base:
        return
    first, following = base[0], (base[1]["effective_date"] if len(base) > 1 else "9999")
    by_source: dict[str, list] = {}
    for o in proposed.observations:
        if o.effective and o.effective.isoformat() < following:
            by_source.setdefault(o.source, []).append(o)
    for points in by_source.values():
        points.sort(key=lambda o: o.effective)
        same = [_price_dict(o.price) == {f: first.get(f) for f in PRICE_FIELDS} for o in points]
        if all(same) or not same[-1]:
            continue
        # The source's run of the editor's figures up to the next recorded change.
        start = len(same) - 1
        while start > 0 and same[start - 1]:
            start -= 1
        if any(same[:start]) or points[start].effective.isoformat() <= first["effective_date"]:
            continue
        first["effective_date"] = points[start].effective.isoformat()
        return


def _tier_sources(proposed, tier: dict) -> int:
    return sum(
        1
        for listed in proposed.tiers.values()
        if any(t.context_threshold == tier["context_threshold"] for t in listed)
    )


def _collapse(base: list[dict]) -> list[dict]:
    """Consecutive records with the same figures are one price (the earliest)."""
    result = []
    for p in base:
        if result and all(_decimal(result[-1].get(f)) == _decimal(p.get(f)) for f in PRICE_FIELDS):
            continue
        result.append(p)
    return result


def _tiers(proposed, start: str, decisions, provider_url) -> list[dict]:
    """Other tiers (batch, long context) from the newest source that lists any."""
    newest = sorted(
        ((o.as_of, o) for o in proposed.observations if o.effective is None and o.as_of),
        key=lambda pair: pair[0],
        reverse=True,
    )
    for _, observation in newest:
        tiers = proposed.tiers.get(observation.source) or []
        if tiers:
            return [
                {
                    "effective_date": start,
                    "tier": t.tier,
                    "context_threshold": t.context_threshold,
                    **_price_dict(t),
                    "source_url": _source_url(observation, proposed, decisions, provider_url),
                    "checked": observation.as_of.isoformat(),
                }
                for t in tiers
            ]
    return []


def _checks(offering: dict, proposed, today: date) -> dict:
    """What each source's snapshot says of the price in force today: the sources that
    agree, and each field that one disagrees on (dated by the source's as-of date)."""
    base = [p for p in offering["prices"] if not p.get("tier") and not p.get("context_threshold")]
    current = [p for p in base if p["effective_date"] <= today.isoformat()]
    if not current:
        return {}
    ours = current[-1]
    agree, disagree = [], []
    for observation in sorted(proposed.observations, key=lambda o: o.source):
        if observation.effective is not None or observation.as_of is None:
            continue
        theirs = _price_dict(observation.price)
        differ = [
            {"source": observation.source, "field": f, "ours": ours.get(f), "theirs": theirs[f]}
            for f in PRICE_FIELDS
            if theirs[f] is not None
            and ours.get(f) is not None
            and Decimal(theirs[f]) != Decimal(ours[f])
        ]
        if differ:
            disagree.extend(differ)
        else:
            agree.append(observation.source)
    return {"agree": agree, "disagree": disagree}


def model_source_records(record: dict, proposed: ProposedModel, decisions: Decisions) -> list[dict]:
    sources = list(record.get("sources", []))
    have = {s["url"] for s in sources}
    for source, (as_of, _, ref) in sorted(proposed.facts.items()):
        if source == "models-dev" and "models-dev-canonical" in proposed.facts:
            # A provider's file is its offering's evidence (the prices cite it); the
            # model's own record is the model's source.
            continue
        name = "models-dev" if source.startswith("models-dev") else source
        entry = decisions.sources.get(name, {})
        if name == "models-dev":
            url = f"{entry.get('file_url', '')}{ref}"
            title = f"models.dev: {ref}"
        elif name == "openrouter":
            model_id = ref.split("(", 1)[-1].rstrip(")")
            url, title = f"https://openrouter.ai/{model_id}", f"OpenRouter: {model_id}"
        else:
            url, title = entry.get("url", ""), entry.get("title", name)
        if url.startswith("https://") and url not in have:
            have.add(url)
            sources.append(
                {"url": url, "title": title, "retrieved": as_of.isoformat() if as_of else None}
            )
    return sources


def url_prefixes(decisions: Decisions) -> dict[str, str]:
    """Short names for the URLs most records cite ("md:providers/openai/models/o3.toml"),
    expanded by the loader, so the file stays small."""
    prefixes = {"or:": "https://openrouter.ai/"}
    file_url = decisions.sources.get("models-dev", {}).get("file_url")
    if file_url:
        prefixes["md:"] = file_url
    for name in ("litellm", "genai-prices", "llm-stats"):
        if decisions.sources.get(name, {}).get("url"):
            prefixes[f"{name}:"] = decisions.sources[name]["url"]
    return prefixes


def shorten_urls(document: dict) -> dict:
    """`document` with every URL under a prefix of `url_prefixes` written short."""
    prefixes = sorted(
        document.get("url_prefixes", {}).items(), key=lambda item: len(item[1]), reverse=True
    )

    def walk(value, key=""):
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, key) for v in value]
        if isinstance(value, str) and key in ("url", "source_url"):
            for short, long in prefixes:
                if value.startswith(long):
                    return short + value[len(long) :]
        return value

    urls = document.get("url_prefixes")
    shortened = walk({k: v for k, v in document.items() if k != "url_prefixes"})
    return {"url_prefixes": urls, **shortened} if urls else shortened


def expand_url(value: str, prefixes: dict[str, str]) -> str:
    """The full URL of a seed value written with one of its `url_prefixes`."""
    for short, long in prefixes.items():
        if value.startswith(short):
            return long + value[len(short) :]
    return value


# A record that fits on a line of this width is written on one line (a price, a check, a
# source, a score): a change to it is one changed line.
LINE_WIDTH = 160


# Lists of short names written several to a line (a record's 20 parameter names would
# otherwise take 20 lines).
PACKED_LISTS = {"supported_parameters"}


def packed(names: list, pad: str) -> list[str]:
    """`names` as JSON, as many to a line as fit LINE_WIDTH."""
    lines, line = [], ""
    for name in names:
        item = json.dumps(name, ensure_ascii=False)
        if line and len(pad) + len(line) + len(item) + 2 > LINE_WIDTH:
            lines.append(pad + line)
            line = ""
        line = f"{line}, {item}" if line else item
    return [*lines, pad + line]


def dumps(document: dict) -> str:
    """JSON with one short record per line, so the file stays compact and its diffs
    readable (a price change is one changed line)."""

    def prune(value):
        # Empty and unknown values are left out: the loader reads them as unknown.
        if isinstance(value, dict):
            return {k: prune(v) for k, v in value.items() if v not in (None, "", [], {})}
        if isinstance(value, list):
            return [prune(v) for v in value]
        return value

    def render(value, indent: int, key: str = "") -> str:
        flat = json.dumps(value, ensure_ascii=False)
        if len(flat) + indent <= LINE_WIDTH or not isinstance(value, dict | list) or not value:
            return flat
        pad = " " * (indent + 1)
        if key in PACKED_LISTS:
            return "[\n" + ",\n".join(packed(value, pad)) + "\n" + " " * indent + "]"
        if isinstance(value, list):
            items = [pad + render(v, indent + 1) for v in value]
            return "[\n" + ",\n".join(items) + "\n" + " " * indent + "]"
        items = [f"{pad}{json.dumps(k)}: {render(v, indent + 1, k)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"

    return render(prune(shorten_urls(document)), 0) + "\n"
