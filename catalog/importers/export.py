"""The catalog's prices in force today as lines of our CSV (the importer's format)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone

from catalog.models import Offering, Price


def price_lines(offerings: QuerySet[Offering] | None = None) -> Iterator[dict]:
    """One line per offering, tier and threshold: the price in force today. Two queries
    whatever the size of the selection."""
    offerings = Offering.objects.all() if offerings is None else offerings
    offerings = {o.pk: o for o in offerings.select_related("model", "provider").order_by("pk")}
    prices = Price.objects.filter(
        offering_id__in=list(offerings), effective_date__lte=timezone.localdate()
    ).order_by("offering_id", "tier", "context_threshold", "-effective_date")
    in_force: dict[tuple[int, str, int], Price] = {}
    for price in prices:
        in_force.setdefault((price.offering_id, price.tier, price.context_threshold), price)
    rows = sorted(
        in_force.values(),
        key=lambda p: (
            offerings[p.offering_id].provider.slug,
            offerings[p.offering_id].provider_model_id,
            p.tier != Price.Tier.STANDARD,
            p.tier,
            p.context_threshold,
        ),
    )
    for price in rows:
        offering = offerings[price.offering_id]
        yield {
            "provider": offering.provider.slug,
            "provider_model_id": offering.provider_model_id,
            "model": offering.model.slug,
            "tier": price.tier,
            "context_threshold": price.context_threshold,
            "input": _money(price.input),
            "output": _money(price.output),
            "cache_read": _money(price.cache_read),
            "cache_write": _money(price.cache_write),
            "effective_date": price.effective_date.isoformat(),
            "source_url": price.source_url,
        }


def _money(value):
    """6-place DB decimals written without trailing zeros: 0.250000 -> "0.25"."""
    if value is None:
        return None
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
