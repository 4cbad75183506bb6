"""LiteLLM's `model_prices_and_context_window.json`: {key: {litellm_provider, mode,
input_cost_per_token, ...}}.

Prices are USD per token as JSON numbers, read as Decimal (never float). Suffixes name
tiers: `_batches`, `_flex`, `_priority`, and `_above_200k_tokens` a context threshold.
Only chat and responses models are read; other modes (embedding, image generation...) are skipped.
Audio and image input, audio output and reasoning tokens, input images and web search
(`search_context_cost_per_query`, per query at the default "medium" search context size)
are the standard tier's extra price dimensions (EXTRA_FIGURES).
"""

from __future__ import annotations

import csv
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

from catalog.importers.source import (
    FileProblem,
    ImportFormatError,
    ModelFacts,
    ParsedSource,
    PriceValueError,
    SourceRow,
    TierPrice,
    check_size,
    load_json,
    positive_int,
    price_as_stated,
    price_per_request,
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
# key -> (our Price field, how the figure is stated). Tiered variants (`_priority`,
# `_above_128k_tokens`) stay extras.
EXTRA_FIGURES = {
    "input_cost_per_audio_token": ("audio_input", price_per_token),
    "output_cost_per_audio_token": ("audio_output", price_per_token),
    "input_cost_per_image_token": ("image_input", price_per_token),
    "input_cost_per_image": ("image_input_per_image", price_as_stated),
    "search_context_cost_per_query": ("web_search", price_per_request),
    "output_cost_per_reasoning_token": ("reasoning", price_per_token),
}
# OpenAI's default search context size, the price a request without the option pays.
DEFAULT_SEARCH_CONTEXT = "search_context_size_medium"


def parse(path: str | Path) -> ParsedSource:
    path = Path(path)
    check_size(path)
    document = load_json(path)
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
    parsed.as_of = _as_of(document.get("last_updated"))
    return parsed


def _as_of(value) -> date | None:
    """The mirror's `last_updated` ("2026-07-24T18:23:43+00:00") as a date."""
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


# LiteLLM's capability flags, by our names.
FLAGS = {
    "supports_function_calling": ("function_calling", "tool_use"),
    "supports_tool_choice": ("tool_use",),
    "supports_response_schema": ("structured_outputs",),
    "supports_reasoning": ("reasoning",),
    "supports_vision": ("vision",),
    "supports_prompt_caching": ("prompt_caching",),
}


def _facts(entry: dict, model_id: str) -> ModelFacts:
    capabilities: dict[str, bool] = {}
    for flag, names in FLAGS.items():
        if isinstance(entry.get(flag), bool):
            for name in names:
                capabilities[name] = capabilities.get(name, False) or entry[flag]
    deprecation = entry.get("deprecation_date")
    return ModelFacts(
        name=model_id.rsplit("/", 1)[-1],
        context_window=positive_int(entry.get("max_input_tokens")),
        max_output_tokens=positive_int(entry.get("max_output_tokens")),
        capabilities=capabilities,
        deprecation_date=str(deprecation)[:10] if isinstance(deprecation, str) else "",
    )


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
    row.facts = _facts(entry, model_id)
    groups: dict[tuple[str, int], dict[str, Decimal]] = {}
    try:
        for name, value in entry.items():
            if name in EXTRA_FIGURES:
                attr, per = EXTRA_FIGURES[name]
                if isinstance(value, dict):  # a price per search context size
                    value = value.get(DEFAULT_SEARCH_CONTEXT)
                    name = f"{name}.{DEFAULT_SEARCH_CONTEXT}"
                if value is not None:
                    row.extra_prices[attr] = per(value, what=name, warnings=row.warnings)
                continue
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


# price_changes.csv columns that are base prices, by our field names.
HISTORY_FIELDS = {
    "input_cost_per_token": "input",
    "output_cost_per_token": "output",
    "cache_read_input_token_cost": "cache_read",
    "cache_creation_input_token_cost": "cache_write",
}


def attach_history(parsed: ParsedSource, path: str | Path) -> None:
    """Give each row the dated base prices LiteLLM's history shows for its key.

    `price_changes.csv` (date, mirror_commit, event, model_key, litellm_provider, field,
    old, new) records when an entry appeared and each price change. Walking back from
    the row's current figures through the changes gives the price in force after each
    change and when the entry first appeared: the launch price and its later cuts.
    Rows without history are left as they are; an unreadable line is skipped (the file
    is evidence for history, never a reason to refuse the current prices)."""
    path = Path(path)
    check_size(path)
    changes: dict[str, dict[str, list[tuple[str, str]]]] = {}
    added: dict[str, str] = {}
    first_day = ""
    with path.open(encoding="utf-8", newline="") as handle:
        for line in csv.DictReader(handle):
            key, day = line.get("model_key") or "", line.get("date") or ""
            try:
                date.fromisoformat(day)
            except ValueError:
                continue
            first_day = min(first_day or day, day)
            if line.get("event") == "added":
                added.setdefault(key, day)
            elif line.get("event") == "changed" and line.get("field") in HISTORY_FIELDS:
                changes.setdefault(key, {}).setdefault(day, []).append(
                    (HISTORY_FIELDS[line["field"]], line.get("old") or "")
                )
    for row in parsed.rows:
        if row.errors or row.input is None or row.output is None:
            continue
        # An entry older than the history was there on its first day.
        since = added.get(row.ref) or (first_day if row.ref in changes else None)
        row.dated_prices = _timeline(row, changes.get(row.ref, {}), since)


def _timeline(row: SourceRow, changes: dict[str, list[tuple[str, str]]], added: str | None):
    state = {f: getattr(row, f) for f in HISTORY_FIELDS.values()}
    points: list[tuple[str, dict]] = []
    for day in sorted(changes, reverse=True):
        points.append((day, dict(state)))
        for name, old in changes[day]:
            try:
                state[name] = price_per_token(old, what=name, warnings=[]) if old else None
            except PriceValueError:
                return []
    if added and (not changes or added < min(changes)):
        points.append((added, dict(state)))
    dated: list[tuple[str, TierPrice]] = []
    for day, figures in reversed(points):
        if figures["input"] is None or figures["output"] is None:
            continue
        price = TierPrice(tier="standard", context_threshold=0, **figures)
        if dated and _corrected_within_a_week(dated[-1][0], day):
            # A figure changed again within days is the file correcting itself, not a
            # price anyone paid: the corrected figure holds from the earlier day.
            dated[-1] = (dated[-1][0], price)
        elif not dated or dated[-1][1] != price:
            dated.append((day, price))
    collapsed: list[tuple[str, TierPrice]] = []
    for day, price in dated:
        if not collapsed or collapsed[-1][1] != price:
            collapsed.append((day, price))
    return collapsed


CORRECTION_DAYS = 7


def _corrected_within_a_week(earlier: str, later: str) -> bool:
    return (date.fromisoformat(later) - date.fromisoformat(earlier)).days < CORRECTION_DAYS
