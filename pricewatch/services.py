"""Editors' decisions on findings. Prices change only through catalog.services."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from catalog.services import PriceInput, current_base_price, record_price
from pricewatch.models import PRICE_FIELD_NAMES, Finding


class FindingRefused(ValueError):
    """The finding cannot be acted on as asked; nothing changed."""


@transaction.atomic
def dismiss(finding: Finding, *, user, note: str) -> None:
    """Ours is right. Stays dismissed while the source repeats the same values."""
    note = (note or "").strip()
    if not note:
        raise FindingRefused("Say why ours is right (a note is required).")
    finding.status = Finding.Status.DISMISSED
    finding.resolved_by = user
    finding.resolved_at = timezone.now()
    finding.note = note
    finding.save()


@transaction.atomic
def take_theirs(finding: Finding, *, user, note: str = "") -> None:
    """Adopt the source's value: a new dated price through record_price (history and
    change feed see it) or, for context window / max output, a normal model save."""
    theirs = finding.their_value
    if theirs is None:
        raise FindingRefused(f"{finding}: the source states no value to take.")
    offering = finding.offering
    if finding.field in PRICE_FIELD_NAMES:
        current = current_base_price(offering)
        figures = {
            name: (getattr(current, name) if current else None) for name in PRICE_FIELD_NAMES
        }
        figures[finding.field] = Decimal(theirs)
        if figures["input"] is None or figures["output"] is None:
            raise FindingRefused(f"{finding}: no current price to amend.")
        record_price(
            offering=offering,
            price=PriceInput(**figures),
            source_url="",
        )
    else:
        model = offering.model
        setattr(model, finding.field, int(theirs))
        model.save()
    finding.status = Finding.Status.ACCEPTED
    finding.resolved_by = user
    finding.resolved_at = timezone.now()
    finding.note = note or f"Took {finding.source}'s value {theirs}."
    finding.save()
