"""Which price of a model the page quotes, and how two such prices compare.

A model's quoted price is its cheapest priced offering at the blend. Several providers
often charge exactly the same; then the maker's own API is the one named, the others are
said to tie, and a cached-input price listed by any of them is quoted (with its
provider). Every comparison is made on the figures as the page displays them, so a gap
or a percentage can always be checked against the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from catalog.formatting import derived_usd, format_usd, usd_shown
from catalog.models import MONEY_QUANTUM
from comparisons.narrative.document import PriceGap
from comparisons.narrative.english import (
    count_noun,
    join_words,
    multiple_phrase,
    number_word,
    percent_phrase,
)
from comparisons.narrative.materiality import price_is_material
from comparisons.pricing import BlendRatio, blended_price, percent_cheaper, price_multiple
from comparisons.snapshot import ModelSnapshot, OfferingSnapshot

# Above this many times the cheaper price, a gap reads as a multiple ("3.2x as much"); up
# to it as a percentage ("34% cheaper", "50% cheaper"): one of the two, never both.
MULTIPLE_FROM = Decimal(2)


def as_stored(amount: Decimal | None) -> Decimal | None:
    """`amount` at the precision prices are stored with (six places), for the values the
    document carries beside its text; a stored price is unchanged."""
    return None if amount is None else amount.quantize(MONEY_QUANTUM, rounding=ROUND_HALF_UP)


def offering_rank(offering: OfferingSnapshot, blend: BlendRatio) -> tuple:
    """Cheapest blended price first; among equals the maker's own API, then by name."""
    return (
        blended_price(offering.input, offering.output, ratio=blend),
        not offering.first_party,
        offering.provider_name.lower(),
    )


def cheapest_offering(model: ModelSnapshot, blend: BlendRatio) -> OfferingSnapshot | None:
    """The priced offering the page quotes for `model` (see `offering_rank`)."""
    priced = model.priced_offerings
    if not priced:
        return None
    return min(priced, key=lambda o: offering_rank(o, blend))


@dataclass(frozen=True)
class PriceChoice:
    """A model's quoted price: the named offering and every offering charging the same."""

    offering: OfferingSnapshot
    ties: tuple[OfferingSnapshot, ...]  # the named offering first, then the others by name
    priced_count: int
    cache_read: Decimal | None
    cache_read_from: OfferingSnapshot | None

    @property
    def input(self) -> Decimal:
        return usd_shown(self.offering.input)

    @property
    def output(self) -> Decimal:
        return usd_shown(self.offering.output)

    @property
    def provider_name(self) -> str:
        return self.offering.provider_name

    def blended(self, blend: BlendRatio) -> Decimal:
        """The blended price as displayed (three significant figures below a dollar)."""
        return derived_usd(blended_price(self.offering.input, self.offering.output, ratio=blend))

    # The same prices as values: as stored, not rounded for display.
    @property
    def input_value(self) -> Decimal:
        return as_stored(self.offering.input)

    @property
    def output_value(self) -> Decimal:
        return as_stored(self.offering.output)

    @property
    def cache_read_value(self) -> Decimal | None:
        return as_stored(self.cache_read_from.cache_read) if self.cache_read_from else None

    def blended_value(self, blend: BlendRatio) -> Decimal:
        """The blended price of the stored prices, to six places rounded half up."""
        return as_stored(blended_price(self.offering.input, self.offering.output, ratio=blend))

    def where(self) -> str:
        """ "on OpenAI API", "on both tracked providers", "on all three tracked providers",
        "on Azure, OpenAI API and OpenRouter", "on OpenAI API and four other providers"."""
        names = [o.provider_name for o in self.ties]
        if len(names) == 1:
            return f"on {names[0]}"
        if len(names) == self.priced_count == 2:
            return "on both tracked providers"
        if len(names) == self.priced_count:
            return f"on all {number_word(len(names))} tracked providers"
        if len(names) <= 3:
            return f"on {join_words(names)}"
        return f"on {names[0]} and {count_noun(len(names) - 1, 'other provider')}"

    @property
    def cache_read_elsewhere(self) -> bool:
        """The quoted cached price is another tied provider's, not the named one's."""
        return self.cache_read_from is not None and self.cache_read_from != self.offering


