"""Pure text generation for a pair: snapshot in, `ComparisonDocument` out.

Rules (DESIGN.md, and the prose issue): a difference is claimed only when the values as
displayed differ, and it weighs in a verdict only when it is material
(comparisons.narrative.materiality); every gap and percentage is computed from the
displayed figures; a price names its provider, and ties say so; each fact is said once,
in one form (a percentage or a multiple); missing data is said to be missing. The
summary is the decision (cost, the capability that decides, the benchmark evidence),
the verdict says whom to choose for what, the deep dive gives the detail, the FAQ
answers in fresh words. Output is plain text: templates escape it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from catalog.formatting import (
    format_date,
    format_month,
    format_tokens,
    format_usd,
    format_usd_exact,
    score_number,
)
from catalog.models import Lifecycle
from comparisons.narrative.document import (
    ComparedModel,
    ComparisonDocument,
    FaqItem,
    Link,
    PriceGap,
    PriceGaps,
)
from comparisons.narrative.english import (
    a_or_an,
    capitalize_first,
    count_noun,
    join_words,
    licence_phrase,
    multiple_phrase,
    number_word,
)
from comparisons.narrative.materiality import (
    SCORE_MIN_POINTS,
    cutoff_is_material,
    limit_is_material,
    months_between,
    score_gap_is_material,
)
from comparisons.narrative.prices import (
    PriceChoice,
    PriceFacts,
    cheapest_offering,
    gap_phrase,
    kind_sentence,
    price_choice,
    price_gap,
)
from comparisons.narrative.tables import (
    MODALITY_LABELS,
    benchmark_rows,
    capability_rows,
    pricing_rows,
    provider_price_rows,
    shared_scores,
    spec_rows,
)
from comparisons.pricing import DEFAULT_BLEND, BlendRatio
from comparisons.snapshot import ModelSnapshot, PairSnapshot, ScoreSnapshot

__all__ = ["build_comparison_document", "cheapest_offering", "faq_json_ld"]

META_LIMIT = 160
MAX_BENCHMARKS_NAMED = 6
STATUS_WORDS = {
    Lifecycle.PREVIEW: "in Preview",
    Lifecycle.DEPRECATED: "deprecated",
    Lifecycle.RETIRED: "retired",
}


# --- Capabilities and modalities ---------------------------------------------------


@dataclass(frozen=True)
class CapabilitySplit:
    """Capability labels (lower case) by who has them; None values are not disclosed."""

    only_a: tuple[str, ...]
    only_b: tuple[str, ...]
    both: tuple[str, ...]
    unknown_a: tuple[str, ...]
    unknown_b: tuple[str, ...]

    def only(self, side: str) -> tuple[str, ...]:
        return self.only_a if side == "a" else self.only_b


def capability_split(a: ModelSnapshot, b: ModelSnapshot) -> CapabilitySplit:
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
    return CapabilitySplit(*(tuple(x) for x in (only_a, only_b, both, unknown_a, unknown_b)))


def modality_word(key: str) -> str:
    label = MODALITY_LABELS.get(key, key)
    return label if label.isupper() else label.lower()


def modality_words(keys: tuple[str, ...]) -> list[str]:
    return [modality_word(k) for k in keys]


@dataclass(frozen=True)
class ModalityEdge:
    """Modalities one model has and the other lacks, where both disclose theirs."""

    inputs: tuple[str, ...]
    outputs: tuple[str, ...]

    def phrases(self) -> list[str]:
        """ "audio and video input", "audio output"."""
        found = []
        if self.inputs:
            found.append(f"{join_words(modality_words(self.inputs))} input")
        if self.outputs:
            found.append(f"{join_words(modality_words(self.outputs))} output")
        return found

    def verb_phrase(self) -> str:
        """ "accepts audio input and produces audio"."""
        parts = []
        if self.inputs:
            parts.append(f"accepts {join_words(modality_words(self.inputs))} input")
        if self.outputs:
            parts.append(f"produces {join_words(modality_words(self.outputs))}")
        return join_words(parts)


def modality_edge(me: ModelSnapshot, other: ModelSnapshot) -> ModalityEdge:
    def extra(mine: tuple[str, ...], theirs: tuple[str, ...]) -> tuple[str, ...]:
        if not mine or not theirs:
            return ()
        return tuple(m for m in mine if m not in theirs)

    return ModalityEdge(
        inputs=extra(me.input_modalities, other.input_modalities),
        outputs=extra(me.output_modalities, other.output_modalities),
    )


def feature_edge(me: ModelSnapshot, other: ModelSnapshot) -> list[str]:
    """What `me` can do that `other` cannot: modalities first, then capability flags,
    leaving out the flags its modalities already say (image input is vision)."""
    edge = modality_edge(me, other)
    flags = list(capability_split(me, other).only_a)
    if edge.inputs:
        flags = [f for f in flags if f != "multimodal input"]
    if "image" in edge.inputs:
        flags = [f for f in flags if f != "vision"]
    return edge.phrases() + flags


# --- Benchmarks -----------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreGap:
    a: ScoreSnapshot
    b: ScoreSnapshot

    @property
    def label(self) -> str:
        return self.a.label

    @property
    def winner(self) -> str | None:
        """The side with the better score when the gap is material, else None."""
        gap = self.a.score - self.b.score
        if not score_gap_is_material(gap, self.a.scale):
            return None
        return "a" if (gap > 0) == self.a.higher_is_better else "b"

    @property
    def size(self) -> Decimal:
        scale = Decimal(100) if self.a.scale == "0-100" else Decimal(1)
        return abs(self.a.score - self.b.score) / scale


def score_text(score: ScoreSnapshot) -> str:
    return score_number(score.score)


def threshold_text(gaps: list[ScoreGap]) -> str:
    scales = {g.a.scale for g in gaps}
    if scales == {"0-1"}:
        return f"{SCORE_MIN_POINTS['0-1']:f}"
    return f"{SCORE_MIN_POINTS['0-100']:f} points"


def provenance_note(scores: list[ScoreSnapshot]) -> str:
    """ "both self-reported", "all four self-reported", "independently measured"; ""
    when mixed (the table says which is which)."""
    kinds = {s.provenance for s in scores}
    if kinds == {"maker"}:
        if len(scores) == 2:
            return "both self-reported by their makers"
        return f"all {number_word(len(scores))} self-reported by their makers"
    if kinds == {"independent"}:
        return "independently measured"
    return ""


# --- Points for the verdict -----------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """Everything the prose compares, computed once."""

    a: ModelSnapshot
    b: ModelSnapshot
    blend: BlendRatio
    choice_a: PriceChoice | None
    choice_b: PriceChoice | None
    input: PriceFacts
    output: PriceFacts
    cached: PriceFacts
    blended: PriceFacts
    # Benchmarks both models have, in benchmark order.
    gaps: tuple[ScoreGap, ...]

    def model(self, side: str) -> ModelSnapshot:
        return self.a if side == "a" else self.b

    def other(self, side: str) -> ModelSnapshot:
        return self.b if side == "a" else self.a

    def choice(self, side: str) -> PriceChoice | None:
        return self.choice_a if side == "a" else self.choice_b


def facts_for(pair: PairSnapshot, blend: BlendRatio) -> Facts:
    a, b = pair.a, pair.b
    choice_a, choice_b = price_choice(a, blend), price_choice(b, blend)

    def value(choice: PriceChoice | None, attribute: str) -> Decimal | None:
        return getattr(choice, attribute) if choice else None

    return Facts(
        a=a,
        b=b,
        blend=blend,
        choice_a=choice_a,
        choice_b=choice_b,
        input=PriceFacts("input", value(choice_a, "input"), value(choice_b, "input")),
        output=PriceFacts("output", value(choice_a, "output"), value(choice_b, "output")),
        cached=PriceFacts(
            "cached input", value(choice_a, "cache_read"), value(choice_b, "cache_read")
        ),
        blended=PriceFacts(
            "blended",
            choice_a.blended(blend) if choice_a else None,
            choice_b.blended(blend) if choice_b else None,
        ),
        gaps=tuple(ScoreGap(x, y) for x, y in shared_scores(a, b)),
    )


def limit_side(x: int | None, y: int | None) -> str | None:
    """ "a" or "b" where one limit is materially larger and displays differently."""
    if not x or not y or format_tokens(x) == format_tokens(y):
        return None
    if x > y and limit_is_material(x, y):
        return "a"
    if y > x and limit_is_material(y, x):
        return "b"
    return None


def cutoff_side(a: ModelSnapshot, b: ModelSnapshot) -> str | None:
    x, y = a.knowledge_cutoff, b.knowledge_cutoff
    if not x or not y:
        return None
    if x > y and cutoff_is_material(x, y):
        return "a"
    if y > x and cutoff_is_material(y, x):
        return "b"
    return None


def lifecycle_side(a: ModelSnapshot, b: ModelSnapshot) -> str | None:
    """The generally available model when the other is not."""
    if a.lifecycle == Lifecycle.GA and b.lifecycle in STATUS_WORDS:
        return "a"
    if b.lifecycle == Lifecycle.GA and a.lifecycle in STATUS_WORDS:
        return "b"
    return None


def points(facts: Facts, side: str) -> list[str]:
    """Noun phrases for every material row that favours `side` ("choose A for …")."""
    me, other = facts.model(side), facts.other(side)
    found = []

    def figures(price: PriceFacts) -> str:
        mine, theirs = (price.a, price.b) if side == "a" else (price.b, price.a)
        return f"{format_usd(mine)} vs {format_usd(theirs)}"

    blended_side = facts.blended.material_side()
    if blended_side == side:
        found.append(f"the lower price ({figures(facts.blended)} per 1M blended tokens)")
    for price in (facts.input, facts.output):
        # Said apart from the blend only where it runs the other way or the blend ties.
        if price.material_side() == side and blended_side != side:
            found.append(f"cheaper {price.kind} tokens ({figures(price)} per 1M)")
    if facts.cached.material_side() == side:
        found.append(f"cheaper cached input ({figures(facts.cached)} per 1M)")
    found += feature_edge(me, other)
    if me.open_weights is True and other.open_weights is False:
        found.append("open weights")
    if lifecycle_side(facts.a, facts.b) == side:
        found.append("general availability")
    if limit_side(facts.a.context_window, facts.b.context_window) == side:
        found.append(
            f"a larger context window ({format_tokens(me.context_window)} vs "
            f"{format_tokens(other.context_window)} tokens)"
        )
    if limit_side(facts.a.max_output_tokens, facts.b.max_output_tokens) == side:
        found.append(
            f"longer outputs ({format_tokens(me.max_output_tokens)} vs "
            f"{format_tokens(other.max_output_tokens)} tokens)"
        )
    if cutoff_side(facts.a, facts.b) == side:
        found.append(
            f"more recent knowledge ({format_month(me.knowledge_cutoff)} vs "
            f"{format_month(other.knowledge_cutoff)})"
        )
    gaps = facts.gaps
    wins = [g for g in gaps if g.winner == side]
    if wins:
        scores = [s for g in wins for s in (g.a, g.b)]
        adjective = "self-reported " if {s.provenance for s in scores} == {"maker"} else ""
        if len(wins) <= 2:
            found.append(f"higher {adjective}scores on {join_words([g.label for g in wins])}")
        else:
            found.append(
                f"higher {adjective}scores on {number_word(len(wins))} of "
                f"{count_noun(len(gaps), 'shared benchmark')}"
            )
    return found


def verdict_text(facts: Facts) -> str:
    a, b = facts.a, facts.b
    for_a, for_b = points(facts, "a"), points(facts, "b")
    if for_a and for_b:
        return f"Choose {a.name} for {join_words(for_a)}; choose {b.name} for {join_words(for_b)}."
    if for_a or for_b:
        winner, loser, found = (a, b, for_a) if for_a else (b, a, for_b)
        scope = "" if facts.gaps else " on price and specs"
        return (
            f"{winner.name} comes out ahead{scope}, with {join_words(found)}; "
            f"nothing material favours {loser.name}."
        )
    return f"Nothing material separates {a.name} and {b.name} on the data we track."


# --- The summary: the decision --------------------------------------------------------


def cost_lead(facts: Facts) -> str:
    """The blended cost of each model with its providers, and the gap."""
    a, b, blend = facts.a, facts.b, facts.blend
    opening = f"At {a_or_an(blend.label)} input/output blend"
    ca, cb, price = facts.choice_a, facts.choice_b, facts.blended
    if ca is None and cb is None:
        return f"No provider we track publishes a price for {a.name} or {b.name}."
    if ca is None or cb is None:
        known, choice, missing = (a, ca, b) if ca else (b, cb, a)
        return (
            f"{opening}, {known.name} costs {format_usd(choice.blended(blend))} per 1M tokens "
            f"{choice.where()}; no provider we track publishes a price for {missing.name}."
        )
    if price.tie:
        if price.a == 0:
            return (
                f"{a.name} and {b.name} are both free on the providers we track: {a.name} "
                f"{ca.where()} and {b.name} {cb.where()}."
            )
        return (
            f"{opening}, {a.name} and {b.name} cost the same, {format_usd(price.a)} per 1M "
            f"tokens: {a.name} {ca.where()} and {b.name} {cb.where()}."
        )
    sentence = (
        f"{opening}, {a.name} costs {format_usd(price.a)} per 1M tokens {ca.where()} and "
        f"{b.name} {format_usd(price.b)} {cb.where()}"
    )
    side = price.cheaper_side()
    cheap, dear = (a, b) if side == "a" else (b, a)
    cheap_price, dear_price = (price.a, price.b) if side == "a" else (price.b, price.a)
    if cheap_price == 0:
        return f"{sentence}, so {cheap.name} costs nothing."
    if price.material_side() is None:
        return f"{sentence}: about the same."
    return f"{sentence}, so {gap_phrase(cheap.name, dear.name, cheap_price, dear_price)}."


def decider(facts: Facts) -> str:
    """The one difference most likely to decide the choice, as a sentence, or ""."""
    a, b = facts.a, facts.b
    edges = {"a": modality_edge(a, b), "b": modality_edge(b, a)}
    clauses = [
        f"only {facts.model(side).name} {edge.verb_phrase()}"
        for side, edge in edges.items()
        if edge.inputs or edge.outputs
    ]
    if clauses:
        return capitalize_first("; ".join(clauses)) + "."
    side = lifecycle_side(a, b)
    if side:
        behind = facts.other(side)
        if behind.lifecycle == Lifecycle.PREVIEW:
            return f"{behind.name} is still in Preview, so its prices and limits may change."
        return f"{behind.name} is {STATUS_WORDS[behind.lifecycle]} by its maker."
    if {a.open_weights, b.open_weights} == {True, False}:
        open_model = a if a.open_weights else b
        return f"Only {open_model.name} has open weights, so you can host it yourself."
    reasons = {side: facts.model(side).capability("reasoning") for side in ("a", "b")}
    if set(reasons.values()) == {True, False}:
        thinker = a if reasons["a"] else b
        return f"Only {thinker.name} is a reasoning model."
    side = limit_side(a.context_window, b.context_window)
    if side:
        big, small = facts.model(side), facts.other(side)
        ratio = Decimal(big.context_window) / Decimal(small.context_window)
        if ratio >= 2:
            return (
                f"{big.name} reads {multiple_phrase(ratio)} as much context: "
                f"{format_tokens(big.context_window)} tokens against "
                f"{format_tokens(small.context_window)}."
            )
    side = cutoff_side(a, b)
    if side:
        later, earlier = facts.model(side), facts.other(side)
        return (
            f"{later.name} knows more recent events: its training data runs to "
            f"{format_month(later.knowledge_cutoff)}, {earlier.name}'s to "
            f"{format_month(earlier.knowledge_cutoff)}."
        )
    return ""


def benchmark_lead(facts: Facts) -> str:
    """The benchmark evidence with its numbers, or its absence."""
    gaps = facts.gaps
    if not gaps:
        return "No benchmark has a sourced score for both, so quality cannot be compared here."
    material = sorted((g for g in gaps if g.winner), key=lambda g: -g.size)[:2]
    if not material:
        return (
            f"On {'the' if len(gaps) > 1 else 'their'} "
            f"{count_noun(len(gaps), 'shared benchmark')}, their scores are within "
            f"{threshold_text(gaps)} of each other: too close to call."
        )
    clauses = []
    for index, gap in enumerate(material):
        win, lose = (gap.a, gap.b) if gap.winner == "a" else (gap.b, gap.a)
        winner, loser = facts.model(gap.winner), facts.other(gap.winner)
        if index == 0:
            clauses.append(
                f"on {gap.label}, {winner.name} scores {score_text(win)} to {loser.name}'s "
                f"{score_text(lose)}"
            )
        else:
            clauses.append(
                f"on {gap.label}, {winner.name} leads {score_text(win)} to {score_text(lose)}"
            )
    note = provenance_note([s for g in material for s in (g.a, g.b)])
    return capitalize_first("; ".join(clauses)) + (f", {note}." if note else ".")


# --- The deep dive: the detail --------------------------------------------------------


def features_paragraph(facts: Facts) -> str:
    a, b = facts.a, facts.b
    sentences = []
    for kind, attribute, verb in (
        ("input", "input_modalities", "accept"),
        ("output", "output_modalities", "produce"),
    ):
        mine, theirs = getattr(a, attribute), getattr(b, attribute)
        noun = " input" if kind == "input" else ""
        if mine and theirs:
            if set(mine) == set(theirs):
                sentences.append(f"Both {verb} {join_words(modality_words(mine))}{noun}.")
            else:
                sentences.append(
                    f"{a.name} {verb}s {join_words(modality_words(mine))}{noun}; {b.name} "
                    f"{verb}s {join_words(modality_words(theirs))}{noun}."
                )
        else:
            for model, known in ((a, mine), (b, theirs)):
                if not known:
                    sentences.append(f"{model.name}'s {kind} modalities are not disclosed.")
    split = capability_split(a, b)
    for me, other, only in ((a, b, split.only_a), (b, a, split.only_b)):
        if only:
            sentences.append(f"{me.name} supports {join_words(only)}; {other.name} does not.")
    if split.both:
        sentences.append(f"Both support {join_words(split.both)}.")
    common = [word for word in split.unknown_a if word in split.unknown_b]
    if common:
        verb = "is" if len(common) == 1 else "are"
        sentences.append(f"{capitalize_first(join_words(common))} {verb} not disclosed for either.")
    for me, unknown in ((a, split.unknown_a), (b, split.unknown_b)):
        only = [word for word in unknown if word not in common]
        if only:
            verb = "is" if len(only) == 1 else "are"
            sentences.append(f"For {me.name}, {join_words(only)} {verb} not disclosed.")
    return " ".join(sentences)


def cost_paragraph(facts: Facts) -> str:
    a, b, blend = facts.a, facts.b, facts.blend
    sentences = []
    for model, choice in ((a, facts.choice_a), (b, facts.choice_b)):
        if choice is None:
            sentences.append(f"{model.name} has no published price on any provider we track.")
            continue
        sentences.append(
            f"{model.name}'s lowest list price is {format_usd(choice.input)} per 1M input and "
            f"{format_usd(choice.output)} per 1M output tokens, {choice.where()}."
        )
    for price in (facts.input, facts.output):
        if price.comparable:
            sentences.append(kind_sentence(price, a, b))
    sentences += cached_sentences(facts)
    if facts.blended.comparable and not facts.blended.tie:
        sentences.append(
            # Exactly the difference of the two displayed figures, so it can be checked.
            f"At {blend.label}, the blended gap is "
            f"{format_usd_exact(facts.blended.gap())} per 1M tokens."
        )
    thinkers = [m for m in (a, b) if m.capability("reasoning") is True]
    if len(thinkers) == 2:
        sentences.append(
            "Both are reasoning models: their reasoning tokens are billed as output, so the "
            "cost of a task depends on how long each thinks, not only on list prices."
        )
    elif thinkers:
        sentences.append(
            f"{thinkers[0].name} is a reasoning model: its reasoning tokens are billed as "
            "output, so a task can cost more than its list prices suggest."
        )
    return " ".join(sentences)


def cached_sentences(facts: Facts) -> list[str]:
    a, b = facts.a, facts.b
    ca, cb, cached = facts.choice_a, facts.choice_b, facts.cached
    if ca is None or cb is None:
        return []
    sentences = []
    if cached.comparable:
        sentences.append(kind_sentence(cached, a, b))
    elif cached.a is None and cached.b is None:
        sentences.append("Neither cheapest offer lists a cached-input price.")
    else:
        known, choice, missing = (a, ca, b) if cached.a is not None else (b, cb, a)
        sentences.append(
            f"Only {known.name}'s cheapest offer lists a cached-input price, "
            f"{format_usd(choice.cache_read)} per 1M tokens; {missing.name}'s lists none."
        )
    for model, choice in ((a, ca), (b, cb)):
        if choice.cache_read_elsewhere:
            sentences.append(
                f"{model.name}'s cached-input price is {choice.cache_read_from.provider_name}'s, "
                f"which charges the same base price as {choice.provider_name}."
            )
    return sentences


def limit_sentence(a: ModelSnapshot, b: ModelSnapshot, attribute: str, noun: str) -> str:
    x, y = getattr(a, attribute), getattr(b, attribute)
    if not x and not y:
        return f"Neither discloses its {noun}."
    if not x or not y:
        known, missing = (a, b) if x else (b, a)
        value = format_tokens(getattr(known, attribute))
        return f"{known.name} has {a_or_an(value)}-token {noun}; {missing.name}'s is not disclosed."
    fx, fy = format_tokens(x), format_tokens(y)
    if x == y:
        return f"Both have {a_or_an(fx)}-token {noun}."
    if fx == fy:
        return f"Both have {a_or_an(fx)}-token {noun}, as displayed ({x:,} and {y:,} tokens)."
    side = limit_side(x, y)
    if side is None:
        return f"Their {noun}s are about the same: {fx} tokens for {a.name}, {fy} for {b.name}."
    big, small = (a, b) if side == "a" else (b, a)
    fbig, fsmall = (fx, fy) if side == "a" else (fy, fx)
    return f"{big.name} has the larger {noun}: {fbig} tokens against {fsmall} for {small.name}."


def freshness_sentences(a: ModelSnapshot, b: ModelSnapshot) -> list[str]:
    sentences = []
    x, y = a.knowledge_cutoff, b.knowledge_cutoff
    if x and y:
        if (x.year, x.month) == (y.year, y.month):
            sentences.append(f"Both have a knowledge cutoff of {format_month(x)}.")
        elif not cutoff_side(a, b):
            sentences.append(
                f"Their knowledge cutoffs are close: {format_month(x)} for {a.name} and "
                f"{format_month(y)} for {b.name}."
            )
        else:
            later, earlier = (a, b) if x > y else (b, a)
            months = months_between(later.knowledge_cutoff, earlier.knowledge_cutoff)
            sentences.append(
                f"{later.name}'s knowledge cutoff, {format_month(later.knowledge_cutoff)}, is "
                f"{count_noun(months, 'month')} later than {earlier.name}'s."
            )
    elif x or y:
        known, missing = (a, b) if x else (b, a)
        sentences.append(
            f"{known.name}'s knowledge cutoff is {format_month(known.knowledge_cutoff)}; "
            f"{missing.name}'s is not disclosed."
        )
    statuses = [m for m in (a, b) if m.lifecycle in STATUS_WORDS]
    if not statuses:
        sentences.append("Both are generally available.")
    for model in statuses:
        sentences.append(f"{model.name} is {STATUS_WORDS[model.lifecycle]}.")
    return sentences


def limits_paragraph(facts: Facts) -> str:
    a, b = facts.a, facts.b
    sentences = [
        limit_sentence(a, b, "context_window", "context window"),
        limit_sentence(a, b, "max_output_tokens", "output limit"),
        *freshness_sentences(a, b),
    ]
    return " ".join(sentences)


def benchmark_paragraph(facts: Facts) -> str:
    a, b = facts.a, facts.b
    gaps = sorted(facts.gaps, key=lambda g: -g.size)
    if not gaps:
        return ""
    named = gaps[:MAX_BENCHMARKS_NAMED]
    first = named[0]
    clauses = [
        f"{a.name} scores {score_text(first.a)} on {first.label} against "
        f"{score_text(first.b)} for {b.name}"
    ]
    clauses += [f"{score_text(g.a)} against {score_text(g.b)} on {g.label}" for g in named[1:]]
    sentences = [capitalize_first("; ".join(clauses)) + "."]
    if len(gaps) > len(named):
        sentences.append(f"The table lists {number_word(len(gaps) - len(named))} more.")
    scores = [s for g in gaps for s in (g.a, g.b)]
    own = sum(1 for s in scores if s.provenance == "maker")
    total = len(scores)
    if own == 0:
        sentences.append(
            f"None of the {number_word(total)} scores shown is self-reported by a maker."
        )
    elif own == total:
        sentences.append(
            "Both scores shown are self-reported by their makers."
            if total == 2
            else f"All {number_word(total)} scores shown are self-reported by their makers."
        )
    else:
        verb = "is" if own == 1 else "are"
        sentences.append(
            f"{capitalize_first(number_word(own))} of the {number_word(total)} scores shown "
            f"{verb} self-reported by the makers."
        )
    return " ".join(sentences)


# --- FAQ ------------------------------------------------------------------------------


def price_answer(facts: Facts) -> str:
    a, b, blend, price = facts.a, facts.b, facts.blend, facts.blended
    mix = f"at {a_or_an(blend.label)} input/output mix on each model's cheapest provider"
    if not price.comparable:
        if price.a is None and price.b is None:
            return "Neither has a published price on the providers we track."
        known, value, missing = (a, price.a, b) if price.a is not None else (b, price.b, a)
        return (
            f"Only {known.name} has a published price, {format_usd(value)} per 1M blended "
            f"tokens {mix}; {missing.name} has none."
        )
    if price.tie:
        return f"Neither: both work out at {format_usd(price.a)} per 1M blended tokens {mix}."
    side = price.cheaper_side()
    cheap, dear = (a, b) if side == "a" else (b, a)
    low, high = (price.a, price.b) if side == "a" else (price.b, price.a)
    if price.material_side() is None:
        return (
            f"Neither by much: {cheap.name} works out at {format_usd(low)} and {dear.name} at "
            f"{format_usd(high)} per 1M blended tokens {mix}."
        )
    return (
        f"{cheap.name}: {format_usd(low)} per 1M blended tokens against {format_usd(high)} "
        f"for {dear.name}, {mix}."
    )


def context_answer(a: ModelSnapshot, b: ModelSnapshot) -> str:
    x, y = a.context_window, b.context_window
    if not x or not y:
        known, missing = (a, b) if x else (b, a)
        return (
            f"{known.name} takes up to {format_tokens(known.context_window)} tokens; "
            f"{missing.name} does not disclose its context window."
        )
    side = limit_side(x, y)
    if side is None:
        if format_tokens(x) == format_tokens(y):
            return f"Neither: both take about {format_tokens(x)} tokens."
        return f"Neither by much: {format_tokens(x)} and {format_tokens(y)} tokens."
    big, small = (a, b) if side == "a" else (b, a)
    return (
        f"{big.name}, with room for {format_tokens(big.context_window)} tokens against "
        f"{format_tokens(small.context_window)}."
    )


def weights_sentence(model: ModelSnapshot) -> str:
    if model.open_weights is None:
        return f"Whether {model.name} has open weights is not disclosed."
    if model.open_weights:
        if model.license:
            return f"{model.name} has open weights under {licence_phrase(model.license)}."
        return f"{model.name} has open weights; its licence is not disclosed."
    if model.license and not model.license.lower().startswith("proprietary"):
        return (
            f"{model.name} does not publish its weights; it is offered under "
            f"{licence_phrase(model.license)}."
        )
    return f"{model.name} does not publish its weights."


def availability_answer(a: ModelSnapshot, b: ModelSnapshot) -> str:
    parts = []
    for model in (a, b):
        names = [o.provider_name for o in model.offerings]
        if names:
            parts.append(f"{model.name} on {join_words(names)}")
        else:
            parts.append(f"{model.name} on none of the providers we track")
    return f"We track {parts[0]}; {parts[1]}."


def faq_items(facts: Facts) -> tuple[FaqItem, ...]:
    a, b = facts.a, facts.b
    pair = f"{a.name} or {b.name}"
    items = [FaqItem(f"Which is cheaper, {pair}?", price_answer(facts))]
    if a.context_window or b.context_window:
        items.append(FaqItem(f"Which has a larger context window, {pair}?", context_answer(a, b)))
    gaps = facts.gaps
    if gaps:
        wins_a = sum(1 for g in gaps if g.winner == "a")
        wins_b = sum(1 for g in gaps if g.winner == "b")
        close = len(gaps) - wins_a - wins_b
        answer = (
            f"Counting gaps of {threshold_text(gaps)} or more on "
            f"{count_noun(len(gaps), 'shared benchmark')}, {a.name} leads on "
            f"{number_word(wins_a)} and {b.name} on {number_word(wins_b)}"
        )
        if close:
            answer += f"; {number_word(close)} {'is' if close == 1 else 'are'} too close to call"
        answer += "."
        items.append(FaqItem(f"Which scores better on benchmarks, {pair}?", answer))
    if a.release_date and b.release_date and a.release_date != b.release_date:
        newer, older = (a, b) if a.release_date > b.release_date else (b, a)
        items.append(
            FaqItem(
                f"Which is newer, {pair}?",
                f"{newer.name} is newer: it came out on {format_date(newer.release_date)}, "
                f"{older.name} on {format_date(older.release_date)}.",
            )
        )
    items.append(
        FaqItem(f"Are the weights of {pair} open?", f"{weights_sentence(a)} {weights_sentence(b)}")
    )
    items.append(FaqItem(f"Where can I run {a.name} and {b.name}?", availability_answer(a, b)))
    for side in ("a", "b"):
        edge = feature_edge(facts.model(side), facts.other(side))
        if edge:
            me, other = facts.model(side), facts.other(side)
            items.append(
                FaqItem(
                    f"What can {me.name} do that {other.name} cannot?",
                    f"{me.name} offers {join_words(edge)}, which {other.name} lacks.",
                )
            )
    return tuple(items)


# --- Assembly -------------------------------------------------------------------------


def compared_model(
    model: ModelSnapshot, choice: PriceChoice | None, blend: BlendRatio
) -> ComparedModel:
    """The model's spec and pricing figures as values: what its rows' `field`s name."""
    return ComparedModel(
        slug=model.slug,
        name=model.name,
        release_date=model.release_date,
        knowledge_cutoff=model.knowledge_cutoff,
        context_window=model.context_window,
        max_output_tokens=model.max_output_tokens,
        parameter_count=model.parameter_count,
        input_usd_per_mtok=choice.input_value if choice else None,
        output_usd_per_mtok=choice.output_value if choice else None,
        cached_input_usd_per_mtok=choice.cache_read_value if choice else None,
        blended_usd_per_mtok=choice.blended_value(blend) if choice else None,
        provider_count=len(model.offerings),
    )


def price_gaps(model_a: ComparedModel, model_b: ComparedModel) -> PriceGaps:
    """Each quoted price's gap, from the values (not the rounded text)."""

    def gap(field: str) -> PriceGap | None:
        return price_gap(getattr(model_a, field), getattr(model_b, field))

    return PriceGaps(
        input=gap("input_usd_per_mtok"),
        output=gap("output_usd_per_mtok"),
        cached_input=gap("cached_input_usd_per_mtok"),
        blended=gap("blended_usd_per_mtok"),
    )


