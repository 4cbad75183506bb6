"""Pieces of the comparison page rendered once and reused, so an uncached page renders
only what is its own (docs/benchmarks.md, "Profile: uncached comparison page").

- A model's rows of the every-provider price table depend on that model alone: they are
  rendered once per model snapshot (comparisons.snapshot keeps one per model while the
  catalog stands) and joined per pair.
- The blend and calculator forms depend on the query alone (most pages: none).
- The four pair tables (specs, pricing, capabilities, benchmarks) and the workload cost
  table's rows are written here in one pass (`pair_table`, `cost_rows`): as template
  loops they were two fifths of the page's render.

Apart from the pair tables, the templates stay the only place the markup is written;
this module only decides when they are rendered.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from catalog.formatting import format_usd
from catalog.markup import escape_html
from comparisons.calculator import ComparisonOptionsForm
from comparisons.narrative.document import ComparisonDocument, Link, ProviderPriceRow
from comparisons.per_snapshot import remembered_for
from comparisons.snapshot import ModelSnapshot, PairSnapshot

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
    return remembered_for(
        model,
        ("provider-rows-html", shows_limits),
        lambda: mark_safe(
            render_to_string(
                "comparisons/provider_price_rows.html",
                {"rows": rows, "shows_provider_limits": shows_limits},
            )
        ),
    )


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


def pair_table(caption: str, label_heading: str, name_a: str, name_b: str, rows) -> SafeString:
    """A table of `rows` (narrative.document.Row), a column per model: a cell names its
    links (providers), after its text when the text says more than the first link."""
    e = escape_html
    parts = [
        '<div class="table-scroll">\n<table class="pair-table">\n'
        f"  <caption>{e(caption)}</caption>\n"
        f'  <thead>\n    <tr><th scope="col">{e(label_heading)}</th><th scope="col">{e(name_a)}'
        f'</th><th scope="col">{e(name_b)}</th></tr>\n  </thead>\n  <tbody>\n  '
    ]
    for row in rows:
        parts.append(
            f'\n    <tr>\n      <th scope="row">{e(row.label)}</th>\n'
            f"      <td>{_cell(row.a, row.a_links)}</td>\n"
            f"      <td>{_cell(row.b, row.b_links)}</td>\n"
            "    </tr>\n  "
        )
    parts.append("\n  </tbody>\n</table>\n</div>\n")
    return mark_safe("".join(parts))  # every value above is escaped


def _cell(text: str, links: tuple[Link, ...]) -> str:
    e = escape_html
    if not links:
        return e(text)
    named = ", ".join(
        f'<a href="{e(link.url)}" rel="nofollow noopener">{e(link.text)}</a>'
        if link.url
        else e(link.text)
        for link in links
    )
    return named if text == links[0].text else f"{e(text)}: {named}"


def cost_rows(costs) -> SafeString:
    """The rows of the workload cost table (calculator.CostRow), cheapest first."""
    e = escape_html
    parts = []
    for row in costs:
        if row.provider_url:
            provider = (
                f'<a href="{e(row.provider_url)}" rel="nofollow noopener">'
                f"{e(row.provider_name)}</a>"
            )
        else:
            provider = e(row.provider_name)
        if row.fits_prompt:
            cost = e(format_usd(row.monthly))
            if row.is_cheapest:
                cost += ' <strong class="badge">Cheapest</strong>'
            cost += "".join(f"<br><small>{e(note)}</small>" for note in row.notes)
        else:
            cost = "— not priced: " + "; ".join(e(note) for note in row.notes)
        cheapest = ' class="cheapest"' if row.is_cheapest else ""
        parts.append(
            f"\n          <tr{cheapest}>\n"
            f'            <th scope="row">{e(row.model_name)}</th>\n'
            f"            <td>{provider}</td>\n"
            f"            <td>{cost}</td>\n"
            "          </tr>\n        "
        )
    return mark_safe("".join(parts))  # every value above is escaped
