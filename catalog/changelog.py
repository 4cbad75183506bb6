"""The change log partners sync from (/api/v1/changes/): an event for every change a
partner can see in an API representation, written in the transaction that makes it.

What embeds what (so what an edit must also mark as updated):
- a model shows its organisation, its offerings (each with its provider, aliases,
  current price and price-watch checks), its cheapest prices and its sources;
- an offering shows its model's slug, name and limits, the organisation's slug, its
  provider, aliases, checks and full price history;
- a benchmark shows its scores of published models, each naming the model.
Drafts are invisible: their changes write nothing, publishing one is its `created`,
unpublishing its `unpublished` (for the model and its offerings).

Every event also moves the record's `updated_at` to now, so `updated_since` finds it
(and a model's stored cheapest input with it, for the page cache: catalog.page_stamps).
Saves and deletes are caught by the signals connected here; writes that skip signals
(bulk_create, bulk_update, queryset.update) call `touch` themselves:
refresh_current_prices, price-watch reconcile and the seed loader.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models import Q, QuerySet
from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save
from django.utils import timezone

from catalog.models import (
    Benchmark,
    BenchmarkScore,
    ChangeEvent,
    DraftModel,
    LanguageModel,
    Offering,
    OfferingAlias,
    Organization,
    Price,
    Provider,
    Source,
)
from catalog.selectors import cheapest_buyable_price
from sitecache.versioning import bump_catalog_version

PUBLISHED = LanguageModel.Status.PUBLISHED
_SourceLink = LanguageModel.sources.through
Resource = ChangeEvent.Resource
Action = ChangeEvent.Action


Event = tuple[str, str, str, str]  # resource, action, key, old_key
# The largest watermark (an event's id, a BigAutoField) a reader can hold.
MAX_WATERMARK = 2**63 - 1


def events_for(resource: str, action: str, keys: Iterable, old_key: str = "") -> list[Event]:
    """One event per key (a slug, or an offering's id), for `touch(events=...)`."""
    return [(resource, action, str(key), old_key) for key in keys]


def record(resource: str, action: str, keys: Iterable, old_key: str = "") -> None:
    """Write one event per key (a slug, or an offering's id)."""
    _write(events_for(resource, action, keys, old_key))


def _write(events: list[Event]) -> None:
    if not events:
        return
    # Bumping first takes the version row's lock (an UPDATE, held to commit) before any
    # event id is drawn: on PostgreSQL ids then follow commit order, so a partner who
    # has seen event N never misses an N-1 committed later. Not structural: `touch`
    # moved the stamps of what changed (catalog.page_stamps).
    bump_catalog_version(structure=False)
    at = timezone.now()
    ChangeEvent.objects.bulk_create(
        [
            ChangeEvent(resource=resource, action=action, key=key, old_key=old_key, at=at)
            for resource, action, key, old_key in events
        ],
        batch_size=500,
    )


def touch(
    *,
    models: Iterable[int] = (),
    model_contents: Iterable[int] = (),
    offerings: Iterable[int] = (),
    providers: Iterable[int] = (),
    organizations: Iterable[int] = (),
    benchmarks: Iterable[int] = (),
    sources: Iterable[int] = (),
    renamed_models: Iterable[int] = (),
    skip: Iterable[tuple[str, int]] = (),
    events: Iterable[Event] = (),
) -> None:
    """Record `updated` for the visible records named and for every visible record whose
    representation embeds them, and move their `updated_at` to now.

    `models`: the model record itself changed (its offerings show its limits and name);
    `model_contents`: something only the model shows changed (its sources, an offering
    it no longer has); `renamed_models`: models whose slug or name changed (benchmark
    scores name them); `skip`: (resource, pk) already given an event of its own;
    `events`: the change's own events (see `events_for`), written first and in the same
    insert, behind one version bump."""
    own_models = set(models)
    model_ids = set(model_contents)
    offering_ids: set[int] = set()
    offerings, providers, benchmarks = set(offerings), set(providers), set(benchmarks)
    organizations = set(organizations)
    if organizations:
        own_models |= set(
            LanguageModel.objects.filter(organization_id__in=organizations).values_list(
                "pk", flat=True
            )
        )
    if sources:
        model_ids |= set(
            _SourceLink.objects.filter(source_id__in=set(sources)).values_list(
                "languagemodel_id", flat=True
            )
        )
    model_ids |= own_models
    # An offering and its model embed each other; a provider is in both.
    if offerings or own_models or providers:
        pairs = Offering.objects.filter(
            Q(pk__in=offerings) | Q(model_id__in=own_models) | Q(provider_id__in=providers),
            model__status=PUBLISHED,
        ).values_list("pk", "model_id")
        for offering_id, model_id in pairs:
            offering_ids.add(offering_id)
            model_ids.add(model_id)
    renamed_models = set(renamed_models)
    if renamed_models:
        benchmarks |= set(
            BenchmarkScore.objects.filter(model_id__in=renamed_models).values_list(
                "benchmark_id", flat=True
            )
        )
    skip = set(skip)
    now = timezone.now()
    events = list(events)
    for resource, queryset, ids, key in (
        (Resource.MODEL, LanguageModel.objects.filter(status=PUBLISHED), model_ids, "slug"),
        (Resource.OFFERING, Offering.objects.all(), offering_ids, None),  # visible already
        (Resource.PROVIDER, Provider.objects.all(), providers, "slug"),
        (Resource.ORGANIZATION, Organization.objects.all(), organizations, "slug"),
        (Resource.BENCHMARK, Benchmark.objects.all(), benchmarks, "slug"),
    ):
        if not ids:
            continue
        if key is None:
            rows = [(pk, pk) for pk in sorted(ids)]
        else:
            rows = list(queryset.filter(pk__in=ids).values_list("pk", key).order_by("pk"))
        if not rows:
            continue
        changes = {"updated_at": now}
        if resource == Resource.MODEL:
            # In the same statement: the price the page cache checks (catalog.page_stamps)
            # never moves without the stamp.
            changes["cheapest_input_stored"] = cheapest_buyable_price("input")
        queryset.filter(pk__in=[pk for pk, _ in rows]).update(**changes)
        events += [
            (resource, Action.UPDATED, str(value), "")
            for pk, value in rows
            if (resource, pk) not in skip
        ]
    _write(events)


def record_bulk_creation(created: dict[type, list], *, touched_offerings: Iterable[int] = ()):
    """Events for what a bulk load created (the seed loader, which bypasses signals):
    `created` for each new visible record, `updated` for the visible records that gained
    a part. `created` maps a model class to its new rows; `touched_offerings` are
    offerings whose prices or checks moved without a row of their own here."""
    new_models = [m for m in created.get(LanguageModel, []) if m.status == PUBLISHED]
    new_offerings = list(
        Offering.objects.filter(
            pk__in=[o.pk for o in created.get(Offering, [])], model__status=PUBLISHED
        ).values_list("pk", flat=True)
    )
    events = [
        (resource, Action.CREATED, str(getattr(row, key)), "")
        for resource, rows, key in (
            (Resource.ORGANIZATION, created.get(Organization, []), "slug"),
            (Resource.PROVIDER, created.get(Provider, []), "slug"),
            (Resource.BENCHMARK, created.get(Benchmark, []), "slug"),
            (Resource.MODEL, new_models, "slug"),
        )
        for row in rows
    ]
    events += [(Resource.OFFERING, Action.CREATED, str(pk), "") for pk in new_offerings]
    new_benchmarks = {b.pk for b in created.get(Benchmark, [])}
    scored = {s.model_id for s in created.get(BenchmarkScore, [])}
    published = set(
        LanguageModel.objects.filter(pk__in=scored, status=PUBLISHED).values_list("pk", flat=True)
    )
    touch(
        offerings={
            *new_offerings,
            *touched_offerings,
            *(row.offering_id for row in created.get(Price, [])),
            *(row.offering_id for row in created.get(OfferingAlias, [])),
        },
        model_contents={row.languagemodel_id for row in created.get(_SourceLink, [])},
        benchmarks={
            s.benchmark_id
            for s in created.get(BenchmarkScore, [])
            if s.model_id in published and s.benchmark_id not in new_benchmarks
        },
        skip={
            *((Resource.MODEL, m.pk) for m in new_models),
            *((Resource.OFFERING, pk) for pk in new_offerings),
        },
        events=events,
    )


def tombstone(resource: str, key: str) -> ChangeEvent | None:
    """Why a record's URL is empty: the newest `deleted`, `unpublished` or `renamed`
    (away from this key) event for it, or None when the key never existed."""
    return (
        ChangeEvent.objects.filter(resource=resource)
        .filter(
            Q(key=key, action__in=[Action.DELETED, Action.UNPUBLISHED])
            | Q(old_key=key, action=Action.RENAMED)
        )
        .order_by("-pk")
        .first()
    )


# Signal receivers. A delete that cascades from a model, an offering or a benchmark is
# recorded by that record's receiver (pre_delete runs for the parts first, while every
# row still exists), so the parts' receivers stand aside.
PARENTS = (LanguageModel, Offering, Benchmark)


def _cascaded(origin, instance) -> bool:
    origin_model = origin.model if isinstance(origin, QuerySet) else type(origin)
    concrete = getattr(getattr(origin_model, "_meta", None), "concrete_model", None)
    return concrete in PARENTS and concrete is not type(instance)._meta.concrete_model


def _model_status(model_id: int) -> str | None:
    return LanguageModel.objects.filter(pk=model_id).values_list("status", flat=True).first()


def _before(sender, instance, raw=False, **kwargs):
    """Remember what the stored row looked like, for the post_save receivers."""
    if raw or instance.pk is None:
        instance._changelog_before = None
        return
    fields = {
        LanguageModel: ("slug", "name", "status"),
        Offering: ("model_id", "model__status"),
    }.get(sender._meta.concrete_model, ("slug",))
    instance._changelog_before = (
        sender._base_manager.filter(pk=instance.pk).values_list(*fields).first()
    )


def _model_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    before = getattr(instance, "_changelog_before", None)
    was = before is not None and before[2] == PUBLISHED
    now = instance.status == PUBLISHED
    if not (was or now):
        return
    offerings = Offering.objects.filter(model=instance).values_list("pk", flat=True)
    if now and not was:
        touch(
            renamed_models=[instance.pk],  # its scores appear in benchmarks
            events=[
                *events_for(Resource.MODEL, Action.CREATED, [instance.slug]),
                *events_for(Resource.OFFERING, Action.CREATED, offerings),
            ],
        )
    elif was and not now:
        touch(
            renamed_models=[instance.pk],  # its scores leave benchmarks
            events=[
                *events_for(Resource.MODEL, Action.UNPUBLISHED, [before[0]]),
                *events_for(Resource.OFFERING, Action.UNPUBLISHED, offerings),
            ],
        )
    else:
        old_slug, old_name, _ = before
        slug_changed = old_slug != instance.slug
        touch(
            models=[instance.pk],
            renamed_models=[instance.pk] if slug_changed or old_name != instance.name else [],
            skip=[(Resource.MODEL, instance.pk)] if slug_changed else [],
            events=events_for(Resource.MODEL, Action.RENAMED, [instance.slug], old_key=old_slug)
            if slug_changed
            else [],
        )


def _model_deleted(sender, instance, origin=None, **kwargs):
    if _model_status(instance.pk) != PUBLISHED:
        return
    offerings = Offering.objects.filter(model=instance).values_list("pk", flat=True)
    touch(
        renamed_models=[instance.pk],  # its scores leave benchmarks
        events=[
            *events_for(Resource.OFFERING, Action.DELETED, offerings),
            *events_for(Resource.MODEL, Action.DELETED, [instance.slug]),
        ],
    )


def _offering_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    before = getattr(instance, "_changelog_before", None)
    was = before is not None and before[1] == PUBLISHED
    now = _model_status(instance.model_id) == PUBLISHED
    moved_from = before[0] if before is not None and before[0] != instance.model_id else None
    own = []
    if now and not was:
        own = events_for(Resource.OFFERING, Action.CREATED, [instance.pk])
    elif was and not now:
        own = events_for(Resource.OFFERING, Action.UNPUBLISHED, [instance.pk])
    skip = [] if was and now else [(Resource.OFFERING, instance.pk)]
    touch(
        offerings=[instance.pk] if now else [],
        model_contents=[moved_from] if moved_from else [],
        skip=skip,
        events=own,
    )


def _offering_deleted(sender, instance, origin=None, **kwargs):
    if _cascaded(origin, instance) or _model_status(instance.model_id) != PUBLISHED:
        return
    touch(
        model_contents=[instance.model_id],
        events=events_for(Resource.OFFERING, Action.DELETED, [instance.pk]),
    )


def _offering_part_changed(sender, instance, raw=False, origin=None, **kwargs):
    """A price, alias or price-watch check: its offering (and so its model) changed."""
    if raw or _cascaded(origin, instance):
        return
    touch(offerings=[instance.offering_id])


def _score_changed(sender, instance, raw=False, origin=None, **kwargs):
    if raw or _cascaded(origin, instance):
        return
    if _model_status(instance.model_id) == PUBLISHED:
        touch(benchmarks=[instance.benchmark_id])


def _slugged_saved(sender, instance, created, raw=False, **kwargs):
    """An organisation, provider or benchmark: always visible."""
    if raw:
        return
    resource = SLUGGED[sender]
    if created:
        record(resource, Action.CREATED, [instance.slug])
        return
    before = getattr(instance, "_changelog_before", None)
    renamed = before is not None and before[0] != instance.slug
    touch(
        **{TOUCH_ARGUMENT[sender]: [instance.pk]},
        skip=[(resource, instance.pk)] if renamed else [],
        events=events_for(resource, Action.RENAMED, [instance.slug], old_key=before[0])
        if renamed
        else [],
    )


def _slugged_deleted(sender, instance, origin=None, **kwargs):
    record(SLUGGED[sender], Action.DELETED, [instance.slug])


SLUGGED = {
    Organization: Resource.ORGANIZATION,
    Provider: Resource.PROVIDER,
    Benchmark: Resource.BENCHMARK,
}
TOUCH_ARGUMENT = {Organization: "organizations", Provider: "providers", Benchmark: "benchmarks"}


def _source_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        touch(sources=[instance.pk])


# Set while a backup is restored: rows come back as they were, events included; the
# many-to-many links loaddata sets afterwards carry no `raw` flag to say so.
_restoring: ContextVar[bool] = ContextVar("changelog_restoring", default=False)


@contextmanager
def restoring() -> Iterator[None]:
    token = _restoring.set(True)
    try:
        yield
    finally:
        _restoring.reset(token)


def _sources_linked(sender, instance, action, reverse, pk_set, **kwargs):
    if _restoring.get():
        return
    if action in ("post_add", "post_remove"):
        touch(model_contents=pk_set or ()) if reverse else touch(model_contents=[instance.pk])
    elif action == "pre_clear":
        touch(sources=[instance.pk]) if reverse else touch(model_contents=[instance.pk])


def connect_offering_part(model) -> None:
    """Record changes of `model`, whose rows (with an `offering` key) appear inside
    their offering: price-watch checks connect here from pricewatch."""
    uid = f"changelog-{model._meta.label_lower}"
    post_save.connect(_offering_part_changed, sender=model, dispatch_uid=f"{uid}-save")
    pre_delete.connect(_offering_part_changed, sender=model, dispatch_uid=f"{uid}-delete")


def connect_changelog_signals() -> None:
    def connect(model, saved, deleted, with_before=True):
        uid = f"changelog-{model._meta.label_lower}"
        if with_before:
            pre_save.connect(_before, sender=model, dispatch_uid=f"{uid}-before")
        post_save.connect(saved, sender=model, dispatch_uid=f"{uid}-save")
        pre_delete.connect(deleted, sender=model, dispatch_uid=f"{uid}-delete")

    for model in (LanguageModel, DraftModel):
        connect(model, _model_saved, _model_deleted)
    connect(Offering, _offering_saved, _offering_deleted)
    for model in SLUGGED:
        connect(model, _slugged_saved, _slugged_deleted)
    connect(BenchmarkScore, _score_changed, _score_changed, with_before=False)
    connect(Source, _source_changed, _source_changed, with_before=False)
    for model in (Price, OfferingAlias):
        connect_offering_part(model)
    m2m_changed.connect(
        _sources_linked, sender=LanguageModel.sources.through, dispatch_uid="changelog-sources"
    )
