"""The generator's rules (DESIGN.md and the prose issue), one test each, on plain
snapshots: no database. Sentences the issue quoted as wrong are pinned as regressions."""

import json
from dataclasses import asdict, replace
from datetime import date
from decimal import Decimal

import pytest

from comparisons.narrative import build_comparison_document
from comparisons.pricing import BlendRatio, parse_blend
from tests.comparisons.snapshots import model, offering, pair, score


def gemini_like():
    live = model(
        "Gemini 2.5 Flash Live API",
        release_date=date(2025, 12, 1),
        context_window=128_000,
        input_modalities=("text", "image", "audio", "video"),
        output_modalities=("text", "audio"),
        caps={"vision": True, "multimodal": True, "structured_outputs": False},
        offerings=[offering("Google AI Studio", "0.5", "2", first_party=True)],
    )
    lite = model(
        "Gemini 3.1 Flash-Lite",
        release_date=date(2026, 5, 7),
        context_window=1_000_000,
        knowledge_cutoff=date(2025, 1, 1),
        input_modalities=("text", "image", "audio", "video"),
        output_modalities=("text",),
        caps={"vision": True, "multimodal": True, "structured_outputs": True},
        offerings=[
            offering("Google AI Studio", "0.25", "1.5", first_party=True),
            offering("OpenRouter", "0.25", "1.5"),
        ],
    )
    return pair(live, lite)


def row(rows, label):
    return next(r for r in rows if r.label.startswith(label))


def prose(doc):
    return " ".join([doc.summary, doc.verdict, *doc.deep_dive, *(i.answer for i in doc.faq)])


# --- Prices ---------------------------------------------------------------------------


def test_the_summary_leads_with_the_blended_gap_and_names_the_providers():
    doc = build_comparison_document(gemini_like())
    # 70/30: 0.95 vs 0.625 -> 34% cheaper.
    assert doc.summary.startswith(
        "At a 70/30 input/output blend, Gemini 2.5 Flash Live API costs $0.95 per 1M tokens on "
        "Google AI Studio and Gemini 3.1 Flash-Lite $0.625 on both tracked providers, so "
        "Gemini 3.1 Flash-Lite is 34% cheaper."
    )


def test_each_price_is_said_once_as_a_percentage_or_a_multiple_never_both():
    text = prose(build_comparison_document(gemini_like()))
    assert "On input tokens, Gemini 3.1 Flash-Lite is 50% cheaper: $0.25 vs $0.50 per 1M." in text
    assert "On output tokens, Gemini 3.1 Flash-Lite is 25% cheaper: $1.50 vs $2 per 1M." in text
    assert "2x as much" not in text
    a = model("Alpha", offerings=[offering("P", "1", "10")])
    b = model("Beta", offerings=[offering("Q", "1", "1.2")])
    text = prose(build_comparison_document(pair(a, b)))
    assert "On output tokens, Alpha costs 8.3x as much: $10 vs $1.20 per 1M." in text
    assert "% cheaper on output" not in text


def test_large_multiples_are_whole_numbers_not_833_point_3x():
    a = model("Alpha", offerings=[offering("P", "0.003", "0.003")])
    b = model("Beta", offerings=[offering("Q", "2.5", "2.5")])
    text = prose(build_comparison_document(pair(a, b)))
    assert "Beta costs 833x as much" in text
    assert "833.3x" not in text


def test_blended_gap_is_the_difference_of_the_displayed_figures():
    # Issue: "$1.88 and $2.09 … $0.215 cheaper": 1.875 displays as $1.88, so the gap is $0.21.
    a = model("Alpha", offerings=[offering("P", "0.75", "4.5")])  # 1.875
    b = model("Beta", offerings=[offering("Q", "0.7", "5.33")])  # 2.089
    doc = build_comparison_document(pair(a, b))
    assert row(doc.pricing_rows, "Blended").a == "$1.88 / 1M tokens"
    assert row(doc.pricing_rows, "Blended").b == "$2.09 / 1M tokens"
    assert "the blended gap is $0.21 per 1M tokens" in prose(doc)
    assert "0.215" not in doc.all_text()


def test_derived_prices_have_three_significant_figures_not_0_1167():
    a = model("Alpha", offerings=[offering("P", "0.05", "0.2722")])  # 0.11666
    doc = build_comparison_document(pair(a, model("Beta")))
    assert row(doc.pricing_rows, "Blended").a == "$0.117 / 1M tokens"


