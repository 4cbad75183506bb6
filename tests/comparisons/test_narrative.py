"""The generator's rules (DESIGN.md), one test each, on plain snapshots: no database."""

import json
from datetime import date

from comparisons.narrative import build_comparison_document
from comparisons.pricing import BlendRatio, parse_blend
from tests.comparisons.snapshots import model, offering, pair, score


def gemini_like():
    live = model(
        "Gemini 2.5 Flash Live API",
        release_date=date(2025, 12, 1),
        context_window=128_000,
        caps={"vision": True, "multimodal": True, "structured_outputs": False},
        offerings=[offering("Google AI Studio", "0.5", "2")],
    )
    lite = model(
        "Gemini 3.1 Flash-Lite",
        release_date=date(2026, 5, 7),
        context_window=1_000_000,
        knowledge_cutoff=date(2025, 1, 1),
        caps={"vision": True, "multimodal": True, "structured_outputs": True},
        offerings=[
            offering("Google AI Studio", "0.25", "1.5"),
            offering("OpenRouter", "0.25", "1.5"),
        ],
    )
    return pair(live, lite)


def row(rows, label):
    return next(r for r in rows if r.label.startswith(label))


def test_input_price_half_as_much_reads_50_percent_cheaper_never_100():
    text = build_comparison_document(gemini_like()).all_text()
    assert "Gemini 3.1 Flash-Lite is 50% cheaper on input tokens ($0.25 vs $0.50 per 1M)" in text
    assert "costs 2x as much" in text
    assert "100% cheaper" not in text


def test_output_and_blended_percentages_are_relative_to_the_dearer_price():
    text = build_comparison_document(gemini_like()).all_text()
    assert "25% cheaper on output tokens ($1.50 vs $2 per 1M)" in text
    # 70/30: 0.95 vs 0.625 -> 34%, $0.325 less.
    assert "34% cheaper on blended tokens ($0.625 vs $0.95 per 1M)" in text
    assert "$0.325 cheaper per 1M blended tokens" in text


def test_tied_prices_say_the_same_price_in_either_order():
    a = model("Alpha", offerings=[offering("P", "1", "4")])
    b = model("Beta", offerings=[offering("Q", "1", "4")])
    for first, second in ((a, b), (b, a)):
        doc = build_comparison_document(pair(first, second))
        text = doc.all_text()
        assert "the same price" in text
        assert "cheaper" not in text.replace("Which is cheaper", "")
        assert "lower price" not in doc.verdict


def test_a_free_price_says_free_not_100_percent_cheaper():
    a = model("Alpha", offerings=[offering("P", "0", "0")])
    b = model("Beta", offerings=[offering("Q", "1", "4")])
    text = build_comparison_document(pair(a, b)).all_text()
    assert "Alpha is free on input tokens, while Beta costs $1 per 1M." in text
    assert "100% cheaper" not in text
    assert "% cheaper" not in text


def test_both_free_is_a_tie():
    a = model("Alpha", offerings=[offering("P", "0", "0")])
    b = model("Beta", offerings=[offering("Q", "0", "0")])
    text = build_comparison_document(pair(a, b)).all_text()
    assert "Both Alpha and Beta are free on input tokens." in text
    assert "% cheaper" not in text


def test_a_missing_price_is_said_to_be_missing_and_not_compared():
    a = model("Alpha", offerings=[offering("P", "1", "4")])
    b = model("Beta", offerings=[offering("Q", None, None)])
    doc = build_comparison_document(pair(a, b))
    text = doc.all_text()
    assert "Beta has no published input price." in text
    assert "% cheaper" not in text
    assert "No price is published for Beta" in doc.verdict
    assert row(doc.pricing_rows, "Input price").b == "— not published"


def test_provider_counts_agree_in_number():
    doc = build_comparison_document(gemini_like())
    providers = row(doc.pricing_rows, "Providers")
    assert providers.a == "1 provider"
    assert providers.b == "2 providers"
    assert [link.text for link in providers.b_links] == ["Google AI Studio", "OpenRouter"]
    text = doc.all_text()
    assert "available on 1 provider (Google AI Studio)" in text
    assert "available on 2 providers (Google AI Studio and OpenRouter)" in text


def test_a_model_without_providers_is_said_to_have_none():
    a = model("Alpha", offerings=[])
    b = model("Beta")
    text = build_comparison_document(pair(a, b)).all_text()
    assert "Alpha is not offered by any provider we track" in text
    assert "0 providers" in text


def test_no_advice_on_a_capability_both_share():
    doc = build_comparison_document(gemini_like())
    assert "vision" not in doc.verdict.lower()
    assert "multimodal" not in doc.verdict.lower()
    assert not any("vision" in item.question for item in doc.faq)
    assert "support for structured outputs" in doc.verdict
    assert any(item.question.startswith("Which supports structured outputs") for item in doc.faq)


def test_an_undisclosed_capability_is_not_a_difference():
    a = model("Alpha", caps={"reasoning": True})
    b = model("Beta", caps={"reasoning": None})
    doc = build_comparison_document(pair(a, b))
    assert "reasoning" not in doc.verdict
    assert row(doc.capability_rows, "Reasoning").b == "— not disclosed"
    assert "For Beta, reasoning is not disclosed." in doc.all_text()


