"""The shipped seed's cross-checks: what each source said of each offering's price when
the seed was built (catalog.seed_builder), stored as OfferingCheck rows so a fresh site
shows "matches 2 of 3 sources" instead of "not cross-checked yet"."""

from __future__ import annotations

from pricewatch.models import SOURCES, OfferingCheck


def store_seed_checks(sender, *, checks, report=None, **kwargs) -> set[int]:
    """Add the checks the catalog lacks; a check price watch already made is newer
    evidence and stays. Returns the ids of the offerings given checks, for the seed
    loader's change log."""
    if not checks:
        return set()
    have = set(
        OfferingCheck.objects.filter(offering_id__in={c[0] for c in checks}).values_list(
            "offering_id", "source"
        )
    )
    new = [
        OfferingCheck(
            offering_id=offering_id,
            source=source,
            agrees=agrees,
            checked_on=checked_on,
            disagreements=disagreements,
        )
        for offering_id, source, agrees, checked_on, disagreements in checks
        if source in SOURCES and (offering_id, source) not in have
    ]
    OfferingCheck.objects.bulk_create(new, batch_size=500)
    if new and report is not None:
        report.created["price checks"] = report.created.get("price checks", 0) + len(new)
    return {check.offering_id for check in new}