def test_tied_prices_say_the_same_price_in_either_order():
    a = model("Alpha", offerings=[offering("P", "1", "4")])
    b = model("Beta", offerings=[offering("Q", "1", "4")])
    for first, second in ((a, b), (b, a)):
        doc = build_comparison_document(pair(first, second))
        assert "cost the same, $1.90 per 1M tokens" in doc.summary
        assert "cheaper" not in prose(doc).replace("Which is cheaper", "")
        assert "lower price" not in doc.verdict


def test_a_free_price_says_free_not_100_percent_cheaper():
    a = model("Alpha", offerings=[offering("P", "0", "0")])
    b = model("Beta", offerings=[offering("Q", "1", "4")])
    text = prose(build_comparison_document(pair(a, b)))
    assert "Alpha charges nothing for input tokens, against $1 per 1M for Beta." in text
    assert "% cheaper" not in text


def test_both_free_is_a_tie():
    a = model("Alpha", offerings=[offering("P", "0", "0")])
    b = model("Beta", offerings=[offering("Q", "0", "0")])
    text = prose(build_comparison_document(pair(a, b)))
    assert "Both Alpha and Beta charge nothing for input tokens." in text
    assert "% cheaper" not in text


def test_a_missing_price_is_said_to_be_missing_and_not_compared():
    a = model("Alpha", offerings=[offering("P", "1", "4")])
    b = model("Beta", offerings=[offering("Q", None, None)])
    doc = build_comparison_document(pair(a, b))
    assert "no provider we track publishes a price for Beta." in doc.summary
    assert "Beta has no published price on any provider we track." in prose(doc)
    assert "% cheaper" not in prose(doc)
    assert row(doc.pricing_rows, "Input price").b == "— not published"


def test_a_gap_below_five_percent_is_about_the_same_and_decides_nothing():
    # Issue: o4-mini "2% cheaper on output" was left out of the verdict; now it is said to
    # be about the same, and the verdict does not count it.
    a = model("Alpha", offerings=[offering("P", "1", "4.50")])
    b = model("Beta", offerings=[offering("Q", "1", "4.41")])
    doc = build_comparison_document(pair(a, b))
    assert (
        "Alpha and Beta charge about the same for output tokens: $4.50 and $4.41 per 1M."
        in prose(doc)
    )
    assert doc.summary.startswith(
        "At a 70/30 input/output blend, Alpha costs $2.05 per 1M tokens on P and Beta $2.02 on "
        "Q: about the same."
    )
    assert doc.verdict == "Nothing material separates Alpha and Beta on the data we track."


def test_opposite_price_directions_give_each_model_its_point():
    a = model("Alpha", offerings=[offering("P", "0.75", "4.5")])
    b = model("Beta", offerings=[offering("Q", "1", "4")])
    doc = build_comparison_document(pair(a, b))
    assert doc.verdict == (
        "Choose Alpha for cheaper input tokens ($0.75 vs $1 per 1M); choose Beta for cheaper "
        "output tokens ($4 vs $4.50 per 1M)."
    )


# --- Providers ------------------------------------------------------------------------


def test_a_tie_names_the_makers_own_api_and_says_every_provider_charges_the_same():
    # Issue: "GPT-4.1 on Microsoft Azure OpenAI" when Azure, OpenAI and OpenRouter all
    # charge $2/$8.
    a = model(
        "GPT-4.1",
        offerings=[
            offering("Microsoft Azure OpenAI", "2", "8"),
            offering("OpenAI API", "2", "8", first_party=True),
            offering("OpenRouter", "2", "8"),
        ],
    )
    doc = build_comparison_document(pair(a, model("Beta")))
    assert doc.cheapest_provider_a == "OpenAI API"
    cheapest = row(doc.pricing_rows, "Cheapest provider")
    assert cheapest.a == "3 providers at the same price"
    assert [link.text for link in cheapest.a_links] == [
        "OpenAI API",
        "Microsoft Azure OpenAI",
        "OpenRouter",
    ]
    assert "$2 per 1M input and $8 per 1M output tokens, on all three tracked providers" in (
        prose(doc)
    )


def test_a_cached_price_comes_from_any_provider_in_the_tie():
    # Issue: "— not published" although a provider at the same base price lists one.
    a = model(
        "Alpha",
        offerings=[
            offering("Alpha Labs", "5", "25", first_party=True),
            offering("Reseller", "5", "25", cache_read="0.5"),
            offering("Dear Host", "6", "30", cache_read="0.1"),
        ],
    )
    doc = build_comparison_document(pair(a, model("Beta")))
    assert row(doc.pricing_rows, "Cached input price").a == "$0.50 / 1M tokens on Reseller"
    assert (
        "Alpha's cached-input price is Reseller's, which charges the same base price as "
        "Alpha Labs." in prose(doc)
    )


