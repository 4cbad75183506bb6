"""Parsers for the aggregator formats, on small files and on the real data folder."""

import json
from decimal import Decimal

import pytest

from catalog.importers import litellm, models_dev, openrouter
from catalog.importers.apply import apply_plan
from catalog.importers.matching import provider_slug_candidates
from catalog.importers.plan import build_plan
from catalog.importers.source import ImportFormatError
from catalog.models import Offering
from catalog.seeding import SEED_PATH
from tests.catalog import import_fixtures
from tests.catalog.import_fixtures import data_path, priced_offering
from tests.factories import LanguageModelFactory, ProviderFactory

small_catalog = import_fixtures.small_catalog

# --- models.dev --------------------------------------------------------------------


def write_tree(root, files: dict[str, str]):
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


GPT4O_TOML = """name = "GPT-4o"
[cost]
input = 2.00
output = 8.00
cache_read = 1.25
[[cost.tiers]]
tier = { type = "context", size = 200_000 }
input = 4
output = 16
[limit]
context = 128_000
output = 16_384
"""


def test_models_dev_costs_are_exact_decimals_per_million(tmp_path):
    tree = write_tree(tmp_path, {"providers/openai/models/gpt-4o.toml": GPT4O_TOML})
    (row,) = models_dev.parse(tree).rows
    assert (row.provider, row.provider_model_id, row.model_name) == ("openai", "gpt-4o", "GPT-4o")
    assert (row.input, row.output, row.cache_read) == (
        Decimal("2"),
        Decimal("8"),
        Decimal("1.25"),
    )
    assert [(t.context_threshold, t.input, t.output) for t in row.tiers] == [
        (200_000, Decimal("4"), Decimal("16"))
    ]
    assert (row.context_window, row.max_output_tokens) == (128_000, 16_384)


def test_models_dev_unknown_cost_keys_are_row_errors(tmp_path):
    tree = write_tree(
        tmp_path,
        {
            "providers/openai/models/gpt-4o.toml": (
                'name = "GPT-4o"\n[cost]\ninput = 2\noutput = 8\ncached_input = 1\n'
            )
        },
    )
    (row,) = models_dev.parse(tree).rows
    assert len(row.errors) == 1
    assert "unknown cost key 'cached_input'" in row.errors[0]


@pytest.mark.django_db
def test_models_dev_row_errors_block_the_import_for_a_provider_we_carry(tmp_path, small_catalog):
    tree = write_tree(
        tmp_path,
        {
            "providers/openai/models/gpt-4o.toml": GPT4O_TOML,
            "providers/openai/models/gpt-4o-mini.toml": (
                'name = "GPT-4o mini"\n[cost]\ninput = 0.15\noutput = 0.6\ncache_input = 0.07\n'
            ),
        },
    )
    plan = build_plan(models_dev.parse(tree))
    assert [e.ref for e in plan.errors] == ["providers/openai/models/gpt-4o-mini.toml"]
    assert not plan.can_apply


def test_models_dev_broken_toml_and_links(tmp_path):
    tree = write_tree(
        tmp_path,
        {
            "providers/openai/models/gpt-4o.toml": GPT4O_TOML,
            # upstream symlinks checked out as text files holding the target path
            "providers/azure/models/gpt-4o.toml": "../../openai/models/gpt-4o.toml\n",
            "providers/azure/models/gone.toml": "../../openai/models/missing.toml\n",
            "providers/openai/models/broken.toml": "name = [unclosed\n",
        },
    )
    parsed = models_dev.parse(tree)
    by_ref = {r.ref: r for r in parsed.rows}
    assert by_ref["providers/azure/models/gpt-4o.toml"].input == Decimal("2")
    assert by_ref["providers/azure/models/gpt-4o.toml"].provider == "azure"
    assert "not valid TOML" in by_ref["providers/openai/models/broken.toml"].errors[0]
    assert [(s.ref, s.message) for s in parsed.skipped] == [
        ("providers/azure/models/gone.toml", "broken symlink (its target is missing)")
    ]


def test_models_dev_rejects_a_folder_that_is_not_a_tree(tmp_path):
    with pytest.raises(ImportFormatError, match="not a models.dev tree"):
        models_dev.parse(tmp_path)


