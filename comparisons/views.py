"""Pages of the comparisons app: home, the pair picker, `/compare/<a>-vs-<b>/` and the
lineup of up to four models, `/compare/<a>-vs-<b>-vs-<c>/`.

Views only route: selectors read, the snapshot and narrative decide what is true.
"""

from __future__ import annotations

import re

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from catalog import selectors as catalog_selectors
from catalog.changes import latest_price_moves
from catalog.views import can_preview_drafts
from comparisons import selectors
from comparisons.calculator import ComparisonOptionsForm, read_options, workload_costs
from comparisons.chart import price_bar_chart
from comparisons.forms import MOST_MODELS, ModelSelectionForm, PairPickerForm
from comparisons.models import canonical_lineup, canonical_pair
from comparisons.narrative import build_comparison_document, faq_json_ld
from comparisons.narrative.lineup import build_lineup_document
from comparisons.snapshot import build_lineup_snapshot, build_pair_snapshot
from sitecache.query_params import permanent_redirect_keeping_query, reads_query_params
from sitecache.site_url import absolute_url

SEPARATOR = "-vs-"
PAIR_PATTERN = re.compile(r"^[-a-zA-Z0-9_]+$")
# Pieces between separators a lineup path may have: four slugs may contain "-vs-"
# themselves, but a path of more pieces is refused before its runs are looked up.
MOST_PIECES = 12


@require_safe
def home(request):
    return render(
        request,
        "comparisons/home.html",
        {
            "featured": selectors.featured_comparisons(),
            "newest": catalog_selectors.newest_models(),
            "price_moves": latest_price_moves(),
            "picker": PairPickerForm(choices=selectors.picker_choices()),
            "canonical_path": "/",
        },
    )


@reads_query_params(*PairPickerForm.base_fields, *ModelSelectionForm.base_fields)
@require_safe
def pick(request):
    """`/compare/?a=<slug>&b=<slug>[&c=...&d=...]` from the picker, or `?m=<slug>&m=...`
    from the models list: redirect to the page of those models, or show the form again
    with what is wrong."""
    choices = selectors.picker_choices()
    form = PairPickerForm(None if "m" in request.GET else request.GET or None, choices=choices)
    selection = ModelSelectionForm(request.GET if "m" in request.GET else None, choices=choices)
    if selection.is_bound and selection.is_valid():
        return redirect(selectors.lineup_url(selection.cleaned_data["m"]))
    if form.is_bound and form.is_valid():
        return redirect(selectors.lineup_url(form.slugs()))
    return render(
        request,
        "comparisons/pick.html",
        {
            "picker": form,
            "problems": selection.errors.get("m", []),
            "canonical_path": "/compare/",
            "noindex": True,
        },
        status=400 if form.is_bound or selection.is_bound else 200,
    )


def split_pair(pair: str, *, include_drafts: bool) -> tuple[str, str, dict]:
    """Split "a-vs-b" where slugs may themselves contain "-vs-": try every split and
    keep the one where both sides are real, visible slugs (one query)."""
    if not PAIR_PATTERN.match(pair):
        raise Http404("No such comparison.")
    splits = []
    start = 0
    while (index := pair.find(SEPARATOR, start)) != -1:
        splits.append((pair[:index], pair[index + len(SEPARATOR) :]))
        start = index + 1
    if not splits:
        raise Http404("No such comparison.")
    slugs = {slug for split in splits for slug in split if slug}
    models = catalog_selectors.models_by_slug(slugs, include_drafts=include_drafts)
    for left, right in splits:
        if left in models and right in models and left != right:
            return left, right, models
    raise Http404("No such comparison.")


class TooManyModels(Exception):
    """The path names models the lineup page cannot show (a repeat, more than four)."""


