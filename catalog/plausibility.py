"""Plausibility rules for a price or a model's limits, independent of other sources.

Pure functions: they take figures and return warnings that name the field. Callers (the
admin forms, the importer's preview) hold a save with warnings until an editor confirms.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from catalog.formatting import format_usd
from catalog.importers.source import PRICE_FIELDS

OUTPUT_BELOW_INPUT_FACTOR = Decimal(10)
CHANGE_FACTOR = Decimal(5)
FREE_SUFFIX = ":free"


@dataclass(frozen=True)
class PlausibilityWarning:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def _figure(source, name):
    if source is None:
        return None
    if isinstance(source, dict):
        return source.get(name)
    return getattr(source, name, None)


def check_price(new, *, previous=None, provider_model_id: str = "") -> list[PlausibilityWarning]:
    """Warnings for a price (anything with input/output/cache_read/cache_write, or a dict)
    against the offering's previous price. Every provider counts as paid unless the
    provider model id ends with ":free"."""
    warnings: list[PlausibilityWarning] = []
    inp, out = _figure(new, "input"), _figure(new, "output")
    if inp is not None and out is not None and out * OUTPUT_BELOW_INPUT_FACTOR < inp:
        warnings.append(
            PlausibilityWarning(
                "output",
                f"the output price {out} is more than 10x below the input price {inp} (swapped?)",
            )
        )
    free = provider_model_id.endswith(FREE_SUFFIX)
    for name in PRICE_FIELDS:
        value = _figure(new, name)
        if value is None:
            continue
        if value == 0 and not free and name in ("input", "output"):
            warnings.append(PlausibilityWarning(name, "a price of exactly zero on a paid offering"))
        old = _figure(previous, name)
        if old is None or old == 0 or value == 0:
            continue
        if value > old * CHANGE_FACTOR or value * CHANGE_FACTOR < old:
            warnings.append(
                PlausibilityWarning(
                    name,
                    f"changes from {format_usd(old)} to {format_usd(value)}, "
                    "more than 5x the previous price (a slipped decimal?)",
                )
            )
    return warnings


def check_limits(*, context_window, max_output_tokens) -> list[PlausibilityWarning]:
    if (
        context_window is not None
        and max_output_tokens is not None
        and context_window < max_output_tokens
    ):
        return [
            PlausibilityWarning(
                "max_output_tokens",
                f"the max output {max_output_tokens} is above the context window {context_window}",
            )
        ]
    return []