def test_models_dev_real_tree():
    parsed = models_dev.parse(data_path("models-dev"))
    # Numbers stated in shared/data/SOURCES.md.
    assert len(parsed.rows) == 5276
    assert len(parsed.skipped) == 31
    assert all("broken symlink" in s.message for s in parsed.skipped)
    assert len(parsed.canonical_models) == 231
    assert sum(len(m.benchmarks) for m in parsed.canonical_models) == 288
    unknown_keys = [r for r in parsed.rows if any("unknown cost key" in e for e in r.errors)]
    assert len(unknown_keys) == 19
    (gpt4o,) = [r for r in parsed.rows if r.ref == "providers/openai/models/gpt-4o.toml"]
    assert (gpt4o.input, gpt4o.output, gpt4o.cache_read) == (
        Decimal("2.5"),
        Decimal("10"),
        Decimal("1.25"),
    )


@pytest.mark.django_db
def test_models_dev_real_tree_preview_and_apply(small_catalog):
    tree = data_path("models-dev")
    small_catalog["offering"].prices.update(input=Decimal("3"))
    plan = build_plan(models_dev.parse(tree))
    openai_refs = {p.ref for p in plan.changed + plan.unchanged}
    assert "providers/openai/models/gpt-4o.toml" in openai_refs
    (change,) = [p for p in plan.changed if p.offering == small_catalog["offering"]]
    assert [(c.field, c.old, c.new) for c in change.changes] == [
        ("input", Decimal("3"), Decimal("2.5"))
    ]
    # Models we have, on providers we have, without an offering yet: new offerings.
    assert sorted((n.provider.slug, n.provider_model_id) for n in plan.new_offerings) == [
        ("openai", "gpt-4o-mini"),
        ("openrouter", "openai/gpt-4o"),
        ("openrouter", "openai/gpt-4o-mini"),
    ]
    assert plan.errors == []  # the rows with unknown keys belong to providers we lack
    assert len(plan.unmatched) > 5000
    apply_plan(plan)
    mini = Offering.objects.get(model=small_catalog["mini"], provider=small_catalog["openai"])
    assert mini.current_price.input == Decimal("0.15")
    assert build_plan(models_dev.parse(tree)).has_changes is False


# --- OpenRouter --------------------------------------------------------------------


def openrouter_file(tmp_path, data):
    path = tmp_path / "models.json"
    path.write_text(json.dumps({"data": data}), encoding="utf-8")
    return path


def test_openrouter_per_token_strings_become_exact_per_million(tmp_path):
    path = openrouter_file(
        tmp_path,
        [
            {
                "id": "openai/gpt-4o-mini",
                "name": "OpenAI: GPT-4o-mini",
                "context_length": 128000,
                "pricing": {
                    "prompt": "0.00000015",
                    "completion": "0.0000006",
                    "input_cache_read": "0.000000075",
                    "web_search": "0.01",
                },
            },
            {
                "id": "openrouter/auto",
                "name": "Auto",
                "pricing": {"prompt": "-1", "completion": "-1"},
            },
        ],
    )
    mini, auto = openrouter.parse(path).rows
    assert (mini.provider, mini.provider_model_id, mini.model_name) == (
        "openrouter",
        "openai/gpt-4o-mini",
        "GPT-4o-mini",
    )
    assert (mini.input, mini.output, mini.cache_read) == (
        Decimal("0.15"),
        Decimal("0.6"),
        Decimal("0.075"),
    )
    # A web search at $0.01 a request is $10 per 1K searches, a price of its own.
    assert mini.extras == {}
    assert mini.extra_prices == {"web_search": Decimal("10")}
    assert auto.no_price_reason.startswith("variable pricing")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "Not valid JSON"),
        ('{"models": []}', "Not an OpenRouter"),
        ("[1, 2]", "Not an OpenRouter"),
    ],
)
def test_openrouter_malformed(tmp_path, content, message):
    path = tmp_path / "models.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFormatError, match=message):
        openrouter.parse(path)


def test_openrouter_negative_or_non_numeric_price_is_a_row_error(tmp_path):
    path = openrouter_file(
        tmp_path,
        [
            {"id": "a/one", "pricing": {"prompt": "-0.000001", "completion": "0.000001"}},
            {"id": "a/two", "pricing": {"prompt": "free", "completion": "0.000001"}},
        ],
    )
    one, two = openrouter.parse(path).rows
    assert "cannot be negative" in one.errors[0]
    assert "'free' is not a number" in two.errors[0]


