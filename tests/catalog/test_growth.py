"""Growing the catalog from the public sources: one model per real model, drafts for
review, and no older source undoing newer evidence."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from catalog.importers import PARSERS
from catalog.importers.additions import apply_additions, build_additions
from catalog.importers.apply import apply_plan
from catalog.importers.growth import ModelGraph, ProposedOffering
from catalog.importers.plan import build_plan
from catalog.importers.source import without_maker_prefix
from catalog.models import LanguageModel, ModelEvidence, Offering, RejectedModel
from catalog.seed_builder import build, dumps
from catalog.seeding import SEED_PATH

pytestmark = pytest.mark.django_db

SOURCES = {
    "models-dev": "models-dev",
    "openrouter": "openrouter/models.json",
    "litellm": "litellm/model_prices_and_context_window.json",
    "genai-prices": "genai-prices/data.json",
}

# Spellings across the files that are each one model.
MUST_MERGE = [
    "claude-sonnet-5",
    "claude-opus-4-7",
    "claude-sonnet-4-5",
    "gpt-4-1",
    "gemini-2-5-flash",
    "llama-4-maverick",
    "deepseek-v4-pro",
    "nova-pro-v1",
    "grok-4-3",
    "kimi-k2-6",
]
# Models that are not the same as their neighbours.
MUST_STAY_APART = [
    ("gpt-4o", "gpt-4o-2024-05-13"),
    ("gemini-3-1-flash-lite", "gemini-3-1-flash-lite-preview"),
    ("kimi-k2-thinking", "kimi-k2-6"),
    ("claude-opus-4-6", "claude-opus-4-6-fast"),
    ("o3", "o3-pro"),
]


def _import(shared_data, name, *, add_new=True):
    parsed = PARSERS[name](shared_data / SOURCES[name])
    plan = build_plan(parsed)
    apply_plan(plan, confirm_warnings=True)
    if add_new:
        apply_additions(build_additions(parsed))
    return plan


def test_importing_every_source_into_an_empty_catalog_gives_one_model_per_model(
    shared_data, client, admin_client
):
    for name in SOURCES:
        _import(shared_data, name)
    drafts = LanguageModel.objects.filter(status="draft")
    assert drafts.count() >= 300
    assert not LanguageModel.objects.published().exists()  # nothing goes live unreviewed

    for slug in MUST_MERGE:
        model = LanguageModel.objects.get(slug=slug)
        providers = set(model.offerings.values_list("provider__slug", flat=True))
        assert len(providers) >= 2, (slug, providers)
        # No second model under another spelling of its ids.
        for key in model.aliases.values_list("key", flat=True):
            assert not LanguageModel.objects.filter(slug=key).exclude(pk=model.pk).exists()
    for one, other in MUST_STAY_APART:
        assert LanguageModel.objects.filter(slug__in=[one, other]).count() == 2, (one, other)
    # OpenRouter's ":free" routes are not offerings of their own.
    assert not Offering.objects.filter(provider_model_id__endswith=":free").exists()
    # Each draft says what each source stated, dated.
    sonnet = LanguageModel.objects.get(slug="claude-sonnet-5")
    evidence = {e.source: e for e in ModelEvidence.objects.filter(model=sonnet)}
    assert evidence["models-dev-canonical"].facts["context_window"] == 1_000_000
    assert evidence["models-dev-canonical"].as_of is not None

    # Publishing from the queue makes the comparison page appear.
    other = LanguageModel.objects.get(slug="gpt-4-1")
    url = reverse("comparisons:detail", kwargs={"pair": "claude-sonnet-5-vs-gpt-4-1"})
    assert client.get(url).status_code == 404
    response = admin_client.post(
        reverse("admin:catalog_draftmodel_changelist"),
        {"action": "publish_selected", "_selected_action": [sonnet.pk, other.pk]},
    )
    assert response.status_code == 302
    assert client.get(url).status_code == 200

    # A rerun proposes nothing new.
    again = build_additions(PARSERS["openrouter"](shared_data / SOURCES["openrouter"]))
    assert again.models == []


def test_a_rejected_model_is_not_proposed_again(shared_data):
    parsed = PARSERS["openrouter"](shared_data / SOURCES["openrouter"])
    first = build_additions(parsed)
    victim = first.models[0]
    RejectedModel.objects.create(key=victim["slug"], name=victim["name"], source="openrouter")
    assert victim["slug"] not in {m["slug"] for m in build_additions(parsed).models}


def test_without_add_new_nothing_new_is_proposed(shared_data):
    parsed = PARSERS["models-dev"](shared_data / SOURCES["models-dev"])
    plan = build_plan(parsed)
    apply_plan(plan, confirm_warnings=True)
    assert LanguageModel.objects.count() == 0


def test_an_older_source_never_undoes_a_newer_price(shared_data):
    """models.dev's tree (2 July 2026) lists Claude Sonnet 5 at $2; the $3 of 1 September,
    checked on 24 November, stays, and the preview says why."""
    call_command("seed_catalog", verbosity=0)
    parsed = PARSERS["models-dev"](shared_data / SOURCES["models-dev"])
    plan = build_plan(parsed)
    sonnet = [p for p in plan.changed if p.model.slug == "claude-sonnet-5"]
    assert not [p for p in sonnet if p.provider.slug == "anthropic"]
    refused = [r for r in plan.regressions if "Claude Sonnet 5 on Anthropic API" in r.message]
    assert refused and "older than our price checked on 2026-11-24" in refused[0].message


def test_a_planted_older_source_is_refused_and_a_newer_one_applies(tmp_path):
    call_command("seed_catalog", verbosity=0)
    offering = Offering.objects.get(model__slug="claude-sonnet-5", provider__slug="openrouter")

    def openrouter_file(created: date, prompt: str):
        stamp = int(date.toordinal(created) - date(1970, 1, 1).toordinal()) * 86400
        path = tmp_path / f"or-{created}.json"
        entry = {
            "id": offering.provider_model_id,
            "name": "Anthropic: Claude Sonnet 5",
            "created": stamp,
            "context_length": 1_000_000,
            "pricing": {"prompt": prompt, "completion": "0.000015"},
        }
        path.write_text(json.dumps({"data": [entry]}))
        return PARSERS["openrouter"](path)

    older = build_plan(openrouter_file(date(2026, 8, 1), "0.0000025"))
    assert not older.changed and len(older.regressions) == 1

    newer = build_plan(openrouter_file(date(2026, 11, 30), "0.0000025"))
    assert len(newer.changed) == 1 and not newer.regressions
    apply_plan(newer)
    offering.refresh_from_db()
    price = offering.current_price
    # The change is dated and checked by the source's own date, not the import's.
    assert (price.input, price.effective_date, price.checked_on) == (
        Decimal("2.5"),
        date(2026, 11, 30),
        date(2026, 11, 30),
    )


def test_the_shipped_seed_is_what_the_builder_makes(shared_data):
    """Anyone can rebuild the seed: the committed file is the builder's output for the
    committed curated records and decisions."""
    committed = SEED_PATH.read_text(encoding="utf-8")
    built_on = date.fromisoformat(json.loads(committed)["built_on"])
    document, report = build(shared_data, today=built_on)
    assert dumps(document) == committed
    # Every model the seed publishes has a source, and no name is used twice.
    names = [m["name"].casefold() for m in document["models"]]
    assert len(names) == len(set(names))
    assert all(m["sources"] for m in document["models"])


def test_ids_naming_two_models_go_to_the_one_the_provider_uses():
    """models.dev's Cloudflare file for DeepSeek R1 Distill Qwen 32B points its base_model
    at deepseek/deepseek-r1: the offering is the distill's (the provider's own id), and
    R1 never showed the distill's price."""
    graph = ModelGraph(
        known={"deepseek-r1": "deepseek-r1", "deepseek-r1-distill-qwen-32b": "distill"}
    )

    slug = graph.link(
        ["deepseek-r1", "deepseek-r1-distill-qwen-32b"],
        ref="cloudflare",
        allow_new=True,
        own="deepseek-r1-distill-qwen-32b",
    )

    assert slug == "distill"
    assert [c.ref for c in graph.conflicts] == ["cloudflare"]  # still reported for review
    # Without an own id that names a model, the first key decides, as before.
    assert graph.link(["deepseek-r1", "deepseek-r1-distill-qwen-32b"], ref="x", allow_new=True) == (
        "deepseek-r1"
    )


