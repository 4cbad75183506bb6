"""The preview as text, for the command line (the admin renders the same plan as HTML)."""

from __future__ import annotations

from catalog.formatting import format_percent, format_usd
from catalog.importers.plan import ImportPlan, PlannedPrice
from catalog.models import EXTRA_PRICE_DIMENSIONS

FIELD_LABELS = {
    "input": "input",
    "output": "output",
    "cache_read": "cached input",
    "cache_write": "cache write",
    **{
        name: f"{label.lower()} (per {per})"
        for name, (label, per) in EXTRA_PRICE_DIMENSIONS.items()
    },
}


def price_label(planned: PlannedPrice) -> str:
    label = f"{planned.model} on {planned.provider} ({planned.provider_model_id})"
    if planned.tier != "standard":
        label += f", {planned.tier}"
    if planned.context_threshold:
        label += f", above {planned.context_threshold:,} tokens"
    return label


def change_text(planned: PlannedPrice) -> str:
    parts = []
    for change in planned.changes:
        text = f"{FIELD_LABELS[change.field]} {format_usd(change.old)} -> {format_usd(change.new)}"
        if change.percent is not None:
            sign = "+" if change.percent > 0 else ""
            text += f" ({sign}{format_percent(change.percent)})"
        parts.append(text)
    return "; ".join(parts)


def plan_lines(plan: ImportPlan, *, limit: int = 50) -> list[str]:
    """A readable preview: each section with at most `limit` entries listed."""
    lines = [f"Import preview ({plan.format}): {plan.summary()}."]

    def section(title, items, render):
        if not items:
            return
        lines.append("")
        lines.append(f"{title} ({len(items)}):")
        lines.extend(f"  {render(item)}" for item in items[:limit])
        if len(items) > limit:
            lines.append(f"  ... and {len(items) - limit} more")

    section("Errors", plan.errors, lambda e: f"{e.ref}: {e.message}")
    section(
        "New offerings",
        plan.new_offerings,
        lambda n: (
            f"{n.ref}: {n.model} on {n.provider} as {n.provider_model_id!r}, "
            + "; ".join(change_text(p) for p in n.prices)
        ),
    )
    section(
        "Changed prices", plan.changed, lambda p: f"{p.ref}: {price_label(p)}: {change_text(p)}"
    )
    section("Unchanged prices", plan.unchanged, lambda p: f"{p.ref}: {price_label(p)}")
    section(
        "Unmatched rows",
        plan.unmatched,
        lambda u: f"{u.ref}: {u.provider} {u.provider_model_id!r}: {u.reason}",
    )
    section("Older than ours (not imported)", plan.regressions, lambda w: f"{w.ref}: {w.message}")
    section("Warnings", plan.warnings, lambda w: f"{w.ref}: {w.message}")
    section(
        "Plausibility (confirm to import)",
        plan.plausibility,
        lambda w: f"{w.ref}: {w.message}",
    )
    section("Skipped", plan.skipped, lambda s: f"{s.ref}: {s.message}")
    return lines