@pytest.mark.django_db
def test_openrouter_real_file_preview(small_catalog):
    path = data_path("openrouter", "models.json")
    parsed = openrouter.parse(path)
    assert len(parsed.rows) == 364
    priced_offering(
        small_catalog["gpt4o"], small_catalog["openrouter"], "openai/gpt-4o", "2.00", "10.00"
    )
    plan = build_plan(parsed)
    (change,) = [p for p in plan.changed if p.provider_model_id == "openai/gpt-4o"]
    assert [(c.field, c.old, c.new, c.percent) for c in change.changes] == [
        ("input", Decimal("2"), Decimal("2.5"), Decimal("25"))
    ]
    assert [n.provider_model_id for n in plan.new_offerings] == ["openai/gpt-4o-mini"]
    # Three routers have variable prices; the rest are models we do not carry.
    variable = [u for u in plan.unmatched if u.reason.startswith("variable pricing")]
    assert len(variable) == 3
    assert plan.errors == []
    assert len(plan.changed) + len(plan.new_offerings) + len(plan.unmatched) + len(
        plan.unchanged
    ) == len(parsed.rows)


# --- LiteLLM -----------------------------------------------------------------------


def test_litellm_numbers_are_read_as_decimal_not_float(tmp_path):
    path = tmp_path / "prices.json"
    path.write_text(
        """{
        "sample_spec": {"litellm_provider": "spec", "mode": "chat"},
        "gemini/gemini-2.5-pro": {
            "litellm_provider": "gemini", "mode": "chat",
            "input_cost_per_token": 1.25e-06, "output_cost_per_token": 1e-05,
            "input_cost_per_token_above_200k_tokens": 2.5e-06,
            "output_cost_per_token_above_200k_tokens": 1.5e-05,
            "input_cost_per_token_batches": 6.25e-07, "output_cost_per_token_batches": 5e-06,
            "max_input_tokens": 1048576, "max_output_tokens": 65535
        },
        "text-embedding-3-small": {"litellm_provider": "openai", "mode": "embedding",
            "input_cost_per_token": 2e-08},
        "float-noise": {"litellm_provider": "openai", "mode": "chat",
            "input_cost_per_token": 3.0000000000000004e-07, "output_cost_per_token": 1e-06}
        }""",
        encoding="utf-8",
    )
    parsed = litellm.parse(path)
    gemini, noise = parsed.rows
    assert (gemini.provider, gemini.provider_model_id) == ("gemini", "gemini-2.5-pro")
    assert gemini.alternate_ids == ("gemini/gemini-2.5-pro",)
    assert (gemini.input, gemini.output) == (Decimal("1.25"), Decimal("10"))
    assert [(t.tier, t.context_threshold, t.input, t.output) for t in gemini.tiers] == [
        ("batch", 0, Decimal("0.625"), Decimal("5")),
        ("standard", 200_000, Decimal("2.5"), Decimal("15")),
    ]
    assert noise.input == Decimal("0.3")
    assert noise.warnings == [
        "input_cost_per_token: 0.30000000000000004 rounded to 0.3 (six decimals per 1M)."
    ]
    assert [s.ref for s in parsed.skipped] == ["text-embedding-3-small"]


def test_litellm_strips_a_provider_familys_route_from_the_id(tmp_path):
    """ "vertex_ai/claude-x" (provider "vertex_ai-anthropic_models") is Vertex AI's
    "claude-x": a new offering must not be named after LiteLLM's routing."""
    path = tmp_path / "prices.json"
    entry = '"mode": "chat", "input_cost_per_token": 3e-06, "output_cost_per_token": 1.5e-05'
    path.write_text(
        "{"
        f'"vertex_ai/claude-x": {{"litellm_provider": "vertex_ai-anthropic_models", {entry}}},'
        f'"vertex_ai/xai/grok-x": {{"litellm_provider": "vertex_ai-xai_models", {entry}}},'
        f'"claude-y": {{"litellm_provider": "anthropic", {entry}}}'
        "}",
        encoding="utf-8",
    )
    rows = [(r.provider_model_id, r.alternate_ids) for r in litellm.parse(path).rows]
    assert rows == [
        ("claude-x", ("vertex_ai/claude-x",)),
        ("xai/grok-x", ("vertex_ai/xai/grok-x",)),
        ("claude-y", ()),
    ]


def test_litellm_malformed(tmp_path):
    path = tmp_path / "prices.json"
    path.write_text('{"gpt-4o": {"input_cost_per_token": 1}}', encoding="utf-8")
    with pytest.raises(ImportFormatError, match="Not a LiteLLM price file"):
        litellm.parse(path)
    path.write_text('{"gpt-4o": ', encoding="utf-8")
    with pytest.raises(ImportFormatError, match="Not valid JSON"):
        litellm.parse(path)


