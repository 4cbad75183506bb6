"""Grow the catalog from sources: which real models several files describe, and what each
file says about them. Pure: no ORM; the seed builder and `import_catalog --add-new` feed it
what the catalog already holds and write what it proposes.

    graph = ModelGraph(known)                # known: {identity key: model slug}
    graph.add_source(parsed, allow_new=True)  # models.dev, OpenRouter, ...
    graph.models / graph.offerings / graph.conflicts

Identity: every id a row carries (its own, its source's other spellings, models.dev's
`base_model`, OpenRouter's `canonical_slug`, genai-prices' match rules) is reduced to an
identity key (`identity.model_key`). Keys that one row names together are one model,
unless that would join two models already known apart (two canonical records, two of our
models): then the link is refused and listed in `conflicts`, never merged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from catalog.importers.identity import is_route_variant, model_key
from catalog.importers.source import ModelFacts, ParsedSource, SourceRow, TierPrice

# Sources whose rows may define a model: OpenRouter lists models (one row each, with
# its maker and a canonical slug); a CSV is an editor's own file. models.dev defines
# models through its models/ tree (`add_canonical`), not through its provider rows.
# LiteLLM and genai-prices list deployments and price rules: they add offerings, prices
# and ids to models we carry, never a model of their own.
MODEL_SOURCES = ("openrouter", "csv")
# Whose statement of a model-level fact wins: the editors, then the maker-level record
# (models.dev's models/ tree), then OpenRouter's listing, then the deployment files.
FACT_PRIORITY = (
    "curated",
    "models-dev-canonical",
    "models-dev",
    "openrouter",
    "litellm",
    "genai-prices",
    "csv",
)


@dataclass
class Observation:
    """A price one source states for an offering, and the date it is evidence of."""

    source: str
    as_of: date | None
    price: TierPrice
    source_url: str = ""
    # Set for a dated change (genai-prices start_date, LiteLLM history): the day it took
    # effect. None for a snapshot ("this is the price as of `as_of`").
    effective: date | None = None


@dataclass
class ProposedOffering:
    """One model on one of our providers, as every source that lists it describes it."""

    model: str  # model slug
    provider: str  # our provider slug
    ids: dict[str, list[str]] = field(default_factory=dict)  # source -> its ids, best first
    aliases: set[str] = field(default_factory=set)
    observations: list[Observation] = field(default_factory=list)
    tiers: dict[str, list[TierPrice]] = field(default_factory=dict)  # source -> other tiers
    limits: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)
    refs: dict[str, str] = field(default_factory=dict)  # source -> row ref
    lifecycle: dict[str, str] = field(default_factory=dict)  # source -> preview/deprecated
    # source -> (supported parameters, tokenizer), where the source states either.
    details: dict[str, tuple[list[str], str]] = field(default_factory=dict)


@dataclass
class ProposedModel:
    slug: str
    keys: set[str] = field(default_factory=set)
    # source -> (as_of, facts, ref); "models-dev-canonical" for models.dev's models/ tree.
    facts: dict[str, tuple[date | None, ModelFacts, str]] = field(default_factory=dict)
    benchmarks: list = field(default_factory=list)
    known: bool = False  # already in the catalog (or the curated seed)
    new: bool = False  # proposed by this run

    def fact(self, name: str):
        """The value of a model-level fact by FACT_PRIORITY, and which source gave it."""
        for source in FACT_PRIORITY:
            entry = self.facts.get(source)
            if entry is None:
                continue
            value = getattr(entry[1], name)
            if value not in (None, "", (), {}):
                return value, source
        return None, ""

    def disagreements(self, name: str) -> dict[str, object]:
        """{source: value} for every source stating `name`, when they do not all agree."""
        values = {
            source: getattr(facts, name)
            for source, (_, facts, _) in self.facts.items()
            if getattr(facts, name) not in (None, "", (), {})
        }
        return values if len(set(map(repr, values.values()))) > 1 else {}


@dataclass(frozen=True)
class Conflict:
    ref: str
    message: str


@dataclass
class ModelGraph:
    """Models and offerings across sources, keyed by identity key and model slug."""

    known: dict[str, str]  # identity key -> model slug (catalog or curated seed)
    # Keys not to propose as new models (editors rejected them); `is_rejected` may add a
    # rule (prefixes).
    rejected: set[str] = field(default_factory=set)
    is_rejected: Callable[[str], bool] | None = None
    # Editors' merges: identity key -> the key of the model it is (decisions file).
    same_as: dict[str, str] = field(default_factory=dict)
    models: dict[str, ProposedModel] = field(default_factory=dict)
    offerings: dict[tuple[str, str], ProposedOffering] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    unmatched: list[tuple[str, str]] = field(default_factory=list)  # (ref, reason)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.keys: dict[str, str] = {}
        for key, slug in self.known.items():
            self._model(slug, known=True)
            self.keys[key] = slug
            self.models[slug].keys.add(key)

    def _rejected(self, key: str) -> bool:
        return key in self.rejected or bool(self.is_rejected and self.is_rejected(key))

    def _model(self, slug: str, *, known: bool = False) -> ProposedModel:
        model = self.models.get(slug)
        if model is None:
            model = self.models[slug] = ProposedModel(slug=slug, known=known, new=not known)
        return model

    def _new_slug(self, key: str) -> str:
        slug = key
        n = 2
        while slug in self.models:
            slug, n = f"{key}-{n}", n + 1
        return slug

    def link(self, keys: list[str], *, ref: str, allow_new: bool, own: str = "") -> str | None:
        """The model the keys name (creating one when allowed and none does); the other
        keys become its aliases unless they already belong to another model. Where they
        name different models, the row's `own` id (the provider's, not a `base_model`
        it points to) decides. An own id no model has yet is not a conflict: the row
        goes to the model its link names, and the id becomes that model's spelling
        until a source read later gives it a model of its own
        (drop_aliases_of_other_models then takes the alias back)."""
        own = self.same_as.get(own, own)
        keys = [self.same_as.get(k, k) for k in keys]
        keys = [k for k in dict.fromkeys(keys) if k]
        if not keys:
            return None
        owners = [self.keys[k] for k in keys if k in self.keys]
        distinct = list(dict.fromkeys(owners))
        if len(distinct) > 1:
            self.conflicts.append(
                Conflict(
                    ref,
                    f"ids {', '.join(keys)} name different models "
                    f"({', '.join(distinct)}); not merged",
                )
            )
            # The row's own id decides; its other spellings link nothing.
            return self.keys.get(own or keys[0]) or self.keys.get(keys[0])
        if distinct:
            slug = distinct[0]
        else:
            if not allow_new or self._rejected(keys[0]):
                return None
            slug = self._new_slug(keys[0])
            self._model(slug).new = True
        for key in keys:
            if key not in self.keys and not self._rejected(key):
                self.keys[key] = slug
                self.models[slug].keys.add(key)
        return slug

    def merge(self, other: str, into: str) -> None:
        """Make model `other` part of `into`: its ids become `into`'s, its facts fill
        what `into` lacks, and its offerings join `into`'s (on a provider both have, the
        ids of `other`'s become aliases of `into`'s offering)."""
        source, target = self.models.pop(other), self.models[into]
        target.keys |= source.keys
        for key in source.keys:
            self.keys[key] = into
        for name, entry in source.facts.items():
            target.facts.setdefault(name, entry)
        target.benchmarks.extend(source.benchmarks)
        for (slug, provider), offering in list(self.offerings.items()):
            if slug != other:
                continue
            del self.offerings[(slug, provider)]
            offering.model = into
            kept = self.offerings.get((into, provider))
            if kept is None:
                self.offerings[(into, provider)] = offering
            else:
                kept.aliases |= {i for ids in offering.ids.values() for i in ids} | offering.aliases

    def drop_aliases_of_other_models(self) -> None:
        """Once every source is read: an offering's alias whose key is another model's is
        that model's spelling, not this offering's. A row read before that model claimed
        the key could add it (the OpenAI and OpenRouter offerings of GPT-5 carried
        gpt-5-chat, which is GPT-5 Chat's), and an import by that id would then match
        the wrong model."""
        for (slug, _provider), offering in self.offerings.items():
            offering.aliases = {
                alias
                for alias in offering.aliases
                if self.keys.get(self.same_as.get(model_key(alias), model_key(alias)), slug) == slug
            }

    def add_canonical(self, parsed: ParsedSource, *, allow_new: bool) -> None:
        """models.dev's models/ tree: one maker-level record per model."""
        for canonical in parsed.canonical_models:
            key = model_key(canonical.key)
            slug = self.link([key], ref=canonical.ref, allow_new=allow_new)
            if slug is None:
                self.unmatched.append((canonical.ref, "not in the catalog"))
                continue
            if canonical.facts is not None:
                self.models[slug].facts["models-dev-canonical"] = (
                    parsed.as_of,
                    canonical.facts,
                    canonical.ref,
                )
            self.models[slug].benchmarks.extend(canonical.benchmarks)

    def add_rows(
        self, parsed: ParsedSource, *, allow_new: bool, provider_of: Callable[[str], str | None]
    ) -> None:
        """Offering rows of one source. `provider_of(source provider name)` is our
        provider slug, or None for a provider we do not carry (the row is skipped)."""
        allow_new = allow_new and parsed.format in MODEL_SOURCES
        for row in parsed.rows:
            provider = provider_of(row.provider)
            if provider is None:
                self.skipped.append((row.ref, f"provider {row.provider!r} not carried"))
                continue
            if row.errors:
                self.unmatched.append((row.ref, "; ".join(row.errors)))
                continue
            if is_route_variant(row.provider_model_id):
                self.skipped.append(
                    (row.ref, "a route variant (:free, :nitro...), not an offering")
                )
                continue
            keys = [model_key(row.provider_model_id)]
            base = row.extras.get("base_model")
            if base:
                keys.insert(0, model_key(base))
            keys += [model_key(alt) for alt in row.alternate_ids]
            priced = row.input is not None and row.output is not None
            slug = self.link(
                keys,
                ref=row.ref,
                allow_new=allow_new and priced,
                own=model_key(row.provider_model_id),
            )
            if slug is None:
                self.unmatched.append((row.ref, "no model in the catalog has this id"))
                continue
            # A row whose link named another model (the own id decided) describes that
            # one as much as this: its facts describe neither (Cloudflare's R1 distill
            # file, linked to DeepSeek-R1, would have named the distill "Deepseek ...",
            # without open weights).
            linked_elsewhere = bool(base) and self.keys.get(model_key(base), slug) != slug
            self._add_offering(slug, provider, parsed, row, facts=not linked_elsewhere)

    def _add_offering(
        self, slug: str, provider: str, parsed: ParsedSource, row: SourceRow, *, facts=True
    ) -> None:
        source = parsed.format
        model = self.models[slug]
        if facts and row.facts is not None and source not in model.facts:
            model.facts[source] = (parsed.as_of, row.facts, row.ref)
        offering = self.offerings.get((slug, provider))
        if offering is None:
            offering = self.offerings[(slug, provider)] = ProposedOffering(
                model=slug, provider=provider
            )
        ids = offering.ids.setdefault(source, [])
        ids.append(row.provider_model_id)
        ids.sort(key=_preferred_id)
        # Other spellings become aliases unless they name another model or a rejected
        # id (Mistral's "-latest" pointers): an alias must never match the wrong model.
        offering.aliases.update(
            a
            for a in row.alternate_ids
            if not self._rejected(model_key(a)) and self.keys.get(model_key(a), slug) == slug
        )
        if ids[0] != row.provider_model_id:
            return  # another id of this offering in the same source (a regional profile)
        offering.refs[source] = row.ref
        offering.limits[source] = (row.context_window, row.max_output_tokens)
        if row.facts and row.facts.lifecycle:
            offering.lifecycle[source] = row.facts.lifecycle
        if row.supported_parameters or row.tokenizer:
            offering.details[source] = (row.supported_parameters, row.tokenizer)
        offering.observations = [o for o in offering.observations if o.source != source]
        if row.main_price and row.input is not None and row.output is not None:
            offering.observations.append(
                Observation(source, parsed.as_of, row.main_price, row.source_url)
            )
        for day, price in row.dated_prices:
            offering.observations.append(
                Observation(source, parsed.as_of, price, row.source_url, date.fromisoformat(day))
            )
        offering.tiers[source] = [
            t for t in row.tiers if t.input is not None and t.output is not None
        ]


# Whose id an offering takes when several sources list it.
ID_PRIORITY = ("curated", "csv", "models-dev", "openrouter", "genai-prices", "litellm")


def _preferred_id(model_id: str) -> tuple[int, int, str]:
    """Plain ids before regional ones, then `global.`, then shorter."""
    lowered = model_id.lower()
    regional = lowered.split(".", 1)[0] in {"us", "eu", "apac", "ap", "jp", "au", "ca", "us-gov"}
    return (2 if regional else 1 if lowered.startswith("global.") else 0, len(model_id), model_id)


def offering_id(offering: ProposedOffering) -> tuple[str, list[str]]:
    """The offering's provider model id (by ID_PRIORITY) and its other spellings."""
    chosen = ""
    for source in ID_PRIORITY:
        if offering.ids.get(source):
            chosen = offering.ids[source][0]
            break
    if not chosen:
        chosen = next(iter(offering.ids.values()))[0]
    others = {i for ids in offering.ids.values() for i in ids} | offering.aliases
    return chosen, sorted(i for i in others if i.casefold() != chosen.casefold())
