"""Catalog pages: the models list, a model, a provider. Views route; selectors read."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from catalog import changelog, selectors
from catalog.filters import LanguageModelFilter
from catalog.model_page import read_model_page
from catalog.pairs import compare_url
from catalog.permissions import can_preview_drafts
from sitecache.query_params import reads_query_params


@reads_query_params("page", *LanguageModelFilter.base_filters)
@require_safe
def model_list(request):
    filterset = LanguageModelFilter(
        request.GET or None, queryset=selectors.model_list(), request=request
    )
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "catalog/model_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "sorting": sort_headers(query, request.GET.get("sort", "")),
            "canonical_path": "/models/",
            "noindex": bool(request.GET),
        },
    )


SORTABLE_COLUMNS = ("name", "released", "context", "price")


def sort_headers(query, current: str) -> dict[str, dict[str, str]]:
    """For each sortable column of the models list, the link that sorts by it (the
    other way round when it is already the sort) keeping the filters, and its aria-sort
    state ("ascending", "descending" or "none"). Unsorted, the list is by name."""
    current = current or "name"
    headers = {}
    for column in SORTABLE_COLUMNS:
        state = {column: "ascending", f"-{column}": "descending"}.get(current, "none")
        linked = query.copy()
        linked["sort"] = f"-{column}" if state == "ascending" else column
        headers[column] = {"url": "?" + linked.urlencode(), "aria": state}
    return headers


@require_safe
def model_detail(request, slug: str):
    model = selectors.models_by_slug([slug], include_drafts=can_preview_drafts(request)).get(slug)
    if model is None:
        return model_gone(request, slug)
    page = read_model_page(model, today=timezone.localdate())
    return render(
        request,
        "catalog/model_detail.html",
        {
            "model": model,
            "page": page,
            "candidates": [
                (other, compare_url(model.slug, other.slug))
                for other in selectors.compare_candidates(model)
            ],
            "is_preview": not model.is_published,
            "noindex": not model.is_published,
            "canonical_path": model.get_absolute_url(),
        },
    )


def model_gone(request, slug: str):
    """A model page that is empty: 301 to the new slug after a rename, 410 for a model
    deleted or unpublished (search engines drop it), else 404."""
    event = changelog.tombstone(changelog.Resource.MODEL, slug)
    if event is None:
        raise Http404("No such model.")
    if event.action == changelog.Action.RENAMED:
        return HttpResponsePermanentRedirect(
            reverse("catalog:model-detail", kwargs={"slug": event.key})
        )
    return render(request, "catalog/model_gone.html", {"event": event, "noindex": True}, status=410)


@require_safe
def provider_detail(request, slug: str):
    provider = selectors.provider_detail(slug)
    if provider is None:
        raise Http404("No such provider.")
    offerings = list(provider.offerings.all())
    return render(
        request,
        "catalog/provider_detail.html",
        {
            "provider": provider,
            "offerings": offerings,
            "shows_provider_limits": any(o.has_own_limits for o in offerings),
            "canonical_path": provider.get_absolute_url(),
        },
    )
