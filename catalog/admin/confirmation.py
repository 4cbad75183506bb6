"""The plausibility hold: figures the checks question are saved once the editor confirms."""

from __future__ import annotations

from django import forms

CONFIRM_LABEL = "I have checked these figures"


def confirm_warnings_field():
    return forms.BooleanField(
        label=CONFIRM_LABEL,
        required=False,
        help_text="Tick to save figures the plausibility check questions.",
    )


def hold_implausible(form, warnings) -> None:
    """Fail validation with each warning on its field unless the editor confirmed."""
    if not warnings or form.cleaned_data.get("confirm_warnings"):
        return
    for warning in warnings:
        target = warning.field if warning.field in form.fields else None
        form.add_error(target, f'Please check: {warning}. Tick "{CONFIRM_LABEL}" to save.')