def split_lineup(path: str, *, include_drafts: bool) -> tuple[list[str], dict]:
    """Split "a-vs-b-vs-c" into visible slugs that may themselves contain "-vs-": every
    run of pieces between separators is a candidate slug (one query), and the split
    into the fewest real slugs wins. Raises Http404 when no split is made of real slugs
    and TooManyModels when the best one repeats a model or has more than four."""
    if not PAIR_PATTERN.match(path):
        raise Http404("No such comparison.")
    pieces = path.split(SEPARATOR)
    if len(pieces) > MOST_PIECES:
        raise TooManyModels(f"Compare at most {MOST_MODELS} models at a time.")
    runs = {
        SEPARATOR.join(pieces[start:stop])
        for start in range(len(pieces))
        for stop in range(start + 1, len(pieces) + 1)
    }
    models = catalog_selectors.models_by_slug(runs - {""}, include_drafts=include_drafts)

    def splits(start: int) -> list[list[str]]:
        if start == len(pieces):
            return [[]]
        found = []
        for stop in range(start + 1, len(pieces) + 1):
            slug = SEPARATOR.join(pieces[start:stop])
            if slug in models:
                found += [[slug, *rest] for rest in splits(stop)]
        return found

    candidates = splits(0)
    if not candidates:
        raise Http404("No such comparison.")
    slugs = min(candidates, key=len)
    if len(set(slugs)) != len(slugs):
        raise TooManyModels("Each model can appear only once in a comparison.")
    if len(slugs) > MOST_MODELS:
        raise TooManyModels(
            f"Compare at most {MOST_MODELS} models at a time: this address names {len(slugs)}."
        )
    return slugs, models


def lineup(request, path: str, *, include_drafts: bool):
    """`/compare/<a>-vs-<b>-vs-<c>/` (up to four): the pair page's tables side by side.
    Reached from `detail` when the path is no pair; reads no query parameter."""
    try:
        slugs, models = split_lineup(path, include_drafts=include_drafts)
    except TooManyModels as problem:
        return render(
            request,
            "comparisons/pick.html",
            {
                "picker": PairPickerForm(choices=selectors.picker_choices()),
                "problems": [str(problem)],
                "canonical_path": "/compare/",
                "noindex": True,
            },
            status=400,
        )
    if len(slugs) < 3:
        raise Http404("No such comparison.")  # a model with itself, as the pair page says
    canonical = canonical_lineup(slugs)
    if tuple(slugs) != canonical:
        return permanent_redirect_keeping_query(request, selectors.lineup_url(canonical))
    snapshot = build_lineup_snapshot(canonical, models=models, include_drafts=include_drafts)
    if snapshot is None:
        raise Http404("No such comparison.")
    return render(
        request,
        "comparisons/lineup.html",
        {
            "doc": build_lineup_document(snapshot),
            "is_preview": snapshot.is_draft,
            "noindex": True,
            "canonical_path": selectors.lineup_url(canonical),
        },
    )


# The lineup page is reached through this view and reads none of its parameters: they
# stay in its cache key (and in its redirect) but change nothing on it.
@reads_query_params(*ComparisonOptionsForm.base_fields)
@require_safe
def detail(request, pair: str):
    include_drafts = can_preview_drafts(request)
    try:
        left, right, models = split_pair(pair, include_drafts=include_drafts)
    except Http404:
        if pair.count(SEPARATOR) < 2:
            raise
        return lineup(request, pair, include_drafts=include_drafts)
    first, second = canonical_pair(left, right)
    if (left, right) != (first, second):
        return permanent_redirect_keeping_query(request, selectors.compare_url(first, second))
    snapshot = build_pair_snapshot(first, second, include_drafts=include_drafts, models=models)
    if snapshot is None:
        raise Http404("No such comparison.")
    options, blend, workload = read_options(request.GET)
    document = build_comparison_document(snapshot, blend=blend)
    canonical_path = selectors.compare_url(first, second)
    return render(
        request,
        "comparisons/detail.html",
        {
            "doc": document,
            "pair": snapshot,
            "options": options,
            "workload": workload,
            "costs": workload_costs(snapshot, workload) if workload else [],
            "chart": price_bar_chart(snapshot),
            "related": selectors.related_pairs(snapshot),
            "faq_data": faq_json_ld(document),
            "is_preview": snapshot.is_draft,
            "noindex": snapshot.noindex or snapshot.is_draft,
            "canonical_path": canonical_path,
        },
    )


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Disallow: /compare/?",
        f"Sitemap: {absolute_url('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