@pytest.mark.parametrize(
    ("name", "read"),
    [
        ("Anthropic: Claude 3.5 Haiku", "Claude 3.5 Haiku"),
        ("Mistral: Mixtral 8x22B Instruct", "Mixtral 8x22B Instruct"),
        ("Claude Haiku 3.5", "Claude Haiku 3.5"),
    ],
)
def test_a_gateways_openrouter_style_name_loses_its_maker_prefix(name, read):
    assert without_maker_prefix(name) == read


def test_no_provider_id_is_an_offering_of_two_shipped_models():
    """One provider's id, or alias, is one model: Vercel's anthropic/claude-3.5-haiku was
    on two records of Claude Haiku 3.5, Cloudflare's R1 distill on DeepSeek-R1 too, and
    GPT-5's offerings carried gpt-5-chat, GPT-5 Chat's id, as an alias."""
    document = json.loads(SEED_PATH.read_text(encoding="utf-8"))
    models_of: dict[tuple[str, str], set[str]] = {}
    for model in document["models"]:
        for offering in model["offerings"]:
            for spelling in [offering["provider_model_id"], *offering.get("aliases", [])]:
                key = (offering["provider"], spelling.casefold())
                models_of.setdefault(key, set()).add(model["slug"])
    assert {key: slugs for key, slugs in models_of.items() if len(slugs) > 1} == {}
    assert not [m["name"] for m in document["models"] if ": " in m["name"]]
    # The distill keeps the facts of the files that describe it, not Cloudflare's,
    # whose link named DeepSeek-R1.
    distill = next(m for m in document["models"] if m["slug"] == "deepseek-r1-distill-qwen-32b")
    assert (distill["name"], distill["open_weights"]) == ("DeepSeek R1 Distill Qwen 32B", True)


def test_an_alias_another_model_claims_later_is_dropped():
    graph = ModelGraph(known={"gpt-5": "gpt-5", "gpt-5-chat-latest": "chat"})
    graph.link(["gpt-5", "gpt-5-chat"], ref="row", allow_new=False)  # gpt-5-chat: GPT-5's
    graph.offerings[("gpt-5", "openai")] = offering = ProposedOffering(
        model="gpt-5", provider="openai"
    )
    offering.aliases = {"gpt-5-2025-08-07", "gpt-5-chat"}
    graph.keys["gpt-5-chat"] = "chat"  # a later source names GPT-5 Chat by it

    graph.drop_aliases_of_other_models()

    assert offering.aliases == {"gpt-5-2025-08-07"}
