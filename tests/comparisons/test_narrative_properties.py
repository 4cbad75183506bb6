"""Property tests: over random pairs (and, in test_seed_prose, real seed pairs), every
claim survives display, every figure matches the data, each sentence is said once.

The checks recompute what they need here, independently of comparisons.pricing and the
generator: the cheapest offering, the displayed figures, percentages and multiples, and
which rows materially favour a model (thresholds from DESIGN.md's prose rules: 5% and a
cent for prices, 10% for limits, 3 points for scores)."""

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.formatting import format_price_per_million, format_tokens
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
WINDOWS = [None, 8_000, 32_768, 128_000, 131_072, 1_000_000, 1_048_576, 1_050_000]
DATES = [date(2024, 5, 1), date(2024, 7, 1), date(2025, 1, 1), date(2025, 2, 1)]
MODALITIES = st.sampled_from(
    [(), ("text",), ("text", "image"), ("text", "image", "audio"), ("text", "pdf")]
)


@st.composite
def offerings(draw):
    names = draw(st.lists(st.sampled_from(PROVIDERS), max_size=3, unique=True))
    shared = draw(st.tuples(prices, prices))  # often several providers charge the same
    result = []
    for name in names:
        same = draw(st.booleans())
        result.append(
            OfferingSnapshot(
                provider_name=name,
                provider_slug=name.lower().replace(" ", "-"),
                first_party=draw(st.booleans()),
                lifecycle=draw(st.sampled_from(["ga", "ga", "preview", "deprecated", "retired"])),
                input=shared[0] if same else draw(prices),
                output=shared[1] if same else draw(prices),
                cache_read=draw(prices),
            )
        )
    return tuple(result)


@st.composite
def models(draw, name):
    benches = draw(st.lists(st.sampled_from(["mmlu", "gpqa", "swe"]), unique=True, max_size=3))
    return ModelSnapshot(
        slug=name.lower(),
        name=name,
        organization_name=draw(st.sampled_from(["Lab One", "Lab Two"])),
        lifecycle=draw(st.sampled_from(["ga", "ga", "preview", "deprecated"])),
        context_window=draw(st.sampled_from(WINDOWS)),
        max_output_tokens=draw(st.sampled_from([None, 4_096, 8_192, 8_000, 65_536])),
        open_weights=draw(flags),
        license=draw(st.sampled_from(["", "Proprietary", "Apache-2.0", "MIT"])),
        knowledge_cutoff=draw(st.sampled_from([None, *DATES])),
        input_modalities=draw(MODALITIES),
        output_modalities=draw(st.sampled_from([(), ("text",), ("text", "audio")])),
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


# --- Independent arithmetic -----------------------------------------------------------


def blended_price(input_price, output_price, *, ratio):
    mean = (input_price * ratio.input_parts + output_price * ratio.output_parts) / ratio.total
    return mean.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def shown(value):
    """What format_usd shows, as a number: cents from $1, else four decimals."""
    if value >= 1 or value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP) >= 1:
        return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def three_figures(value):
    """A derived amount: cents from $1, else three significant figures."""
    if value == 0 or value >= 1:
        return shown(value)
    exponent = value.adjusted() - 2
    return value.quantize(Decimal(1).scaleb(min(exponent, -2)), rounding=ROUND_HALF_UP)


def cheapest_group(model, blend):
    # Cheapest means buyable: retired and deprecated offerings never count.
    priced = [
        o
        for o in model.offerings
        if o.input is not None
        and o.output is not None
        and o.lifecycle not in ("retired", "deprecated")
    ]
    if not priced:
        return []
    low = min(blended_price(o.input, o.output, ratio=blend) for o in priced)
    return [o for o in priced if blended_price(o.input, o.output, ratio=blend) == low]


def figures(model, blend):
    group = cheapest_group(model, blend)
    if not group:
        return {"input": None, "output": None, "blended": None}
    # The rule under test in 7: the maker's own API among equals, then by name.
    named = min(group, key=lambda o: (not o.first_party, o.provider_name.lower()))
    return {
        "input": shown(named.input),
        "output": shown(named.output),
        "blended": three_figures(blended_price(named.input, named.output, ratio=blend)),
    }


def money(text):
    return Decimal(text.replace("$", "").replace(",", ""))


