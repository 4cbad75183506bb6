"""API v1: thin read-only views over the selectors. Authentication, throttling,
pagination, filtering and errors are configured in settings.REST_FRAMEWORK."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, viewsets
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from api import cost, filters, selectors, serializers
from api.caching import answer_for_day, apply_http_caching, cached_response
from api.comparison_document import comparison_payload
from api.exceptions import error_body
from api.export import catalog_export, export_etag
from api.renderers import DocumentJSONRenderer
from catalog import changelog
from catalog.models import ChangeEvent
from catalog.pairs import canonical_pair
from comparisons.pricing import parse_blend
from comparisons.selectors import split_pair
from sitecache.query_params import keep_query_params, permanent_redirect_keeping_query
from sitecache.site_url import absolute_url
from sitecache.versioning import (
    RequestVersion,
    Version,
    request_version,
    version_for_request,
)


class KnownParametersMixin:
    """Refuses, with a 400 naming them, query parameters the endpoint does not read and
    parameters given without a value: a misspelt filter (`?updated_sinse=`) would
    otherwise answer the unfiltered list, and an empty one (`?cursor=`) the first page.

    What an endpoint reads is derived from what it is built from, the same sources the
    OpenAPI schema is generated from: a list's filterset and paginator, the parameters a
    view declares in `query_parameters`, and DRF's format override."""

    query_parameters: tuple[str, ...] = ()

    def accepted_query_parameters(self) -> set[str]:
        names = set(self.query_parameters)
        if api_settings.URL_FORMAT_OVERRIDE:
            names.add(api_settings.URL_FORMAT_OVERRIDE)
        if getattr(self, "action", None) == "list":
            filterset_class = getattr(self, "filterset_class", None)
            if filterset_class is not None:
                names.update(filterset_class.base_filters)
            if self.paginator is not None:
                names.update(
                    parameter["name"]
                    for parameter in self.paginator.get_schema_operation_parameters(self)
                )
        return names

    def refuse_unknown_query_parameters(self, request, accepted: set[str]) -> None:
        """Called by HttpCachingMixin.initial after authentication and throttling (a
        refused request still counts) and before the query is ordered for the cache."""
        reads = ", ".join(sorted(accepted)) or "none"
        errors = {}
        for name, values in request.query_params.lists():
            if name not in accepted:
                errors[name] = [f"Unknown parameter (this endpoint reads: {reads})."]
            elif any(value == "" for value in values):
                errors[name] = ["Empty value: give a value or leave the parameter out."]
        if errors:
            raise exceptions.ValidationError(errors)


class HttpCachingMixin:
    """Reads the catalog version once per request; ETag, Last-Modified, Cache-Control and
    304s on every successful read.

    Unknown parameters are refused (KnownParametersMixin); the ones the view reads stay on
    the request ordered by name (sitecache.query_params), so the cache key and the `next`
    links do not depend on the order a caller wrote them in."""

    def dispatch(self, request, *args, **kwargs):
        # Read on first use: a cached answer may be served on the shared cache's copy of
        # the version alone (api.caching).
        token = request_version.set(RequestVersion())
        try:
            return super().dispatch(request, *args, **kwargs)
        finally:
            request_version.reset(token)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # content negotiation may read `format`
        accepted = self.accepted_query_parameters()
        self.refuse_unknown_query_parameters(request, accepted)
        keep_query_params(request._request, accepted)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return apply_http_caching(request, response)


