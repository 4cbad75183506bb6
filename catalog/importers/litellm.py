"""LiteLLM's `model_prices_and_context_window.json`: {key: {litellm_provider, mode,
input_cost_per_token, ...}}.

Prices are USD per token as JSON numbers, read as Decimal (never float). Suffixes name
tiers: `_batches`, `_flex`, `_priority`, and `_above_200k_tokens` a context threshold.
Only chat and responses models are read; other modes (embedding, image generation...) are skipped.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

from catalog.importers.source import (
    FileProblem,
    ImportFormatError,
    ParsedSource,
    PriceValueError,
    SourceRow,
    TierPrice,
    check_size,
    positive_int,
    price_per_token,
)

FORMAT = "litellm"
NOT_MODELS = {"sample_spec", "fallback_generalizations", "last_updated"}
READ_MODES = {"chat", "responses"}
FIGURES = {
    "input_cost_per_token": "input",
    "output_cost_per_token": "output",
    "cache_read_input_token_cost": "cache_read",
    "cache_creation_input_token_cost": "cache_write",
}
PRICE_KEY = re.compile(
    r"^(?P<figure>input_cost_per_token|output_cost_per_token|cache_read_input_token_cost"
    r"|cache_creation_input_token_cost)"
    r"(?:_above_(?P<k>\d+)k_tokens)?"
    r"(?:_(?P<tier>batches|flex|priority))?$"
)
TIER_NAMES = {None: "standard", "batches": "batch", "flex": "flex", "priority": "priority"}


def parse(path: str | Path) -> ParsedSource:
    path = Path(path)
    check_size(path)
    try:
        document = json.loads(path.read_bytes(), parse_float=Decimal)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ImportFormatError(f"Not valid JSON: {exc}") from None
    if not isinstance(document, dict) or not any(
        isinstance(v, dict) and "litellm_provider" in v for v in document.values()
    ):
        raise ImportFormatError(
            "Not a LiteLLM price file: expected an object of models with litellm_provider."
        )
    parsed = ParsedSource(format=FORMAT)
    for key, entry in document.items():
        if key in NOT_MODELS:
            continue
        if not isinstance(entry, dict) or not entry.get("litellm_provider"):
            parsed.errors.append(FileProblem(key, "entry has no litellm_provider"))
            continue
        if entry.get("mode") not in READ_MODES:
            parsed.skipped.append(
                FileProblem(key, f"mode {entry.get('mode')!r} is not a chat model")
            )
            continue
        parsed.rows.append(_row(key, entry))
    return parsed


def _row(key: str, entry: dict) -> SourceRow:
    provider = str(entry["litellm_provider"])
    # Keys start with LiteLLM's route: the provider ("bedrock/…") or, for a provider
    # family, its first part ("vertex_ai/…" for "vertex_ai-anthropic_models").
    model_id = key
    for route in dict.fromkeys((provider, provider.split("-", 1)[0])):
        if key.startswith(f"{route}/"):
            model_id = key[len(route) + 1 :]
            break
    row = SourceRow(
        ref=key,
        provider=provider,
        provider_model_id=model_id,
        model_name=model_id.rsplit("/", 1)[-1],
        context_window=positive_int(entry.get("max_input_tokens")),
        max_output_tokens=positive_int(entry.get("max_output_tokens")),
        alternate_ids=(key,) if key != model_id else (),
        source_url=str(entry.get("source") or "")[:500],
    )
    if entry.get("deprecation_date"):
        row.extras["deprecation_date"] = entry["deprecation_date"]
    groups: dict[tuple[str, int], dict[str, Decimal]] = {}
    try:
        for name, value in entry.items():
            match = PRICE_KEY.match(name)
            if not match:
                if "cost" in name:
                    row.extras[name] = value
                continue
            threshold = int(match["k"]) * 1000 if match["k"] else 0
            tier = TIER_NAMES[match["tier"]]
            groups.setdefault((tier, threshold), {})[FIGURES[match["figure"]]] = price_per_token(
                value, what=name, warnings=row.warnings
            )
    except PriceValueError as exc:
        row.errors.append(str(exc))
        return row
    base = groups.pop(("standard", 0), {})
    for attr, value in base.items():
        setattr(row, attr, value)
    if row.input is None or row.output is None:
        row.no_price_reason = "no input and output price per token"
    for (tier, threshold), figures in sorted(groups.items()):
        if figures.get("input") is None or figures.get("output") is None:
            # A partial tier (say, a batch input price only) is not a whole price.
            row.extras[f"partial_tier.{tier}.{threshold}"] = figures
            continue
        row.tiers.append(TierPrice(tier=tier, context_threshold=threshold, **figures))
    return row
