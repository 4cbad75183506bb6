"""`/api/v1/cost/`: a token workload priced on every offering of some models, on a day.

The prices are the ones in force that day in the dated price history (a past day
answers what the workload cost then; a day ahead, what scheduled prices will make it
cost), for one service tier, its long-context rows chosen by the prompt size. Every
offering is priced by the site's calculator (comparisons.calculator.offering_cost), so
the API and the comparison pages never disagree about what a workload costs.

Offerings that cannot be bought today (catalog.models.BUYABLE_LIFECYCLES) are priced
and flagged, not left out: a retired offering was bought on the days its history
covers. They come after the buyable ones.
"""

from __future__ import annotations

import re
from datetime import date, tzinfo
from decimal import Decimal

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, serializers

from api import selectors as api_selectors
from api.serializers import PriceSerializer, current_tz, date_text, represent
from catalog import selectors
from catalog.formatting import quantize_half_up
from catalog.models import MONEY, Lifecycle, Offering, Price
from comparisons.calculator import (
    MAX_PROMPT_TOKENS,
    MAX_TOKENS,
    OfferingCost,
    Workload,
    offering_cost,
)
from comparisons.pricing import ContextTier, Rates

MAX_COST_MODELS = 20
SLUG = re.compile(r"[-a-zA-Z0-9_]+")
# What an OpenAPI `model` value matches: a slug, or a comma-separated list of them.
SLUG_LIST_PATTERN = r"^[-a-zA-Z0-9_]+(,[-a-zA-Z0-9_]+)*$"

TOKEN_ERRORS = {
    **{
        key: f"Enter a whole number of tokens from 0 to {MAX_TOKENS}."
        for key in ("invalid", "min_value", "max_value", "max_string_length")
    },
    "required": f"Required: a whole number of tokens from 0 to {MAX_TOKENS}.",
}


class ModelSlugsField(serializers.Field):
    """Model slugs from repeated parameters and comma lists, in order, each once. Its
    errors are plain messages (a list field's would be keyed by position)."""

    default_error_messages = {"required": "Name at least one model by its slug."}

    def to_internal_value(self, data: list[str]) -> list[str]:
        slugs: list[str] = []
        for value in data:
            for slug in value.split(","):
                slug = slug.strip()
                if not SLUG.fullmatch(slug):
                    shown = f'"{slug[:40]}"' if slug else "An empty slug"
                    raise serializers.ValidationError(
                        f"{shown} is not a model slug (letters, digits, - and _); separate "
                        "several with commas or repeat the parameter."
                    )
                if slug not in slugs:
                    slugs.append(slug)
        if len(slugs) > MAX_COST_MODELS:
            raise serializers.ValidationError(
                f"At most {MAX_COST_MODELS} models at a time; this names {len(slugs)}."
            )
        return slugs


class CostQuerySerializer(serializers.Serializer):
    """The query parameters of /api/v1/cost/ (each error names its parameter)."""

    model = ModelSlugsField()
    input_tokens = serializers.IntegerField(
        min_value=0, max_value=MAX_TOKENS, error_messages=TOKEN_ERRORS
    )
    output_tokens = serializers.IntegerField(
        min_value=0, max_value=MAX_TOKENS, error_messages=TOKEN_ERRORS
    )
    cached_share = serializers.DecimalField(
        max_digits=None,
        decimal_places=None,
        min_value=Decimal(0),
        max_value=Decimal(1),
        required=False,
        default=Decimal(0),
        error_messages={
            key: "Enter the share of input tokens read from the cache as a number from 0 "
            'to 1, e.g. "0.25".'
            for key in ("invalid", "min_value", "max_value", "max_string_length")
        },
    )
    prompt_tokens = serializers.IntegerField(
        min_value=1,
        max_value=MAX_PROMPT_TOKENS,
        required=False,
        error_messages={
            key: f"Enter a typical prompt size in tokens, from 1 to {MAX_PROMPT_TOKENS}."
            for key in ("invalid", "min_value", "max_value", "max_string_length")
        },
    )
    tier = serializers.ChoiceField(
        choices=Price.Tier.choices,
        required=False,
        default=Price.Tier.STANDARD,
        error_messages={
            "invalid_choice": f"Choose a service tier: {', '.join(Price.Tier.values)}."
        },
    )
    date = serializers.DateField(
        required=False,
        error_messages={"invalid": "Enter a date as YYYY-MM-DD, e.g. 2026-05-07."},
    )


def read_cost_query(query_params) -> dict:
    """The validated parameters; raises ValidationError naming each bad one. A value
    repeated for a single-valued parameter is read as its last, as DRF does."""
    data = query_params.dict()
    if "model" in query_params:
        data["model"] = query_params.getlist("model")
    query = CostQuerySerializer(data=data)
    query.is_valid(raise_exception=True)
    return query.validated_data