@pytest.mark.django_db
def test_litellm_real_file_preview_and_apply(small_catalog):
    path = data_path("litellm", "model_prices_and_context_window.json")
    parsed = litellm.parse(path)
    plan = build_plan(parsed)
    offering = small_catalog["offering"]
    gpt4o = [p for p in plan.changed + plan.unchanged if p.offering == offering]
    # LiteLLM states GPT-4o's standard price (as we have it), batch and priority tiers.
    assert {(p.tier, p.new.input, p.new.output) for p in gpt4o} == {
        ("standard", Decimal("2.5"), Decimal("10")),
        ("batch", Decimal("1.25"), Decimal("5")),
        ("priority", Decimal("4.25"), Decimal("17")),
    }
    assert [p.tier for p in gpt4o if p in plan.unchanged] == ["standard"]
    assert plan.errors == []
    apply_plan(plan)
    assert offering.prices.count() == 3
    assert build_plan(litellm.parse(path)).has_changes is False


@pytest.mark.django_db
def test_litellm_maps_provider_names_to_our_slugs(tmp_path):
    studio = ProviderFactory(name="Google AI Studio", slug="google-ai-studio")
    LanguageModelFactory(name="Gemini 2.5 Pro")
    path = tmp_path / "prices.json"
    path.write_text(
        '{"gemini/gemini-2.5-pro": {"litellm_provider": "gemini", "mode": "chat",'
        ' "input_cost_per_token": 1.25e-06, "output_cost_per_token": 1e-05},'
        ' "nope/x": {"litellm_provider": "nope", "mode": "chat",'
        ' "input_cost_per_token": 1e-06, "output_cost_per_token": 1e-06}}',
        encoding="utf-8",
    )
    plan = build_plan(litellm.parse(path))
    assert [(n.provider, n.provider_model_id) for n in plan.new_offerings] == [
        (studio, "gemini-2.5-pro")
    ]
    assert [(u.ref, u.reason) for u in plan.unmatched] == [
        ("nope/x", "provider not in our catalog")
    ]


@pytest.mark.django_db
def test_a_broken_row_about_a_model_we_lack_does_not_block(tmp_path, small_catalog):
    path = openrouter_file(
        tmp_path,
        [
            {"id": "acme/unknown-1", "pricing": {"prompt": "-0.5", "completion": "0.000001"}},
            {"id": "openai/gpt-4o", "pricing": {"prompt": "0.0000025", "completion": "0.00001"}},
        ],
    )
    plan = build_plan(openrouter.parse(path))
    assert plan.errors == []
    assert plan.unmatched[0].ref == "data[0] (acme/unknown-1)"
    assert "cannot be negative" in plan.unmatched[0].reason
    # The same problem on a model we carry blocks the import.
    path = openrouter_file(
        tmp_path,
        [{"id": "openai/gpt-4o", "pricing": {"prompt": "-0.5", "completion": "0.00001"}}],
    )
    plan = build_plan(openrouter.parse(path))
    assert [e.ref for e in plan.errors] == ["data[0] (openai/gpt-4o)"]


@pytest.mark.django_db
def test_openrouter_free_variant_never_rewrites_the_paid_offerings_price(tmp_path):
    model = LanguageModelFactory(name="gpt-oss-120b")
    priced_offering(
        model,
        ProviderFactory(name="OpenRouter", slug="openrouter"),
        "openai/gpt-oss-120b",
        "0.039",
        "0.18",
    )
    path = openrouter_file(
        tmp_path,
        [
            {
                "id": "openai/gpt-oss-120b:free",
                "canonical_slug": "openai/gpt-oss-120b",
                "name": "OpenAI: gpt-oss-120b (free)",
                "pricing": {"prompt": "0", "completion": "0"},
            }
        ],
    )
    plan = build_plan(openrouter.parse(path))
    assert plan.counts()["changed"] == 0
    assert [u.ref for u in plan.unmatched] == ["data[0] (openai/gpt-oss-120b:free)"]


@pytest.mark.parametrize(
    ("source", "name", "slug"),
    [
        ("litellm", "vertex_ai-language-models", "google-vertex-ai"),
        ("litellm", "bedrock", "amazon-bedrock"),
        ("litellm", "together_ai", "together-ai"),
        ("models-dev", "togetherai", "together-ai"),
        ("models-dev", "moonshotai", "moonshot-ai"),
    ],
)
def test_source_provider_names_map_to_the_seed_catalogs_slugs(source, name, slug):
    seed_slugs = {p["slug"] for p in json.loads(SEED_PATH.read_text())["providers"]}
    assert slug in seed_slugs
    assert provider_slug_candidates(source, name)[0] == slug
