"""Pure text generation for a pair: snapshot in, `ComparisonDocument` out.

Rules (DESIGN.md): percentages relative to the dearer price, rounded half up, one
formula (comparisons.pricing); plurals agree; a claim only where the data differs;
missing data is said to be missing; the blend ratio and the provider whose price was
used are named. Output is plain text: templates escape it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from catalog.formatting import (
    DASH,
    NOT_DISCLOSED,
    format_date,
    format_month,
    format_parameters,
    format_price_per_million,
    format_tokens,
    format_usd,
    pluralize,
    provider_limits_note,
)
from catalog.models import Modality
from comparisons.narrative.document import (
    ComparisonDocument,
    FaqItem,
    Link,
    ModelRef,
    ProviderPriceRow,
    Row,
)
from comparisons.pricing import (
    DEFAULT_BLEND,
    BlendRatio,
    blended_price,
    percent_cheaper,
    price_multiple,
)
from comparisons.snapshot import ModelSnapshot, OfferingSnapshot, PairSnapshot
from pricewatch.summary import cross_check_sentence

NOT_PUBLISHED = "— not published"
MODALITY_LABELS = dict(Modality.choices)
LIFECYCLE_LABELS = {
    "preview": "Preview",
    "ga": "Generally available",
    "deprecated": "Deprecated",
    "retired": "Retired",
}


def join_words(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def percent_phrase(percent: Decimal) -> str:
    """A rounded percentage as words that stay true at the ends of the scale."""
    if percent >= 100:
        return "more than 99%"
    if percent <= 0:
        return "less than 1%"
    return f"{percent}%"


def multiple_phrase(multiple: Decimal) -> str:
    text = f"{multiple:f}"
    if text.endswith(".0"):
        text = text[:-2]
    return f"{text}x"


def cheapest_offering(model: ModelSnapshot, blend: BlendRatio) -> OfferingSnapshot | None:
    """The priced offering with the lowest blended price; ties go to the provider name
    that sorts first, so the choice is stable."""
    priced = model.priced_offerings
    if not priced:
        return None
    return min(
        priced,
        key=lambda o: (blended_price(o.input, o.output, ratio=blend), o.provider_name.lower()),
    )


@dataclass(frozen=True)
class PriceFacts:
    """One price of each model and how they compare."""

    kind: str  # "input", "output" or "blended"
    a: Decimal | None
    b: Decimal | None

    @property
    def comparable(self) -> bool:
        return self.a is not None and self.b is not None

    @property
    def tie(self) -> bool:
        return self.comparable and self.a == self.b

    def cheaper_side(self) -> str | None:
        if not self.comparable or self.tie:
            return None
        return "a" if self.a < self.b else "b"


def price_sentence(facts: PriceFacts, a: ModelSnapshot, b: ModelSnapshot) -> str:
    """One true sentence about one price of the pair."""
    unit = "blended tokens" if facts.kind == "blended" else f"{facts.kind} tokens"
    if facts.a is None and facts.b is None:
        return f"Neither {a.name} nor {b.name} has a published {facts.kind} price."
    if not facts.comparable:
        known, missing, value = (a, b, facts.a) if facts.a is not None else (b, a, facts.b)
        return (
            f"{known.name} costs {format_usd(value)} per 1M {unit}; "
            f"{missing.name} has no published {facts.kind} price."
        )
    if facts.tie:
        if facts.a == 0:
            return f"Both {a.name} and {b.name} are free on {unit}."
        return (
            f"{a.name} and {b.name} charge the same price for {unit}: {format_usd(facts.a)} per 1M."
        )
    side = facts.cheaper_side()
    cheap_model, dear_model = (a, b) if side == "a" else (b, a)
    cheap, dear = (facts.a, facts.b) if side == "a" else (facts.b, facts.a)
    if cheap == 0:
        return (
            f"{cheap_model.name} is free on {unit}, while {dear_model.name} costs "
            f"{format_usd(dear)} per 1M."
        )
    sentence = (
        f"{cheap_model.name} is {percent_phrase(percent_cheaper(cheap, dear))} cheaper on "
        f"{unit} ({format_usd(cheap)} vs {format_usd(dear)} per 1M)"
    )
    multiple = price_multiple(cheap, dear)
    if multiple is not None and multiple >= Decimal("1.5"):
        sentence += f"; {dear_model.name} costs {multiple_phrase(multiple)} as much"
    return sentence + "."


def capability_split(a: ModelSnapshot, b: ModelSnapshot):
    """(only_a, only_b, both, unknown_a, unknown_b) capability labels, lower case."""
    only_a, only_b, both, unknown_a, unknown_b = [], [], [], [], []
    for key, label, value_a in a.capabilities:
        value_b = b.capability(key)
        word = label.lower()
        if value_a is None:
            unknown_a.append(word)
        if value_b is None:
            unknown_b.append(word)
        if value_a is True and value_b is False:
            only_a.append(word)
        elif value_b is True and value_a is False:
            only_b.append(word)
        elif value_a is True and value_b is True:
            both.append(word)
    return only_a, only_b, both, unknown_a, unknown_b


def shared_scores(a: ModelSnapshot, b: ModelSnapshot):
    """[(score_a, score_b)] for benchmarks both models have, in benchmark order."""
    by_slug = {s.benchmark_slug: s for s in b.scores}
    return [(s, by_slug[s.benchmark_slug]) for s in a.scores if s.benchmark_slug in by_slug]


def benchmark_wins(a: ModelSnapshot, b: ModelSnapshot) -> tuple[int, int, int]:
    wins_a = wins_b = ties = 0
    for score_a, score_b in shared_scores(a, b):
        if score_a.score == score_b.score:
            ties += 1
        elif (score_a.score > score_b.score) == score_a.higher_is_better:
            wins_a += 1
        else:
            wins_b += 1
    return wins_a, wins_b, ties


REPORTED_BY = {
    "maker": "self-reported",
    "competitor": "from a competitor's announcement",
    "independent": "independently measured",
}


def format_score(value: Decimal, reported_by: str, *, preview: bool = False) -> str:
    """ "71.3 (self-reported)"; a result recorded before the release says so."""
    text = f"{value.normalize():f}"
    provenance = REPORTED_BY.get(reported_by, REPORTED_BY["maker"])
    return f"{text} ({provenance}{', preview result' if preview else ''})"


def yes_no(value: bool | None) -> str:
    if value is None:
        return NOT_DISCLOSED
    return "Yes" if value else "No"


def or_not_disclosed(text: str) -> str:
    return text if text and text != DASH else NOT_DISCLOSED


def modality_list(modalities: tuple[str, ...]) -> str:
    return ", ".join(MODALITY_LABELS.get(m, m.capitalize()) for m in modalities)


def spec_rows(a: ModelSnapshot, b: ModelSnapshot) -> tuple[Row, ...]:
    def tokens(value: int | None) -> str:
        return f"{format_tokens(value)} tokens" if value else NOT_DISCLOSED

    def row(label: str, fn) -> Row:
        return Row(label=label, a=fn(a), b=fn(b))

    return (
        row("Organisation", lambda m: m.organization_name),
        row("Released", lambda m: or_not_disclosed(format_date(m.release_date))),
        row("Status", lambda m: LIFECYCLE_LABELS.get(m.lifecycle, m.lifecycle.title())),
        row("Context window", lambda m: tokens(m.context_window)),
        row("Max output", lambda m: tokens(m.max_output_tokens)),
        row("Parameters", lambda m: format_parameters(m.parameter_count)),
        row("Architecture", lambda m: or_not_disclosed(m.architecture)),
        row("Licence", lambda m: or_not_disclosed(m.license)),
        row("Open weights", lambda m: yes_no(m.open_weights)),
        row("Knowledge cutoff", lambda m: or_not_disclosed(format_month(m.knowledge_cutoff))),
        row(
            "Input modalities",
            lambda m: or_not_disclosed(modality_list(m.input_modalities)),
        ),
        row(
            "Output modalities",
            lambda m: or_not_disclosed(modality_list(m.output_modalities)),
        ),
    )


def provider_links(model: ModelSnapshot) -> tuple[Link, ...]:
    return tuple(Link(text=o.provider_name, url=o.link) for o in model.offerings)


def pricing_rows(
    a: ModelSnapshot,
    b: ModelSnapshot,
    cheap_a: OfferingSnapshot | None,
    cheap_b: OfferingSnapshot | None,
    blend: BlendRatio,
) -> tuple[Row, ...]:
    def price(offering: OfferingSnapshot | None, field: str) -> str:
        if offering is None or getattr(offering, field) is None:
            return NOT_PUBLISHED
        return format_price_per_million(getattr(offering, field))

    def blended(offering: OfferingSnapshot | None) -> str:
        if offering is None:
            return NOT_PUBLISHED
        return format_price_per_million(blended_price(offering.input, offering.output, ratio=blend))

    def providers(model: ModelSnapshot) -> str:
        return pluralize(len(model.offerings), "provider")

    def cheapest_links(offering: OfferingSnapshot | None) -> tuple[Link, ...]:
        return (Link(offering.provider_name, offering.link),) if offering else ()

    return (
        Row(
            "Cheapest provider",
            cheap_a.provider_name if cheap_a else NOT_PUBLISHED,
            cheap_b.provider_name if cheap_b else NOT_PUBLISHED,
            cheapest_links(cheap_a),
            cheapest_links(cheap_b),
        ),
        Row("Input price", price(cheap_a, "input"), price(cheap_b, "input")),
        Row("Output price", price(cheap_a, "output"), price(cheap_b, "output")),
        Row("Cached input price", price(cheap_a, "cache_read"), price(cheap_b, "cache_read")),
        Row(f"Blended price ({blend.label} input/output)", blended(cheap_a), blended(cheap_b)),
        Row("Providers", providers(a), providers(b), provider_links(a), provider_links(b)),
    )


def provider_price_rows(a: ModelSnapshot, b: ModelSnapshot) -> tuple[ProviderPriceRow, ...]:
    """Every offering of both models, priced or not, model by model, with the
    provider's own context window and max output where they differ from the model's."""

    def money(value: Decimal | None) -> str:
        return NOT_PUBLISHED if value is None else format_price_per_million(value)

    def limits(model: ModelSnapshot, offering: OfferingSnapshot) -> dict:
        note = provider_limits_note(
            own_context_window=offering.context_window,
            own_max_output_tokens=offering.max_output_tokens,
            model_context_window=model.context_window,
            model_max_output_tokens=model.max_output_tokens,
        )
        return {"limits": note, "own_limits": True} if note else {}

    return tuple(
        ProviderPriceRow(
            model_name=model.name,
            provider=Link(offering.provider_name, offering.link),
            input=money(offering.input),
            output=money(offering.output),
            cached_input=money(offering.cache_read),
            checked_on=format_date(offering.price_checked_on)
            if offering.price_checked_on
            else NOT_PUBLISHED,
            cross_check=cross_check_sentence(
                offering.sources_checked, offering.sources_agreeing, offering.cross_checked_on
            ),
            **limits(model, offering),
        )
        for model in (a, b)
        for offering in model.offerings
    )


def capability_rows(a: ModelSnapshot, b: ModelSnapshot) -> tuple[Row, ...]:
    return tuple(
        Row(label=label, a=yes_no(value), b=yes_no(b.capability(key)))
        for key, label, value in a.capabilities
    )


def benchmark_rows(a: ModelSnapshot, b: ModelSnapshot) -> tuple[Row, ...]:
    rows = []
    for score_a, score_b in shared_scores(a, b):
        direction = "higher is better" if score_a.higher_is_better else "lower is better"
        rows.append(
            Row(
                label=f"{score_a.label} — {score_a.metric}, {score_a.scale}, {direction}",
                a=format_score(score_a.score, score_a.provenance, preview=score_a.preview),
                b=format_score(score_b.score, score_b.provenance, preview=score_b.preview),
            )
        )
    return tuple(rows)


def context_sentence(a: ModelSnapshot, b: ModelSnapshot) -> str:
    if a.context_window and b.context_window:
        if a.context_window == b.context_window:
            return (
                f"Both {a.name} and {b.name} have a "
                f"{format_tokens(a.context_window)}-token context window."
            )
        big, small = (a, b) if a.context_window > b.context_window else (b, a)
        return (
            f"{big.name} has the larger context window: "
            f"{format_tokens(big.context_window)} tokens vs "
            f"{format_tokens(small.context_window)} for {small.name}."
        )
    known = a if a.context_window else b
    other = b if known is a else a
    if not known.context_window:
        return f"Neither {a.name} nor {b.name} discloses a context window."
    return (
        f"{known.name} has a {format_tokens(known.context_window)}-token context window; "
        f"{other.name}'s is not disclosed."
    )


def advantages(
    me: ModelSnapshot,
    other: ModelSnapshot,
    blended: PriceFacts,
    side: str,
    blend: BlendRatio,
) -> list[str]:
    """Short phrases for what the data says `me` has over `other`; nothing shared."""
    found = []
    if blended.cheaper_side() == side:
        mine, theirs = (blended.a, blended.b) if side == "a" else (blended.b, blended.a)
        if mine == 0:
            found.append(f"a free price (at a {blend.label} input/output blend)")
        else:
            found.append(
                f"a {percent_phrase(percent_cheaper(mine, theirs))} lower price at a "
                f"{blend.label} input/output blend"
            )
    if me.context_window and other.context_window and me.context_window > other.context_window:
        found.append(
            f"a larger context window ({format_tokens(me.context_window)} vs "
            f"{format_tokens(other.context_window)})"
        )
    if (
        me.max_output_tokens
        and other.max_output_tokens
        and me.max_output_tokens > other.max_output_tokens
    ):
        found.append(
            f"a higher output limit ({format_tokens(me.max_output_tokens)} vs "
            f"{format_tokens(other.max_output_tokens)} tokens)"
        )
    only_me = capability_split(me, other)[0]
    if only_me:
        found.append(f"support for {join_words(only_me)}")
    if me.open_weights is True and other.open_weights is False:
        found.append("open weights")
    wins_me, wins_other, _ties = benchmark_wins(me, other)
    shared = len(shared_scores(me, other))
    if wins_me > wins_other:
        found.append(f"better scores on {wins_me} of {pluralize(shared, 'shared benchmark')}")
    return found


def verdict_text(a: ModelSnapshot, b: ModelSnapshot, blended: PriceFacts, blend: BlendRatio) -> str:
    adv_a = advantages(a, b, blended, "a", blend)
    adv_b = advantages(b, a, blended, "b", blend)
    missing = [m.name for m, p in ((a, blended.a), (b, blended.b)) if p is None]
    tail = ""
    if missing:
        tail = f" No price is published for {join_words(missing)}, so cost is not compared."
    if adv_a and adv_b:
        return (
            f"Choose {a.name} for {join_words(adv_a)}; choose {b.name} for {join_words(adv_b)}."
            + tail
        )
    if adv_a or adv_b:
        winner, loser, found = (a, b, adv_a) if adv_a else (b, a, adv_b)
        return (
            f"{winner.name} comes out ahead on the data we track, with {join_words(found)}. "
            f"{loser.name} has no tracked advantage over it." + tail
        )
    return f"The data we track shows no difference that favours {a.name} or {b.name}." + tail


def capability_paragraph(a: ModelSnapshot, b: ModelSnapshot) -> str:
    only_a, only_b, both, unknown_a, unknown_b = capability_split(a, b)
    sentences = []
    for me, other, only in ((a, b, only_a), (b, a, only_b)):
        if only:
            verb = "supports"
            sentences.append(f"{me.name} {verb} {join_words(only)}; {other.name} does not.")
    if not only_a and not only_b:
        sentences.append(
            f"{a.name} and {b.name} have the same capability flags where both are disclosed."
        )
    if both:
        sentences.append(f"Both support {join_words(both)}.")
    common = [word for word in unknown_a if word in unknown_b]
    if common:
        sentences.append(
            f"{join_words(common).capitalize()} {'is' if len(common) == 1 else 'are'} "
            "not disclosed for either model."
        )
    for me, unknown in ((a, unknown_a), (b, unknown_b)):
        only = [word for word in unknown if word not in common]
        if only:
            sentences.append(
                f"For {me.name}, {join_words(only)} {'is' if len(only) == 1 else 'are'} "
                "not disclosed."
            )
    return " ".join(sentences)


def cost_paragraph(
    a: ModelSnapshot,
    b: ModelSnapshot,
    cheap_a: OfferingSnapshot | None,
    cheap_b: OfferingSnapshot | None,
    facts: tuple[PriceFacts, PriceFacts, PriceFacts],
    blend: BlendRatio,
) -> str:
    sentences = []
    for model, offering in ((a, cheap_a), (b, cheap_b)):
        if offering is None:
            sentences.append(f"{model.name} has no published price on any provider we track.")
        else:
            sentences.append(
                f"On its cheapest tracked provider, {offering.provider_name}, {model.name} costs "
                f"{format_usd(offering.input)} per 1M input tokens and "
                f"{format_usd(offering.output)} per 1M output tokens."
            )
    input_facts, output_facts, blended = facts
    if input_facts.comparable:
        sentences.append(price_sentence(input_facts, a, b))
    if output_facts.comparable:
        sentences.append(price_sentence(output_facts, a, b))
    if blended.comparable:
        sentence = (
            f"At a {blend.label} input/output blend, {a.name} works out at "
            f"{format_usd(blended.a)} and {b.name} at {format_usd(blended.b)} per 1M tokens"
        )
        side = blended.cheaper_side()
        if side is None:
            sentence += ": the same price."
        else:
            difference = abs(blended.a - blended.b)
            cheap_model = a if side == "a" else b
            sentence += (
                f", so {cheap_model.name} is {format_usd(difference)} cheaper per 1M blended "
                "tokens."
            )
        sentences.append(sentence)
    return " ".join(sentences)


def availability_sentence(a: ModelSnapshot, b: ModelSnapshot) -> str:
    parts = []
    for model in (a, b):
        names = [o.provider_name for o in model.offerings]
        if names:
            parts.append(
                f"{model.name} is available on {pluralize(len(names), 'provider')} "
                f"({join_words(names)})"
            )
        else:
            parts.append(f"{model.name} is not offered by any provider we track")
    return "; ".join(parts) + "."


def benchmark_paragraph(a: ModelSnapshot, b: ModelSnapshot) -> str:
    shared = shared_scores(a, b)
    if not shared:
        return ""
    wins_a, wins_b, ties = benchmark_wins(a, b)
    text = (
        f"On {pluralize(len(shared), 'shared benchmark')}, {a.name} scores better on "
        f"{wins_a} and {b.name} on {wins_b}"
    )
    if ties:
        text += f", with {pluralize(ties, 'tie')}"
    self_reported = sum(1 for pair in shared for s in pair if s.self_reported)
    text += (
        f". {pluralize(self_reported, 'score')} of {len(shared) * 2} shown "
        f"{'is' if self_reported == 1 else 'are'} self-reported by the maker."
    )
    return text


def faq_items(
    a: ModelSnapshot,
    b: ModelSnapshot,
    facts: tuple[PriceFacts, PriceFacts, PriceFacts],
    cheap_a: OfferingSnapshot | None,
    cheap_b: OfferingSnapshot | None,
    blend: BlendRatio,
) -> tuple[FaqItem, ...]:
    pair = f"{a.name} or {b.name}"
    items = [
        FaqItem(f"Which has a larger context window, {pair}?", context_sentence(a, b)),
    ]
    input_facts, output_facts, blended = facts
    price_answer = " ".join(
        price_sentence(f, a, b) for f in (input_facts, output_facts, blended) if f.comparable
    )
    if not price_answer:
        price_answer = price_sentence(blended, a, b)
    providers_used = [
        f"{model.name} on {offering.provider_name}"
        for model, offering in ((a, cheap_a), (b, cheap_b))
        if offering
    ]
    if providers_used:
        price_answer += (
            f" Prices are the cheapest tracked ({join_words(providers_used)}); the blend is "
            f"{blend.label} input/output."
        )
    items.append(FaqItem(f"Which is cheaper, {pair}?", price_answer))

    def weights(model: ModelSnapshot) -> str:
        licence = f" (licence: {model.license})" if model.license else ""
        if model.open_weights is None:
            return f"Whether {model.name} has open weights is not disclosed{licence}."
        if model.open_weights:
            if model.license:
                return f"{model.name} has open weights under {model.license}."
            return f"{model.name} has open weights; its licence is not disclosed."
        return f"{model.name} does not publish its weights{licence}."

    items.append(FaqItem(f"Are the weights of {pair} open?", f"{weights(a)} {weights(b)}"))
    items.append(FaqItem(f"Where can I run {a.name} and {b.name}?", availability_sentence(a, b)))
    only_a, only_b, _both, _ua, _ub = capability_split(a, b)
    for me, other, only in ((a, b, only_a), (b, a, only_b)):
        for word in only:
            items.append(
                FaqItem(
                    f"Which supports {word}, {pair}?",
                    f"{me.name} supports {word}; {other.name} does not.",
                )
            )
    if a.release_date and b.release_date and a.release_date != b.release_date:
        newer, older = (a, b) if a.release_date > b.release_date else (b, a)
        items.append(
            FaqItem(
                f"Which is newer, {pair}?",
                f"{newer.name} was released on {format_date(newer.release_date)}, "
                f"{older.name} on {format_date(older.release_date)}.",
            )
        )
    return tuple(items)


def collect_sources(pair: PairSnapshot) -> tuple[Link, ...]:
    seen: dict[str, Link] = {}
    for model in (pair.a, pair.b):
        for source in model.sources:
            seen.setdefault(source.url, Link(source.title or source.url, source.url))
        for offering in model.offerings:
            if offering.price_source_url:
                seen.setdefault(
                    offering.price_source_url,
                    Link(f"{offering.provider_name} pricing", offering.price_source_url),
                )
    for score_a, score_b in shared_scores(pair.a, pair.b):
        for score in (score_a, score_b):
            if score.source_url:
                seen.setdefault(score.source_url, Link(f"{score.label} scores", score.source_url))
    return tuple(seen.values())


def meta_description(text: str, limit: int = 158) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def build_comparison_document(
    pair: PairSnapshot, *, blend: BlendRatio = DEFAULT_BLEND
) -> ComparisonDocument:
    """Everything the comparison page says about `pair`, as plain data.

    Pure: reads only the snapshot. Prices are each model's cheapest offering at `blend`
    (ties to the provider name first alphabetically).
    """
    a, b = pair.a, pair.b
    cheap_a, cheap_b = cheapest_offering(a, blend), cheapest_offering(b, blend)
    input_facts = PriceFacts(
        "input", cheap_a.input if cheap_a else None, cheap_b.input if cheap_b else None
    )
    output_facts = PriceFacts(
        "output", cheap_a.output if cheap_a else None, cheap_b.output if cheap_b else None
    )
    blended = PriceFacts(
        "blended",
        blended_price(cheap_a.input, cheap_a.output, ratio=blend) if cheap_a else None,
        blended_price(cheap_b.input, cheap_b.output, ratio=blend) if cheap_b else None,
    )
    facts = (input_facts, output_facts, blended)

    def released(model: ModelSnapshot) -> str:
        if model.release_date:
            return f"{model.organization_name}, released {format_date(model.release_date)}"
        return model.organization_name

    summary = " ".join(
        [
            f"{a.name} ({released(a)}) and {b.name} ({released(b)}) compared on specs, "
            "pricing, capabilities and benchmarks.",
            context_sentence(a, b),
            price_sentence(input_facts, a, b),
        ]
    )
    verdict = pair.verdict_override.strip() or verdict_text(a, b, blended, blend)
    deep_dive = [
        capability_paragraph(a, b),
        cost_paragraph(a, b, cheap_a, cheap_b, facts, blend),
        availability_sentence(a, b),
    ]
    if paragraph := benchmark_paragraph(a, b):
        deep_dive.append(paragraph)

    reviewed = [m.last_reviewed for m in (a, b) if m.last_reviewed]
    last_reviewed = min(reviewed) if len(reviewed) == 2 else None
    bench_rows = benchmark_rows(a, b)
    return ComparisonDocument(
        model_a=ModelRef(a.slug, a.name),
        model_b=ModelRef(b.slug, b.name),
        title=f"{a.name} vs {b.name}",
        meta_description=meta_description(summary),
        summary=summary,
        verdict=verdict,
        verdict_is_editorial=bool(pair.verdict_override.strip()),
        editor_note=pair.editor_note.strip(),
        spec_rows=spec_rows(a, b),
        pricing_rows=pricing_rows(a, b, cheap_a, cheap_b, blend),
        provider_price_rows=provider_price_rows(a, b),
        capability_rows=capability_rows(a, b),
        benchmark_rows=bench_rows,
        benchmark_note=""
        if bench_rows
        else f"No benchmark has a sourced score for both {a.name} and {b.name} yet.",
        deep_dive=tuple(deep_dive),
        faq=faq_items(a, b, facts, cheap_a, cheap_b, blend),
        blend=blend.label,
        blend_query=blend.query_value,
        cheapest_provider_a=cheap_a.provider_name if cheap_a else None,
        cheapest_provider_b=cheap_b.provider_name if cheap_b else None,
        sources=collect_sources(pair),
        last_reviewed=last_reviewed,
        last_reviewed_text=format_date(last_reviewed) if last_reviewed else "not yet reviewed",
        benchmark_attributions=tuple(
            sorted({s.attribution for pair in shared_scores(a, b) for s in pair if s.attribution})
        ),
    )


def faq_json_ld(document: ComparisonDocument) -> dict:
    """The FAQ as a schema.org FAQPage object (serialise it with json_script escaping)."""
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": item.question,
                "acceptedAnswer": {"@type": "Answer", "text": item.answer},
            }
            for item in document.faq
        ],
    }