def test_figures_from_different_providers_name_both():
    # Issue: "Mistral Nemo is 87% cheaper … ($0.02 vs $0.15)": OpenRouter against
    # Mistral's API, without saying so.
    nemo = model(
        "Mistral Nemo",
        offerings=[
            offering("Mistral AI API", "0.15", "0.15", first_party=True),
            offering("OpenRouter", "0.02", "0.04"),
        ],
    )
    small = model("Mistral Small", offerings=[offering("Mistral AI API", "0.15", "0.15")])
    doc = build_comparison_document(pair(nemo, small))
    assert (
        "Mistral Nemo costs $0.026 per 1M tokens on OpenRouter and Mistral Small $0.15 on "
        "Mistral AI API" in doc.summary
    )


# --- Limits, dates, lifecycle -----------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "y", "expected"),
    [
        # Issue: "Gemini 3.5 Flash has the larger context window: 1M tokens vs 1M".
        (1_000_000, 1_048_576, "Both have a 1M-token context window, as displayed"),
        # Issue: "a larger context window (1.1M vs 1M)" for 1,050,000 vs 1,000,000.
        (1_050_000, 1_000_000, "Their context windows are about the same: 1.05M tokens"),
        # Issue: "131K vs 128K".
        (131_072, 128_000, "Both have a 128K-token context window, as displayed"),
        (200_000, 128_000, "Alpha has the larger context window: 200K tokens against 128K"),
    ],
)
def test_a_context_difference_is_claimed_only_when_displayed_and_material(x, y, expected):
    doc = build_comparison_document(
        pair(model("Alpha", context_window=x), model("Beta", context_window=y))
    )
    assert expected in prose(doc)
    if "about the same" in expected or "as displayed" in expected:
        assert "larger context window" not in prose(doc)
        assert "context" not in doc.verdict


def test_token_counts_read_the_way_the_industry_writes_them():
    doc = build_comparison_document(
        pair(model("Alpha", max_output_tokens=32_768), model("Beta", max_output_tokens=65_536))
    )
    assert row(doc.spec_rows, "Max output").a == "32K tokens"
    assert row(doc.spec_rows, "Max output").b == "64K tokens"
    assert "Beta has the larger output limit: 64K tokens against 32K for Alpha." in prose(doc)


def test_knowledge_cutoff_and_preview_status_are_weighed():
    # Issue: a winner picked on price alone, silent on Preview status and cutoffs.
    stable = model(
        "Gemini 2.5 Pro",
        knowledge_cutoff=date(2025, 1, 1),
        offerings=[offering("Google AI Studio", "1.25", "10")],
    )
    preview = model(
        "Gemini 3.1 Pro Preview",
        lifecycle="preview",
        knowledge_cutoff=date(2025, 9, 1),
        offerings=[offering("Google AI Studio", "2", "12")],
    )
    doc = build_comparison_document(pair(stable, preview))
    assert "Gemini 3.1 Pro Preview is still in Preview, so its prices and limits may change." in (
        doc.summary
    )
    assert doc.verdict == (
        "Choose Gemini 2.5 Pro for the lower price ($3.88 vs $5 per 1M blended tokens) and "
        "general availability; choose Gemini 3.1 Pro Preview for more recent knowledge "
        "(Sep 2025 vs Jan 2025)."
    )
    assert "Gemini 3.1 Pro Preview's knowledge cutoff, Sep 2025, is eight months later" in (
        prose(doc)
    )


def test_which_is_newer_says_which_is_newer():
    text = prose(build_comparison_document(gemini_like()))
    assert (
        "Gemini 3.1 Flash-Lite is newer: it came out on 7 May 2026, Gemini 2.5 Flash Live API "
        "on 1 December 2025." in text
    )


# --- Capabilities and modalities -----------------------------------------------------------


def test_modalities_decide_and_are_never_called_the_same_capability_flags():
    # Issue: the Live API "has no tracked advantage" although it alone outputs audio; "the
    # same capability flags" while input modalities differ.
    doc = build_comparison_document(gemini_like())
    assert "Only Gemini 2.5 Flash Live API produces audio." in doc.summary
    assert doc.verdict.startswith("Choose Gemini 2.5 Flash Live API for audio output; choose")
    assert "tracked advantage" not in doc.all_text()
    assert "same capability flags" not in doc.all_text()
    assert (
        "Gemini 2.5 Flash Live API produces text and audio; Gemini 3.1 Flash-Lite produces text."
        in prose(doc)
    )