class CatalogViewSet(HttpCachingMixin, KnownParametersMixin, viewsets.ReadOnlyModelViewSet):
    # A slug or id is what the pages' <slug:...> converter accepts; anything else (a NUL
    # byte, which PostgreSQL refuses inside a query) is a 404 before any query runs.
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            # Say what was not found in the API's words, not the model class's name.
            what = self.queryset.model._meta.verbose_name
            key = "id" if self.lookup_field == "pk" else self.lookup_field
            raise exceptions.NotFound(f"No {what} has this {key}.") from None

    # Authentication and throttling run before these, so a cached answer still counts
    # against the caller's limit.
    def list(self, request, *args, **kwargs):
        return cached_response(request, lambda: super(CatalogViewSet, self).list(request))

    def retrieve(self, request, *args, **kwargs):
        return cached_response(request, lambda: self._retrieve(request, *args, **kwargs))

    # The change log's resource name: a record that is gone leaves a tombstone there.
    change_resource: str

    def _retrieve(self, request, *args, **kwargs):
        try:
            return super().retrieve(request, *args, **kwargs)
        except exceptions.NotFound:
            key = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
            event = changelog.tombstone(self.change_resource, key)
            if event is None:
                raise
        if event.action == ChangeEvent.Action.RENAMED:
            # Resolved one rename at a time: a chain of renames is a chain of 301s.
            return permanent_redirect_keeping_query(request, detail_url(event.resource, event.key))
        what = self.queryset.model._meta.verbose_name
        body = error_body(410, "gone", f"This {what} was {event.action} on {event.at:%Y-%m-%d}.")
        body["tombstone"] = serializers.tombstone_representation(event)
        return Response(body, status=410)


class LanguageModelViewSet(CatalogViewSet):
    """Published models with specs, capabilities, offerings with current prices and
    sources. Walk the whole catalog with the `next` links (default order: id)."""

    queryset = selectors.api_models()
    serializer_class = serializers.LanguageModelSerializer
    filterset_class = filters.LanguageModelFilter
    lookup_field = "slug"
    change_resource = ChangeEvent.Resource.MODEL

    def list(self, request, *args, **kwargs):
        return cached_response(request, lambda: self._list_page(request))

    def _list_page(self, request):
        # Filter and page over the model rows alone; each model's representation is
        # built once per catalog version (fetching its offerings and sources only then)
        # and shared by every list page, filter and cursor that shows it.
        rows = self.paginate_queryset(self.filter_queryset(selectors.api_model_rows()))
        return self.get_paginated_response(serializers.model_representations(rows))


class OrganizationViewSet(CatalogViewSet):
    queryset = selectors.api_organizations()
    serializer_class = serializers.OrganizationSerializer
    filterset_class = filters.OrganizationFilter
    lookup_field = "slug"
    change_resource = ChangeEvent.Resource.ORGANIZATION


class ProviderViewSet(CatalogViewSet):
    queryset = selectors.api_providers()
    serializer_class = serializers.ProviderSerializer
    filterset_class = filters.ProviderFilter
    lookup_field = "slug"
    change_resource = ChangeEvent.Resource.PROVIDER


class OfferingViewSet(CatalogViewSet):
    """Offerings of published models, each with its current price and price history."""

    queryset = selectors.api_offerings()
    serializer_class = serializers.OfferingSerializer
    filterset_class = filters.OfferingFilter
    change_resource = ChangeEvent.Resource.OFFERING


class BenchmarkViewSet(CatalogViewSet):
    """Benchmarks with the scores of published models."""

    queryset = selectors.api_benchmarks()
    serializer_class = serializers.BenchmarkSerializer
    filterset_class = filters.BenchmarkFilter
    lookup_field = "slug"
    change_resource = ChangeEvent.Resource.BENCHMARK


# Input:output weights, each 0 to 9999 and not both zero (comparisons.pricing.BlendRatio).
NON_ZERO_WEIGHT = "(?:[1-9][0-9]{0,3}|0[1-9][0-9]{0,2}|00[1-9][0-9]?|000[1-9])"
BLEND_PATTERN = rf"^(?:{NON_ZERO_WEIGHT}[:/][0-9]{{1,4}}|[0-9]{{1,4}}[:/]{NON_ZERO_WEIGHT})$"