def price_choice(model: ModelSnapshot, blend: BlendRatio) -> PriceChoice | None:
    named = cheapest_offering(model, blend)
    if named is None:
        return None
    ties = [
        o
        for o in model.priced_offerings
        if o is not named and (o.input, o.output) == (named.input, named.output)
    ]
    ties.sort(key=lambda o: o.provider_name.lower())
    group = (named, *ties)
    cached = [o for o in group if o.cache_read is not None]
    cheapest_cache = min(cached, key=lambda o: (o.cache_read, o is not named)) if cached else None
    return PriceChoice(
        offering=named,
        ties=group,
        priced_count=len(model.priced_offerings),
        cache_read=usd_shown(cheapest_cache.cache_read) if cheapest_cache else None,
        cache_read_from=cheapest_cache,
    )


@dataclass(frozen=True)
class PriceFacts:
    """One price of each model, as displayed, and how they compare."""

    kind: str  # "input", "output", "cached input" or "blended"
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

    def material_side(self) -> str | None:
        """The side that is materially cheaper (materiality.price_is_material), if any."""
        side = self.cheaper_side()
        if side is None:
            return None
        cheap, dear = (self.a, self.b) if side == "a" else (self.b, self.a)
        return side if price_is_material(cheap, dear) else None

    def gap(self) -> Decimal | None:
        """The difference of the displayed figures."""
        return abs(self.a - self.b) if self.comparable else None


def price_gap(a: Decimal | None, b: Decimal | None) -> PriceGap | None:
    """How price values `a` and `b` compare, as values (document.PriceGap); None when
    either is missing."""
    if a is None or b is None:
        return None
    if a == b:
        return PriceGap(
            cheaper=None,
            difference_usd_per_mtok=as_stored(Decimal(0)),
            percent_cheaper=0,
            multiple=1.0 if a > 0 else None,
        )
    side = "a" if a < b else "b"
    cheap, dear = (a, b) if side == "a" else (b, a)
    multiple = price_multiple(cheap, dear)
    return PriceGap(
        cheaper=side,
        difference_usd_per_mtok=as_stored(dear - cheap),
        percent_cheaper=int(percent_cheaper(cheap, dear)),
        multiple=None if multiple is None else float(multiple),
    )


def gap_phrase(cheap_name: str, dear_name: str, cheap: Decimal, dear: Decimal) -> str:
    """ "Alpha is 34% cheaper" below twice the price, "Beta costs 3.2x as much" from it."""
    multiple = price_multiple(cheap, dear)
    if multiple is not None and multiple > MULTIPLE_FROM:
        return f"{dear_name} costs {multiple_phrase(dear / cheap)} as much"
    return f"{cheap_name} is {percent_phrase(percent_cheaper(cheap, dear))} cheaper"


def kind_sentence(facts: PriceFacts, a: ModelSnapshot, b: ModelSnapshot) -> str:
    """One sentence on one comparable price of the pair ("input", "output", …)."""
    kind = facts.kind
    if facts.tie:
        if facts.a == 0:
            return f"Both {a.name} and {b.name} charge nothing for {kind} tokens."
        return (
            f"{a.name} and {b.name} charge the same for {kind} tokens: "
            f"{format_usd(facts.a)} per 1M."
        )
    side = facts.cheaper_side()
    cheap_model, dear_model = (a, b) if side == "a" else (b, a)
    cheap, dear = (facts.a, facts.b) if side == "a" else (facts.b, facts.a)
    if cheap == 0:
        return (
            f"{cheap_model.name} charges nothing for {kind} tokens, against "
            f"{format_usd(dear)} per 1M for {dear_model.name}."
        )
    if facts.material_side() is None:
        return (
            f"{a.name} and {b.name} charge about the same for {kind} tokens: "
            f"{format_usd(facts.a)} and {format_usd(facts.b)} per 1M."
        )
    phrase = gap_phrase(cheap_model.name, dear_model.name, cheap, dear)
    first, second = (dear, cheap) if phrase.endswith("as much") else (cheap, dear)
    return f"On {kind} tokens, {phrase}: {format_usd(first)} vs {format_usd(second)} per 1M."
