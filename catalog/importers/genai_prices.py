"""pydantic/genai-prices `data.json`: [{id, name, models: [{id, name, match,
context_window, prices}]}], prices in USD per 1M tokens.

`prices` is a dict ({input_mtok, output_mtok, cache_read_mtok, cache_write_mtok, ...},
each a number or {base, tiers: [{start, price}]}) or a list of {constraint?, prices}:
a `start_date` constraint is a dated change (the one in force today wins over the base),
a `start_time`/`end_time` constraint is an off-peak price and is ignored.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from catalog.importers.source import (
    ImportFormatError,
    ModelFacts,
    ParsedSource,
    PriceValueError,
    SourceRow,
    TierPrice,
    check_size,
    load_json,
    positive_int,
    price_per_million,
)

FORMAT = "genai-prices"
KEYS = {
    "input_mtok": "input",
    "output_mtok": "output",
    "cache_read_mtok": "cache_read",
    "cache_write_mtok": "cache_write",
}
# The extra price dimensions it states, in our units (per 1M tokens; per 1K searches).
EXTRA_KEYS = {
    "input_audio_mtok": "audio_input",
    "output_audio_mtok": "audio_output",
    "input_image_mtok": "image_input",
    "web_searches_kcount": "web_search",
    "output_reasoning_mtok": "reasoning",
}


def parse(path: str | Path, *, today: date | None = None) -> ParsedSource:
    path = Path(path)
    check_size(path)
    document = load_json(path)
    if not isinstance(document, list) or not all(
        isinstance(p, dict) and isinstance(p.get("models"), list) for p in document
    ):
        raise ImportFormatError(
            "Not a genai-prices data.json: expected a list of providers with models."
        )
    today = today or timezone.localdate()
    parsed = ParsedSource(format=FORMAT)
    for provider in document:
        provider_id = str(provider.get("id") or "")
        parsed.provider_names[provider_id] = str(provider.get("name") or provider_id)
        urls = provider.get("pricing_urls")
        if isinstance(urls, list) and urls and str(urls[0]).startswith("https://"):
            parsed.provider_urls[provider_id] = str(urls[0])
        for index, model in enumerate(provider["models"]):
            parsed.rows.append(_row(provider_id, index, model, today))
    return parsed


def _in_force(prices, today: date) -> dict | None:
    if isinstance(prices, dict):
        return prices
    if not isinstance(prices, list):
        return None
    chosen, chosen_date = None, None
    for entry in prices:
        if not isinstance(entry, dict) or not isinstance(entry.get("prices"), dict):
            continue
        constraint = entry.get("constraint")
        if not constraint:
            if chosen_date is None:
                chosen = entry["prices"]
            continue
        start = constraint.get("start_date")
        if not start or "start_time" in constraint or "end_time" in constraint:
            continue  # off-peak prices are not compared
        try:
            day = date.fromisoformat(str(start))
        except ValueError:
            continue
        if day <= today and (chosen_date is None or day > chosen_date):
            chosen, chosen_date = entry["prices"], day
    return chosen


def _equals(match) -> list[str]:
    """The exact ids a match rule names ({"equals": ...} anywhere in or/and)."""
    if isinstance(match, dict):
        found = [str(match["equals"])] if "equals" in match else []
        for key in ("or", "and"):
            for part in match.get(key) or []:
                found.extend(_equals(part))
        return found
    return []


# genai-prices files Google's third-party models (Claude on Vertex AI) under its single
# "google" provider; we carry Google AI Studio and Vertex AI apart, and only Vertex AI
# sells them. Such rows are filed under this provider name instead.
GOOGLE_VERTEX_ONLY = "google-vertex"
VERTEX_ONLY_PREFIXES = ("claude",)


def _provider_for(provider_id: str, model_id: str) -> str:
    if provider_id == "google" and model_id.casefold().startswith(VERTEX_ONLY_PREFIXES):
        return GOOGLE_VERTEX_ONLY
    return provider_id


def _row(provider_id: str, index: int, model, today: date) -> SourceRow:
    if not isinstance(model, dict) or not model.get("id"):
        return SourceRow(
            ref=f"{provider_id}.models[{index}]",
            provider=provider_id,
            provider_model_id="",
            errors=["model has no id"],
        )
    model_id = str(model["id"])
    row = SourceRow(
        ref=f"{provider_id}/{model_id}",
        provider=_provider_for(provider_id, model_id),
        provider_model_id=model_id,
        model_name=str(model.get("name") or ""),
        context_window=positive_int(model.get("context_window")),
        alternate_ids=tuple(i for i in dict.fromkeys(_equals(model.get("match"))) if i != model_id),
    )
    row.facts = ModelFacts(name=row.model_name, context_window=row.context_window)
    prices = _in_force(model.get("prices"), today)
    if not prices:
        row.no_price_reason = "no price in force"
        return row
    try:
        _fill_price(row, prices)
        row.dated_prices = _dated_prices(row, model.get("prices"))
    except PriceValueError as exc:
        row.errors.append(str(exc))
        return row
    if row.input is None or row.output is None:
        row.no_price_reason = "no input and output price per 1M tokens"
    return row


def _dated_prices(row: SourceRow, prices) -> list[tuple[str, TierPrice]]:
    """The base price of each `start_date` change, oldest first: the history a source
    documents. The undated entry before the first change has no date of its own and is
    left out (its start is unknown)."""
    if not isinstance(prices, list):
        return []
    dated = []
    for entry in prices:
        if not isinstance(entry, dict) or not isinstance(entry.get("prices"), dict):
            continue
        constraint = entry.get("constraint")
        if not isinstance(constraint, dict) or "start_time" in constraint:
            continue
        try:
            day = date.fromisoformat(str(constraint.get("start_date")))
        except ValueError:
            continue
        scratch = SourceRow(ref=row.ref, provider=row.provider, provider_model_id="")
        _fill_price(scratch, entry["prices"])
        if scratch.main_price and scratch.input is not None and scratch.output is not None:
            dated.append((day.isoformat(), scratch.main_price))
    return sorted(dated, key=lambda pair: pair[0])


def _fill_price(row: SourceRow, prices: dict) -> None:
    """Set `row`'s base figures and context tiers from one genai-prices price dict."""
    tiers: dict[int, dict[str, Decimal]] = {}
    for key, attr in KEYS.items():
        value = prices.get(key)
        if value is None:
            continue
        what = f"{row.ref} {key}"
        if isinstance(value, dict):
            setattr(
                row,
                attr,
                price_per_million(value.get("base"), what=what, warnings=row.warnings),
            )
            tiers_listed = value.get("tiers") or []
            if not isinstance(tiers_listed, list):
                raise PriceValueError(f"{what}: tiers is not a list")
            for tier in tiers_listed:
                if not isinstance(tier, dict):
                    raise PriceValueError(f"{what}: a tier is not an object")
                start = positive_int(tier.get("start"))
                if start:
                    tiers.setdefault(start, {})[attr] = price_per_million(
                        tier.get("price"), what=what, warnings=row.warnings
                    )
        else:
            setattr(row, attr, price_per_million(value, what=what, warnings=row.warnings))
    for key, attr in EXTRA_KEYS.items():
        value = prices.get(key)
        if isinstance(value, dict):  # a tiered figure: its base price
            value = value.get("base")
        if value is not None:
            row.extra_prices[attr] = price_per_million(
                value, what=f"{row.ref} {key}", warnings=row.warnings
            )
    for start, figures in sorted(tiers.items()):
        if figures.get("input") is not None and figures.get("output") is not None:
            row.tiers.append(TierPrice(tier="standard", context_threshold=start, **figures))
