"""The per-model stamps cached comparison pages are checked against
(sitecache.dependencies), kept moving by every write that changes what those pages show.

A comparison page shows two models (everything a snapshot holds: fields, organisation,
offerings with providers, prices, tiers and price-watch checks, benchmark scores with
their benchmarks, sources), their Comparison row, and "continue comparing" links chosen
among all published models by organisation, capabilities and cheapest input price.

- `LanguageModel.updated_at` is moved by the change log (catalog.changelog.touch) for
  every change a model's API representation shows, which is everything above but the
  scores: fields, organisation, offerings, providers, prices (and scheduled prices taking
  effect), checks, sources.
- `LanguageModel.scores_changed_at` is moved here when one of the model's benchmark
  scores, or a benchmark it has a score on, is written.
- `LanguageModel.cheapest_input_stored` is the model's cheapest buyable input price
  (selectors.cheapest_buyable_price), so a page's "nearest input price" neighbours can
  be checked by an indexed range: recomputed by the change log in the statement that
  moves a published model's `updated_at`, and here after what that misses (a delete,
  whose change-log entry is written first; a current-price pointer moved after it; a
  draft published).
- What decides other pages' "continue comparing" lists besides prices (a model
  published, unpublished, created or deleted; its slug, name, organisation, release
  date or capabilities) bumps the structure version, which every such page is checked
  against (`stamps_cover` below); so does any write of a model not declared here.

Writes that skip signals keep these themselves: `refresh_cheapest_inputs` after moving
current prices (services), after a restore and a synthetic catalog; `stamp_scores` after
a bulk load of scores (seeding).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from catalog.models import (
    CAPABILITIES,
    Benchmark,
    BenchmarkScore,
    ChangeEvent,
    DraftModel,
    LanguageModel,
    ModelAlias,
    ModelEvidence,
    Offering,
    OfferingAlias,
    Organization,
    Price,
    Provider,
    RejectedModel,
    Source,
)
from catalog.selectors import cheapest_buyable_price
from sitecache.signals import stamps_cover

PUBLISHED = LanguageModel.Status.PUBLISHED
# What other pages' related lists (and the resolving of their URLs) read of a model.
LISTED_FIELDS = (
    "status",
    "slug",
    "name",
    "organization_id",
    "release_date",
    *(key for key, _label in CAPABILITIES),
)


def refresh_cheapest_inputs(model_ids: Iterable[int] | QuerySet | None = None) -> None:
    """Recompute `cheapest_input_stored` of these models (all when None; a queryset of
    ids stays a subquery): one UPDATE."""
    models = LanguageModel.objects.all()
    if isinstance(model_ids, QuerySet):
        models = models.filter(pk__in=model_ids)
    elif model_ids is not None:
        ids = {pk for pk in model_ids if pk is not None}
        if not ids:
            return
        models = models.filter(pk__in=ids)
    models.update(cheapest_input_stored=cheapest_buyable_price("input"))


def stamp_scores(model_ids: Iterable[int]) -> None:
    ids = {pk for pk in model_ids if pk is not None}
    if ids:
        LanguageModel.objects.filter(pk__in=ids).update(scores_changed_at=timezone.now())


# Structural or not (sitecache.signals.stamps_cover).


def _remember_listing(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        instance._page_listing_before = None
        return
    instance._page_listing_before = (
        LanguageModel._base_manager.filter(pk=instance.pk).values_list(*LISTED_FIELDS).first()
    )


def _model_write_is_covered(instance, action: str) -> bool:
    """Whether a write of a model leaves every other page's related list as it was."""
    if action == "created":
        return instance.status != PUBLISHED
    if action == "deleted":
        return instance.status != PUBLISHED
    if action == "linked":  # its sources: touch moves updated_at
        return True
    before = getattr(instance, "_page_listing_before", None)
    if before is None:
        return False
    after = tuple(getattr(instance, name) for name in LISTED_FIELDS)
    if PUBLISHED not in (before[0], after[0]):
        return True  # a draft stays a draft: no page lists it
    return before == after


# Receivers: connected before the change log's, so a stored price is right before the
# change log moves `updated_at` (each page check sees the stamp move last).


def _model_saved(sender, instance, created, raw=False, **kwargs):
    if raw or created:
        return
    before = getattr(instance, "_page_listing_before", None)
    if before is not None and before[0] != instance.status:
        refresh_cheapest_inputs([instance.pk])  # a draft's is not kept up to date


def _offering_deleted(sender, instance, **kwargs):
    refresh_cheapest_inputs([instance.model_id])


def _price_deleted(sender, instance, **kwargs):
    refresh_cheapest_inputs(
        Offering.objects.filter(pk=instance.offering_id).values_list("model_id", flat=True)
    )


def _remember_scored_model(sender, instance, raw=False, **kwargs):
    before = None
    if not raw and instance.pk is not None:
        before = BenchmarkScore.objects.filter(pk=instance.pk).values_list("model_id", flat=True)
        before = before.first()
    instance._page_model_before = before


def _score_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        stamp_scores([instance.model_id, getattr(instance, "_page_model_before", None)])


def _score_deleted(sender, instance, **kwargs):
    stamp_scores([instance.model_id])


def _benchmark_saved(sender, instance, created, raw=False, **kwargs):
    if not raw and not created:
        stamp_scores(
            BenchmarkScore.objects.filter(benchmark=instance).values_list("model_id", flat=True)
        )


def connect_page_stamp_signals() -> None:
    def connect(signal, receiver, sender, name):
        signal.connect(receiver, sender=sender, dispatch_uid=f"page-stamps-{name}")

    for model in (LanguageModel, DraftModel):
        label = model._meta.model_name
        connect(pre_save, _remember_listing, model, f"{label}-before")
        connect(post_save, _model_saved, model, f"{label}-save")
        stamps_cover(model, _model_write_is_covered)
    # The change log recomputes the stored price with each published model's stamp; a
    # delete's entry is written before the rows go, so recompute once they have.
    connect(post_delete, _offering_deleted, Offering, "offering-delete")
    connect(post_delete, _price_deleted, Price, "price-delete")
    connect(pre_save, _remember_scored_model, BenchmarkScore, "score-before")
    connect(post_save, _score_saved, BenchmarkScore, "score-save")
    connect(post_delete, _score_deleted, BenchmarkScore, "score-delete")
    connect(post_save, _benchmark_saved, Benchmark, "benchmark-save")
    # Their writes move the stamps above (or the change log's), or no page shows them.
    # An organisation's slug groups the related lists' candidates, which are kept per
    # structure version: a slug change is structural, other organisation edits are not.
    stamps_cover(Organization, _organization_write_is_covered)
    for model in (
        Provider,
        Offering,
        OfferingAlias,
        Price,
        Benchmark,
        BenchmarkScore,
        Source,
        ModelAlias,
        ModelEvidence,
        RejectedModel,
        ChangeEvent,
        LanguageModel.sources.through,
    ):
        stamps_cover(model)


def _organization_write_is_covered(organization, action: str) -> bool:
    if action != "saved":
        return True
    # What the change log's pre_save receiver read of the stored row: (slug,).
    before = getattr(organization, "_changelog_before", None)
    return before is not None and before[0] == organization.slug
