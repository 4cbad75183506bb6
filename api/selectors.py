"""Read paths of the API: one queryset per list, with every relation it renders fetched
up front, so a page costs the same number of queries whatever its size."""

from __future__ import annotations

from datetime import datetime

from django.db.models import (
    Exists,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)

from catalog import changelog
from catalog.models import (
    Benchmark,
    BenchmarkScore,
    ChangeEvent,
    LanguageModel,
    Offering,
    Organization,
    Price,
    Provider,
)
from catalog.selectors import cheapest_buyable_price


def published_offerings() -> QuerySet[Offering]:
    return Offering.objects.filter(model__status=LanguageModel.Status.PUBLISHED)


# Prefetched rows go to plain lists (`to_attr`): Django then skips building a related
# manager and a queryset per parent row, which on a page of 50 models with 500 offerings
# cost more than the queries themselves. The serializers read these lists.
OFFERING_LIST = "offering_list"
ALIAS_LIST = "alias_list"
PRICE_CHECK_LIST = "price_check_list"
SOURCE_LIST = "source_list"
PRICE_HISTORY_LIST = "price_history_list"
# Relation -> the list its prefetch fills: where the serializers read a relation's rows
# (api.representation falls back to the relation itself when a record lacks the list).
PREFETCHED_LISTS = {
    "offerings": OFFERING_LIST,
    "aliases": ALIAS_LIST,
    "price_checks": PRICE_CHECK_LIST,
    "sources": SOURCE_LIST,
    "prices": PRICE_HISTORY_LIST,
}


def offering_details_prefetches(offerings: str = "") -> list[Prefetch]:
    """Offerings' aliases and price-watch checks, as lists; `offerings` is the path to
    the offerings when they are themselves prefetched."""
    prefix = f"{offerings}__" if offerings else ""
    return [
        Prefetch(f"{prefix}aliases", to_attr=ALIAS_LIST),
        Prefetch(f"{prefix}price_checks", to_attr=PRICE_CHECK_LIST),
    ]


# A model's offerings, in its representation.
MODEL_OFFERINGS_ORDER = ("provider__name", "pk")


def model_offerings_prefetches() -> list[Prefetch]:
    """A model's offerings with provider, current price, aliases and checks."""
    # The details hang off the outer lookups, not off the offerings' queryset: nested
    # in it, Django walks every offering's related managers once more after fetching.
    offerings = Prefetch(
        "offerings",
        queryset=Offering.objects.select_related("provider", "current_price").order_by(
            *MODEL_OFFERINGS_ORDER
        ),
        to_attr=OFFERING_LIST,
    )
    return [offerings, *offering_details_prefetches(OFFERING_LIST)]


def api_model_rows() -> QuerySet[LanguageModel]:
    """Published models with their organisation and the cheapest current input/output
    price across providers: what filtering, ordering and paging need."""
    return (
        LanguageModel.objects.published()
        .select_related("organization")
        .annotate(
            cheapest_input=cheapest_buyable_price("input"),
            cheapest_output=cheapest_buyable_price("output"),
        )
        .order_by("pk")
    )


def api_model_prefetches() -> list[Prefetch]:
    """What a model's representation reads besides its row: offerings (current prices,
    aliases, checks) and sources."""
    return [*model_offerings_prefetches(), model_sources_prefetch()]


def model_sources_prefetch() -> Prefetch:
    return Prefetch("sources", to_attr=SOURCE_LIST)


def api_models() -> QuerySet[LanguageModel]:
    """`api_model_rows()` with everything a model's representation reads."""
    return api_model_rows().prefetch_related(*api_model_prefetches())


def api_offerings() -> QuerySet[Offering]:
    """Offerings of published models with their current price and full price history."""
    return (
        published_offerings()
        .select_related("model__organization", "provider", "current_price")
        .prefetch_related(*offering_details_prefetches(), price_history_prefetch())
        .order_by("pk")
    )


def price_history_prefetch() -> Prefetch:
    """An offering's every price, by tier and context threshold, newest first."""
    return Prefetch(
        "prices",
        queryset=Price.objects.order_by("tier", "context_threshold", "-effective_date"),
        to_attr=PRICE_HISTORY_LIST,
    )


def cost_offerings(model_ids: list[int]) -> QuerySet[Offering]:
    """Every offering of the models, whatever its lifecycle, with its model (for the
    context window) and provider: what /api/v1/cost/ prices."""
    return (
        Offering.objects.filter(model_id__in=model_ids)
        .select_related("model", "provider")
        .order_by("pk")
    )


def api_benchmarks() -> QuerySet[Benchmark]:
    """Benchmarks with their scores for published models."""
    scores = (
        BenchmarkScore.objects.filter(model__status=LanguageModel.Status.PUBLISHED)
        .select_related("model")
        .order_by("model__slug", "pk")
    )
    return Benchmark.objects.prefetch_related(Prefetch("scores", queryset=scores)).order_by("pk")


def api_organizations() -> QuerySet[Organization]:
    return Organization.objects.order_by("pk")


def api_providers() -> QuerySet[Provider]:
    return Provider.objects.order_by("pk")


def models_changed_since(queryset: QuerySet[LanguageModel], since: datetime) -> QuerySet:
    """Models that changed at or after `since`: the model itself, one of its offerings, or
    one of its prices (a price's history row is written on every create, edit or delete)."""
    offering_changed = Offering.objects.filter(model=OuterRef("pk"), updated_at__gte=since)
    price_changed = Price.history.filter(offering__model=OuterRef("pk"), history_date__gte=since)
    return queryset.filter(
        Q(updated_at__gte=since) | Exists(offering_changed) | Exists(price_changed)
    )


def offerings_changed_since(queryset: QuerySet[Offering], since: datetime) -> QuerySet:
    price_changed = Price.history.filter(offering=OuterRef("pk"), history_date__gte=since)
    return queryset.filter(
        Q(updated_at__gte=since) | Q(model__updated_at__gte=since) | Exists(price_changed)
    )


DEFAULT_CHANGES_PAGE = 100
MAX_CHANGES_PAGE = 1000
MAX_WATERMARK = changelog.MAX_WATERMARK


def change_events(*, since: int, limit: int) -> list[ChangeEvent]:
    """Up to `limit` events after the watermark `since`, oldest first."""
    return list(ChangeEvent.objects.filter(pk__gt=since).order_by("pk")[:limit])


def latest_change_id() -> int:
    """The newest event's id, 0 when the log is empty."""
    return ChangeEvent.objects.aggregate(latest=Max("pk"))["latest"] or 0
