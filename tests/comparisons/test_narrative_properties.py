"""Property tests: over random pairs, every figure in the text matches the data, plurals
agree, and no sentence claims a difference the data lacks."""

import re
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.formatting import format_price_per_million, format_usd
from catalog.models import CAPABILITIES
from comparisons.narrative import build_comparison_document
from comparisons.pricing import BlendRatio
from comparisons.snapshot import ModelSnapshot, OfferingSnapshot, PairSnapshot, ScoreSnapshot

prices = st.one_of(
    st.none(),
    st.just(Decimal(0)),
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("80"), places=3),
    st.sampled_from([Decimal("0.25"), Decimal("0.5"), Decimal("1"), Decimal("2")]),
)
flags = st.sampled_from([True, False, None])
PROVIDERS = ["Acme Cloud", "Bolt AI", "Cirrus", "Delta Host"]


@st.composite
def offerings(draw):
    names = draw(st.lists(st.sampled_from(PROVIDERS), max_size=3, unique=True))
    return tuple(
        OfferingSnapshot(
            provider_name=name,
            provider_slug=name.lower().replace(" ", "-"),
            input=draw(prices),
            output=draw(prices),
            cache_read=draw(prices),
        )
        for name in names
    )


@st.composite
def models(draw, name):
    benches = draw(st.lists(st.sampled_from(["mmlu", "gpqa", "swe"]), unique=True, max_size=3))
    return ModelSnapshot(
        slug=name.lower(),
        name=name,
        organization_name=draw(st.sampled_from(["Lab One", "Lab Two"])),
        context_window=draw(st.sampled_from([None, 8_000, 128_000, 1_000_000])),
        max_output_tokens=draw(st.sampled_from([None, 4_096, 8_192])),
        open_weights=draw(flags),
        license=draw(st.sampled_from(["", "Proprietary", "Apache-2.0"])),
        capabilities=tuple((key, label, draw(flags)) for key, label in CAPABILITIES),
        offerings=draw(offerings()),
        scores=tuple(
            ScoreSnapshot(
                benchmark_slug=slug,
                benchmark_name=slug.upper(),
                score=draw(st.decimals(min_value=0, max_value=100, places=1)),
                self_reported=draw(st.booleans()),
            )
            for slug in benches
        ),
    )


blends = st.builds(BlendRatio, st.integers(0, 9), st.integers(1, 9))


def blended_price(input_price, output_price, *, ratio):
    """Independent of comparisons.pricing: the weighted mean, to 6 places half up."""
    mean = (input_price * ratio.input_parts + output_price * ratio.output_parts) / ratio.total
    return mean.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def cheapest(model, blend):
    # Cheapest means buyable: retired and deprecated offerings never count.
    priced = [
        o
        for o in model.offerings
        if o.input is not None
        and o.output is not None
        and o.lifecycle not in ("retired", "deprecated")
    ]
    if not priced:
        return None
    return min(
        priced,
        key=lambda o: (blended_price(o.input, o.output, ratio=blend), o.provider_name.lower()),
    )


def figures(model, blend):
    offering = cheapest(model, blend)
    if offering is None:
        return {"input": None, "output": None, "blended": None}
    return {
        "input": offering.input,
        "output": offering.output,
        "blended": blended_price(offering.input, offering.output, ratio=blend),
    }


PERCENT_SENTENCE = re.compile(
    r"(Alpha|Beta) is (more than |less than )?(\d+)% cheaper on (input|output|blended) tokens "
    r"\((\$[\d.,]+) vs (\$[\d.,]+) per 1M\)"
)


def expected_phrase(cheap, dear):
    # Computed here, independently of comparisons.pricing: relative to the dearer price.
    percent = ((dear - cheap) / dear * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if percent >= 100:
        return "more than ", 99
    if percent <= 0:
        return "less than ", 1
    return "", int(percent)


@settings(max_examples=300, deadline=None)
@given(a=models("Alpha"), b=models("Beta"), blend=blends)
def test_generated_text_is_true_to_the_data(a, b, blend):
    assert_true_to_the_data(a, b, blend)


def assert_true_to_the_data(a, b, blend):
    """The generator's rules, checked independently of comparisons.pricing, for models
    named Alpha and Beta."""
    doc = build_comparison_document(PairSnapshot(a=a, b=b), blend=blend)
    text = doc.all_text()
    data = {"Alpha": figures(a, blend), "Beta": figures(b, blend)}

    # 1. Every percentage names the cheaper model and matches the one formula.
    for name, qualifier, number, kind, cheap_text, dear_text in PERCENT_SENTENCE.findall(text):
        other = "Beta" if name == "Alpha" else "Alpha"
        cheap, dear = data[name][kind], data[other][kind]
        assert cheap is not None and dear is not None and cheap < dear
        assert (qualifier, int(number)) == expected_phrase(cheap, dear)
        assert cheap_text == format_usd(cheap) and dear_text == format_usd(dear)
    assert "100% cheaper" not in text

    # 2. Blended prices match the data, and the ratio is stated.
    blended_row = next(r for r in doc.pricing_rows if r.label.startswith("Blended price"))
    assert blended_row.label == f"Blended price ({blend.label} input/output)"
    for cell, name in ((blended_row.a, "Alpha"), (blended_row.b, "Beta")):
        value = data[name]["blended"]
        assert cell == (format_price_per_million(value) if value is not None else "— not published")
    works_out = re.search(r"works out at (\$[\d.,]+) and Beta at (\$[\d.,]+) per 1M", text)
    if works_out:
        assert works_out.groups() == (
            format_usd(data["Alpha"]["blended"]),
            format_usd(data["Beta"]["blended"]),
        )

    # 3. Plural forms agree with their counts.
    for count, noun in re.findall(r"\b(\d+) (providers?|shared benchmarks?|ties?|scores?)\b", text):
        assert noun.endswith("s") == (int(count) != 1), (count, noun)

    # 4. No sentence claims a difference the data lacks.
    for kind in ("input", "output", "blended"):
        x, y = data["Alpha"][kind], data["Beta"][kind]
        if x is None or y is None or x == y:
            assert f"cheaper on {kind} tokens" not in text
            assert not re.search(rf"is free on {kind} tokens, while", text)
    x, y = data["Alpha"]["blended"], data["Beta"]["blended"]
    if x is None or y is None or x == y:
        assert "lower price" not in doc.verdict and "a free price" not in doc.verdict
    if not (a.context_window and b.context_window and a.context_window != b.context_window):
        assert "has the larger context window" not in text
        assert "a larger context window" not in doc.verdict
    if {a.open_weights, b.open_weights} != {True, False}:
        assert "open weights" not in doc.verdict
    if not re.search(r"shared benchmarks?", text):
        assert "better scores" not in doc.verdict
    differing = {
        label.lower()
        for key, label, value in a.capabilities
        if {value, b.capability(key)} == {True, False}
    }
    claims = re.findall(r"supports ([^;.]+); (?:Alpha|Beta) does not", text)
    claims += re.findall(r"support for ([^;.]+?)(?:;|\.| and better|$)", doc.verdict)
    for claim in claims:
        for _key, label in CAPABILITIES:
            if label.lower() in claim:
                assert label.lower() in differing, (label, claim)
