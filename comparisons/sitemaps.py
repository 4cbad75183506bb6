"""Sitemaps: a sitemap index at /sitemap.xml with static pages, models, providers and
every comparison pair (paged at 50,000 URLs by Django's sitemap paginator)."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from catalog.models import LanguageModel, Provider
from comparisons.models import Comparison
from comparisons.selectors import PairSequence, compare_url


class StaticSitemap(Sitemap):
    def items(self):
        return ["comparisons:home", "catalog:model-list"]

    def location(self, item):
        return reverse(item)


class ModelSitemap(Sitemap):
    def items(self):
        return LanguageModel.objects.published().order_by("slug").only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class ProviderSitemap(Sitemap):
    def items(self):
        return Provider.objects.order_by("slug").only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class ComparisonSitemap(Sitemap):
    limit = 50_000

    def items(self):
        slugs = LanguageModel.objects.published().values_list("slug", flat=True)
        return PairSequence(list(slugs))

    def location(self, item):
        # A sitemap page holds up to 50,000 of these: format the canonical path directly
        # (the same path `compare_url` reverses, as a test checks) instead of reversing.
        return f"{self.prefix}{item[0]}-vs-{item[1]}/"

    @property
    def prefix(self) -> str:
        return compare_url("a", "b")[: -len("a-vs-b/")]

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        hidden = {
            compare_url(a, b)
            for a, b in Comparison.objects.filter(noindex=True).values_list(
                "model_a__slug", "model_b__slug"
            )
        }
        if not hidden:
            return urls
        # Pairs an editor marked noindex stay reachable but are not advertised.
        return [u for u in urls if not any(u["location"].endswith(path) for path in hidden)]


SITEMAPS = {
    "pages": StaticSitemap,
    "models": ModelSitemap,
    "providers": ProviderSitemap,
    "comparisons": ComparisonSitemap,
}
