"""A pair of models: the one order of its URL, and the page that compares them.

The comparison page is the comparisons app's (its URL name, `comparisons:detail`); this
lives below it because catalog pages link to pairs too (a model page's "compare with"
list), and a lower app never imports a higher one."""

from __future__ import annotations

from django.urls import reverse


def canonical_pair(slug_a: str, slug_b: str) -> tuple[str, str]:
    """The one URL order of a pair: alphabetical by slug."""
    return (slug_a, slug_b) if slug_a <= slug_b else (slug_b, slug_a)


def compare_url(slug_a: str, slug_b: str) -> str:
    """The path of the pair's comparison page, in its one order."""
    a, b = canonical_pair(slug_a, slug_b)
    return reverse("comparisons:detail", kwargs={"pair": f"{a}-vs-{b}"})
