"""Pieces of the comparison page rendered once and reused, so an uncached page renders
only what is its own (docs/benchmarks.md, "Profile: uncached comparison page").

- A model's rows of the every-provider price table depend on that model alone: they are
  rendered once per model snapshot (comparisons.snapshot keeps one per model while the
  catalog stands) and joined per pair.
- The blend and calculator forms depend on the query alone (most pages: none).

The templates stay the only place the markup is written; this module only decides when
they are rendered.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from comparisons.calculator import ComparisonOptionsForm
from comparisons.narrative.document import ComparisonDocument, ProviderPriceRow
from comparisons.snapshot import ModelSnapshot, PairSnapshot

# (id of a model snapshot, shows_provider_limits) -> its rows' HTML. An entry goes when
# its snapshot is freed (weakref.finalize), so an id is never reused for another one.
_model_rows: dict[tuple[int, bool], SafeString] = {}
# The query of the forms -> their HTML; emptied when full, so hostile queries cannot grow it.
_forms: dict[str, tuple[SafeString, SafeString]] = {}
MOST_FORMS = 256


@dataclass(frozen=True)
class Fragments:
    provider_rows: SafeString
    blend_form: SafeString
    calculator_form: SafeString


def comparison_fragments(
    pair: PairSnapshot, document: ComparisonDocument, options: ComparisonOptionsForm
) -> Fragments:
    blend_form, calculator_form = options_forms(options)
    return Fragments(
        provider_rows=provider_price_rows(pair, document),
        blend_form=blend_form,
        calculator_form=calculator_form,
    )


def provider_price_rows(pair: PairSnapshot, document: ComparisonDocument) -> SafeString:
    """The body of the every-provider table: model a's rows, then model b's
    (comparisons.narrative.tables.provider_price_rows lists them in that order)."""
    shows_limits = document.shows_provider_limits
    rows = document.provider_price_rows
    split = len(pair.a.offerings)
    return mark_safe(  # both halves are rendered by the autoescaping template
        model_rows(pair.a, rows[:split], shows_limits)
        + model_rows(pair.b, rows[split:], shows_limits)
    )


def model_rows(
    model: ModelSnapshot, rows: tuple[ProviderPriceRow, ...], shows_limits: bool
) -> SafeString:
    """One model's rows, rendered the first time this snapshot asks. `rows` must be the
    model's own (derived from `model` alone), as tables.provider_price_rows makes them."""
    return _remembered(
        model,
        shows_limits,
        lambda: render_to_string(
            "comparisons/provider_price_rows.html",
            {"rows": rows, "shows_provider_limits": shows_limits},
        ),
    )


def _remembered(model: ModelSnapshot, variant: bool, build: Callable[[], str]) -> SafeString:
    key = (id(model), variant)
    html = _model_rows.get(key)
    if html is None:
        html = _model_rows[key] = mark_safe(build())
        weakref.finalize(model, _model_rows.pop, key, None)
    return html


def options_forms(options: ComparisonOptionsForm) -> tuple[SafeString, SafeString]:
    """The blend form and the calculator form for the query `options` is bound to."""
    key = options.data.urlencode()
    found = _forms.get(key)
    if found is None:
        context = {"options": options}
        found = (
            mark_safe(render_to_string("comparisons/blend_form.html", context)),
            mark_safe(render_to_string("comparisons/calculator_form.html", context)),
        )
        if len(_forms) >= MOST_FORMS:
            _forms.clear()
        _forms[key] = found
    return found
