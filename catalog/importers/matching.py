"""Which of our providers, offerings and models a source's row is about.

One matching for every reader of the source files: the price import (`plan.py`), the
drafts of `--add-new` (`additions.py`) and price watch (`pricewatch.reconcile`). The
catalog slice a source can match is read once (`load_offering_index`, a fixed number of
queries); the functions below then match rows without a query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from catalog.importers.identity import is_route_variant, model_key
from catalog.importers.source import SourceRow
from catalog.models import (
    LanguageModel,
    ModelAlias,
    Offering,
    OfferingAlias,
    Price,
    Provider,
    catalog_slugify,
)

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


@dataclass
class OfferingIndex:
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


def _load_index(provider_slugs: set[str]) -> OfferingIndex:
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
    return OfferingIndex(
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


def load_offering_index(source_format: str, rows: list[SourceRow]) -> OfferingIndex:
    """The catalog slice that `rows` of a source can match, read in a fixed number of
    queries (no query per row). Use with `match_provider` and `find_offering`."""
    wanted = set()
    for row in rows:
        wanted.update(provider_slug_candidates(source_format, row.provider))
    return _load_index(wanted)


def match_provider(catalog: OfferingIndex, source_format: str, name: str) -> Provider | None:
    """Our Provider for a source's provider name, or None when we do not carry it."""
    return next(
        (
            catalog.providers[s]
            for s in provider_slug_candidates(source_format, name)
            if s in catalog.providers
        ),
        None,
    )


def find_offering(catalog: OfferingIndex, provider: Provider, row: SourceRow) -> Offering | None:
    """Our offering for a row: its provider model id, its other spellings, or an alias."""
    for candidate in (row.provider_model_id, *row.alternate_ids):
        offering = catalog.offerings.get((provider.pk, candidate.casefold()))
        if offering is not None:
            return offering
    return None


def concerns_catalog(catalog: OfferingIndex, provider: Provider, row: SourceRow) -> bool:
    return bool(find_offering(catalog, provider, row) or find_model(catalog, row))


def find_model(catalog: OfferingIndex, row: SourceRow) -> LanguageModel | None:
    """Our model for a row no offering matches: by slug, then name, then the identity
    key of the row's ids (a model alias). Only the catalog's own models count; an import
    never invents one (`--add-new` proposes drafts instead)."""
    if is_route_variant(row.provider_model_id):
        return None  # ":free", "~…-latest": not an offering of the model
    tail = row.provider_model_id.rsplit("/", 1)[-1]
    for slug in (row.model_slug, catalog_slugify(row.model_name), catalog_slugify(tail)):
        if slug and slug in catalog.models_by_slug:
            return catalog.models_by_slug[slug]
    if row.model_name and row.model_name.casefold() in catalog.models_by_name:
        return catalog.models_by_name[row.model_name.casefold()]
    base = row.extras.get("base_model")
    for spelling in (base, row.provider_model_id, *row.alternate_ids):
        if spelling and model_key(spelling) in catalog.models_by_key:
            return catalog.models_by_key[model_key(spelling)]
    return None