def percent(cheap, dear):
    value = ((dear - cheap) / dear * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return min(max(value, Decimal(1)), Decimal(99))


def material_price(cheap, dear):
    return dear > cheap and dear - cheap >= Decimal("0.01") and (dear - cheap) * 20 >= dear


def sentences(text):
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
WORD_NUMBERS.update({"eight": 8, "nine": 9, "zero": 0})


# --- The rules --------------------------------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(a=models("Alpha"), b=models("Beta"), blend=blends)
def test_generated_text_is_true_to_the_data(a, b, blend):
    assert_true_to_the_data(a, b, blend)


def assert_true_to_the_data(a, b, blend):
    """The generator's rules, checked independently, for models named Alpha and Beta."""
    doc = build_comparison_document(PairSnapshot(a=a, b=b), blend=blend)
    text = doc.all_text()
    prose = " ".join([doc.summary, doc.verdict, *doc.deep_dive, *(i.answer for i in doc.faq)])
    data = {"Alpha": figures(a, blend), "Beta": figures(b, blend)}
    models_by_name = {"Alpha": a, "Beta": b}

    # 1. Prices in the table are the cheapest offering's, as displayed.
    rows = {r.label.split(" (")[0]: r for r in doc.pricing_rows}
    for cell, name in ((rows["Blended price"].a, "Alpha"), (rows["Blended price"].b, "Beta")):
        value = data[name]["blended"]
        assert cell == (format_price_per_million(value) if value is not None else "— not published")
    assert rows["Blended price"].label == f"Blended price ({blend.label} input/output)"

    # 2. Every percentage and multiple is computed from the displayed figures.
    kind_pattern = re.compile(
        r"On (input|output|cached input) tokens, (Alpha|Beta) (?:is (more than |less than )?"
        r"(\d+)% cheaper|costs ([\d.,]+)x as much): (\$[\d.,]+) vs (\$[\d.,]+) per 1M"
    )
    for kind, name, _q, pct, multiple, first, second in kind_pattern.findall(prose):
        x, y = money(first), money(second)
        if pct:
            assert x < y and int(pct) == percent(x, y), (kind, name, pct, first, second)
        else:
            assert x > y > 0 and x / y >= Decimal("1.95")
            places = Decimal("0.1") if x / y < 10 else Decimal(1)
            assert Decimal(multiple.replace(",", "")) == (x / y).quantize(
                places, rounding=ROUND_HALF_UP
            )
        if kind in ("input", "output"):
            other = "Beta" if name == "Alpha" else "Alpha"
            mine = data[name][kind]
            theirs = data[other][kind]
            assert {x, y} == {mine, theirs}
    assert "100% cheaper" not in text and "0% cheaper" not in re.sub(r"\d0% cheaper", "", text)

    # 3. The blended gap is the difference of the displayed blended prices.
    gap = re.search(r"the blended gap is (\$[\d.,]+) per 1M", prose)
    if gap:
        x, y = data["Alpha"]["blended"], data["Beta"]["blended"]
        assert money(gap.group(1)) == abs(x - y) and x != y

    # 4. No difference claimed that the displayed values do not show.
    for kind in ("input", "output", "blended"):
        x, y = data["Alpha"][kind], data["Beta"][kind]
        if x is None or y is None or x == y:
            assert not re.search(rf"On {kind} tokens, (Alpha|Beta) (is|costs)", prose)
    for claim in re.findall(r"larger context window \(([\d.]+[KM]?) vs ([\d.]+[KM]?)", text):
        assert claim[0] != claim[1]
    windows = (a.context_window, b.context_window)
    if not all(windows) or format_tokens(windows[0]) == format_tokens(windows[1]):
        assert "has the larger context window" not in prose
        assert "a larger context window" not in doc.verdict
    else:
        big, small = max(windows), min(windows)
        if Decimal(big) < Decimal(small) * Decimal("1.1"):
            assert "larger context window" not in prose
    if {a.open_weights, b.open_weights} != {True, False}:
        assert "open weights" not in doc.verdict
    differing = {
        label.lower()
        for key, label, value in a.capabilities
        if {value, b.capability(key)} == {True, False}
    }
    for claim in re.findall(r"supports ([^;.]+); (?:Alpha|Beta) does not", prose):
        for _key, label in CAPABILITIES:
            if label.lower() in claim:
                assert label.lower() in differing, (label, claim)

    # 5. "Nothing material favours X" only when no material row favours X.
    loser = re.search(r"nothing material favours (Alpha|Beta)", doc.verdict)
    if loser:
        name = loser.group(1)
        me, other = models_by_name[name], models_by_name["Beta" if name == "Alpha" else "Alpha"]
        mine, theirs = data[name]["blended"], data[other.name]["blended"]
        assert not (mine is not None and theirs is not None and material_price(mine, theirs))
        assert not (me.open_weights is True and other.open_weights is False)
        assert not any(
            value is True and other.capability(key) is False for key, _l, value in me.capabilities
        )
        if me.input_modalities and other.input_modalities:
            assert set(me.input_modalities) <= set(other.input_modalities)
        if me.output_modalities and other.output_modalities:
            assert set(me.output_modalities) <= set(other.output_modalities)

    # 6. No sentence is said twice in the prose.
    said = sentences(doc.summary) + sentences(doc.verdict)
    for block in (*doc.deep_dive, *(item.answer for item in doc.faq)):
        said += sentences(block)
    repeated = {s for s in said if said.count(s) > 1}
    assert not repeated, repeated
    assert len({item.answer for item in doc.faq}) == len(doc.faq)

    # 7. The named cheapest provider is the maker's own where it ties.
    for model, named in ((a, doc.cheapest_provider_a), (b, doc.cheapest_provider_b)):
        group = cheapest_group(model, blend)
        if named is None:
            assert not group
            continue
        assert named in {o.provider_name for o in group}
        first_party = [o for o in group if o.first_party]
        if first_party:
            assert named in {o.provider_name for o in first_party}

    # 8. Plurals and counts agree; articles agree with the number read aloud.
    for count, noun in re.findall(
        r"\b(\d+|one|two|three|four|five|six|seven|eight|nine) "
        r"(providers?|shared benchmarks?|scores?|months?|other providers?)\b",
        text,
    ):
        number = WORD_NUMBERS.get(count)
        number = int(count) if number is None else number
        assert noun.endswith("s") == (number != 1), (count, noun)
    assert not re.search(r"\ba (8|11\b|18\b|80|11K|18K)", text), text
    assert not re.search(r"\ban [1-79]", text)

    # 9. The meta description: whole sentences, at most 160 characters.
    assert len(doc.meta_description) <= 160
    assert doc.meta_description.endswith((".", "side by side.")) or doc.meta_description == (
        doc.title
    )
    assert "…" not in doc.meta_description

    # 10. No nested brackets, no false precision.
    assert not re.search(r"\([^()]*\(", prose), prose
    assert not re.search(r"\d{2,}\.\dx", text)
    assert "for support for" not in text
