"""Price changes across the catalog, read from the price history: a selector for the
admin's "recent price changes" page and the public /changes/ page; and the change feed
(Atom and JSON Feed) of every change the change log records, price changes included.

An event is a recorded price (a new dated record, or an edit of one) whose figures
differ from the previous record of the same offering, tier and threshold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.syndication.views import Feed
from django.db.models import Count, Max
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from catalog.changelog import MAX_WATERMARK
from catalog.formatting import (
    format_date,
    format_percent,
    format_tokens,
    format_usd,
    format_usd_exact,
)
from catalog.importers.plan import FieldChange
from catalog.importers.source import PRICE_FIELDS
from catalog.json_feed import JsonFeed
from catalog.models import (
    EXTRA_PRICE_DIMENSIONS,
    Benchmark,
    ChangeEvent,
    LanguageModel,
    Offering,
    Organization,
    Price,
    Provider,
)
from sitecache.site_url import absolute_url

FIELD_LABELS = {
    "input": "Input",
    "output": "Output",
    "cache_read": "Cached input",
    "cache_write": "Cache write",
    **{name: f"{label} (per {per})" for name, (label, per) in EXTRA_PRICE_DIMENSIONS.items()},
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
    # Every row sets the comparison base: each change is measured against the record
    # before it, whoever wrote that and whenever.
    found = [
        (row, changes)
        for row, changes in figure_changes(rows)
        if not (since is not None and row.history_date < since)
        and not (excluding_user_id is not None and row.history_user_id == excluding_user_id)
    ]
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


@dataclass(frozen=True)
class PriceMove:
    """A price that took effect replacing an earlier one of the same offering, tier and
    threshold (a first price is not a move)."""

    offering: Offering
    effective_date: date
    tier: str
    context_threshold: int
    changes: list[FieldChange]

    @property
    def lines(self) -> list[dict]:
        return change_lines(self.changes)


def latest_price_moves(*, limit: int = 8) -> list[PriceMove]:
    """The latest prices that replaced an earlier price, by the date they took effect,
    newest first, one per offering (its latest move), published models only; scheduled
    prices count once their date has come. Two queries whatever the catalog size."""
    today = timezone.localdate()
    in_effect = Price.objects.filter(
        effective_date__lte=today, offering__model__status=LanguageModel.Status.PUBLISHED
    )
    candidates = list(
        in_effect.values("offering_id")
        .annotate(records=Count("id"), latest=Max("effective_date"))
        .filter(records__gt=1)
        .order_by("-latest", "offering_id")
        .values_list("offering_id", flat=True)[: limit * 4]
    )
    rows = (
        in_effect.filter(offering_id__in=candidates)
        .select_related("offering__model", "offering__provider")
        .order_by("offering_id", "tier", "context_threshold", "effective_date")
    )
    previous: dict[tuple[int, str, int], Price] = {}
    moves: dict[int, PriceMove] = {}
    for price in rows:
        key = (price.offering_id, price.tier, price.context_threshold)
        before = previous.get(key)
        previous[key] = price
        if before is None:
            continue
        changes = [
            FieldChange(name, getattr(before, name), getattr(price, name))
            for name in PRICE_FIELDS
            if getattr(before, name) != getattr(price, name)
        ]
        if not changes:
            continue  # the same figures re-recorded
        move = PriceMove(
            price.offering, price.effective_date, price.tier, price.context_threshold, changes
        )
        current = moves.get(price.offering_id)
        standard = price.tier == Price.Tier.STANDARD and not price.context_threshold
        if current is None or (move.effective_date, standard) >= (current.effective_date, True):
            moves[price.offering_id] = move
    ordered = sorted(
        moves.values(),
        key=lambda m: (m.effective_date, m.offering.model.name, m.offering.provider.name),
        reverse=True,
    )
    return ordered[:limit]


def figure_changes(rows) -> list[tuple]:
    """(history row, [FieldChange]) for each row of `rows` (price history, oldest first,
    every row of the offerings it covers) whose figures differ from the previous record
    of the same offering, tier and threshold."""
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
        found.append((row, changes))
    return found


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


# The change feed (/changes/feed/, and as JSON Feed /changes/feed.json): the change log
# partners sync from (catalog.changelog), one item per event, for people and feed readers.


class InvalidWatermark(ValueError):
    pass


def parse_watermark(raw: str | None) -> int | None:
    """`?since=` as /api/v1/changes/ reads it: a change-log event id, 0 for the whole
    log; None when absent."""
    if raw is None:
        return None
    if raw.startswith("-") and raw[1:].isascii() and raw[1:].isdigit():
        raise InvalidWatermark("A watermark is never negative: use 0 for the whole log.")
    if not (raw.isascii() and raw.isdigit()):
        raise InvalidWatermark(
            "Enter a watermark: the whole number a change-log answer gave, or 0."
        )
    value = int(raw)
    if value > MAX_WATERMARK:
        raise InvalidWatermark("Enter a watermark a change-log answer gave; this one is too large.")
    return value


@dataclass(frozen=True)
class CatalogChange:
    """A change-log event as a feed item: what it names, now, and for an offering the
    price changes it recorded."""

    event: ChangeEvent
    subject: str
    page_url: str | None
    prices: list[PriceChangeEvent]

    @property
    def title(self) -> str:
        if self.prices:
            return "; ".join(f"{price.label}: {price.summary}" for price in self.prices)
        action = ChangeEvent.Action(self.event.action).label.split(" (")[0].lower()
        resource = ChangeEvent.Resource(self.event.resource).label
        if self.event.action == ChangeEvent.Action.RENAMED:
            return f"{resource} renamed: {self.event.old_key} → {self.subject}"
        return f"{resource} {action}: {self.subject}"

    @property
    def description(self) -> str:
        if self.prices:
            return " ".join(
                f"{price.label}: {price.summary} per 1M tokens, effective "
                f"{format_date(price.effective_date)}."
                for price in self.prices
            )
        return f"{self.title}."


@dataclass(frozen=True)
class ChangePage:
    changes: list[CatalogChange]  # newest first
    since: int | None
    watermark: int  # the newest event in this page, or `since`
    latest: int
    has_more: bool  # after `since`, beyond this page


def change_page(*, since: int | None, limit: int = PUBLIC_LIMIT) -> ChangePage:
    """Without `since`, the latest `limit` events; with it, the first `limit` events after
    it (so a reader that keeps the watermark misses none). Newest first either way.
    Raises InvalidWatermark when `since` is ahead of the log.

    A fixed number of queries: the latest id, the events, the records they name (one
    query per kind), and for offering events the price history that dates their price
    changes."""
    latest = ChangeEvent.objects.aggregate(latest=Max("pk"))["latest"] or 0
    if since is not None and since > latest:
        raise InvalidWatermark(
            f"{since} is ahead of the change log, whose newest event is {latest}: the log "
            "was reset. Start again without since."
        )
    if since is None:
        events = list(ChangeEvent.objects.order_by("-pk")[:limit])[::-1]
        has_more = False
    else:
        events = list(ChangeEvent.objects.filter(pk__gt=since).order_by("pk")[: limit + 1])
        has_more = len(events) > limit
        events = events[:limit]
    names, offerings = _subjects(events)
    prices = _price_changes_by_event(events, offerings)
    changes = [
        CatalogChange(
            event=event,
            subject=names.get((event.resource, event.key), (event.key, None))[0],
            page_url=names.get((event.resource, event.key), (event.key, None))[1],
            prices=prices.get(event.pk, []),
        )
        for event in reversed(events)
    ]
    watermark = events[-1].pk if events else (since or latest)
    return ChangePage(changes, since, watermark, latest, has_more)


Subjects = dict[tuple[str, str], tuple[str, str | None]]


def _subjects(events: list[ChangeEvent]) -> tuple[Subjects, dict[int, Offering]]:
    """(resource, key) -> (display name, public page or None) of each record the events
    name that is visible now (records gone are named by their key); and the visible
    offerings, by id."""
    keys: dict[str, set[str]] = {}
    for event in events:
        keys.setdefault(event.resource, set()).add(event.key)
    Resource = ChangeEvent.Resource
    found: Subjects = {}
    if Resource.MODEL in keys:
        for model in LanguageModel.objects.published().filter(slug__in=keys[Resource.MODEL]):
            found[Resource.MODEL, model.slug] = (model.name, model.get_absolute_url())
    offering_ids = [int(key) for key in keys.get(Resource.OFFERING, ()) if key.isdigit()]
    offerings: dict[int, Offering] = {}
    if offering_ids:
        offerings = {
            offering.pk: offering
            for offering in Offering.objects.filter(
                pk__in=offering_ids, model__status=LanguageModel.Status.PUBLISHED
            ).select_related("model", "provider")
        }
        for offering in offerings.values():
            found[Resource.OFFERING, str(offering.pk)] = (
                f"{offering.model} on {offering.provider}",
                offering.get_absolute_url(),
            )
    if Resource.PROVIDER in keys:
        for provider in Provider.objects.filter(slug__in=keys[Resource.PROVIDER]):
            found[Resource.PROVIDER, provider.slug] = (provider.name, provider.get_absolute_url())
    for resource, model_class in (
        (Resource.ORGANIZATION, Organization),
        (Resource.BENCHMARK, Benchmark),
    ):
        if resource in keys:
            for row in model_class.objects.filter(slug__in=keys[resource]):
                found[resource, row.slug] = (str(row), None)
    return found, offerings


def _price_changes_by_event(
    events: list[ChangeEvent], offerings: dict[int, Offering]
) -> dict[int, list[PriceChangeEvent]]:
    """The price changes each event of a visible offering (`offerings`) recorded, by
    event id.

    A price is saved, then its offering's `updated` event written in the same
    transaction (catalog.changelog), so a price change belongs to the first event of its
    offering at or after its history row: the events of an offering split its history
    into the stretches between them."""
    if not offerings:
        return {}
    keys = [str(pk) for pk in offerings]
    # Where each offering's first stretch here starts: its last event before this page.
    before = dict(
        ChangeEvent.objects.filter(
            resource=ChangeEvent.Resource.OFFERING, key__in=keys, pk__lt=events[0].pk
        )
        .values("key")
        .annotate(at=Max("at"))
        .values_list("key", "at")
    )
    offering_events: dict[int, list[ChangeEvent]] = {}
    for event in events:
        if event.resource == ChangeEvent.Resource.OFFERING and event.key in keys:
            offering_events.setdefault(int(event.key), []).append(event)
    History = Price.history.model
    rows = History.objects.filter(offering_id__in=offerings).order_by("history_date", "history_id")
    found: dict[int, list[PriceChangeEvent]] = {}
    for row, changes in figure_changes(rows):
        start = before.get(str(row.offering_id))
        if start is not None and row.history_date <= start:
            continue  # recorded by an event before this page
        owner = next(
            (e for e in offering_events[row.offering_id] if row.history_date <= e.at), None
        )
        if owner is None:
            continue  # its event is after this page
        found.setdefault(owner.pk, []).insert(
            0,
            PriceChangeEvent(
                history_id=row.history_id,
                when=row.history_date,
                who="",
                offering=offerings[row.offering_id],
                tier=row.tier,
                context_threshold=row.context_threshold,
                effective_date=row.effective_date,
                changes=changes,
            ),
        )
    return found


class CatalogChangesFeed(Feed):
    """/changes/feed/ (Atom): every change the change log records, newest first: models,
    organisations, providers, offerings and benchmarks created, updated, deleted,
    unpublished and renamed, an offering's price changes in its item. `?since=<watermark>`
    (as in /api/v1/changes/) gives the events after it, oldest ones first when there are
    more than a page holds."""

    feed_type = Atom1Feed
    url_name = "changes:feed"
    title = "LLM catalog changes"
    subtitle = (
        "Models, providers, offerings and benchmarks created, updated, renamed, unpublished "
        "or deleted, and price changes, newest first."
    )

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except InvalidWatermark as error:
            body = {
                "status": 400,
                "code": "invalid",
                "message": f"Invalid request: since: {error}",
                "errors": {"since": [str(error)]},
            }
            return JsonResponse(body, status=400, json_dumps_params={"ensure_ascii": False})

    def get_object(self, request, *args, **kwargs) -> ChangePage:
        return change_page(since=parse_watermark(request.GET.get("since")))

    # Absolute on SITE_URL: Django's Feed would otherwise prefix the request's Host, and
    # the feed is a cached page shared by every reader.
    def link(self):
        return absolute_url(reverse("changes:list"))

    def feed_url(self):
        return absolute_url(reverse(self.url_name))

    def items(self, page: ChangePage) -> list[CatalogChange]:
        return page.changes

    def item_title(self, item: CatalogChange) -> str:
        return item.title

    def item_description(self, item: CatalogChange) -> str:
        return item.description

    def item_link(self, item: CatalogChange) -> str:
        return absolute_url(item.page_url or reverse("changes:list"))

    def item_guid(self, item: CatalogChange) -> str:
        # An IRI, as Atom wants; the same in both formats.
        return f"{absolute_url(reverse('changes:list'))}#change-{item.event.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: CatalogChange) -> datetime:
        return item.event.at

    def item_updateddate(self, item: CatalogChange) -> datetime:
        return item.event.at


class CatalogChangesJsonFeed(CatalogChangesFeed):
    """/changes/feed.json: the same feed as JSON Feed 1.1. Each item carries the event
    (`_change`: id, resource, action, key, old_key); the feed, where the log stands
    (`_changes`: `watermark`, to send back as ?since=, and `latest`), and with `since`,
    `next_url` while events remain."""

    feed_type = JsonFeed
    url_name = "changes:json-feed"

    def feed_extra_kwargs(self, page: ChangePage) -> dict:
        extra = {"_changes": {"watermark": page.watermark, "latest": page.latest}}
        if page.has_more:
            extra["next_url"] = f"{self.feed_url()}?since={page.watermark}"
        return extra

    def item_extra_kwargs(self, item: CatalogChange) -> dict:
        event = item.event
        return {
            "_change": {
                "id": event.pk,
                "resource": event.resource,
                "action": event.action,
                "key": event.key,
                "old_key": event.old_key or None,
            }
        }
