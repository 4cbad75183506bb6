"""Price fields in the admin as people write them: "1.25" in a form field, never the
stored "1.250000" (lists use formatting.format_usd_exact: "$1.25"). Display only: what a
form saves is unchanged."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from catalog.admin.widgets import TemplateFreeInput
from catalog.formatting import plain_decimal
from catalog.models import MONEY


class MoneyInput(TemplateFreeInput, forms.TextInput):
    """A price field showing its figure without trailing zeros. A text input (with the
    decimal keypad on phones) rather than type=number: a browser blanks what a number
    input cannot parse, so the editor would read "required" instead of the real error."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal) and value.is_finite():
            return plain_decimal(value)
        return super().format_value(value)


def money_field(label: str, *, required: bool = False) -> forms.DecimalField:
    """A USD-per-1M-tokens form field with the model's bounds: not negative, at most as
    many digits as the database holds (so an absurd figure is an error, not a 500)."""
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal("0"),
        max_digits=MONEY["max_digits"],
        decimal_places=MONEY["decimal_places"],
        widget=MoneyInput,
    )
