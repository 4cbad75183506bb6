"""The whole public catalog in one gzip file (/api/v1/export.json.gz): a partner loads it
instead of walking every list, then keeps up with /api/v1/changes/?since=<watermark>.

Each record is the one the list endpoints give, built by the same functions: a model as
in /api/v1/models/ (its offerings, current prices and sources inside), an offering as in
/api/v1/offerings/ (with its price history), and organisations, providers and benchmarks
(with their scores) as in their lists.

Built at most once per catalog version: the gzip bytes are kept in the shared cache
under one key, holding one export at a time, so the cache never holds more than one copy
however many versions pass (there is no file storage for the site to write to). The
version, the change-log position and every record are read in one database snapshot, so
the bytes are a function of the catalog version: the same in every worker, which is
what lets the ETag derive from the version alone and be strong.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from api import selectors, serializers
from api.representation import datetime_text, represent
from catalog.models import LanguageModel, Offering, Price, Provider
from sitecache.build import build_id
from sitecache.site_url import absolute_url
from sitecache.versioning import (
    RequestVersion,
    Version,
    current_version,
    request_version,
    version_for_request,
)

CACHE_KEY = "api:export"
# Part of the ETag: bump it when the document's shape changes, so a client holding an
# export of the same catalog version in the old shape downloads the new one.
FORMAT = 1
# gzip's default level 9 takes about three times as long for a file 3% smaller.
COMPRESS_LEVEL = 6


@dataclass(frozen=True)
class CatalogExport:
    version: Version
    content: bytes  # gzip of the JSON document

    @property
    def etag(self) -> str:
        return export_etag(self.version)

    @property
    def filename(self) -> str:
        return f"llm-catalog-{self.version.changed_at:%Y-%m-%d}.json.gz"


def export_etag(version: Version) -> str:
    """A strong validator: the export's bytes are a function of the catalog version."""
    return version.etag_for(f"api-export:{FORMAT}:{build_id()}")


def catalog_export() -> CatalogExport:
    """The export for the catalog version of this request, built when the one kept in
    the cache is of another version."""
    version = version_for_request()
    key = f"{CACHE_KEY}:{build_id()}"  # sitecache.build: a deploy builds its own
    hit = cache.get(key)
    if hit is not None and hit[0].token == version.token:
        return CatalogExport(*hit)
    export = build_catalog_export()
    cache.set(key, (export.version, export.content), settings.PAGE_CACHE_SECONDS)
    return export


def build_catalog_export() -> CatalogExport:
    """Read the catalog, as of one snapshot, and gzip it. The version is read again
    inside the snapshot: an edit committed since the request began is then in both the
    records and the version they are labelled with."""
    with read_snapshot():
        version = current_version()
        token = request_version.set(RequestVersion(version))
        try:
            document = export_document(version)
        finally:
            request_version.reset(token)
    body = JSONRenderer().render(document)  # as the list endpoints render their records
    return CatalogExport(version, gzip.compress(body, compresslevel=COMPRESS_LEVEL, mtime=0))


def export_document(version: Version) -> dict:
    """The document: where the change log stands, then every public record."""
    # Read first: were the records not read in one snapshot (see read_snapshot), an edit
    # committed in between would be both in them and after the watermark, and applying
    # its events again is harmless; the other order would lose it.
    watermark = selectors.latest_change_id()
    tz = timezone.get_current_timezone()
    organizations = list(selectors.api_organizations())
    providers = list(selectors.api_providers())
    models = list(selectors.api_model_rows())
    offerings = public_offerings(models, providers)
    return {
        "watermark": watermark,
        "changes": absolute_url(f"{reverse('api:changes')}?since={watermark}"),
        "as_of": datetime_text(version.changed_at, tz),
        "models": [represent(serializers.LanguageModelSerializer, model, tz) for model in models],
        "offerings": [
            represent(serializers.OfferingSerializer, offering, tz) for offering in offerings
        ],
        "organizations": [
            represent(serializers.OrganizationSerializer, organization, tz)
            for organization in organizations
        ],
        "providers": [
            represent(serializers.ProviderSerializer, provider, tz) for provider in providers
        ],
        "benchmarks": serializers.BenchmarkSerializer(selectors.api_benchmarks(), many=True).data,
    }


def public_offerings(models: list[LanguageModel], providers: list[Provider]) -> list[Offering]:
    """Every offering of `models`, by id, with what /api/v1/offerings/ prefetches; and
    each model's offerings and sources as /api/v1/models/ prefetches them.

    Each row is read once: the two lists share the offerings, which share the models'
    and providers' objects rather than fetch them again (the list endpoints' own
    selectors, on the whole catalog, built some 50,000 objects for 400 models)."""
    by_model = {model.pk: model for model in models}
    by_provider = {provider.pk: provider for provider in providers}
    for model in models:
        setattr(model, selectors.OFFERING_LIST, [])
    # In the order a model's offerings are prefetched in (by the database's collation).
    offerings = list(selectors.published_offerings().order_by(*selectors.MODEL_OFFERINGS_ORDER))
    for offering in offerings:
        offering.model = by_model[offering.model_id]
        offering.provider = by_provider[offering.provider_id]
        getattr(offering.model, selectors.OFFERING_LIST).append(offering)
    prefetch_related_objects(
        offerings, *selectors.offering_details_prefetches(), selectors.price_history_prefetch()
    )
    # An offering's current price is one of its prices: taken from its history.
    prices = {
        price.pk: price
        for offering in offerings
        for price in getattr(offering, selectors.PRICE_HISTORY_LIST)
    }
    elsewhere = {o.current_price_id for o in offerings} - prices.keys() - {None}
    if elsewhere:  # not expected; still one query, not one per offering
        prices.update(Price.objects.in_bulk(elsewhere))
    for offering in offerings:
        offering.current_price = prices.get(offering.current_price_id)
    prefetch_related_objects(models, selectors.model_sources_prefetch())
    return sorted(offerings, key=lambda offering: offering.pk)


@contextmanager
def read_snapshot() -> Iterator[None]:
    """Every query inside reads the same committed state of the database.

    PostgreSQL's default (read committed) gives each statement its own snapshot;
    repeatable read gives the transaction one. SQLite's transaction holds its snapshot
    from its first read. Inside a caller's transaction the caller decides."""
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield
