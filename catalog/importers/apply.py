"""Write an import plan: new offerings, then every changed price through `record_price`,
in one transaction, so a failure anywhere leaves the catalog as it was and every price
change appends to the history."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from simple_history.models import HistoricalRecords

from catalog.importers.plan import ImportPlan, PlannedPrice
from catalog.services import PriceInput, add_offering, record_price


class ImportRefused(Exception):
    """Nothing was written: the plan has errors, or a row failed while applying."""


@dataclass
class ApplyResult:
    offerings_created: int = 0
    prices_recorded: int = 0


@contextmanager
def history_user(user):
    """Attribute history rows to `user` outside a request (the command); inside a
    request simple-history's middleware already knows who it is."""
    context = HistoricalRecords.context
    if user is None or getattr(context, "request", None) is not None:
        yield
        return
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        del context.request


def apply_plan(plan: ImportPlan, *, user=None, confirm_warnings: bool = False) -> ApplyResult:
    """Write the plan in one transaction: new offerings, then every changed price through
    `record_price`. Refuses a plan with errors, or with plausibility warnings unless
    `confirm_warnings`; any failure rolls everything back and names the row."""
    if not plan.can_apply:
        first = plan.errors[0]
        raise ImportRefused(
            f"Nothing imported: {len(plan.errors)} rows have errors (first: {first.ref}: "
            f"{first.message})."
        )
    if plan.plausibility and not confirm_warnings:
        first = plan.plausibility[0]
        raise ImportRefused(
            f"Nothing imported: {len(plan.plausibility)} prices need checking (first: "
            f"{first.ref}: {first.message}). Confirm the figures to import them."
        )
    result = ApplyResult()
    with transaction.atomic(), history_user(user):
        for new in plan.new_offerings:
            offering = _write(
                new.ref,
                lambda new=new: add_offering(
                    model=new.model,
                    provider=new.provider,
                    provider_model_id=new.provider_model_id,
                    reason=f"Imported from {plan.format}",
                ),
            )
            result.offerings_created += 1
            for planned in new.prices:
                planned.offering = offering
                _record(planned)
                result.prices_recorded += 1
        for planned in plan.changed:
            _record(planned)
            result.prices_recorded += 1
    return result


def _record(planned: PlannedPrice) -> None:
    price = PriceInput(
        input=planned.new.input,
        output=planned.new.output,
        cache_read=planned.new.cache_read,
        cache_write=planned.new.cache_write,
        **planned.new.extras,
        tier=planned.tier,
        context_threshold=planned.context_threshold,
    )
    _write(
        planned.ref,
        lambda: record_price(
            offering=planned.offering,
            price=price,
            effective_date=planned.effective_date,
            source_url=planned.source_url,
            checked_on=planned.checked_on,
        ),
    )


def _write(ref: str, action):
    """`action()`'s result; a failure refuses the whole import, naming the row."""
    try:
        with transaction.atomic():
            return action()
    except ValidationError as exc:
        raise ImportRefused(f"Nothing imported: {ref}: {'; '.join(exc.messages)}") from exc
    except IntegrityError as exc:
        raise ImportRefused(f"Nothing imported: {ref}: {exc}") from exc
