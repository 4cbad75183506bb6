"""Hostile input never makes a 500: odd slugs, huge or malformed query strings and
bytes that are not UTF-8, on every page reachable from the home page and in the admin.

The crawl is generic: it follows the links it finds, so pages added later are covered
without touching this file. A page is requested at most a few times per URL pattern.
"""

import warnings
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib import admin
from django.urls import Resolver404, resolve, reverse

from comparisons.models import Comparison
from tests.factories import LanguageModelFactory, OrganizationFactory, ProviderFactory, offer

pytestmark = pytest.mark.django_db

HOSTILE_QUERIES = [
    "page=-1",
    "page=0",
    "page=99999999999999999999999",
    "page=abc",
    "x=%ff",
    "%ff%fe=%c0%af",
    "q=" + "A" * 5000,
    "q=%00%01<script>alert(1)</script>",
    "sort=-;DROP TABLE x",
    "o=99&ordering=nope&provider=%ff&min_context=-5&max_price=1e999&cap=nan",
    "a=%&b=%%&=&&==&c",
    "&".join(f"f{i}=1" for i in range(1500)),  # more fields than Django accepts
]
MAX_PER_PATTERN = 1
MAX_PAGES = 120
SKIP_PREFIXES = ("/static/", "/media/")
UNSAFE_WORDS = ("logout", "delete", "password")


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


def links_in(response, base: str) -> list[str]:
    if "html" not in response.get("Content-Type", ""):
        return []
    parser = LinkParser()
    parser.feed(response.content.decode("utf-8", "replace"))
    paths = []
    for href in parser.links:
        url = urlsplit(urljoin("http://testserver" + base, href))
        if url.scheme in {"http", "https"} and url.netloc == "testserver":
            paths.append(url.path)
    return paths


def pattern_of(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route or match.view_name


def crawl(client, seeds: list[str], *, within: str = "/", exclude: str | None = None):
    """Pages reachable from the seeds, at most MAX_PER_PATTERN per URL pattern."""
    client.raise_request_exception = False  # collect 500s as statuses
    seen, per_pattern, pages = set(), {}, []
    queue = deque(seeds)
    while queue and len(pages) < MAX_PAGES:
        path = queue.popleft()
        if path in seen or not path.startswith(within) or path.startswith(SKIP_PREFIXES):
            continue
        if exclude and path.startswith(exclude):
            continue
        if any(word in path for word in UNSAFE_WORDS):
            continue
        seen.add(path)
        pattern = pattern_of(path)
        if pattern is None or per_pattern.get(pattern, 0) >= MAX_PER_PATTERN:
            continue
        per_pattern[pattern] = per_pattern.get(pattern, 0) + 1
        response = client.get(path)
        pages.append((path, response.status_code))
        queue.extend(links_in(response, path))
    return pages


def mangled_paths(path: str) -> list[str]:
    """The same URL with its last segment replaced by odd slugs and non-UTF-8 bytes."""
    head = path.rstrip("/").rsplit("/", 1)[0] if path.strip("/") else ""
    tail = "/" if path.endswith("/") else ""
    odd = ["%ff", "%c0%af", "%00", "..%2f..%2fetc", "x" * 600, "ｆｕｌｌ", "-vs-", "a-vs-a"]
    paths = [f"{head}/{segment}{tail}" for segment in odd]
    # Ids inside the path too: /admin/catalog/price/<id>/history/ -> %ff, a huge number.
    segments = path.split("/")
    for index, segment in enumerate(segments):
        if segment.isdigit():
            for bad in ("%ff", "9" * 30, "-1"):
                paths.append("/".join([*segments[:index], bad, *segments[index + 1 :]]))
    return paths


def rotated(items: list, start: int, count: int | None) -> list:
    """`count` items from `start`, wrapping: spreads every variant over many pages."""
    if count is None or count >= len(items):
        return items
    return [items[(start + i) % len(items)] for i in range(count)]


def assert_no_server_error(
    client, pages, *, queries_per_page: int | None = None, paths_per_page: int | None = None
):
    """Every page, with hostile queries and mangled paths, answers below 500.

    The per-page bounds limit how many variants of each kind one page gets (rotating, so
    each variant still runs on several pages) to keep large crawls fast.
    """
    failures, broken = [], []
    for index, (path, status) in enumerate(pages):
        if status >= 500:
            broken.append(path)  # fails without any hostile input: not this test's subject
            continue
        queries = rotated(HOSTILE_QUERIES, index, queries_per_page)
        variants = [f"{path}?{query}" for query in queries]
        variants += rotated(mangled_paths(path), index, paths_per_page)
        for url in variants:
            response = client.get(url)
            if response.status_code >= 500:
                failures.append((url[:100], response.status_code))
    if broken:
        warnings.warn(f"pages failing even without hostile input: {broken}", stacklevel=2)
    assert not failures, "\n".join(f"{status} {path}" for path, status in failures)


@pytest.fixture
def catalog():
    lab = OrganizationFactory(name="OpenAI")
    a = LanguageModelFactory(name="GPT-5.1", organization=lab)
    b = LanguageModelFactory(name="GPT-5 mini", organization=lab)
    LanguageModelFactory(name="Unreleased", status="draft")
    provider = ProviderFactory(name="OpenAI API")
    offer(a, provider, input="1.25", output="10")
    offer(b, provider, input="0.25", output="2")
    offer(a, ProviderFactory(name="Azure OpenAI"), input="1.25", output="10")
    comparison = Comparison.objects.create(model_a=a, model_b=b)
    return [a, b, provider, comparison]


def test_every_public_page_survives_hostile_input(client, catalog):
    seeds = ["/", "/models/"] + [obj.get_absolute_url() for obj in catalog]
    pages = crawl(client, seeds, exclude="/admin/")
    assert len({pattern_of(path) for path, _ in pages}) >= 3
    assert_no_server_error(client, pages)


def test_the_admin_survives_hostile_input(admin_client, catalog):
    pages = crawl(admin_client, ["/admin/"], within="/admin/")
    changelists = [p for p, _ in pages if pattern_of(p) and p.count("/") == 4]
    assert len(changelists) >= 5, pages
    assert_no_server_error(admin_client, pages, queries_per_page=2, paths_per_page=3)


def test_hostile_input_to_the_admin_sign_in_is_a_form_error(client):
    response = client.post(
        "/admin/login/?next=%ff",
        data=b"username=%ff%fe" + b"x" * 5000 + b"&password=%00&csrfmiddlewaretoken=%ff",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200


def test_add_pages_ignore_malformed_prefilled_relations(admin_client, catalog):
    """The admin pre-fills add forms from the query string (?provider=3); a malformed
    id there is ignored rather than looked up."""
    admin_client.raise_request_exception = False
    failures = []
    for model in admin.site._registry:
        relations = [f.name for f in model._meta.get_fields() if f.is_relation and f.concrete]
        if not relations:
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
        for bad in ("%ff", "abc", "9" * 30, "1,x"):
            query = "&".join(f"{name}={bad}" for name in relations)
            response = admin_client.get(f"{url}?{query}")
            if response.status_code >= 500:
                failures.append(f"{response.status_code} {url}?{query}")
    assert not failures, "\n".join(failures)
