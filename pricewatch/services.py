"""Editors' decisions on findings. Prices change only through catalog.services."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from catalog.models import Offering
from catalog.services import PriceInput, add_offering, current_base_price, record_price
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
    change feed see it) or, for context window / max output, the offering's own limit."""
    if finding.kind == Finding.Kind.NOT_IN_SOURCE:
        raise FindingRefused(
            f"{finding.subject}: {finding.source} does not list this offering, so there is "
            "nothing to take. If the provider stopped selling it, set its lifecycle to "
            "retired; otherwise say why ours is right."
        )
    if finding.kind == Finding.Kind.NOT_IN_CATALOG:
        _add_their_offering(finding)
        _settle(finding, user, note or f"Added the offering with {finding.source}'s price.")
        # Other sources said the same: the offering exists now, so they are settled too.
        Finding.objects.filter(
            kind=Finding.Kind.NOT_IN_CATALOG,
            provider=finding.provider,
            model=finding.model,
            status__in=[Finding.Status.OPEN, Finding.Status.DISMISSED],
        ).update(
            status=Finding.Status.RESOLVED,
            resolved_by=user,
            resolved_at=timezone.now(),
            note=f"The offering was added from {finding.source}'s finding.",
        )
        return
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
        # A source's limit is this provider's: it becomes the offering's own limit
        # (cleared when it equals the model's), leaving the model and other providers.
        value = int(theirs)
        setattr(
            offering,
            finding.field,
            None if value == getattr(offering.model, finding.field) else value,
        )
        offering.full_clean()
        offering.save()
    _settle(finding, user, note or f"Took {finding.source}'s value {theirs}.")


def _settle(finding: Finding, user, note: str) -> None:
    finding.status = Finding.Status.ACCEPTED
    finding.resolved_by = user
    finding.resolved_at = timezone.now()
    finding.note = note
    finding.save()


def _add_their_offering(finding: Finding) -> None:
    """The source sells one of our models on a provider we carry: add the offering under
    the source's id, with the source's standard price as its first dated price."""
    figures = finding.their_figures or {}
    if not figures.get("input") or not figures.get("output"):
        raise FindingRefused(
            f"{finding.subject}: {finding.source} states no input and output price to add "
            "the offering with; add it by hand."
        )
    if Offering.objects.filter(model=finding.model, provider=finding.provider).exists():
        raise FindingRefused(f"{finding.subject}: the offering exists already.")
    try:
        offering = add_offering(
            model=finding.model,
            provider=finding.provider,
            provider_model_id=finding.provider_model_id,
            reason=f"Added from {finding.source} (price watch)",
        )
    except ValidationError as error:
        raise FindingRefused(f"{finding.subject}: {'; '.join(error.messages)}") from error
    optional = {
        name: Decimal(figures[name]) for name in ("cache_read", "cache_write") if name in figures
    }
    record_price(
        offering=offering,
        price=PriceInput(Decimal(figures["input"]), Decimal(figures["output"]), **optional),
    )