PARAMETERS = [
    OpenApiParameter(
        "model",
        {
            "type": "array",
            "items": {"type": "string", "pattern": SLUG_LIST_PATTERN},
            "minItems": 1,
            "maxItems": MAX_COST_MODELS,
        },
        required=True,
        explode=True,
        style="form",
        description="Model slug; for several, repeat the parameter or separate the slugs "
        f"with commas (`?model=a&model=b` or `?model=a,b`), at most {MAX_COST_MODELS} "
        "models. A slug that is not a published model is a 400 naming it.",
    ),
    OpenApiParameter(
        "input_tokens",
        {"type": "integer", "minimum": 0, "maximum": MAX_TOKENS},
        required=True,
        description="Input tokens of the workload, cached ones included.",
    ),
    OpenApiParameter(
        "output_tokens",
        {"type": "integer", "minimum": 0, "maximum": MAX_TOKENS},
        required=True,
        description="Output tokens of the workload.",
    ),
    OpenApiParameter(
        "cached_share",
        {"type": "number", "minimum": 0, "maximum": 1},
        description="Share of the input tokens read from the prompt cache, 0 to 1 (default "
        "0): billed at the cache-read price, or as input where the price row has none.",
    ),
    OpenApiParameter(
        "prompt_tokens",
        {"type": "integer", "minimum": 1, "maximum": MAX_PROMPT_TOKENS},
        description="Typical prompt size in tokens: above a price row's context_threshold "
        "the whole request is billed at that long-context row, and an offering whose "
        "context window is smaller is flagged and not priced. Default: base prices, "
        "nothing flagged.",
    ),
    OpenApiParameter(
        "tier",
        {"type": "string", "enum": Price.Tier.values},
        description="Service tier of the prices: standard (default), batch, flex or "
        "priority. An offering with no price in that tier is listed, not priced.",
    ),
    OpenApiParameter(
        "date",
        OpenApiTypes.DATE,
        description="The day whose prices are used, YYYY-MM-DD (default today): a past day "
        "reads the price history, a day ahead the prices scheduled by then.",
    ),
]


# Output, documented for the schema; built by hand in cost_payload.
def usd(help_text: str, *, allow_null: bool = False) -> serializers.DecimalField:
    return serializers.DecimalField(
        read_only=True,
        allow_null=allow_null,
        help_text=f"{help_text} (USD), a decimal string rounded half up to "
        f"{MONEY['decimal_places']} places.",
        max_digits=None,
        decimal_places=MONEY["decimal_places"],
    )


class CostWorkloadSerializer(serializers.Serializer):
    input_tokens = serializers.IntegerField(read_only=True)
    output_tokens = serializers.IntegerField(read_only=True)
    cached_share = serializers.CharField(
        read_only=True, help_text="Share of input tokens read from the cache, 0 to 1."
    )
    prompt_tokens = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Typical prompt size; null when not given."
    )
    tier = serializers.ChoiceField(choices=Price.Tier.choices, read_only=True)


class SlugNameSerializer(serializers.Serializer):
    slug = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class CostBreakdownSerializer(serializers.Serializer):
    input_usd = usd("Uncached input tokens")
    cached_input_usd = usd(
        "Input tokens read from the cache, at the cache-read price (at the input price "
        "when `cached_billed_as_input`)"
    )
    output_usd = usd("Output tokens")


class OfferingCostSerializer(serializers.Serializer):
    model = SlugNameSerializer(read_only=True)
    provider = SlugNameSerializer(read_only=True)
    offering_id = serializers.IntegerField(
        read_only=True, help_text="The offering's id in /api/v1/offerings/."
    )
    provider_model_id = serializers.CharField(read_only=True)
    lifecycle = serializers.ChoiceField(choices=Lifecycle.choices, read_only=True)
    buyable = serializers.BooleanField(
        read_only=True,
        help_text="Whether it can be bought today (ga or preview); deprecated and retired "
        "offerings are priced too and come after the buyable ones.",
    )
    context_window = serializers.IntegerField(
        read_only=True,
        help_text="Tokens: this provider's own where it states one, else the model's.",
    )
    fits_context_window = serializers.BooleanField(
        read_only=True,
        help_text="False when prompt_tokens is larger than context_window: the workload "
        "cannot run there and is not priced.",
    )
    total_usd = usd(
        "What the workload costs, the exact sum of the breakdown's parts; null when the "
        "offering is not priced",
        allow_null=True,
    )
    breakdown = CostBreakdownSerializer(
        read_only=True, allow_null=True, help_text="Null when the offering is not priced."
    )
    cached_billed_as_input = serializers.BooleanField(
        read_only=True,
        help_text="The price row has no cache-read price, so cached input is billed as input.",
    )
    price = PriceSerializer(
        read_only=True,
        allow_null=True,
        help_text="The price row the workload is billed at, in force on `date`: the base "
        "row, or the long-context row for the prompt size (the whole request is billed at "
        "it). Null when the offering is not priced.",
    )
    notes = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="What a reader must know, as the site's calculator says it (why an "
        "offering is not priced; cached input billed as input; a long-context price).",
    )