def collect_sources(pair: PairSnapshot, gaps: tuple[ScoreGap, ...]) -> tuple[Link, ...]:
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
    for gap in gaps:
        for score in (gap.a, gap.b):
            if score.source_url:
                seen.setdefault(score.source_url, Link(f"{score.label} scores", score.source_url))
    return tuple(seen.values())


def price_headline(facts: Facts) -> str:
    """The cost gap in a few words, for the meta description."""
    price, blend = facts.blended, facts.blend
    if not price.comparable:
        return ""
    if price.tie:
        return f"The same price, {format_usd(price.a)} per 1M tokens at {blend.label}."
    side = price.cheaper_side()
    cheap, dear = facts.model(side), facts.other(side)
    low, high = (price.a, price.b) if side == "a" else (price.b, price.a)
    if low == 0:
        return f"{cheap.name} is free where {dear.name} costs {format_usd(high)} per 1M tokens."
    if price.material_side() is None:
        return (
            f"About the same price at {blend.label}: {format_usd(price.a)} and "
            f"{format_usd(price.b)} per 1M tokens."
        )
    phrase = gap_phrase(cheap.name, dear.name, low, high)
    first, second = (high, low) if phrase.endswith("as much") else (low, high)
    return f"{phrase} at {blend.label}: {format_usd(first)} vs {format_usd(second)} per 1M tokens."


