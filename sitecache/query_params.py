"""Query parameters a page reads, and nothing else, reach it and its cache key.

Cached pages are shared, so every distinct query string used to be a new whole page in
the cache (`?utm_source=<random>` grew it by a page per request) and a body that depends
on an ignored parameter could be served for another URL. A view declares the parameters
it reads (`@reads_query_params("page", ...)`); for cacheable requests the page cache
drops every other parameter before the view runs, and orders the rest by name, so
`?utm_source=x&page=2` is the page `?page=2`, rendered, keyed, tagged and linked as such.
Other parameters are ignored rather than redirected: campaign links keep working in one
round trip, and nothing about them is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps

from django.http import HttpRequest, HttpResponsePermanentRedirect, QueryDict
from django.urls import Resolver404, resolve

ATTRIBUTE = "query_params_read"


def reads_query_params(*names: str) -> Callable:
    """Declare the query parameters a view reads: `@reads_query_params("blend")`.

    Wraps rather than marks, so declaring what Django's own views read (the sitemap's
    `p`) leaves Django's functions untouched."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def view_reading_params(request, *args, **kwargs):
            return view(request, *args, **kwargs)

        setattr(view_reading_params, ATTRIBUTE, frozenset(names))
        return view_reading_params

    return decorate


def query_params_read_by(path: str) -> frozenset[str]:
    """The parameters the view at `path` declares (none when undeclared or no view)."""
    try:
        match = resolve(path)
    except Resolver404:
        return frozenset()
    return getattr(match.func, ATTRIBUTE, frozenset())


def keep_query_params(request: HttpRequest, names: Iterable[str]) -> None:
    """Leave on `request` only the query parameters in `names`, ordered by name (each
    one's values in their order): `request.GET`, and the query string that
    `get_full_path()` and ETags read."""
    names = set(names)
    original = request.GET
    if not original:
        return
    kept = QueryDict(mutable=True)
    for name in sorted(names.intersection(original)):
        kept.setlist(name, original.getlist(name))
    query = kept.urlencode(safe=":/")  # legal in a query; keeps "?blend=3:1" readable
    if query == request.META.get("QUERY_STRING", ""):
        return
    kept._mutable = False
    request.GET = kept
    request.META["QUERY_STRING"] = query


def permanent_redirect_keeping_query(
    request: HttpRequest, path: str
) -> HttpResponsePermanentRedirect:
    """A 301 to `path` with the request's query string (as kept above): a moved page or
    API record answers at its new address with the same options."""
    query = request.META.get("QUERY_STRING")
    return HttpResponsePermanentRedirect(f"{path}?{query}" if query else path)
