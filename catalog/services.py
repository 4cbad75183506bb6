"""Writes to the catalog. Every price write goes through this module, so the offering's
current price stays right: `record_price` for a new figure (the history is appended to,
never rewritten), `save_price` and `delete_price` for an editor's own record, added or
corrected in the admin (the record's history table keeps what it replaced)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from catalog import changelog
from catalog.importers.identity import model_key
from catalog.models import (
    EXTRA_PRICE_DIMENSIONS,
    LanguageModel,
    ModelAlias,
    ModelEvidence,
    Offering,
    OfferingAlias,
    Price,
    RejectedModel,
)
from catalog.page_stamps import refresh_cheapest_inputs
from sitecache.versioning import bump_catalog_version


@dataclass(frozen=True)
class PriceInput:
    """A price as an editor or an importer states it, in USD per 1M tokens."""

    input: Decimal
    output: Decimal
    cache_read: Decimal | None = None
    cache_write: Decimal | None = None
    tier: str = Price.Tier.STANDARD
    context_threshold: int = 0
    # Other dimensions (catalog.models.EXTRA_PRICE_DIMENSIONS: audio, images, web search,
    # reasoning), each in its own unit; None: not stated here (see record_price).
    audio_input: Decimal | None = None
    audio_output: Decimal | None = None
    image_input: Decimal | None = None
    image_input_per_image: Decimal | None = None
    web_search: Decimal | None = None
    reasoning: Decimal | None = None


def add_offering(
    *, model: LanguageModel, provider, provider_model_id: str, reason: str = ""
) -> Offering:
    """A new offering of `model` on `provider`, validated like an admin save (raises
    ValidationError, writing nothing), with `reason` in its history."""
    offering = Offering(model=model, provider=provider, provider_model_id=provider_model_id)
    offering._change_reason = reason
    offering.full_clean()
    offering.save()
    return offering


def price_in_force(
    offering: Offering,
    *,
    tier: str = Price.Tier.STANDARD,
    context_threshold: int = 0,
    on: date | None = None,
    excluding: int | None = None,
) -> Price | None:
    """The offering's price for a tier and threshold in force on a day (today by
    default), leaving out the record `excluding` (the one being edited)."""
    prices = offering.prices.filter(
        tier=tier,
        context_threshold=context_threshold,
        effective_date__lte=on or timezone.localdate(),
    )
    if excluding is not None:
        prices = prices.exclude(pk=excluding)
    return prices.order_by("-effective_date").first()


def current_base_price(offering: Offering, *, on: date | None = None) -> Price | None:
    """The standard-tier, base-context price in force on a day (today by default)."""
    return price_in_force(offering, on=on)


def refresh_current_price(offering: Offering) -> Price | None:
    """Point `offering.current_price` at the price in force today.

    Called right after a write of the offering or one of its prices, whose signal has
    already put the offering (and its model) in the change log in this transaction, so
    moving the pointer writes no second event."""
    price = current_base_price(offering)
    if offering.current_price_id != (price.pk if price else None):
        Offering.objects.filter(pk=offering.pk).update(current_price=price)
        offering.current_price = price
        refresh_cheapest_inputs([offering.model_id])
    return price


@transaction.atomic
def save_price(price: Price) -> Price:
    """Save a price record as an editor wrote it (a new dated record, or a correction of
    one) and point its offering at the price in force today; a record moved to another
    offering also points the offering it left at the price then in force there."""
    left = None
    if price.pk is not None:
        left = (
            Price.objects.filter(pk=price.pk)
            .exclude(offering_id=price.offering_id)
            .values_list("offering_id", flat=True)
            .first()
        )
    price.save()
    refresh_current_price(price.offering)
    if left is not None:
        refresh_current_price(Offering.objects.get(pk=left))
    return price


@transaction.atomic
def delete_price(price: Price) -> None:
    """Remove a price record (a mistake, not a change: changes are new records) and point
    its offering at the price then in force."""
    offering = price.offering
    price.delete()
    refresh_current_price(offering)


@transaction.atomic
def refresh_current_prices(*, on: date | None = None) -> int:
    """Point every offering at the price in force on `on` (today by default): a price
    recorded for a later date takes effect on that day with no write of its own, so run
    this daily (`manage.py refresh_current_prices`). Returns how many offerings moved;
    each is in the change log (with its model), and caches see the change through the
    catalog version. A fixed number of queries.

    A long-context price taking effect changes no pointer, but what the offering shows:
    offerings with one dated `on` are touched too (once: not when they were already
    touched since that day began), so their models' stamps move and the pages and
    answers that show them are rebuilt."""
    on = on or timezone.localdate()
    moved = move_current_prices(on=on)
    day_start = timezone.make_aware(datetime.combine(on, time.min))
    tiered = set(
        Offering.objects.filter(
            prices__tier=Price.Tier.STANDARD,
            prices__context_threshold__gt=0,
            prices__effective_date=on,
            updated_at__lt=day_start,
        ).values_list("pk", flat=True)
    ) - set(moved)
    changelog.touch(offerings=[*moved, *sorted(tiered)])
    return len(moved) + len(tiered)


def move_current_prices(*, on: date | None = None) -> list[int]:
    """`refresh_current_prices` without the change log, for a bulk loader that records
    its own events: returns the ids of the offerings that moved."""
    on = on or timezone.localdate()
    in_force: dict[int, int] = {}
    rows = (
        Price.objects.filter(tier=Price.Tier.STANDARD, context_threshold=0, effective_date__lte=on)
        .order_by("offering_id", "-effective_date")
        .values_list("offering_id", "pk")
    )
    for offering_id, price_id in rows:
        in_force.setdefault(offering_id, price_id)  # the newest first
    moved = [
        offering
        for offering in Offering.objects.only("pk", "current_price_id")
        if offering.current_price_id != in_force.get(offering.pk)
    ]
    for offering in moved:
        offering.current_price_id = in_force.get(offering.pk)
    if moved:
        Offering.objects.bulk_update(moved, ["current_price"])
        # Not structural: every caller puts the moved offerings through changelog.touch,
        # which moves their models' stamps and stored cheapest prices.
        bump_catalog_version(structure=False)
    return [offering.pk for offering in moved]


@transaction.atomic
def record_price(
    *,
    offering: Offering,
    price: PriceInput,
    effective_date: date | None = None,
    source_url: str = "",
    checked_on: date | None = None,
) -> tuple[Price, bool]:
    """Append a dated price to an offering's history.

    Returns the price and whether anything was written. Recording the same figures again
    on a later date writes nothing (the history only holds changes); recording a price
    for a date that already has one updates that record, which the history table keeps.

    An extra dimension (audio, images, web search, reasoning) that `price` does not state
    keeps the figure in force: most sources and price lists state only token prices, and
    recording those must not erase what another source said of audio.
    """
    effective_date = effective_date or timezone.localdate()
    checked_on = checked_on or effective_date
    previous = price_in_force(
        offering, tier=price.tier, context_threshold=price.context_threshold, on=effective_date
    )
    figures = {
        "input": price.input,
        "output": price.output,
        "cache_read": price.cache_read,
        "cache_write": price.cache_write,
    }
    for name in EXTRA_PRICE_DIMENSIONS:
        stated = getattr(price, name)
        figures[name] = (
            stated if stated is not None or previous is None else getattr(previous, name)
        )
    if previous is not None and all(getattr(previous, k) == v for k, v in figures.items()):
        if checked_on and (previous.checked_on is None or previous.checked_on < checked_on):
            previous.checked_on = checked_on
            previous.save(update_fields=["checked_on"])
        return previous, False

    record = Price(
        offering=offering,
        tier=price.tier,
        context_threshold=price.context_threshold,
        effective_date=effective_date,
        source_url=source_url,
        checked_on=checked_on,
        **figures,
    )
    if previous is not None and previous.effective_date == effective_date:
        record.pk = previous.pk
        record.created_at = previous.created_at
    # Field validators give the readable messages (negative price, too many digits); the
    # database constraints enforce the rest, so skip re-checking them in Python.
    record.full_clean(validate_unique=False, validate_constraints=False)
    record.save()
    refresh_current_price(offering)
    return record, True


def mark_reviewed(queryset, *, on: date | None = None) -> int:
    """Set the last-reviewed date of models or offerings; returns how many changed."""
    on = on or timezone.localdate()
    count = 0
    for record in queryset:
        record.last_reviewed = on
        record.save(update_fields=["last_reviewed", "updated_at"])
        count += 1
    return count


def publish(model: LanguageModel) -> None:
    model.status = LanguageModel.Status.PUBLISHED
    model.save(update_fields=["status", "updated_at"])


@transaction.atomic
def reject_draft(model: LanguageModel, *, user=None, note: str = "") -> list[str]:
    """Drop a draft and remember its ids, so no import proposes it again. Returns the
    identity keys remembered. Published models are not drafts and are refused."""
    if model.is_published:
        raise ValueError(f"{model} is published; unpublish it before rejecting it.")
    keys = {model_key(model.slug), *model.aliases.values_list("key", flat=True)}
    for key in sorted(keys):
        RejectedModel.objects.update_or_create(
            key=key,
            defaults={"name": model.name, "note": note, "rejected_by": user, "source": "review"},
        )
    model.delete()
    return sorted(keys)


@transaction.atomic
def merge_draft(draft: LanguageModel, *, into: LanguageModel) -> None:
    """A draft that is a model we carry under other ids: its ids become `into`'s aliases,
    its offerings on providers `into` lacks move over (with their prices), and on the
    providers both have its provider ids become aliases of `into`'s offering. The
    draft itself is then deleted."""
    if draft.pk == into.pk:
        raise ValueError("A model cannot be merged into itself.")
    if draft.is_published:
        raise ValueError(f"{draft} is published: only drafts are merged.")
    keys = {model_key(draft.slug), *draft.aliases.values_list("key", flat=True)}
    draft.aliases.all().delete()
    for key in sorted(keys):
        ModelAlias.objects.update_or_create(key=key, defaults={"model": into, "source": "merge"})
    theirs = {o.provider_id: o for o in into.offerings.all()}
    for offering in draft.offerings.prefetch_related("aliases"):
        kept = theirs.get(offering.provider_id)
        if kept is None:
            offering.model = into
            offering._change_reason = f"Merged from draft {draft.name}"
            offering.save()
            continue
        spellings = {offering.provider_model_id, *(a.alias for a in offering.aliases.all())}
        spellings.discard(kept.provider_model_id)
        for alias in sorted(spellings):
            OfferingAlias.objects.get_or_create(offering=kept, alias=alias)
    have = set(into.evidence.values_list("source", flat=True))
    ModelEvidence.objects.filter(model=draft).exclude(source__in=have).update(model=into)
    draft.delete()
