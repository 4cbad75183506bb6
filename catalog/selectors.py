"""Read paths for pages and the API: one queryset per need, joins chosen up front so a
page runs a fixed number of queries whatever the catalog size."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import (
    Case,
    Count,
    DecimalField,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from catalog.models import (
    MONEY,
    BenchmarkScore,
    LanguageModel,
    Offering,
    Price,
    Provider,
    buyable_offerings,
)


def visible_models(*, include_drafts: bool = False) -> QuerySet[LanguageModel]:
    """Published models, or every model for staff previews."""
    models = LanguageModel.objects.all()
    return models if include_drafts else models.published()


def models_by_slug(slugs: Iterable[str], *, include_drafts: bool = False) -> dict:
    """{slug: LanguageModel} with organisations, for the slugs that exist and are visible."""
    return {
        model.slug: model
        for model in visible_models(include_drafts=include_drafts)
        .filter(slug__in=list(slugs))
        .select_related("organization")
    }


def with_cross_checks(offerings: QuerySet[Offering]) -> QuerySet[Offering]:
    """Annotate how many independent sources were checked against each offering, how
    many agree, and when they were last checked (price watch), in the same query."""
    return offerings.annotate(
        checks_total=Count("price_checks", distinct=True),
        checks_agreeing=Count("price_checks", filter=Q(price_checks__agrees=True), distinct=True),
        checks_on=Max("price_checks__checked_on"),
    )


def offerings_for_models(model_ids: Iterable[int]) -> QuerySet[Offering]:
    """Offerings with provider, current price and cross-check counts, for a set of
    models."""
    return with_cross_checks(
        Offering.objects.filter(model_id__in=list(model_ids))
        .select_related("provider", "current_price")
        .order_by("provider__name")
    )


def current_tier_prices(model_ids: Iterable[int], *, on: date | None = None) -> QuerySet[Price]:
    """Standard-tier long-context prices (threshold > 0) in force by `on`, newest first
    per offering and threshold; the caller keeps the first of each."""
    on = on or timezone.localdate()
    return Price.objects.filter(
        offering__model_id__in=list(model_ids),
        tier=Price.Tier.STANDARD,
        context_threshold__gt=0,
        effective_date__lte=on,
    ).order_by("offering_id", "context_threshold", "-effective_date")


def scores_for_models(model_ids: Iterable[int]) -> QuerySet[BenchmarkScore]:
    return (
        BenchmarkScore.objects.filter(model_id__in=list(model_ids))
        .select_related("benchmark")
        .order_by("benchmark__name", "benchmark__variant")
    )


def source_links_for_models(model_ids: Iterable[int]) -> QuerySet:
    """Rows of the model-source link table with their sources."""
    through = LanguageModel.sources.through
    return (
        through.objects.filter(languagemodel_id__in=list(model_ids))
        .select_related("source")
        .order_by("source__title", "source__url")
    )


PRICE_FIELD = DecimalField(**MONEY)


def cheapest_buyable_price(field: str) -> Subquery:
    """The lowest current `field` price ("input" or "output") over a model's offerings
    that can be bought (catalog.models.BUYABLE_LIFECYCLES), None when none has a price:
    the one definition of a model's cheapest price, annotated on LanguageModel querysets
    by the models list, related pairs, the admin and the API.

    A correlated subquery rather than an aggregate over a join: it needs no GROUP BY, so
    filters and the API's keyset cursors compare it in WHERE, and other annotations
    (counts) are not multiplied by the join."""
    return Subquery(
        Offering.objects.filter(
            buyable_offerings(), model=OuterRef("pk"), current_price__isnull=False
        )
        .order_by()
        .values("model")
        .annotate(cheapest=Min(f"current_price__{field}"))
        .values("cheapest"),
        output_field=PRICE_FIELD,
    )


def with_cheapest_prices(models: QuerySet[LanguageModel]) -> QuerySet[LanguageModel]:
    """Annotate the lowest current input and output price over a model's offerings that
    can be bought (cheapest_buyable_price) and how many offerings it has."""
    return models.annotate(
        cheapest_input=cheapest_buyable_price("input"),
        cheapest_output=cheapest_buyable_price("output"),
        provider_count=Count("offerings", distinct=True),
    )


def model_list(*, include_drafts: bool = False) -> QuerySet[LanguageModel]:
    """The models list before filtering: organisation joined, cheapest prices annotated."""
    return with_cheapest_prices(
        visible_models(include_drafts=include_drafts).select_related("organization")
    ).order_by("name", "pk")


def model_detail(slug: str, *, include_drafts: bool = False) -> LanguageModel | None:
    """A model with its organisation, offerings (provider, current price, full price
    history newest first), benchmark scores and sources."""
    return (
        visible_models(include_drafts=include_drafts)
        .select_related("organization")
        .prefetch_related(
            Prefetch(
                "offerings",
                queryset=with_cross_checks(
                    Offering.objects.select_related("provider", "current_price")
                )
                .prefetch_related(
                    Prefetch("prices", queryset=Price.objects.order_by("effective_date", "tier"))
                )
                .order_by("provider__name"),
            ),
            Prefetch("scores", queryset=BenchmarkScore.objects.select_related("benchmark")),
            "sources",
        )
        .filter(slug=slug)
        .first()
    )


def compare_candidates(model: LanguageModel, *, limit: int = 8) -> list[LanguageModel]:
    """Other published models to offer "compare with" links to: same organisation first,
    then the newest."""
    return list(
        LanguageModel.objects.published()
        .exclude(pk=model.pk)
        .annotate(
            same_org=Case(
                When(organization_id=model.organization_id, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("-same_org", "-release_date", "name")
        .only("name", "slug")[:limit]
    )


def provider_detail(slug: str) -> Provider | None:
    """A provider with its offerings of published models and their current prices."""
    return (
        Provider.objects.filter(slug=slug)
        .prefetch_related(
            Prefetch(
                "offerings",
                queryset=Offering.objects.filter(model__status=LanguageModel.Status.PUBLISHED)
                .select_related("model", "model__organization", "current_price")
                .order_by("model__name"),
            )
        )
        .first()
    )


def newest_models(*, limit: int = 6) -> list[LanguageModel]:
    return list(
        LanguageModel.objects.published()
        .select_related("organization")
        .order_by("-release_date", "name")[:limit]
    )


def recent_price_changes(*, limit: int = 8) -> list[Price]:
    """The latest dated prices of published models (each row is a recorded change)."""
    today = timezone.localdate()
    return list(
        Price.objects.filter(
            offering__model__status=LanguageModel.Status.PUBLISHED, effective_date__lte=today
        )
        .select_related("offering__model", "offering__provider")
        .order_by("-effective_date", "-created_at")[:limit]
    )


def published_slugs_page(*, offset: int, limit: int) -> list[str]:
    return list(
        LanguageModel.objects.published()
        .order_by("slug")
        .values_list("slug", flat=True)[offset : offset + limit]
    )
