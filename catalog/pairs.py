"""A pair of models: the one order of its URL, and the page that compares them.

The comparison page is the comparisons app's (its URL name, `comparisons:detail`); this
lives below it because catalog pages link to pairs too (a model page's "compare with"
list), and a lower app never imports a higher one."""

from __future__ import annotations

import re

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

# Slugs reverse() leaves as they are (no quoting, nothing its pattern refuses).
PLAIN_PAIR = re.compile(r"[-A-Za-z0-9_]+")
# (script prefix, URLconf) -> the pair page's path around its `pair` argument.
_pair_paths: dict[tuple[str, str], tuple[str, str]] = {}


def canonical_pair(slug_a: str, slug_b: str) -> tuple[str, str]:
    """The one URL order of a pair: alphabetical by slug."""
    return (slug_a, slug_b) if slug_a <= slug_b else (slug_b, slug_a)


def compare_url(slug_a: str, slug_b: str) -> str:
    """The path of the pair's comparison page, in its one order."""
    a, b = canonical_pair(slug_a, slug_b)
    pair = f"{a}-vs-{b}"
    if not PLAIN_PAIR.fullmatch(pair):
        return reverse("comparisons:detail", kwargs={"pair": pair})
    # A comparison page links to about 15 pairs, and reverse() cost 67 us a call, a
    # tenth of the page: it is asked once, and the slugs put into what it answered.
    key = (get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    around = _pair_paths.get(key)
    if around is None:
        before, _, after = reverse("comparisons:detail", kwargs={"pair": "a-vs-b"}).rpartition(
            "a-vs-b"
        )
        around = _pair_paths[key] = (before, after)
    return around[0] + pair + around[1]