def test_capabilities_are_named_without_for_support_for():
    doc = build_comparison_document(gemini_like())
    assert "structured outputs" in doc.verdict
    assert "for support for" not in doc.all_text()
    answers = {item.question: item.answer for item in doc.faq}
    assert answers["What can Gemini 3.1 Flash-Lite do that Gemini 2.5 Flash Live API cannot?"] == (
        "Gemini 3.1 Flash-Lite offers structured outputs, which Gemini 2.5 Flash Live API lacks."
    )


def test_vision_and_multimodal_are_one_answer_not_two_identical_faqs():
    a = model(
        "Alpha", input_modalities=("text", "image"), caps={"vision": True, "multimodal": True}
    )
    b = model("Beta", input_modalities=("text",), caps={"vision": False, "multimodal": False})
    doc = build_comparison_document(pair(a, b))
    answers = [item.answer for item in doc.faq]
    assert len(set(answers)) == len(answers)
    assert "Alpha offers image input, which Beta lacks." in answers


def test_an_undisclosed_capability_is_not_a_difference():
    a = model("Alpha", caps={"reasoning": True})
    b = model("Beta", caps={"reasoning": None})
    doc = build_comparison_document(pair(a, b))
    assert "reasoning" not in doc.verdict
    assert row(doc.capability_rows, "Reasoning").b == "— not disclosed"
    assert "For Beta, reasoning is not disclosed." in doc.all_text()


def test_reasoning_models_say_their_thinking_bills_as_output():
    a = model("Alpha", caps={"reasoning": True})
    b = model("Beta", caps={"reasoning": False})
    doc = build_comparison_document(pair(a, b))
    assert "Only Alpha is a reasoning model." in doc.summary
    assert (
        "Alpha is a reasoning model: its reasoning tokens are billed as output, so a task can "
        "cost more than its list prices suggest." in prose(doc)
    )


def test_equal_models_get_a_verdict_that_claims_nothing():
    doc = build_comparison_document(pair(model("Alpha"), model("Beta")))
    assert doc.verdict == "Nothing material separates Alpha and Beta on the data we track."
    assert "larger" not in prose(doc)
    assert "cheaper" not in prose(doc).replace("Which is cheaper", "")


# --- Benchmarks -------------------------------------------------------------------------


def test_a_trivial_self_reported_gap_is_too_close_to_call():
    # Issue: "better scores on 1 of 1 shared benchmark" for 80.2 vs 79, both self-reported.
    a = model("Alpha", scores=(score("mmlu", "80.2"),))
    b = model("Beta", scores=(score("mmlu", "79"),))
    doc = build_comparison_document(pair(a, b))
    assert "scores" not in doc.verdict
    assert (
        "On their one shared benchmark, their scores are within 3 points of each other: too "
        "close to call." in doc.summary
    )


def test_benchmark_gaps_are_given_with_their_numbers():
    # Issue: "GPT-4.1 scores better on 0 and o3 on 2" hid 81.3 vs 52.4.
    a = model("GPT-4.1", scores=(score("aider", "52.4"), score("swe", "54.6")))
    b = model("o3", scores=(score("aider", "81.3"), score("swe", "69.1")))
    doc = build_comparison_document(pair(a, b))
    assert (
        "On AIDER, o3 scores 81.3 to GPT-4.1's 52.4; on SWE, o3 leads 69.1 to 54.6, all four "
        "self-reported by their makers." in doc.summary
    )
    assert "higher self-reported scores on AIDER and SWE" in doc.verdict


def test_self_reporting_counts_read_as_english_not_0_scores_of_6():
    a = model(
        "Alpha",
        scores=(score("a", "10", self_reported=False), score("b", "10", self_reported=False)),
    )
    b = model(
        "Beta",
        scores=(score("a", "50", self_reported=False), score("b", "20", self_reported=False)),
    )
    text = prose(build_comparison_document(pair(a, b)))
    assert "None of the four scores shown is self-reported by a maker." in text
    assert "0 scores" not in text


