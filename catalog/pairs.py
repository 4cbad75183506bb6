"""A pair of models: the one order of its URL, and the page that compares them.

The comparison page is the comparisons app's (its URL name, `comparisons:detail`); this
lives below it because catalog pages link to pairs too (a model page's "compare with"
list), and a lower app never imports a higher one."""

from __future__ import annotations

import re

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

# Slugs reverse() leaves as they are (no quoting, nothing its pattern refuses).
PLAIN_SLUG = re.compile(r"[-A-Za-z0-9_]+")
# A value no real argument contains, to find where the argument goes in a path.
_STAND_IN = "stand-in-0d1f"
# (URL name, argument, script prefix, URLconf) -> the path around its argument.
_paths: dict[tuple[str, str, str, str], tuple[str, str]] = {}


def canonical_pair(slug_a: str, slug_b: str) -> tuple[str, str]:
    """The one URL order of a pair: alphabetical by slug."""
    return (slug_a, slug_b) if slug_a <= slug_b else (slug_b, slug_a)


def compare_url(slug_a: str, slug_b: str) -> str:
    """The path of the pair's comparison page, in its one order."""
    a, b = canonical_pair(slug_a, slug_b)
    return path_of("comparisons:detail", "pair", f"{a}-vs-{b}")


def path_of(name: str, argument: str, value: str) -> str:
    """reverse(name, kwargs={argument: value}), for a URL of one argument. A comparison
    page links to about 15 pairs, and reverse() cost 67 us a call, a tenth of the page:
    for a plain slug it is asked once per URL name, and the value put into what it
    answered."""
    if not PLAIN_SLUG.fullmatch(value):
        return reverse(name, kwargs={argument: value})
    key = (name, argument, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    around = _paths.get(key)
    if around is None:
        before, _, after = reverse(name, kwargs={argument: _STAND_IN}).rpartition(_STAND_IN)
        around = _paths[key] = (before, after)
    return around[0] + value + around[1]