class ComparisonView(HttpCachingMixin, KnownParametersMixin, APIView):
    """A pair of published models. The canonical URL orders the slugs alphabetically;
    the other order answers 301 to it."""

    query_parameters = ("blend",)
    renderer_classes = [DocumentJSONRenderer]

    @extend_schema(
        operation_id="comparisons_retrieve",
        parameters=[
            OpenApiParameter(
                "pair", OpenApiTypes.STR, OpenApiParameter.PATH, description="<a>-vs-<b>"
            ),
            OpenApiParameter(
                "blend",
                OpenApiTypes.STR,
                description='Input:output weights of the blended price, e.g. "70/30" '
                '(default), "3:1" or "50/50"; not both zero.',
                pattern=BLEND_PATTERN,
            ),
        ],
        responses={
            200: serializers.ComparisonSerializer,
            301: OpenApiResponse(description="Redirect to the canonical order of the pair."),
        },
    )
    def get(self, request, pair: str):
        try:
            blend = parse_blend(request.query_params.get("blend"))
        except ValueError as error:
            raise exceptions.ValidationError({"blend": [str(error)]}) from error
        try:
            slug_a, slug_b, models = split_pair(pair, include_drafts=False)
        except Http404 as error:
            raise exceptions.NotFound(
                "No such comparison: both models must exist, be published and differ."
            ) from error
        canonical = canonical_pair(slug_a, slug_b)
        if canonical != (slug_a, slug_b):
            return permanent_redirect_keeping_query(
                request, reverse("api:comparison", kwargs={"pair": "-vs-".join(canonical)})
            )
        try:
            return cached_response(
                request, lambda: Response(comparison_payload(slug_a, slug_b, models, blend))
            )
        except Http404 as error:
            raise exceptions.NotFound("No such comparison.") from error


class CostView(HttpCachingMixin, KnownParametersMixin, APIView):
    """What a token workload costs on every offering of up to 20 models, cheapest first,
    at the prices in force on a day (today by default; a past day reads the price
    history), priced as the comparison pages' calculator prices it."""

    query_parameters = tuple(cost.CostQuerySerializer().fields)

    @extend_schema(
        operation_id="cost_retrieve",
        parameters=cost.PARAMETERS,
        responses={
            200: OpenApiResponse(
                cost.CostSerializer,
                description="The workload priced on every offering of the models.",
            )
        },
    )
    def get(self, request):
        query = cost.read_cost_query(request.query_params)
        on = query.get("date")
        if on is None:
            on = timezone.localdate()
            answer_for_day(request, on)  # the URL names no day: key and validate by it
        return cached_response(request, lambda: Response(cost.cost_payload(query, on=on)))


# The change log's resources, by the name of their detail route and its URL argument.
DETAIL_ROUTES = {
    ChangeEvent.Resource.MODEL: ("api:model-detail", "slug"),
    ChangeEvent.Resource.ORGANIZATION: ("api:organization-detail", "slug"),
    ChangeEvent.Resource.PROVIDER: ("api:provider-detail", "slug"),
    ChangeEvent.Resource.OFFERING: ("api:offering-detail", "pk"),
    ChangeEvent.Resource.BENCHMARK: ("api:benchmark-detail", "slug"),
}


def detail_url(resource: str, key: str) -> str:
    name, argument = DETAIL_ROUTES[resource]
    return reverse(name, kwargs={argument: key})