class CostSerializer(serializers.Serializer):
    date = serializers.DateField(
        read_only=True, help_text="The day whose prices are used (default today)."
    )
    workload = CostWorkloadSerializer(read_only=True)
    results = OfferingCostSerializer(
        many=True,
        read_only=True,
        help_text="Every offering of the models: priced and buyable ones cheapest first, "
        "then priced ones that cannot be bought today, cheapest first, then the ones not "
        "priced (no price in force on `date` for the tier, or a prompt too large).",
    )


def usd_text(amount: Decimal) -> str:
    return f"{quantize_half_up(amount, MONEY['decimal_places']):f}"


def rates_of(price: Price) -> Rates:
    return Rates(input=price.input, output=price.output, cache_read=price.cache_read)


def cost_payload(query: dict, *, on: date) -> dict:
    """The workload in `query` (read_cost_query) priced on every offering of its models
    at the prices in force `on` that day, documented by CostSerializer. Raises
    ValidationError naming any slug that is not a published model. Three queries."""
    slugs = query["model"]
    models = selectors.models_by_slug(slugs)
    unknown = [slug for slug in slugs if slug not in models]
    if unknown:
        raise exceptions.ValidationError(
            {"model": [f'No published model has the slug "{slug}".' for slug in unknown]}
        )
    tier: str = query["tier"]
    workload = Workload(
        input_tokens=query["input_tokens"],
        output_tokens=query["output_tokens"],
        cached_share=query["cached_share"],
        prompt_tokens=query.get("prompt_tokens"),
    )
    ids = [model.pk for model in models.values()]
    in_force = selectors.prices_in_force(ids, on=on, tier=tier)
    by_offering: dict[int, dict[int, Price]] = {}
    for (offering_id, threshold), price in in_force.items():
        by_offering.setdefault(offering_id, {})[threshold] = price

    tz = current_tz(None)
    rows = []
    for offering in api_selectors.cost_offerings(ids):
        prices = by_offering.get(offering.pk, {})
        base = prices.get(0)
        priced = None
        if base is not None:
            tiers = tuple(
                ContextTier(threshold=threshold, rates=rates_of(price))
                for threshold, price in sorted(prices.items())
                if threshold > 0
            )
            priced = offering_cost(
                rates_of(base),
                workload,
                tiers=tiers,
                context_window=offering.effective_context_window,
            )
        rows.append(offering_cost_row(offering, priced, prices, tier=tier, on=on, tz=tz))
    rows.sort(key=cost_order)
    return {
        "date": date_text(on),
        "workload": {
            "input_tokens": workload.input_tokens,
            "output_tokens": workload.output_tokens,
            "cached_share": f"{workload.cached_share.normalize():f}",
            "prompt_tokens": workload.prompt_tokens,
            "tier": tier,
        },
        "results": rows,
    }


def offering_cost_row(
    offering: Offering,
    priced: OfferingCost | None,
    prices: dict[int, Price],
    *,
    tier: str,
    on: date,
    tz: tzinfo,
) -> dict:
    """OfferingCostSerializer's output; `priced` is None when no price is in force."""
    context_window = offering.effective_context_window
    row = {
        "model": {"slug": offering.model.slug, "name": offering.model.name},
        "provider": {"slug": offering.provider.slug, "name": offering.provider.name},
        "offering_id": offering.pk,
        "provider_model_id": offering.provider_model_id,
        "lifecycle": offering.lifecycle,
        "buyable": offering.is_buyable,
        "context_window": context_window,
        "fits_context_window": True,
        "total_usd": None,
        "breakdown": None,
        "cached_billed_as_input": False,
        "price": None,
        "notes": [f"no {tier} price in force on {on.isoformat()}"],
    }
    if priced is None:
        return row
    row["fits_context_window"] = priced.fits_prompt
    row["notes"] = list(priced.notes)
    if not priced.fits_prompt:
        return row
    cost = priced.cost
    row["total_usd"] = usd_text(cost.exact_total)
    row["breakdown"] = {
        "input_usd": usd_text(cost.input_cost),
        "cached_input_usd": usd_text(cost.cached_input_cost),
        "output_usd": usd_text(cost.output_cost),
    }
    row["cached_billed_as_input"] = cost.cached_billed_as_input
    row["price"] = represent(PriceSerializer, prices[cost.context_threshold], tz)
    return row


def cost_order(row: dict) -> tuple:
    """Priced and buyable first, then priced but not buyable, each cheapest first; then
    the rows not priced. Ties by model and provider name."""
    total = row["total_usd"]
    return (
        total is None,
        not row["buyable"],
        Decimal(total) if total is not None else Decimal(0),
        row["model"]["name"],
        row["provider"]["name"],
    )
