"""One model, many ids: the identity key every source's id reduces to.

Sources spell one model many ways: `claude-sonnet-5` (Anthropic), `anthropic/claude-sonnet-5`
(OpenRouter), `global.anthropic.claude-sonnet-5` (Bedrock), `claude-sonnet-4-5@20250929`
(Vertex AI), `Claude-Sonnet-4.5`. `model_key` maps each to one key; ids with the same key
are the same model. What stays apart (docs/catalog-growth.md explains why):

- a preview (`-preview`), a thinking mode (`-thinking`), a size or speed variant
  (`-mini`, `-fast`, `-highspeed`) are other words in the id, so other keys;
- a dated snapshot (`gpt-4o-2024-08-06`) keeps its date: it is its own model unless a
  source links it explicitly (models.dev `base_model`, OpenRouter `canonical_slug`,
  genai-prices match rules) or the editors' decisions merge it;
- a route variant after a colon (OpenRouter `:free`, `:nitro`, `:extended`) is not an
  offering we carry: `is_route_variant` says so and the row is skipped with that reason.
"""

from __future__ import annotations

import re

# Bedrock's cross-region inference profiles put a region before the vendor.
_REGION = re.compile(r"^(?:us|eu|apac|ap|jp|au|ca|global|us-gov)\.")
# Bedrock-style vendor prefixes ("anthropic.claude-...", "meta.llama3-...").
_VENDOR = re.compile(
    r"^(?:anthropic|meta|amazon|mistral|cohere|ai21|deepseek|qwen|openai|writer|moonshot"
    r"|moonshotai|google|minimax|zai|nvidia)\."
)
# Bedrock's model revision: ":0" and, for other makers' models, "-v1".
_BEDROCK_V1 = re.compile(r"-v\d+$")
_SEPARATORS = re.compile(r"[\s._]+")


def model_key(model_id: str) -> str:
    """The identity key of a source's model id: lower case, without the route or maker
    prefix, region and revision, with dots and underscores as hyphens.

    >>> model_key("global.anthropic.claude-sonnet-5-v1:0")
    'claude-sonnet-5'
    >>> model_key("anthropic/Claude-Opus-4.7")
    'claude-opus-4-7'
    """
    key = model_id.strip().lower().rsplit("/", 1)[-1]
    key = key.replace("@", "-")  # Vertex AI's "model@20250929" snapshot spelling
    bedrock = False
    if _REGION.match(key):
        key, bedrock = _REGION.sub("", key, count=1), True
    vendor = _VENDOR.match(key)
    if vendor:
        key, bedrock = key[vendor.end() :], True
    if bedrock:
        key = re.sub(r":\d+$", "", key)
        # Bedrock appends "-v1" to other makers' names; Amazon's own names end in it
        # ("nova-pro-v1", as OpenRouter also writes it).
        if not (vendor and vendor.group(0) == "amazon."):
            key = _BEDROCK_V1.sub("", key)
    return _SEPARATORS.sub("-", key).strip("-")


def is_route_variant(model_id: str) -> bool:
    """An OpenRouter-style route variant (`...:free`, `...:nitro`): not the model's own
    offering, or a "latest" pointer (`~anthropic/claude-opus-latest`). Bedrock's `:0` revision
    is not a variant."""
    if model_id.strip().startswith("~"):
        return True  # OpenRouter's "~maker/...-latest": a moving pointer, not a model
    tail = model_id.strip().rsplit("/", 1)[-1]
    if ":" not in tail:
        return False
    return not re.search(r":\d+$", tail)