def meta_description(title: str, sentences: list[str], limit: int = META_LIMIT) -> str:
    """The title and as many whole sentences as fit in `limit` characters, in order of
    importance; never a sentence cut short."""
    kept: list[str] = []
    for sentence in sentences:
        if sentence and len(f"{title}: {' '.join([*kept, sentence])}") <= limit:
            kept.append(sentence)
    if kept:
        return f"{title}: {' '.join(kept)}"
    fallback = f"{title}: prices, context windows, capabilities and benchmarks side by side."
    return fallback if len(fallback) <= limit else title


def build_comparison_document(
    pair: PairSnapshot, *, blend: BlendRatio = DEFAULT_BLEND
) -> ComparisonDocument:
    """Everything the comparison page says about `pair`, as plain data.

    Pure: reads only the snapshot. Prices are each model's cheapest offering at `blend`
    (ties to the maker's own API, then by provider name).
    """
    a, b = pair.a, pair.b
    facts = facts_for(pair, blend)
    title = f"{a.name} vs {b.name}"
    deciding, evidence = decider(facts), benchmark_lead(facts)
    summary = " ".join(s for s in (cost_lead(facts), deciding, evidence) if s)
    verdict = pair.verdict_override.strip() or verdict_text(facts)
    deep_dive = [features_paragraph(facts), cost_paragraph(facts), limits_paragraph(facts)]
    if paragraph := benchmark_paragraph(facts):
        deep_dive.append(paragraph)

    reviewed = [m.last_reviewed for m in (a, b) if m.last_reviewed]
    last_reviewed = min(reviewed) if len(reviewed) == 2 else None
    bench_rows = benchmark_rows((g.a, g.b) for g in facts.gaps)
    model_a = compared_model(a, facts.choice_a, blend)
    model_b = compared_model(b, facts.choice_b, blend)
    return ComparisonDocument(
        model_a=model_a,
        model_b=model_b,
        title=title,
        meta_description=meta_description(
            title, [price_headline(facts), deciding, evidence, verdict]
        ),
        summary=summary,
        verdict=verdict,
        verdict_is_editorial=bool(pair.verdict_override.strip()),
        editor_note=pair.editor_note.strip(),
        spec_rows=spec_rows(a, b),
        pricing_rows=pricing_rows(a, b, facts.choice_a, facts.choice_b, blend),
        provider_price_rows=provider_price_rows(a, b),
        capability_rows=capability_rows(a, b),
        benchmark_rows=bench_rows,
        benchmark_note=""
        if bench_rows
        else f"No benchmark has a sourced score for both {a.name} and {b.name} yet.",
        deep_dive=tuple(p for p in deep_dive if p),
        faq=faq_items(facts),
        blend=blend.label,
        blend_query=blend.query_value,
        cheapest_provider_a=facts.choice_a.provider_name if facts.choice_a else None,
        cheapest_provider_b=facts.choice_b.provider_name if facts.choice_b else None,
        sources=collect_sources(pair, facts.gaps),
        last_reviewed=last_reviewed,
        last_reviewed_text=format_date(last_reviewed) if last_reviewed else "not yet reviewed",
        benchmark_attributions=tuple(
            sorted({s.attribution for g in facts.gaps for s in (g.a, g.b) if s.attribution})
        ),
        price_gaps=price_gaps(model_a, model_b),
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