def test_only_shared_benchmarks_are_compared_and_self_reporting_is_said():
    a = model("Alpha", scores=(score("mmlu", "80"), score("gpqa", "50")))
    b = model("Beta", scores=(score("mmlu", "70", self_reported=False), score("swe", "40")))
    doc = build_comparison_document(pair(a, b))
    assert [r.label.split(" ")[0] for r in doc.benchmark_rows] == ["MMLU"]
    assert doc.benchmark_rows[0].a == "80 (self-reported)"
    assert doc.benchmark_rows[0].b == "70 (independently measured)"
    assert "higher scores on MMLU" in doc.verdict


def test_lower_is_better_benchmarks_count_the_lower_score_as_the_win():
    a = model("Alpha", scores=(score("err", "5", higher_is_better=False),))
    b = model("Beta", scores=(score("err", "9", higher_is_better=False),))
    doc = build_comparison_document(pair(a, b))
    assert "Alpha leads on one and Beta on zero" in prose(doc)


def test_no_shared_benchmarks_says_quality_cannot_be_compared():
    doc = build_comparison_document(gemini_like())
    assert doc.benchmark_rows == ()
    assert "No benchmark has a sourced score for both, so quality cannot be compared here." in (
        doc.summary
    )
    assert doc.benchmark_note == (
        "No benchmark has a sourced score for both Gemini 2.5 Flash Live API and "
        "Gemini 3.1 Flash-Lite yet."
    )


def test_a_one_sided_verdict_without_benchmarks_says_on_price_and_specs():
    a = model("Alpha", offerings=[offering("P", "1", "1")])
    b = model("Beta", offerings=[offering("Q", "2", "2")])
    assert build_comparison_document(pair(a, b)).verdict == (
        "Alpha comes out ahead on price and specs, with the lower price ($1 vs $2 per 1M blended "
        "tokens); nothing material favours Beta."
    )


# --- English --------------------------------------------------------------------------------


def test_licences_read_with_their_article():
    # Issue: "under MIT" (no article).
    a = model("Alpha", input_modalities=("text", "pdf"), license="", open_weights=True)
    b = model("Beta", license="MIT", open_weights=True)
    doc = build_comparison_document(pair(a, b))
    assert row(doc.spec_rows, "Input modalities").a == "Text, PDF"
    assert row(doc.spec_rows, "Licence").a == "— not disclosed"
    answer = next(item.answer for item in doc.faq if item.question.startswith("Are the weights"))
    assert answer == (
        "Alpha has open weights; its licence is not disclosed. "
        "Beta has open weights under the MIT licence."
    )


def test_no_nested_brackets_after_a_name_with_brackets():
    # Issue: "Grok 4.20 (Reasoning) (xAI, …".
    a = model("Grok 4.20 (Reasoning)", release_date=date(2026, 3, 1))
    doc = build_comparison_document(pair(a, model("Beta")))
    assert ") (" not in doc.summary
    assert "(Reasoning) (" not in doc.all_text()


def test_no_sentence_is_repeated_in_the_document():
    # Issue: the same "50% cheaper … 2x as much" sentence three times.
    doc = build_comparison_document(gemini_like())
    said = []
    for block in (doc.summary, doc.verdict, *doc.deep_dive, *(i.answer for i in doc.faq)):
        said += [s for s in block.replace("; ", ". ").split(". ") if s]
    assert len(said) == len(set(said))


def test_meta_description_is_whole_sentences_under_160_characters():
    doc = build_comparison_document(gemini_like())
    assert doc.meta_description == (
        "Gemini 2.5 Flash Live API vs Gemini 3.1 Flash-Lite: Gemini 3.1 Flash-Lite is 34% "
        "cheaper at 70/30: $0.625 vs $0.95 per 1M tokens."
    )
    assert len(doc.meta_description) <= 160
    assert "compared on specs" not in doc.all_text()


# --- Structure ----------------------------------------------------------------------------


def test_blend_ratio_is_stated_and_selectable():
    default = build_comparison_document(gemini_like())
    assert default.blend == "70/30"
    assert row(default.pricing_rows, "Blended price").label == (
        "Blended price (70/30 input/output)"
    )
    three_to_one = build_comparison_document(gemini_like(), blend=parse_blend("3:1"))
    assert three_to_one.blend == "75/25"
    # 0.75 * 0.5 + 0.25 * 2 = 0.875; 0.75 * 0.25 + 0.25 * 1.5 = 0.5625 -> $0.563
    assert row(three_to_one.pricing_rows, "Blended price").a == "$0.875 / 1M tokens"
    assert row(three_to_one.pricing_rows, "Blended price").b == "$0.563 / 1M tokens"
    assert "75/25 input/output blend" in three_to_one.summary


