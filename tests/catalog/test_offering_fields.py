"""What partners compare providers on besides token prices: an offering's supported
parameters and tokenizer, and a price's extra dimensions (audio, images, web search,
reasoning), read from the real source files, validated, recorded with history and
announced in the change log."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from catalog.importers import genai_prices, litellm, models_dev, openrouter
from catalog.importers.apply import apply_plan
from catalog.importers.plan import build_plan
from catalog.importers.report import plan_lines
from catalog.models import ChangeEvent, Offering, Price
from catalog.seeding import SEED_PATH
from catalog.services import PriceInput, record_price
from tests.catalog import import_fixtures
from tests.catalog.import_fixtures import data_path, priced_offering
from tests.factories import LanguageModelFactory, OfferingFactory, ProviderFactory

small_catalog = import_fixtures.small_catalog


def rows_by_id(parsed):
    return {row.provider_model_id: row for row in parsed.rows}


# --- The real files --------------------------------------------------------------------


def test_openrouter_real_file_states_parameters_tokenizer_and_extra_prices():
    rows = rows_by_id(openrouter.parse(data_path("openrouter", "models.json")))
    flash = rows["google/gemini-2.5-flash"]
    assert flash.supported_parameters == [
        "include_reasoning",
        "max_tokens",
        "reasoning",
        "response_format",
        "seed",
        "stop",
        "structured_outputs",
        "temperature",
        "tool_choice",
        "tools",
        "top_p",
    ]
    assert flash.tokenizer == "Gemini"
    # Per token and per request in the file: $1 / 1M audio tokens, $14 / 1K searches.
    assert flash.extra_prices == {
        "audio_input": Decimal("1"),
        "web_search": Decimal("14"),
        "reasoning": Decimal("2.5"),
    }
    assert flash.main_price.audio_input == Decimal("1")
    assert rows["anthropic/claude-opus-4.7"].tokenizer == "Claude"


def test_openrouter_other_tokenizer_means_not_stated():
    parsed = openrouter.parse(data_path("openrouter", "models.json"))
    assert not any(row.tokenizer == "Other" for row in parsed.rows)
    assert sum(1 for row in parsed.rows if row.tokenizer) == 250


def test_litellm_real_file_audio_images_search_and_reasoning():
    parsed = litellm.parse(data_path("litellm", "model_prices_and_context_window.json"))
    rows = {row.ref: row for row in parsed.rows}
    assert rows["gpt-4o-audio-preview"].extra_prices == {
        "audio_input": Decimal("40"),
        "audio_output": Decimal("80"),
    }
    # Per query at the default (medium) search context size: $0.035 -> $35 / 1K.
    assert rows["gpt-4o-search-preview"].extra_prices == {"web_search": Decimal("35")}
    assert rows["gemini-2.5-flash"].extra_prices["reasoning"] == Decimal("2.5")
    assert rows["openrouter/anthropic/claude-3-haiku"].extra_prices == {
        "image_input_per_image": Decimal("0.0004")
    }
    assert "input_cost_per_audio_token" not in rows["gpt-4o-audio-preview"].extras


def test_models_dev_real_tree_audio_prices():
    parsed = models_dev.parse(data_path("models-dev"))
    row = next(r for r in parsed.rows if r.ref.endswith("alibaba-cn/models/qwen-omni-turbo.toml"))
    assert row.extra_prices == {"audio_input": Decimal("3.584"), "audio_output": Decimal("7.168")}
    assert "cost.input_audio" not in row.extras


def test_genai_prices_real_file_web_search_per_thousand():
    parsed = genai_prices.parse(data_path("genai-prices", "data.json"), today=date(2026, 12, 2))
    row = next(r for r in parsed.rows if r.ref == "anthropic/claude-3-5-sonnet")
    assert row.extra_prices == {"web_search": Decimal("10")}


# --- Validation ------------------------------------------------------------------------


def openrouter_file(tmp_path, entry: dict):
    path = tmp_path / "models.json"
    path.write_text(json.dumps({"data": [entry]}), encoding="utf-8")
    return path


GPT4O_ON_OPENROUTER = {
    "id": "openai/gpt-4o",
    "name": "OpenAI: GPT-4o",
    "pricing": {"prompt": "0.0000025", "completion": "0.00001"},
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"supported_parameters": "temperature,tools"},
            "supported_parameters: expected a list of parameter names, got str.",
        ),
        (
            {"supported_parameters": ["temperature", "Top P"]},
            "supported_parameters: not a parameter name: 'Top P'",
        ),
        (
            {"pricing": {**GPT4O_ON_OPENROUTER["pricing"], "audio": "-0.00004"}},
            "pricing.audio: a price cannot be negative",
        ),
    ],
)
def test_a_bad_row_is_reported_by_name_and_nothing_changes(
    tmp_path, small_catalog, change, message
):
    offering = priced_offering(
        small_catalog["gpt4o"], small_catalog["openrouter"], "openai/gpt-4o", "2.00", "10.00"
    )
    plan = build_plan(
        openrouter.parse(openrouter_file(tmp_path, {**GPT4O_ON_OPENROUTER, **change}))
    )
    assert not plan.can_apply
    (error,) = plan.errors
    assert error.ref == "data[0] (openai/gpt-4o)"
    assert error.message.startswith(message)
    assert any(line.startswith("  data[0] (openai/gpt-4o): ") for line in plan_lines(plan))
    with pytest.raises(Exception, match="Nothing imported"):
        apply_plan(plan)
    assert offering.prices.count() == 1
    offering.refresh_from_db()
    assert offering.supported_parameters == []


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["temperature", [1, 2], ["temperature", "x" * 41], ["Tools"]])
def test_an_offering_refuses_parameters_that_are_not_a_list_of_names(value):
    offering = OfferingFactory()
    offering.supported_parameters = value
    with pytest.raises(ValidationError) as caught:
        offering.full_clean()
    assert "supported_parameters" in caught.value.message_dict


@pytest.mark.django_db
def test_an_offering_keeps_its_parameters_sorted_once():
    offering = OfferingFactory()
    offering.supported_parameters = ["tools", "temperature", "tools"]
    offering.full_clean()
    assert offering.supported_parameters == ["temperature", "tools"]


@pytest.mark.django_db
def test_a_negative_audio_price_is_refused_with_a_message_and_writes_nothing():
    offering = OfferingFactory()
    with pytest.raises(ValidationError) as caught:
        record_price(
            offering=offering,
            price=PriceInput(input=Decimal("1"), output=Decimal("2"), audio_input=Decimal("-1")),
        )
    assert caught.value.message_dict["audio_input"] == ["A price cannot be negative."]
    assert not offering.prices.exists()


# --- History ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_audio_price_change_is_a_new_dated_record_and_token_only_prices_keep_it():
    offering = OfferingFactory()
    first = PriceInput(input=Decimal("2.5"), output=Decimal("10"), audio_input=Decimal("40"))
    record_price(offering=offering, price=first, effective_date=date(2026, 1, 1))
    cut = PriceInput(input=Decimal("2.5"), output=Decimal("10"), audio_input=Decimal("32"))
    _, written = record_price(offering=offering, price=cut, effective_date=date(2026, 3, 1))
    assert written
    # A price list that states only token prices says nothing of audio.
    tokens_only = PriceInput(input=Decimal("2.5"), output=Decimal("10"))
    _, written = record_price(offering=offering, price=tokens_only, effective_date=date(2026, 5, 1))
    assert not written
    assert list(
        offering.prices.order_by("effective_date").values_list("audio_input", flat=True)
    ) == [
        Decimal("40"),
        Decimal("32"),
    ]


@pytest.mark.django_db
def test_an_import_that_changes_only_the_audio_price_records_it(tmp_path, small_catalog):
    offering = priced_offering(
        small_catalog["gpt4o"],
        small_catalog["openrouter"],
        "openai/gpt-4o",
        "2.50",
        "10.00",
        audio_input=Decimal("40"),
    )
    entry = {
        **GPT4O_ON_OPENROUTER,
        "pricing": {**GPT4O_ON_OPENROUTER["pricing"], "audio": "0.000032"},
    }
    plan = build_plan(openrouter.parse(openrouter_file(tmp_path, entry)))
    (change,) = plan.changed
    assert [(c.field, c.old, c.new) for c in change.changes] == [
        ("audio_input", Decimal("40"), Decimal("32"))
    ]
    assert "audio input (per 1M tokens) $40 -> $32 (-20%)" in "\n".join(plan_lines(plan))
    apply_plan(plan)
    offering.refresh_from_db()
    assert offering.current_price.audio_input == Decimal("32")
    assert offering.current_price.input == Decimal("2.5")
    assert offering.prices.count() == 2


# --- Change log ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_supported_parameters_change_is_in_the_change_log():
    model = LanguageModelFactory(status="published")
    offering = OfferingFactory(model=model, provider=ProviderFactory())
    latest = ChangeEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    offering.supported_parameters = ["temperature", "tools"]
    offering.save()
    events = set(ChangeEvent.objects.filter(pk__gt=latest).values_list("resource", "action", "key"))
    assert ("offering", "updated", str(offering.pk)) in events
    assert ("model", "updated", model.slug) in events
    assert Offering.history.filter(id=offering.pk).first().supported_parameters == [
        "temperature",
        "tools",
    ]


@pytest.mark.django_db
def test_price_rows_state_every_extra_dimension_with_its_unit():
    units = {f.name: f.help_text for f in Price._meta.get_fields() if hasattr(f, "help_text")}
    assert units["audio_input"] == "USD per 1M audio input tokens."
    assert units["image_input_per_image"] == "USD per input image."
    assert units["web_search"] == "USD per 1K web searches (requests with search)."


# --- The shipped seed ------------------------------------------------------------------


def seed_offering(slug: str, provider: str) -> dict:
    document = json.loads(SEED_PATH.read_text(encoding="utf-8"))
    (model,) = [m for m in document["models"] if m["slug"] == slug]
    (offering,) = [o for o in model["offerings"] if o["provider"] == provider]
    return offering


def test_the_seed_carries_openrouters_parameters_and_tokenizer():
    offering = seed_offering("gemini-2-5-flash", "openrouter")
    assert offering["tokenizer"] == "Gemini"
    assert {"tools", "tool_choice", "response_format", "seed"} <= set(
        offering["supported_parameters"]
    )
    assert offering["supported_parameters"] == sorted(offering["supported_parameters"])


def test_the_seed_carries_audio_prices_on_the_price_in_force():
    (current,) = seed_offering("gpt-4o-audio-preview", "openai")["prices"][-1:]
    assert (current["input"], current["audio_input"], current["audio_output"]) == (
        "2.5",
        "40",
        "80",
    )
