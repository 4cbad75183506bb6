"""The workload cost calculator: monthly cost of a workload for each model on each
provider. Pure: reads a PairSnapshot, returns rows; the form validates the input."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django import forms

from catalog.formatting import format_tokens
from comparisons.pricing import (
    DEFAULT_BLEND,
    ContextTier,
    Rates,
    WorkloadCost,
    monthly_cost,
    parse_blend,
)
from comparisons.snapshot import PairSnapshot

MAX_TOKENS = 10**13  # ten trillion tokens a month: beyond any real workload
MAX_PROMPT_TOKENS = 100_000_000  # larger than any context window offered


class ComparisonOptionsForm(forms.Form):
    """GET parameters of the comparison page: the blend and the workload."""

    blend = forms.CharField(
        required=False,
        max_length=20,
        label="Input/output blend",
        help_text='For example "70/30", "3:1" or "50/50".',
    )
    input_tokens = forms.IntegerField(
        required=False, min_value=0, max_value=MAX_TOKENS, label="Input tokens per month"
    )
    output_tokens = forms.IntegerField(
        required=False, min_value=0, max_value=MAX_TOKENS, label="Output tokens per month"
    )
    cached_percent = forms.DecimalField(
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,
        label="Cached share of input (%)",
    )
    prompt_tokens = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PROMPT_TOKENS,
        label="Typical prompt size (tokens)",
        help_text=(
            "Optional: selects long-context prices where a provider has them and marks "
            "providers whose context window is smaller."
        ),
    )

    DEFAULTS = {"input_tokens": 10_000_000, "output_tokens": 2_000_000, "cached_percent": 0}

    def clean_blend(self):
        text = self.cleaned_data.get("blend") or ""
        try:
            return parse_blend(text)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error


@dataclass(frozen=True)
class Workload:
    input_tokens: int
    output_tokens: int
    cached_share: Decimal = Decimal(0)
    prompt_tokens: int | None = None


@dataclass(frozen=True)
class CostRow:
    model_name: str
    provider_name: str
    provider_url: str
    monthly: Decimal
    is_cheapest: bool
    notes: tuple[str, ...]
    # False when the typical prompt is longer than the provider's context window: the
    # workload cannot run there, so the row is not priced as an option.
    fits_prompt: bool = True


WORKLOAD_FIELDS = ("input_tokens", "output_tokens", "cached_percent", "prompt_tokens")


# The query -> what read_options made of it; emptied when full, so hostile queries
# cannot grow it.
_read: dict[str, tuple[ComparisonOptionsForm, object, Workload | None]] = {}
MOST_QUERIES = 256


def read_options(data) -> tuple[ComparisonOptionsForm, object, Workload | None]:
    """(form, blend, workload) from GET data. Blank fields take defaults, and the form
    shows them, so the fields hold the figures the results use; an invalid workload gives
    None (the form shows why) and an invalid blend the default blend.

    Kept per query in this process: nearly every page has the same (none), and building
    and validating the form was a twentieth of a warm comparison page. The form is shared:
    only read it (comparisons.fragments renders it once per query)."""
    key = data.urlencode()
    found = _read.get(key)
    if found is None:
        found = _read_options(data)
        if len(_read) >= MOST_QUERIES:
            _read.clear()
        _read[key] = found
    return found


def _read_options(data) -> tuple[ComparisonOptionsForm, object, Workload | None]:
    data = data.copy()
    for name, default in ComparisonOptionsForm.DEFAULTS.items():
        if not data.get(name, "").strip():
            data[name] = str(default)
    if not data.get("blend", "").strip():
        data["blend"] = DEFAULT_BLEND.label
    form = ComparisonOptionsForm(data)
    form.is_valid()
    cleaned = form.cleaned_data
    blend = cleaned.get("blend") if "blend" not in form.errors else DEFAULT_BLEND
    blend = blend or DEFAULT_BLEND
    if any(field in form.errors for field in WORKLOAD_FIELDS):
        return form, blend, None

    def value(name):
        found = cleaned.get(name)
        return ComparisonOptionsForm.DEFAULTS.get(name) if found is None else found

    workload = Workload(
        input_tokens=value("input_tokens"),
        output_tokens=value("output_tokens"),
        cached_share=Decimal(value("cached_percent")) / 100,
        prompt_tokens=cleaned.get("prompt_tokens"),
    )
    return form, blend, workload


def prompt_too_long_note(prompt_tokens: int | None, context_window: int | None) -> str:
    """Why a typical prompt cannot run on a provider, or "" when it fits (or either
    figure is unknown)."""
    if prompt_tokens and context_window and prompt_tokens > context_window:
        return f"prompt exceeds this provider's {format_tokens(context_window)} context window"
    return ""


@dataclass(frozen=True)
class OfferingCost:
    """A workload priced on one offering, with what a reader must know about it."""

    cost: WorkloadCost
    # False when the typical prompt is longer than the offering's context window.
    fits_prompt: bool
    notes: tuple[str, ...]


def offering_cost(
    rates: Rates,
    workload: Workload,
    *,
    tiers: tuple[ContextTier, ...] = (),
    context_window: int | None = None,
) -> OfferingCost:
    """`workload` on an offering billed at `rates` (its long-context `tiers` chosen by
    the typical prompt), and whether that prompt fits its `context_window` (the
    provider's own where it has one, else the model's). The calculator and the API's
    /api/v1/cost/ price every offering with this."""
    too_long = prompt_too_long_note(workload.prompt_tokens, context_window)
    cost = monthly_cost(
        rates,
        input_tokens=workload.input_tokens,
        output_tokens=workload.output_tokens,
        cached_share=workload.cached_share,
        tiers=tiers,
        prompt_tokens=workload.prompt_tokens,
    )
    notes = []
    if too_long:
        notes.append(too_long)  # the billing notes would be about a request it refuses
    elif cost.cached_billed_as_input:
        notes.append("no cache price published: cached input billed as input")
    if not too_long and cost.rates != rates:
        notes.append("long-context price applies")
    return OfferingCost(cost=cost, fits_prompt=not too_long, notes=tuple(notes))


def workload_costs(pair: PairSnapshot, workload: Workload) -> list[CostRow]:
    """A row per priced offering of either model, cheapest first; every row at the
    lowest cost is marked cheapest. Offerings whose context window (the provider's own
    where it has one) is smaller than the typical prompt come last, marked, and are
    never the cheapest."""
    rows = []
    for model in (pair.a, pair.b):
        for offering in model.priced_offerings:
            priced = offering_cost(
                offering.rates,
                workload,
                tiers=offering.tiers,
                context_window=model.context_window_on(offering),
            )
            rows.append((model.name, offering, priced.cost.total, priced.notes, priced.fits_prompt))
    if not rows:
        return []
    lowest = min((total for _n, _o, total, _notes, fits in rows if fits), default=None)
    rows.sort(key=lambda r: (not r[4], r[2], r[0], r[1].provider_name))
    return [
        CostRow(
            model_name=name,
            provider_name=offering.provider_name,
            provider_url=offering.link,
            monthly=total,
            is_cheapest=fits and total == lowest,
            notes=notes,
            fits_prompt=fits,
        )
        for name, offering, total, notes, fits in rows
    ]
