"""Pages of the comparisons app: home, the pair picker, `/compare/<a>-vs-<b>/`, the
lineup of up to four models, `/compare/<a>-vs-<b>-vs-<c>/`, and the benchmark
leaderboards.

Views only route: selectors read, the snapshot and narrative decide what is true.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from catalog import selectors as catalog_selectors
from catalog.changes import latest_price_moves
from catalog.models import Benchmark
from catalog.pairs import canonical_pair
from catalog.permissions import can_preview_drafts
from comparisons import selectors
from comparisons.calculator import ComparisonOptionsForm, read_options, workload_costs
from comparisons.chart import price_bar_chart
from comparisons.forms import ModelSelectionForm, PairPickerForm
from comparisons.fragments import comparison_fragments
from comparisons.leaderboard import rank_entries
from comparisons.models import canonical_lineup
from comparisons.narrative import build_comparison_document, faq_json_ld
from comparisons.narrative.lineup import build_lineup_document
from comparisons.scatter import price_score_chart
from comparisons.snapshot import build_lineup_snapshot, build_pair_snapshot
from sitecache.query_params import permanent_redirect_keeping_query, reads_query_params
from sitecache.site_url import absolute_url


@require_safe
def home(request):
    benchmark = selectors.most_scored_benchmark()
    scatter = None
    if benchmark is not None:
        scatter = price_score_chart(
            selectors.board_entries(benchmark),
            benchmark_name=str(benchmark),
            higher_is_better=benchmark.higher_is_better,
        )
    return render(
        request,
        "comparisons/home.html",
        {
            "featured": selectors.featured_comparisons(),
            "newest": catalog_selectors.newest_models(),
            "price_moves": latest_price_moves(),
            "picker": PairPickerForm(choices=selectors.picker_choices()),
            "benchmark": benchmark,
            "scatter": scatter,
            "canonical_path": "/",
        },
    )


@require_safe
def benchmark_list(request):
    return render(
        request,
        "comparisons/benchmark_list.html",
        {
            "benchmarks": selectors.benchmark_summaries(),
            "canonical_path": reverse("comparisons:benchmark-list"),
        },
    )


@require_safe
def benchmark_detail(request, slug: str):
    benchmark = get_object_or_404(Benchmark, slug=slug)
    entries = selectors.board_entries(benchmark)
    return render(
        request,
        "comparisons/benchmark_detail.html",
        {
            "benchmark": benchmark,
            "ranking": rank_entries(entries, higher_is_better=benchmark.higher_is_better),
            "scatter": price_score_chart(
                entries, benchmark_name=str(benchmark), higher_is_better=benchmark.higher_is_better
            ),
            "canonical_path": reverse("comparisons:benchmark-detail", kwargs={"slug": slug}),
            # A benchmark no published model has a score on is an empty page.
            "noindex": not entries,
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


def lineup(request, path: str, *, include_drafts: bool):
    """`/compare/<a>-vs-<b>-vs-<c>/` (up to four): the pair page's tables side by side.
    Reached from `detail` when the path is no pair; reads no query parameter."""
    try:
        slugs, models = selectors.split_lineup(path, include_drafts=include_drafts)
    except selectors.TooManyModels as problem:
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
        left, right, models = selectors.split_pair(pair, include_drafts=include_drafts)
    except Http404:
        if pair.count(selectors.SEPARATOR) < 2:
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
            "fragments": comparison_fragments(snapshot, document, options),
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
