"""The search pages: `/search/?q=`, its suggestions as JSON for the header's type-ahead,
and the site's 404 page, which offers the models nearest a mistyped address."""

from __future__ import annotations

import re

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from catalog import search
from catalog.formatting import format_price_per_million
from sitecache.query_params import reads_query_params

# The slugs a mistyped page address names: /models/<slug>/, /compare/<a>-vs-<b>/.
MODEL_PATH = re.compile(r"^/models/(?P<slug>[^/]+)/?$")
COMPARE_PATH = re.compile(r"^/compare/(?P<pair>[^/]+)/?$")
NEAREST_PER_SLUG = 3


@reads_query_params("q")
@require_safe
def search_page(request):
    context = {"canonical_path": "/search/", "noindex": True}
    try:
        query = search.clean_query(request.GET.get("q"))
    except search.QueryTooLong as error:
        context.update(error=str(error), search_query="")
        return render(request, "catalog/search.html", context, status=400)
    results = search.search_models(query)
    context.update(
        search_query=query,
        results=results,
        nearest=search.nearest_models(query) if query and not results else [],
        limit=search.SEARCH_LIMIT,
    )
    return render(request, "catalog/search.html", context)


@reads_query_params("q")
@require_safe
def suggest(request):
    """`/search/suggest/?q=`: at most SUGGEST_LIMIT models, best first, as
    {"query": …, "results": [{"name", "slug", "url", "maker", "cheapest_input"}]}."""
    try:
        query = search.clean_query(request.GET.get("q"))
    except search.QueryTooLong as error:
        return JsonResponse({"status": 400, "code": "invalid", "message": str(error)}, status=400)
    results = search.search_models(query, limit=search.SUGGEST_LIMIT)
    return JsonResponse(
        {
            "query": query,
            "results": [
                {
                    "name": result.name,
                    "slug": result.slug,
                    "url": result.url,
                    "maker": result.maker,
                    "cheapest_input": (
                        None
                        if result.cheapest_input is None
                        else format_price_per_million(result.cheapest_input)
                    ),
                }
                for result in results
            ],
        }
    )


def slugs_in_path(path: str) -> list[str]:
    """The model slugs a page address names, as words: "/models/claude-sonet/" ->
    ["claude sonet"]; a comparison gives one per side."""
    if match := MODEL_PATH.match(path):
        slugs = [match["slug"]]
    elif match := COMPARE_PATH.match(path):
        slugs = match["pair"].split("-vs-")
    else:
        return []
    return [words for slug in slugs if (words := " ".join(slug.split("-")).strip())]


def page_not_found(request, exception=None):
    """The site's 404 page; for a mistyped model or comparison address, the nearest
    models to each slug it names."""
    nearest, seen = [], set()
    for words in slugs_in_path(request.path)[:4]:
        for result in search.nearest_models(words, limit=NEAREST_PER_SLUG):
            if result.slug not in seen:
                seen.add(result.slug)
                nearest.append(result)
    return render(
        request,
        "404.html",
        {"nearest": nearest, "request_path": request.path, "noindex": True},
        status=404,
    )
