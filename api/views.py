"""API v1: thin read-only views over the selectors. Authentication, throttling,
pagination, filtering and errors are configured in settings.REST_FRAMEWORK."""

from __future__ import annotations

from django.http import HttpResponsePermanentRedirect
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from api import filters, selectors, serializers
from api.caching import apply_http_caching
from api.comparison_document import comparison_payload, parse_blend
from comparisons.models import canonical_pair


class HttpCachingMixin:
    """ETag, Last-Modified, Cache-Control and 304s on every successful read."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return apply_http_caching(request, response)


class CatalogViewSet(HttpCachingMixin, viewsets.ReadOnlyModelViewSet):
    pass


class LanguageModelViewSet(CatalogViewSet):
    """Published models with specs, capabilities, offerings with current prices and
    sources. Walk the whole catalog with the `next` links (default order: id)."""

    queryset = selectors.api_models()
    serializer_class = serializers.LanguageModelSerializer
    filterset_class = filters.LanguageModelFilter
    lookup_field = "slug"


class OrganizationViewSet(CatalogViewSet):
    queryset = selectors.api_organizations()
    serializer_class = serializers.OrganizationSerializer
    filterset_class = filters.OrganizationFilter
    lookup_field = "slug"


class ProviderViewSet(CatalogViewSet):
    queryset = selectors.api_providers()
    serializer_class = serializers.ProviderSerializer
    filterset_class = filters.ProviderFilter
    lookup_field = "slug"


class OfferingViewSet(CatalogViewSet):
    """Offerings of published models, each with its current price and price history."""

    queryset = selectors.api_offerings()
    serializer_class = serializers.OfferingSerializer
    filterset_class = filters.OfferingFilter


class BenchmarkViewSet(CatalogViewSet):
    """Benchmarks with the scores of published models."""

    queryset = selectors.api_benchmarks()
    serializer_class = serializers.BenchmarkSerializer
    filterset_class = filters.BenchmarkFilter
    lookup_field = "slug"


class ComparisonView(HttpCachingMixin, APIView):
    """A pair of published models. The canonical URL orders the slugs alphabetically;
    the other order answers 301 to it."""

    @extend_schema(
        operation_id="comparisons_retrieve",
        parameters=[
            OpenApiParameter(
                "pair", OpenApiTypes.STR, OpenApiParameter.PATH, description="<a>-vs-<b>"
            ),
            OpenApiParameter(
                "blend",
                OpenApiTypes.STR,
                description='Input:output weights of the blended price, e.g. "70:30" '
                '(default) or "3:1".',
                pattern=r"^[0-9]{1,6}:[0-9]{1,6}$",
            ),
        ],
        responses={
            200: serializers.ComparisonSerializer,
            301: OpenApiResponse(description="Redirect to the canonical order of the pair."),
        },
    )
    def get(self, request, pair: str):
        slug_a, sep, slug_b = pair.partition("-vs-")
        if not sep or not slug_a or not slug_b or slug_a == slug_b:
            raise exceptions.NotFound("No such comparison.")
        try:
            blend = parse_blend(request.query_params.get("blend"))
        except ValueError as error:
            raise exceptions.ValidationError({"blend": [str(error)]}) from error
        models = {m.slug: m for m in selectors.api_models().filter(slug__in=[slug_a, slug_b])}
        if len(models) != 2:
            raise exceptions.NotFound("No such comparison: both models must be published.")
        canonical = canonical_pair(slug_a, slug_b)
        if canonical != (slug_a, slug_b):
            url = reverse("api:comparison", kwargs={"pair": "-vs-".join(canonical)})
            if request.META.get("QUERY_STRING"):
                url += "?" + request.META["QUERY_STRING"]
            return HttpResponsePermanentRedirect(url)
        # ComparisonSerializer documents the payload in the schema; the payload is
        # already plain JSON data.
        return Response(comparison_payload(models[slug_a], models[slug_b], blend))
