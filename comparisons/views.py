"""Pages of the comparisons app: home, the pair picker, `/compare/<a>-vs-<b>/` and the
benchmark leaderboards.

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
from comparisons.forms import PairPickerForm
from comparisons.leaderboard import rank_entries
from comparisons.narrative import build_comparison_document, faq_json_ld
from comparisons.scatter import price_score_chart
from comparisons.snapshot import build_pair_snapshot
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


@reads_query_params(*PairPickerForm.base_fields)
@require_safe
def pick(request):
    """`/compare/?a=<slug>&b=<slug>`: redirect to the pair's page, or show the form
    again with what is wrong."""
    form = PairPickerForm(request.GET or None, choices=selectors.picker_choices())
    if form.is_bound and form.is_valid():
        return redirect(selectors.compare_url(form.cleaned_data["a"], form.cleaned_data["b"]))
    return render(
        request,
        "comparisons/pick.html",
        {"picker": form, "canonical_path": "/compare/", "noindex": True},
        status=400 if form.is_bound else 200,
    )


@reads_query_params(*ComparisonOptionsForm.base_fields)
@require_safe
def detail(request, pair: str):
    include_drafts = can_preview_drafts(request)
    left, right, models = selectors.split_pair(pair, include_drafts=include_drafts)
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
