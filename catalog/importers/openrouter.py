"""OpenRouter's `/api/v1/models` response: {"data": [{id, name, pricing, ...}]}.

Prices are USD per token as strings. The provider is always OpenRouter and the model id
is OpenRouter's id ("anthropic/claude-opus-4.7"). A price of "-1" is OpenRouter's way
of saying "variable" (its routers); such rows carry no price rather than an error.

Besides token prices, `pricing` states audio input per token, web search per request
and internal reasoning per token (EXTRA_PRICE_KEYS). Its `image` is left out: OpenRouter
documents it as a price per input image, but the figures it gives (Gemini's equal the
prompt price per token) read as per token, so its unit cannot be told. The listing also
states the request parameters OpenRouter accepts (`supported_parameters`) and the
tokenizer (`architecture.tokenizer`, "Other" meaning it does not say).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from catalog.importers.source import (
    ImportFormatError,
    ModelFacts,
    ParameterListError,
    ParsedSource,
    PriceValueError,
    SourceRow,
    check_size,
    load_json,
    parameter_names,
    positive_int,
    price_per_request,
    price_per_token,
    without_maker_prefix,
)

FORMAT = "openrouter"
PROVIDER = "openrouter"
PRICE_KEYS = {
    "prompt": "input",
    "completion": "output",
    "input_cache_read": "cache_read",
    "input_cache_write": "cache_write",
}
# pricing key -> (our Price field, how the figure is stated).
EXTRA_PRICE_KEYS = {
    "audio": ("audio_input", price_per_token),
    "web_search": ("web_search", price_per_request),
    "internal_reasoning": ("reasoning", price_per_token),
}
VARIABLE_PRICE = "-1"
UNSTATED_TOKENIZER = "Other"
TOKENIZER_MAX = 40  # catalog.models.Offering.tokenizer


def parse(path: str | Path) -> ParsedSource:
    path = Path(path)
    check_size(path)
    document = load_json(path)
    if not isinstance(document, dict) or not isinstance(document.get("data"), list):
        raise ImportFormatError(
            'Not an OpenRouter /api/v1/models response: expected {"data": [...]}.'
        )
    parsed = ParsedSource(format=FORMAT)
    created = []
    for index, entry in enumerate(document["data"]):
        parsed.rows.append(_row(index, entry))
        if isinstance(entry, dict) and isinstance(entry.get("created"), int):
            created.append(entry["created"])
    parsed.provider_names[PROVIDER] = "OpenRouter"
    parsed.provider_urls[PROVIDER] = "https://openrouter.ai/"
    if created:
        # The newest listing in the response: the file is at least that new.
        parsed.as_of = _day(max(created))
    return parsed


def _day(timestamp: int) -> date | None:
    try:
        return datetime.fromtimestamp(timestamp, tz=UTC).date()
    except (OverflowError, OSError, ValueError):
        return None


# OpenRouter's modality names that differ from ours.
MODALITY_NAMES = {"file": "pdf"}


def _facts(entry: dict, model_name: str) -> ModelFacts:
    architecture = entry.get("architecture") if isinstance(entry.get("architecture"), dict) else {}

    def modalities(key):
        value = architecture.get(key)
        if not isinstance(value, list):
            return ()
        return tuple(
            dict.fromkeys(MODALITY_NAMES.get(str(m), str(m)) for m in value if isinstance(m, str))
        )

    inputs, outputs = modalities("input_modalities"), modalities("output_modalities")
    params = entry.get("supported_parameters")
    capabilities: dict[str, bool] = {}
    if isinstance(params, list):
        capabilities["function_calling"] = capabilities["tool_use"] = "tools" in params
        capabilities["structured_outputs"] = "structured_outputs" in params
        capabilities["reasoning"] = "reasoning" in params or "include_reasoning" in params
    if inputs:
        capabilities["vision"] = "image" in inputs or "video" in inputs
        capabilities["multimodal"] = any(m != "text" for m in inputs)
    name = str(entry.get("name") or "")
    created = entry.get("created")
    released = _day(created) if isinstance(created, int) else None
    knowledge = entry.get("knowledge_cutoff")
    expiration = entry.get("expiration_date")
    return ModelFacts(
        name=model_name,
        organization=name.split(": ", 1)[0] if ": " in name else str(entry["id"]).split("/")[0],
        release_date=released.isoformat() if released else "",
        knowledge=str(knowledge)[:7] if isinstance(knowledge, str) else "",
        context_window=positive_int(entry.get("context_length")),
        input_modalities=inputs,
        output_modalities=outputs,
        capabilities=capabilities,
        lifecycle="deprecated" if expiration else "",
        deprecation_date=str(expiration)[:10] if isinstance(expiration, str) else "",
    )


def _row(index: int, entry) -> SourceRow:
    if not isinstance(entry, dict) or not entry.get("id"):
        return SourceRow(
            ref=f"data[{index}]",
            provider=PROVIDER,
            provider_model_id="",
            errors=["entry has no id"],
        )
    model_id = str(entry["id"])
    name = str(entry.get("name") or model_id)
    model_name = without_maker_prefix(name)
    top = entry.get("top_provider")
    top = top if isinstance(top, dict) else {}
    row = SourceRow(
        ref=f"data[{index}] ({model_id})",
        provider=PROVIDER,
        provider_model_id=model_id,
        model_name=model_name,
        context_window=positive_int(entry.get("context_length")),
        max_output_tokens=positive_int(top.get("max_completion_tokens")),
        # A variant such as "...:free" is its own offering with its own price: its
        # canonical slug names the paid base model, so it must not match through it.
        alternate_ids=tuple(
            s
            for s in [entry.get("canonical_slug")]
            if isinstance(s, str) and s and s != model_id and ":" not in model_id
        ),
    )
    row.facts = _facts(entry, model_name)
    if entry.get("supported_parameters") is not None:
        try:
            row.supported_parameters = parameter_names(
                entry["supported_parameters"], what="supported_parameters"
            )
        except ParameterListError as exc:
            row.errors.append(str(exc))
    architecture = entry.get("architecture")
    tokenizer = architecture.get("tokenizer") if isinstance(architecture, dict) else None
    if isinstance(tokenizer, str) and tokenizer.strip() not in ("", UNSTATED_TOKENIZER):
        if len(tokenizer.strip()) <= TOKENIZER_MAX:
            row.tokenizer = tokenizer.strip()
        else:
            row.warnings.append(f"architecture.tokenizer {tokenizer[:50]!r}… ignored: too long")
    pricing = entry.get("pricing")
    if not isinstance(pricing, dict):
        row.errors.append("no pricing object")
        return row
    if str(pricing.get("prompt")) == VARIABLE_PRICE or str(pricing.get("completion")) == (
        VARIABLE_PRICE
    ):
        row.no_price_reason = "variable pricing (an OpenRouter router)"
        return row
    for key, value in pricing.items():
        if key not in PRICE_KEYS and key not in EXTRA_PRICE_KEYS:
            row.extras[f"pricing.{key}"] = value
    try:
        for key, attr in PRICE_KEYS.items():
            if pricing.get(key) is not None:
                figure = price_per_token(pricing[key], what=f"pricing.{key}", warnings=row.warnings)
                setattr(row, attr, figure)
        for key, (attr, per) in EXTRA_PRICE_KEYS.items():
            if pricing.get(key) is not None:
                row.extra_prices[attr] = per(
                    pricing[key], what=f"pricing.{key}", warnings=row.warnings
                )
    except PriceValueError as exc:
        row.errors.append(str(exc))
    return row
