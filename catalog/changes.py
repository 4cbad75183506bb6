"""Price changes across the catalog, read from the price history: a selector for the
admin's "recent price changes" page, the public /changes/ page and its Atom feed.

An event is a recorded price (a new dated record, or an edit of one) whose figures
differ from the previous record of the same offering, tier and threshold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.syndication.views import Feed
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from catalog.formatting import (
    format_date,
    format_percent,
    format_tokens,
    format_usd,
    format_usd_exact,
)
from catalog.importers.plan import FieldChange
from catalog.importers.source import PRICE_FIELDS
from catalog.models import LanguageModel, Offering, Price
from sitecache.site_url import absolute_url

FIELD_LABELS = {
    "input": "Input",
    "output": "Output",
    "cache_read": "Cached input",
    "cache_write": "Cache write",
}
# How many recent history rows are considered per event wanted: most rows are changes,
# some only touch `checked_on`.
_SCAN_FACTOR = 4


@dataclass(frozen=True)
class PriceChangeEvent:
    history_id: int
    when: datetime
    who: str
    offering: Offering
    tier: str
    context_threshold: int
    effective_date: date
    changes: list[FieldChange]

    @property
    def recorded_on(self) -> str:
        return format_date(timezone.localdate(self.when))

    @property
    def is_new(self) -> bool:
        return all(change.old is None for change in self.changes)

    @property
    def label(self) -> str:
        label = f"{self.offering.model} on {self.offering.provider}"
        if self.tier != Price.Tier.STANDARD:
            label += f" ({Price.Tier(self.tier).label.lower()})"
        if self.context_threshold:
            label += f", above {format_tokens(self.context_threshold)} tokens"
        return label

    @property
    def lines(self) -> list[dict]:
        return change_lines(self.changes)

    @property
    def summary(self) -> str:
        return "; ".join(
            f"{line['field']} {line['old']} → {line['new']}"
            + (f" ({line['percent']})" if line["percent"] else "")
            for line in self.lines
        )


def change_lines(changes: list[FieldChange]) -> list[dict]:
    """Each changed figure as display text: field label, old, new, signed percentage.
    "old" and "new" are as the public pages round them; the admin shows "old_exact" and
    "new_exact", every decimal an editor typed ($1.375, not $1.38)."""
    return [
        {
            "field": FIELD_LABELS[c.field],
            "old": format_usd(c.old),
            "new": format_usd(c.new),
            "old_exact": format_usd_exact(c.old),
            "new_exact": format_usd_exact(c.new),
            "percent": signed_percent(c.percent),
        }
        for c in changes
    ]


def signed_percent(value) -> str:
    """+25%, −20%, or "" when there is no percentage (new price, from zero)."""
    if value is None:
        return ""
    text = format_percent(abs(value))
    if text == "0%":
        return text
    return ("+" if value > 0 else "−") + text


def recent_price_changes(
    *,
    limit: int = 50,
    published_only: bool = False,
    offering_id: int | None = None,
    since: datetime | None = None,
    excluding_user_id: int | None = None,
) -> list[PriceChangeEvent]:
    """The latest price changes, newest first, in three queries whatever the catalog
    size: recent history rows, the history of the offerings they touch, the offerings.
    `since` and `excluding_user_id` keep the changes made from then on by anyone else
    (imports, which have no user, included)."""
    History = Price.history.model
    recent = History.objects.filter(history_type__in=["+", "~"])
    if offering_id is not None:
        recent = recent.filter(offering_id=offering_id)
    if since is not None:
        recent = recent.filter(history_date__gte=since)
    if excluding_user_id is not None:
        recent = recent.exclude(history_user_id=excluding_user_id)
    if published_only:
        recent = recent.filter(offering__model__status=LanguageModel.Status.PUBLISHED)
    offering_ids = set(
        recent.order_by("-history_date", "-history_id").values_list("offering_id", flat=True)[
            : limit * _SCAN_FACTOR
        ]
    )
    if not offering_ids:
        return []
    rows = (
        History.objects.filter(offering_id__in=offering_ids)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    last: dict[tuple[int, str, int], tuple] = {}
    found: list[tuple] = []
    for row in rows:
        if row.history_type == "-":
            continue
        key = (row.offering_id, row.tier, row.context_threshold)
        figures = tuple(getattr(row, name) for name in PRICE_FIELDS)
        previous = last.get(key)
        last[key] = figures
        if previous == figures:
            continue
        changes = [
            FieldChange(name, previous[i] if previous else None, figures[i])
            for i, name in enumerate(PRICE_FIELDS)
            if previous is None or previous[i] != figures[i]
        ]
        changes = [c for c in changes if not (c.old is None and c.new is None)]
        # Earlier rows, and other people's, still set `last` above: each change is
        # measured against the record before it, whoever wrote that.
        if since is not None and row.history_date < since:
            continue
        if excluding_user_id is not None and row.history_user_id == excluding_user_id:
            continue
        found.append((row, changes))
    found.sort(key=lambda item: (item[0].history_date, item[0].history_id), reverse=True)
    found = found[:limit]
    offerings = Offering.objects.select_related("model", "provider").in_bulk(
        {row.offering_id for row, _ in found}
    )
    events = []
    for row, changes in found:
        offering = offerings.get(row.offering_id)
        if offering is None:  # the offering was deleted since
            continue
        if published_only and offering.model.status != LanguageModel.Status.PUBLISHED:
            continue
        user = row.history_user
        events.append(
            PriceChangeEvent(
                history_id=row.history_id,
                when=row.history_date,
                who=(user.get_full_name() or user.get_username()) if user else "",
                offering=offering,
                tier=row.tier,
                context_threshold=row.context_threshold,
                effective_date=row.effective_date,
                changes=changes,
            )
        )
    return events


PUBLIC_LIMIT = 50
# The editor's start page counts the price changes others made in this many days.
OTHERS_WINDOW_DAYS = 7


def price_changes_by_others(user, *, limit: int) -> list[PriceChangeEvent]:
    """Price changes of the last OTHERS_WINDOW_DAYS by anyone but `user`, newest first."""
    since = timezone.now() - timedelta(days=OTHERS_WINDOW_DAYS)
    return recent_price_changes(limit=limit, since=since, excluding_user_id=user.pk)


def change_list(request):
    """/changes/: the latest public price changes."""
    events = recent_price_changes(limit=PUBLIC_LIMIT, published_only=True)
    return render(request, "catalog/changes.html", {"events": events})


class PriceChangesFeed(Feed):
    """/changes/feed/: the same changes as an Atom feed for partners' readers."""

    feed_type = Atom1Feed
    title = "LLM price changes"
    subtitle = "New and changed per-token prices across providers, newest first."

    # Absolute on SITE_URL: Django's Feed would otherwise prefix the request's Host, and
    # the feed is a cached page shared by every reader.
    def link(self):
        return absolute_url(reverse("changes:list"))

    def feed_url(self):
        return absolute_url(reverse("changes:feed"))

    def items(self):
        return recent_price_changes(limit=PUBLIC_LIMIT, published_only=True)

    def item_title(self, item: PriceChangeEvent) -> str:
        return f"{item.label}: {item.summary}"

    def item_description(self, item: PriceChangeEvent) -> str:
        return f"{item.summary} per 1M tokens, effective {format_date(item.effective_date)}."

    def item_link(self, item: PriceChangeEvent) -> str:
        return absolute_url(item.offering.model.get_absolute_url())

    def item_guid(self, item: PriceChangeEvent) -> str:
        return f"price-change-{item.history_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: PriceChangeEvent) -> datetime:
        return item.when

    def item_updateddate(self, item: PriceChangeEvent) -> datetime:
        return item.when
