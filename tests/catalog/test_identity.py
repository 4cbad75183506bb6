"""One model, many ids: which spellings are the same model and which stay apart."""

import pytest

from catalog.importers.identity import is_route_variant, model_key


@pytest.mark.parametrize(
    "spellings",
    [
        # Anthropic, OpenRouter, Bedrock's global profile with revision, and a region.
        (
            "claude-sonnet-5",
            "anthropic/claude-sonnet-5",
            "global.anthropic.claude-sonnet-5-v1:0",
            "us.anthropic.claude-sonnet-5",
        ),
        ("claude-opus-4-7", "anthropic/claude-opus-4.7", "anthropic.claude-opus-4-7"),
        ("gemini-3.1-flash-lite", "gemini/gemini-3.1-flash-lite", "google/gemini-3.1-flash-lite"),
        ("gpt-4.1", "openai/gpt-4.1", "azure/gpt-4.1", "GPT-4.1"),
        ("nova-pro-v1", "amazon/nova-pro-v1", "amazon.nova-pro-v1:0", "us.amazon.nova-pro-v1:0"),
        ("claude-sonnet-4-5-20250929", "claude-sonnet-4-5@20250929"),
        ("llama-3.3-70b-instruct", "meta-llama/Llama-3.3-70B-Instruct", "llama_3.3_70b_instruct"),
        ("deepseek-v4-pro", "deepseek/deepseek-v4-pro", "deepseek-ai/DeepSeek-V4-Pro"),
        ("qwen3-235b-a22b", "qwen/qwen3-235b-a22b", "alibaba/qwen3-235b-a22b"),
        ("mistral-large-2407", "mistral.mistral-large-2407-v1:0", "mistralai/mistral-large-2407"),
    ],
)
def test_spellings_of_one_model_share_a_key(spellings):
    assert len({model_key(s) for s in spellings}) == 1, [model_key(s) for s in spellings]


@pytest.mark.parametrize(
    "one, other",
    [
        ("gemini-3-1-flash-lite", "gemini-3-1-flash-lite-preview"),  # a preview
        ("kimi-k2", "kimi-k2-thinking"),  # a thinking variant
        ("gpt-4o", "gpt-4o-2024-05-13"),  # a dated snapshot
        ("claude-opus-4-7", "claude-opus-4-7-fast"),  # a speed tier
        ("deepseek-v3", "deepseek-v3-1"),  # another version, not a revision suffix
    ],
)
def test_different_models_keep_different_keys(one, other):
    assert model_key(one) != model_key(other)


def test_route_variants_are_not_offerings():
    assert is_route_variant("meta-llama/llama-3.3-70b-instruct:free")
    assert is_route_variant("~anthropic/claude-opus-latest")
    # Bedrock's ":0" revision is part of a real id.
    assert not is_route_variant("anthropic.claude-opus-4-8-v1:0")
    assert not is_route_variant("openai/gpt-4.1")