def test_the_provider_whose_price_was_used_is_named():
    a = model(
        "Alpha", offerings=[offering("Dear Cloud", "2", "8"), offering("Cheap Host", "1", "4")]
    )
    b = model("Beta", offerings=[offering("Only Host", "1", "4")])
    doc = build_comparison_document(pair(a, b))
    assert doc.cheapest_provider_a == "Cheap Host"
    assert row(doc.pricing_rows, "Cheapest provider").a == "Cheap Host"
    assert (
        "Alpha's lowest list price is $1 per 1M input and $4 per 1M output tokens, on Cheap Host."
        in prose(doc)
    )


def test_cheapest_provider_depends_on_the_blend():
    a = model("Alpha", offerings=[offering("In Cheap", "1", "10"), offering("Out Cheap", "5", "2")])
    b = model("Beta")
    assert build_comparison_document(pair(a, b), blend=BlendRatio(9, 1)).cheapest_provider_a == (
        "In Cheap"
    )
    assert build_comparison_document(pair(a, b), blend=BlendRatio(1, 9)).cheapest_provider_a == (
        "Out Cheap"
    )


def test_provider_counts_agree_in_number():
    doc = build_comparison_document(gemini_like())
    providers = row(doc.pricing_rows, "Providers")
    assert providers.a == "1 provider"
    assert providers.b == "2 providers"
    assert [link.text for link in providers.b_links] == ["Google AI Studio", "OpenRouter"]


def test_a_model_without_providers_is_said_to_have_none():
    doc = build_comparison_document(pair(model("Alpha", offerings=[]), model("Beta")))
    assert "Alpha on none of the providers we track" in prose(doc)
    assert row(doc.pricing_rows, "Providers").a == "0 providers"


def test_verdict_override_replaces_the_generated_verdict_and_note_is_kept():
    doc = build_comparison_document(
        pair(model("Alpha"), model("Beta"), verdict_override="Pick Beta.", editor_note="<b>hi</b>")
    )
    assert doc.verdict == "Pick Beta."
    assert doc.verdict_is_editorial
    assert doc.editor_note == "<b>hi</b>"  # escaped by the template, kept as plain text here


def test_every_table_row_has_a_value_for_each_model():
    doc = build_comparison_document(
        pair(model("Alpha", architecture="", license=""), model("Beta"))
    )
    for r in (*doc.spec_rows, *doc.pricing_rows, *doc.capability_rows):
        assert r.label and r.a and r.b
    assert row(doc.spec_rows, "Architecture").a == "— not disclosed"
    assert row(doc.spec_rows, "Parameters").a == "— not disclosed"


def test_last_reviewed_is_the_older_of_the_two_dates():
    a = model("Alpha", last_reviewed=date(2026, 5, 11))
    b = model("Beta", last_reviewed=date(2026, 4, 2))
    assert build_comparison_document(pair(a, b)).last_reviewed_text == "2 April 2026"


def test_document_serialises_to_json_with_decimals_as_strings():
    data = build_comparison_document(gemini_like()).to_dict()
    encoded = json.loads(json.dumps(data))
    assert encoded["title"] == "Gemini 2.5 Flash Live API vs Gemini 3.1 Flash-Lite"
    assert encoded["blend"] == "70/30"
    assert encoded["pricing_rows"][0]["label"] == "Cheapest provider"
    assert encoded["faq"][0]["question"].startswith("Which is cheaper")


def test_a_benchmark_variant_with_brackets_does_not_nest_them():
    # Seed: Terminal-Bench's variant "2.1 (Terminus-2 harness)".
    tb = replace(score("tb", "82.1"), benchmark_name="Terminal-Bench")
    assert replace(tb, variant="2.1 (Terminus-2 harness)").label == (
        "Terminal-Bench (2.1, Terminus-2 harness)"
    )
    assert replace(tb, variant="Verified").label == "Terminal-Bench (Verified)"
    assert tb.label == "Terminal-Bench"


def test_to_dict_gives_what_asdict_then_a_conversion_gives():
    """ComparisonDocument.to_dict walks the document in one pass: it must give exactly
    what dataclasses.asdict and a conversion of Decimals, dates and tuples give."""

    def convert(value):
        if isinstance(value, dict):
            return {key: convert(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [convert(item) for item in value]
        if isinstance(value, Decimal):
            return f"{value:f}"
        if isinstance(value, date):
            return value.isoformat()
        return value

    document = build_comparison_document(gemini_like())
    assert document.to_dict() == convert(asdict(document))