class ChangeLogView(HttpCachingMixin, KnownParametersMixin, APIView):
    """Every change partners can see, oldest first: created, updated, deleted,
    unpublished and renamed (old slug -> new) events for models, organizations,
    providers, offerings and benchmarks. A change to something a record embeds (a
    provider renamed, a price taking effect, an alias, a source, a score, a price check)
    is an `updated` event for that record too, and moves its `updated_at`.

    Sync loop: keep `latest` before a first full walk; then ask for ?since=<watermark>,
    apply the events in order, follow `next` until it is null, and keep the last page's
    `watermark` for the next run."""

    query_parameters = ("since", "page_size")

    @extend_schema(
        operation_id="changes_list",
        parameters=[
            OpenApiParameter(
                "since",
                {"type": "integer", "minimum": 0, "maximum": selectors.MAX_WATERMARK},
                description="A watermark from an earlier answer: only events after it "
                "(default 0, the whole log).",
            ),
            OpenApiParameter(
                "page_size",
                {"type": "integer", "minimum": 1, "maximum": selectors.MAX_CHANGES_PAGE},
                description=f"Events per page, 1 to {selectors.MAX_CHANGES_PAGE} "
                f"(default {selectors.DEFAULT_CHANGES_PAGE}).",
            ),
        ],
        responses={200: serializers.ChangeLogPageSerializer},
    )
    def get(self, request):
        # `since=` (an unset shell variable) must not quietly mean the whole log:
        # KnownParametersMixin refuses empty values before this runs, and a plain dict
        # (DRF reads an empty value in a QueryDict as absent) keeps this view safe alone.
        query = serializers.ChangeLogQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        since, page_size = query.validated_data["since"], query.validated_data["page_size"]
        return cached_response(request, lambda: self._page(request, since, page_size))

    def _page(self, request, since: int, page_size: int) -> Response:
        latest = selectors.latest_change_id()
        if since > latest:
            raise exceptions.ValidationError(
                {
                    "since": [
                        f"{since} is ahead of the change log, whose newest event is {latest}: "
                        "the log was reset. Walk the full catalog again, then sync from "
                        "`latest`."
                    ]
                }
            )
        events = selectors.change_events(since=since, limit=page_size + 1)
        has_next = len(events) > page_size
        events = events[:page_size]
        watermark = events[-1].pk if events else since
        tz = serializers.current_tz(None)
        results = [
            serializers.change_event_representation(
                event, absolute_url(detail_url(event.resource, event.key)), tz
            )
            for event in events
        ]
        next_url = None
        if has_next:
            next_url = replace_query_param(
                absolute_url(request.get_full_path()), "since", watermark
            )
        return Response(
            {"next": next_url, "watermark": watermark, "latest": latest, "results": results}
        )


class JsonErrors(BaseContentNegotiation):
    """Whatever the Accept header says (`application/gzip`, say), errors are JSON: the
    one renderer a view using this offers."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class CatalogExportView(HttpCachingMixin, KnownParametersMixin, APIView):
    """The whole public catalog in one gzip file of JSON: `models`,
    `offerings` (with price history), `organizations`, `providers` and `benchmarks`
    (with scores), each record as its list endpoint gives it; and `watermark`, the change
    log's position the export is as of: load it, then sync from
    /api/v1/changes/?since=<watermark>. Served as a file (application/gzip), never
    re-encoded; its ETag is strong and changes with the catalog only."""

    renderer_classes = [JSONRenderer]
    content_negotiation_class = JsonErrors

    def accepted_query_parameters(self) -> set[str]:
        return set()  # not even `format`: the file has one format

    @extend_schema(
        operation_id="export_retrieve",
        tags=["export"],
        responses={
            (200, "application/gzip"): OpenApiResponse(
                OpenApiTypes.BINARY,
                description="A gzip file (Content-Disposition: attachment) of one JSON "
                "object: `watermark` (integer: continue with /api/v1/changes/?since= it), "
                "`changes` (that URL), `as_of` (when the catalog last changed), and the "
                "lists `models`, `offerings`, `organizations`, `providers`, `benchmarks` "
                "whose records are those of the list endpoints.",
            ),
        },
        parameters=[
            OpenApiParameter(
                "ETag",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="Strong validator: the same until the catalog changes; send it "
                "back as If-None-Match for a 304.",
                response=[200, 304],
            ),
        ],
    )
    def get(self, request):
        version = version_for_request()
        not_modified = get_conditional_response(
            request, etag=export_etag(version), last_modified=_timestamp(version)
        )
        if not_modified is not None:
            return self._with_validators(not_modified, version)
        export = catalog_export()
        response = HttpResponse(export.content, content_type="application/gzip")
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        return self._with_validators(response, export.version)

    @staticmethod
    def _with_validators(response: HttpResponse, version: Version) -> HttpResponse:
        if response.status_code in (200, 304):
            response["ETag"] = export_etag(version)
            response["Last-Modified"] = http_date(_timestamp(version))
            patch_cache_control(response, public=True, max_age=settings.API_CACHE_MAX_AGE)
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        if isinstance(response, Response):  # an error: JSON, stored nowhere
            return super().finalize_response(request, response, *args, **kwargs)
        # The file keeps its own validators: HttpCachingMixin's weak ETag hashes a JSON
        # body, and would mark a 304 as not to be stored.
        return APIView.finalize_response(self, request, response, *args, **kwargs)


def _timestamp(version: Version) -> int:
    return version.last_modified
