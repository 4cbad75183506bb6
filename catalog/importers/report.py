"""The preview as text, for the command line (the admin renders the same plan as HTML),
and the figures an apply recorded as the admin's result page says them."""

from __future__ import annotations

from decimal import Decimal

from catalog.formatting import format_percent, format_usd, format_usd_exact
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


# A figure's name and what it is priced per, for "Input $3 → $2.50 / 1M tokens".
FIGURE_UNITS = {
    "input": ("Input", "1M tokens"),
    "output": ("Output", "1M tokens"),
    "cache_read": ("Cached input", "1M tokens"),
    "cache_write": ("Cache write", "1M tokens"),
    **EXTRA_PRICE_DIMENSIONS,
}


def recorded_figure_text(field: str, old: str | None, new: str | None) -> str:
    """One recorded figure as people write prices: "Input $3 → $2.50 / 1M tokens", or
    "Input $0.25 / 1M tokens" for a figure the offering had no value for. `old` and `new`
    are the report's exact decimal text (catalog.importers.jobs.applied_report)."""
    label, per = FIGURE_UNITS[field]
    new_text = format_usd_exact(None if new is None else Decimal(new))
    if old is None:
        return f"{label} {new_text} / {per}"
    return f"{label} {format_usd_exact(Decimal(old))} → {new_text} / {per}"


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
    if plan.quiet_warnings:
        lines.append("")
        lines.append(
            f"Not listed: {plan.quiet_warnings} warnings about rows this import would not "
            "change (unchanged, not tracked, older than ours or in error)."
        )
    section(
        "Plausibility (confirm to import)",
        plan.plausibility,
        lambda w: f"{w.ref}: {w.message}",
    )
    section("Skipped", plan.skipped, lambda s: f"{s.ref}: {s.message}")
    return lines
