"""Sitemaps: a sitemap index at /sitemap.xml with static pages, models, providers,
benchmark leaderboards and every comparison pair (paged at 50,000 URLs by Django's
sitemap paginator).

Every `<loc>` is on SITE_URL (sitecache.site_url), whatever Host the request named:
sitemaps are cached pages shared by every crawler."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import http_date

from catalog.models import LanguageModel, Provider
from comparisons.models import Comparison
from comparisons.selectors import PairSequence, benchmark_summaries, compare_url
from sitecache.query_params import reads_query_params
from sitecache.site_url import absolute_url, site_domain, site_scheme


class CanonicalSitemap(Sitemap):
    """URLs on SITE_URL's scheme and host, not the request's."""

    def get_protocol(self, protocol=None):
        return site_scheme()

    def get_domain(self, site=None):
        return site_domain()


class StaticSitemap(CanonicalSitemap):
    def items(self):
        return ["comparisons:home", "catalog:model-list", "comparisons:benchmark-list"]

    def location(self, item):
        return reverse(item)


class ModelSitemap(CanonicalSitemap):
    def items(self):
        return LanguageModel.objects.published().order_by("slug").only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class ProviderSitemap(CanonicalSitemap):
    def items(self):
        return Provider.objects.order_by("slug").only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class BenchmarkSitemap(CanonicalSitemap):
    """Leaderboards with at least one published model's score (the others are empty)."""

    def items(self):
        return (
            benchmark_summaries()
            .filter(scored_models__gt=0)
            .order_by("slug")
            .only("slug", "updated_at")
        )

    def location(self, item):
        return reverse("comparisons:benchmark-detail", kwargs={"slug": item.slug})

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class ComparisonSitemap(CanonicalSitemap):
    limit = 50_000

    def items(self):
        slugs = LanguageModel.objects.published().values_list("slug", flat=True)
        return PairSequence(list(slugs))

    def location(self, item):
        # A sitemap page holds up to 50,000 of these: format the canonical path directly
        # (the same path `compare_url` reverses, as a test checks) instead of reversing.
        return f"{self.prefix}{item[0]}-vs-{item[1]}/"

    @cached_property
    def prefix(self) -> str:
        return compare_url("a", "b")[: -len("a-vs-b/")]


SITEMAPS = {
    "pages": StaticSitemap,
    "models": ModelSitemap,
    "providers": ProviderSitemap,
    "benchmarks": BenchmarkSitemap,
    "comparisons": ComparisonSitemap,
}


@x_robots_tag
def sitemap_index(request):
    """`/sitemap.xml`: Django's sitemap index (same template, items and Last-Modified),
    with each section's URL on SITE_URL. Django's own view takes the host from the
    request (`get_current_site`), which would let one request put another allowed host
    into the cached index."""
    items = []
    latest = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        url = absolute_url(reverse("sitemap-section", kwargs={"section": section}))
        lastmod = sitemap.get_latest_lastmod()
        latest.append(lastmod)
        items.append(SitemapIndexItem(url, lastmod))
        items += [
            SitemapIndexItem(f"{url}?p={page}", lastmod)
            for page in range(2, sitemap.paginator.num_pages + 1)
        ]
    headers = None
    if latest and all(latest):
        headers = {"Last-Modified": http_date(max(latest).timestamp())}
    return TemplateResponse(
        request,
        "sitemap_index.xml",
        {"sitemaps": items},
        content_type="application/xml",
        headers=headers,
    )


@reads_query_params("p")
def comparison_sitemap_page(request):
    """`/sitemap-comparisons.xml?p=N`: at most 50,000 pair URLs, written from the slug
    list by index arithmetic (no pair objects), in well under a second."""
    sitemap = ComparisonSitemap()
    pairs = sitemap.items()
    try:
        page = int(request.GET.get("p", "1"))
    except ValueError:
        raise Http404("No such sitemap page.") from None
    start = (page - 1) * sitemap.limit
    if page < 1 or (start >= len(pairs) and page != 1):
        raise Http404("No such sitemap page.")
    hidden = {
        (a, b)
        for a, b in Comparison.objects.filter(noindex=True).values_list(
            "model_a__slug", "model_b__slug"
        )
    }
    base = absolute_url(sitemap.prefix)
    stop = min(start + sitemap.limit, len(pairs))

    def lines():
        yield '<?xml version="1.0" encoding="UTF-8"?>\n'
        yield '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        for index in range(start, stop):
            a, b = pairs.pair_at(index)
            if (a, b) not in hidden:
                # Slugs are [a-z0-9-] only, so no XML escaping is needed.
                yield f"<url><loc>{base}{a}-vs-{b}/</loc></url>\n"
        yield "</urlset>\n"

    # One page is at most 50,000 short lines (about 4 MB): bounded by the page size,
    # whatever the catalog size. Pages over PAGE_CACHE_MAX_ENTRY_BYTES are written anew
    # for each request (well under a second) rather than stored.
    return HttpResponse("".join(lines()), content_type="application/xml")