def test_equal_models_get_a_verdict_that_claims_nothing():
    doc = build_comparison_document(pair(model("Alpha"), model("Beta")))
    assert doc.verdict == "The data we track shows no difference that favours Alpha or Beta."
    statements = " ".join([doc.summary, *doc.deep_dive, *(item.answer for item in doc.faq)])
    assert "larger" not in statements
    assert "cheaper" not in statements


def test_blend_ratio_is_stated_and_selectable():
    default = build_comparison_document(gemini_like())
    assert default.blend == "70/30"
    assert row(default.pricing_rows, "Blended price").label == (
        "Blended price (70/30 input/output)"
    )
    three_to_one = build_comparison_document(gemini_like(), blend=parse_blend("3:1"))
    assert three_to_one.blend == "75/25"
    # 0.75 * 0.5 + 0.25 * 2 = 0.875; 0.75 * 0.25 + 0.25 * 1.5 = 0.5625
    assert row(three_to_one.pricing_rows, "Blended price").a == "$0.875 / 1M tokens"
    assert row(three_to_one.pricing_rows, "Blended price").b == "$0.5625 / 1M tokens"
    assert "75/25 input/output blend" in three_to_one.all_text()


def test_the_provider_whose_price_was_used_is_named():
    a = model(
        "Alpha", offerings=[offering("Dear Cloud", "2", "8"), offering("Cheap Host", "1", "4")]
    )
    b = model("Beta", offerings=[offering("Only Host", "1", "4")])
    doc = build_comparison_document(pair(a, b))
    assert doc.cheapest_provider_a == "Cheap Host"
    assert row(doc.pricing_rows, "Cheapest provider").a == "Cheap Host"
    assert "On its cheapest tracked provider, Cheap Host, Alpha costs $1" in doc.all_text()


def test_cheapest_provider_depends_on_the_blend():
    # Input-heavy work favours the low input price; output-heavy the low output price.
    a = model("Alpha", offerings=[offering("In Cheap", "1", "10"), offering("Out Cheap", "5", "2")])
    b = model("Beta")
    assert build_comparison_document(pair(a, b), blend=BlendRatio(9, 1)).cheapest_provider_a == (
        "In Cheap"
    )
    assert build_comparison_document(pair(a, b), blend=BlendRatio(1, 9)).cheapest_provider_a == (
        "Out Cheap"
    )


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


def test_only_shared_benchmarks_are_compared_and_self_reporting_is_said():
    a = model("Alpha", scores=(score("mmlu", "80"), score("gpqa", "50")))
    b = model("Beta", scores=(score("mmlu", "70", self_reported=False), score("swe", "40")))
    doc = build_comparison_document(pair(a, b))
    assert [r.label.split(" ")[0] for r in doc.benchmark_rows] == ["MMLU"]
    assert doc.benchmark_rows[0].a == "80 (self-reported)"
    assert doc.benchmark_rows[0].b == "70 (independently measured)"
    assert "better scores on 1 of 1 shared benchmark" in doc.verdict


def test_lower_is_better_benchmarks_count_the_lower_score_as_the_win():
    a = model("Alpha", scores=(score("err", "5", higher_is_better=False),))
    b = model("Beta", scores=(score("err", "9", higher_is_better=False),))
    doc = build_comparison_document(pair(a, b))
    assert "Alpha scores better on 1 and Beta on 0" in doc.all_text()


def test_no_shared_benchmarks_gives_an_honest_line():
    doc = build_comparison_document(gemini_like())
    assert doc.benchmark_rows == ()
    assert doc.benchmark_note == (
        "No benchmark has a sourced score for both Gemini 2.5 Flash Live API and "
        "Gemini 3.1 Flash-Lite yet."
    )


def test_context_windows_tie_and_difference():
    same = build_comparison_document(pair(model("Alpha"), model("Beta"))).summary
    assert "Both Alpha and Beta have a 128K-token context window." in same
    differ = build_comparison_document(gemini_like()).summary
    assert "Gemini 3.1 Flash-Lite has the larger context window: 1M tokens vs 128K" in differ


def test_last_reviewed_is_the_older_of_the_two_dates():
    a = model("Alpha", last_reviewed=date(2026, 5, 11))
    b = model("Beta", last_reviewed=date(2026, 4, 2))
    doc = build_comparison_document(pair(a, b))
    assert doc.last_reviewed_text == "2 April 2026"


def test_document_serialises_to_json_with_decimals_as_strings():
    data = build_comparison_document(gemini_like()).to_dict()
    encoded = json.loads(json.dumps(data))
    assert encoded["title"] == "Gemini 2.5 Flash Live API vs Gemini 3.1 Flash-Lite"
    assert encoded["blend"] == "70/30"
    assert encoded["pricing_rows"][0]["label"] == "Cheapest provider"
    assert encoded["faq"][0]["question"].startswith("Which has a larger context window")


def test_modalities_use_their_labels_and_a_blank_licence_is_not_disclosed():
    a = model("Alpha", input_modalities=("text", "pdf"), license="", open_weights=True)
    b = model("Beta", license="Apache-2.0", open_weights=True)
    doc = build_comparison_document(pair(a, b))
    assert row(doc.spec_rows, "Input modalities").a == "Text, PDF"
    assert row(doc.spec_rows, "Licence").a == "— not disclosed"
    answer = next(item.answer for item in doc.faq if item.question.startswith("Are the weights"))
    assert answer == (
        "Alpha has open weights; its licence is not disclosed. "
        "Beta has open weights under Apache-2.0."
    )
