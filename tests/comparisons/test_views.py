"""The comparison page, the pair picker, the home page, sitemaps and robots.txt."""

import json
import re
from datetime import date, timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from catalog.models import LanguageModel, Source
from catalog.services import PriceInput, record_price
from comparisons.models import Comparison
from pricewatch.models import OfferingCheck
from tests.factories import (
    BenchmarkFactory,
    BenchmarkScoreFactory,
    LanguageModelFactory,
    OrganizationFactory,
    PriceFactory,
    ProviderFactory,
    catalog_of,
    gemini_seed_pair,
    offer,
)
from tests.html import Page

pytestmark = pytest.mark.django_db
SEED_URL = "/compare/gemini-2-5-flash-live-api-vs-gemini-3-1-flash-lite/"


@pytest.fixture
def seed_pair():
    return gemini_seed_pair()


def test_seed_pair_page_shows_both_names_in_every_table_header(client, seed_pair):
    response = client.get(SEED_URL)
    assert response.status_code == 200
    page = Page(response.content.decode())
    pair_tables = [
        t
        for t in page.tables
        if t["head"]
        and len(t["head"]) == 3
        and t["head"][0] in {"Specification", "Pricing", "Capability", "Benchmark"}
    ]
    assert len(pair_tables) == 3  # specs, pricing, capabilities (no shared benchmarks)
    for table in pair_tables:
        assert table["head"][1:] == ["Gemini 2.5 Flash Live API", "Gemini 3.1 Flash-Lite"]


def test_seed_pair_page_shows_the_seed_figures(client, seed_pair):
    page = Page(client.get(SEED_URL).content.decode())
    specs = {row[0]: row[1:] for row in page.table("Specifications")["rows"]}
    assert specs["Released"] == ["1 December 2025", "7 May 2026"]
    assert specs["Context window"] == ["128K tokens", "1M tokens"]
    assert specs["Knowledge cutoff"] == ["— not disclosed", "Jan 2025"]
    assert specs["Parameters"] == ["— not disclosed", "— not disclosed"]
    assert specs["Licence"] == ["Proprietary", "Proprietary"]
    pricing = {row[0]: row[1:] for row in page.table("Pricing on the cheapest")["rows"]}
    assert pricing["Input price"] == ["$0.50 / 1M tokens", "$0.25 / 1M tokens"]
    assert pricing["Output price"] == ["$2 / 1M tokens", "$1.50 / 1M tokens"]
    assert pricing["Cheapest provider"] == [
        "Google AI Studio",
        "2 providers at the same price: Google AI Studio, OpenRouter",
    ]
    assert pricing["Providers"] == [
        "1 provider: Google AI Studio",
        "2 providers: Google AI Studio, OpenRouter",
    ]
    assert pricing["Blended price (70/30 input/output)"] == [
        "$0.95 / 1M tokens",
        "$0.625 / 1M tokens",
    ]
    html = client.get(SEED_URL).content.decode()
    assert 'href="https://openrouter.ai/"' in html


def test_seed_pair_page_prose_is_correct(client, seed_pair):
    page = Page(client.get(SEED_URL).content.decode())
    text = page.text
    assert "On input tokens, Gemini 3.1 Flash-Lite is 50% cheaper: $0.25 vs $0.50 per 1M." in text
    assert "100% cheaper" not in text
    assert "Gemini 2.5 Flash Live API on Google AI Studio" in text
    assert "Gemini 3.1 Flash-Lite on Google AI Studio and OpenRouter" in text
    assert "1 providers" not in text
    verdict = re.search(r"Verdict: (.*?) Specs", text).group(1)
    for shared in ("vision", "multimodal", "function calling", "tool use"):
        assert shared not in verdict.lower()
    assert "No benchmark has a sourced score for both" in text
    for heading in (
        "Specs",
        "Pricing and availability",
        "Capabilities",
        "Benchmarks",
        "Deep dive",
        "FAQ",
        "Continue comparing",
        "Last reviewed",
    ):
        assert heading in text


def test_reverse_order_redirects_permanently_keeping_the_query(client, seed_pair):
    response = client.get("/compare/gemini-3-1-flash-lite-vs-gemini-2-5-flash-live-api/?blend=3:1")
    assert response.status_code == 301
    assert response["Location"] == SEED_URL + "?blend=3:1"


@pytest.mark.parametrize(
    "path",
    [
        "/compare/gemini-3-1-flash-lite-vs-gemini-3-1-flash-lite/",
        "/compare/gemini-3-1-flash-lite-vs-no-such-model/",
        "/compare/gemini-3-1-flash-lite/",
        "/compare/-vs-/",
        "/compare/gemini-3-1-flash-lite-vs-%00/",
        "/compare/gemini-3-1-flash-lite-vs-gemini%20pro/",
    ],
)
def test_self_unknown_and_malformed_pairs_are_404(client, seed_pair, path):
    assert client.get(path).status_code == 404


def test_unpublished_model_is_404_for_visitors_and_a_marked_preview_for_staff(
    client, admin_client, seed_pair
):
    live, lite = seed_pair
    LanguageModel.objects.filter(pk=live.pk).update(status=LanguageModel.Status.DRAFT)
    assert client.get(SEED_URL).status_code == 404
    response = admin_client.get(SEED_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Draft preview" in html
    assert '<meta name="robots" content="noindex">' in html


def test_slugs_containing_vs_are_split_against_real_slugs(client):
    a = LanguageModelFactory(name="Alpha vs Omega")  # slug alpha-vs-omega
    b = LanguageModelFactory(name="Beta")
    response = client.get(f"/compare/{a.slug}-vs-{b.slug}/")
    assert response.status_code == 200
    assert "Alpha vs Omega vs Beta" in response.content.decode()


def test_editor_note_is_escaped_and_override_replaces_the_verdict(client, seed_pair):
    live, lite = seed_pair
    Comparison.objects.create(
        model_a=live,
        model_b=lite,
        editor_note="<script>alert(1)</script> Tested by us",
        verdict_override="Use Flash-Lite unless you need the Live API.",
    )
    html = client.get(SEED_URL).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Tested by us" in html
    assert "<script>alert(1)" not in html
    assert "Editor's verdict:</strong> Use Flash-Lite unless you need the Live API." in html
    assert "comes out ahead" not in html and "Choose " not in html


def test_seo_tags_and_faq_json_ld(client, seed_pair):
    html = client.get(SEED_URL).content.decode()
    page = Page(html)
    assert "<title>Gemini 2.5 Flash Live API vs Gemini 3.1 Flash-Lite:" in html
    assert f'<link rel="canonical" href="http://127.0.0.1:8000{SEED_URL}">' in html
    assert '<meta property="og:title" content="Gemini 2.5 Flash Live API vs Gemini 3.1' in html
    assert (
        '<meta name="description" content="Gemini 2.5 Flash Live API vs Gemini 3.1 Flash-Lite: '
        "Gemini 3.1 Flash-Lite is 34% cheaper at 70/30" in html
    )
    ((attrs, body),) = [(attrs, body) for attrs, body in page.scripts if "src" not in attrs]
    assert attrs["type"] == "application/ld+json"
    data = json.loads(body)
    assert data["@type"] == "FAQPage"
    assert data["mainEntity"][0]["name"].startswith("Which is cheaper")


def test_json_ld_cannot_be_broken_out_of(client):
    a = LanguageModelFactory(name="Evil </script><b>x")
    b = LanguageModelFactory(name="Plain")
    html = client.get(f"/compare/{min(a.slug, b.slug)}-vs-{max(a.slug, b.slug)}/").content
    html = html.decode()
    body = html.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert "<" not in body
    assert json.loads(body)["mainEntity"][0]["name"].startswith("Which is cheaper")


def test_no_inline_styles_scripts_or_external_assets(client, seed_pair):
    page = Page(client.get(SEED_URL).content.decode())
    assert page.style_attributes == 0
    # Data, or the site's own script files (search.js): never inline code.
    assert all(
        attrs.get("type") == "application/ld+json"
        or (attrs.get("src", "").startswith("/static/") and not body.strip())
        for attrs, body in page.scripts
    )
    assert page.external == []


def test_calculator_defaults_and_cheapest_highlight(client, seed_pair):
    html = client.get(SEED_URL + "?input_tokens=1000000&output_tokens=1000000").content.decode()
    page = Page(html)
    costs = page.table("Monthly cost for")["rows"]
    # 1M in + 1M out: Flash-Lite 0.25 + 1.5 = $1.75 on both providers, Live API 0.5 + 2 = $2.50.
    assert costs[0][:2] == ["Gemini 3.1 Flash-Lite", "Google AI Studio"]
    assert costs[0][2].startswith("$1.75 Cheapest")
    assert costs[1][2].startswith("$1.75 Cheapest")
    assert costs[2] == ["Gemini 2.5 Flash Live API", "Google AI Studio", "$2.50"]
    assert html.count('class="cheapest"') == 2


def test_calculator_uses_cache_and_long_context_prices(client):
    # Windows above the 300K prompt below: a shorter one would leave the row unpriced.
    a = LanguageModelFactory(name="Alpha", context_window=1_000_000)
    b = LanguageModelFactory(name="Beta", context_window=1_000_000)
    provider = ProviderFactory(name="Host")
    offering = offer(a, provider, input="1", output="2", cache_read="0.1")
    record_price(
        offering=offering,
        price=PriceInput(input=Decimal("2"), output=Decimal("4"), context_threshold=200_000),
        effective_date=date(2026, 1, 15),
    )
    offer(b, provider, input="1", output="2")
    query = "?input_tokens=1000000&output_tokens=0&cached_percent=50"
    page = Page(client.get("/compare/alpha-vs-beta/" + query).content.decode())
    rows = {r[0]: r[2] for r in page.table("Monthly cost for")["rows"]}
    assert rows["Alpha"].startswith("$0.55")  # 0.5M * $1 + 0.5M * $0.10
    assert "cached input billed as input" in rows["Beta"]
    page = Page(
        client.get("/compare/alpha-vs-beta/" + query + "&prompt_tokens=300000").content.decode()
    )
    rows = {r[0]: r[2] for r in page.table("Monthly cost for")["rows"]}
    # Above 200K the whole request is billed at the tier, which has no cache price: 1M * $2.
    assert rows["Alpha"].startswith("$2")
    assert "long-context price applies" in rows["Alpha"]


@pytest.mark.parametrize(
    "query",
    [
        "input_tokens=abc",
        "input_tokens=-5",
        "output_tokens=1e30",
        "input_tokens=99999999999999999999999999999999",
        "cached_percent=150",
        "cached_percent=nan",
        "prompt_tokens=0",
        "blend=banana",
        "blend=0:0",
    ],
)
def test_bad_calculator_input_is_a_form_error_not_a_500(client, seed_pair, query):
    response = client.get(f"{SEED_URL}?{query}")
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()


def test_blend_parameter_changes_the_stated_ratio(client, seed_pair):
    text = Page(client.get(SEED_URL + "?blend=3:1").content.decode()).text
    assert "Blended price (75/25 input/output)" in text
    assert "$0.875 / 1M tokens" in text
    text = Page(client.get(SEED_URL + "?blend=50/50").content.decode()).text
    assert "Blended price (50/50 input/output)" in text


def test_price_chart_is_inline_svg_with_both_models(client, seed_pair):
    html = client.get(SEED_URL).content.decode()
    svg = html.split("<svg", 1)[1].split("</svg>")[0]
    assert "Gemini 2.5 Flash Live API — Google AI Studio" in svg
    assert "Gemini 3.1 Flash-Lite — OpenRouter" in svg
    assert "input $0.25" in svg and "output $2" in svg


def test_related_pairs_link_same_organisation_and_nearest_price(client, seed_pair):
    live, lite = seed_pair
    other = LanguageModelFactory(name="Gemini Pro", organization=live.organization)
    cheap = LanguageModelFactory(name="Zeta", organization=OrganizationFactory())
    offer(cheap, ProviderFactory(), input="0.26", output="1")
    page = Page(client.get(SEED_URL).content.decode())
    text = page.text
    assert f"{live.name} vs {other.name}" in text or f"{other.name} vs {live.name}" in text
    assert "Gemini 3.1 Flash-Lite vs Zeta Nearest input price" in text


def page_queries(django_assert_max_num_queries, client, url, cap):
    with django_assert_max_num_queries(cap):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("size", ["small", "large"])
def test_comparison_page_query_count_is_capped(client, django_assert_max_num_queries, size):
    live, lite = gemini_seed_pair()
    if size == "large":
        catalog_of(models=30, providers=6, offerings_per_model=3, benchmarks=4)
        for bench in [BenchmarkFactory() for _ in range(4)]:
            BenchmarkScoreFactory(model=live, benchmark=bench)
            BenchmarkScoreFactory(model=lite, benchmark=bench)
        source = Source.objects.create(url="https://ai.google.dev/", title="Gemini docs")
        live.sources.add(source)
        lite.sources.add(source)
        Comparison.objects.create(model_a=live, model_b=lite, editor_note="Note")
    page_queries(django_assert_max_num_queries, client, SEED_URL + "?blend=3:1", 8)


@pytest.mark.parametrize("size", ["small", "large"])
def test_home_query_count_is_capped(client, django_assert_max_num_queries, size):
    live, lite = gemini_seed_pair()
    Comparison.objects.create(model_a=live, model_b=lite, featured=True)
    if size == "large":
        catalog_of(models=30, providers=6, offerings_per_model=3, benchmarks=3)
    # 5, and 3 for the score-price chart: its benchmark, its scores, their prices.
    page_queries(django_assert_max_num_queries, client, "/", 8)


def test_home_shows_featured_newest_and_price_changes(client, seed_pair):
    live, lite = seed_pair
    Comparison.objects.create(model_a=live, model_b=lite, featured=True)
    text = Page(client.get("/").content.decode()).text
    assert "Gemini 2.5 Flash Live API vs Gemini 3.1 Flash-Lite" in text
    assert "Newest models" in text and "Recent price changes" in text


def test_home_lists_price_changes_old_to_new_once_per_offering(client):
    today = timezone.localdate()
    groq = ProviderFactory(name="Groq")
    cut = offer(
        LanguageModelFactory(name="Cut Model"),
        groq,
        input="2",
        output="8",
        effective_date=today - timedelta(days=90),
    )
    PriceFactory(offering=cut, input="1.50", output="6", effective_date=today - timedelta(days=30))
    PriceFactory(offering=cut, input="1", output="6", effective_date=today - timedelta(days=3))
    # A first price, a re-recorded identical price and a scheduled price are not changes.
    offer(LanguageModelFactory(name="New Model"), groq, effective_date=today)
    same = offer(
        LanguageModelFactory(name="Same Model"),
        groq,
        input="3",
        output="9",
        effective_date=today - timedelta(days=60),
    )
    PriceFactory(offering=same, input="3", output="9", effective_date=today - timedelta(days=1))
    later = offer(
        LanguageModelFactory(name="Later Model"),
        groq,
        input="3",
        output="9",
        effective_date=today - timedelta(days=60),
    )
    PriceFactory(offering=later, input="9", output="9", effective_date=today + timedelta(days=9))

    html = client.get("/").content.decode()
    section = html[
        html.index('id="changes-heading"') : html.index(
            "</section>", html.index('id="changes-heading"')
        )
    ]
    text = " ".join(Page(section).text.split())
    assert text.count("Cut Model") == 1  # its latest change only
    assert "input $1.50 → $1 (−33%)" in text
    assert "$2 → $1.50" not in text
    for name in ("New Model", "Same Model", "Later Model"):
        assert name not in text


def test_pair_picker_redirects_to_the_canonical_page(client, seed_pair):
    response = client.get("/compare/?a=gemini-3-1-flash-lite&b=gemini-2-5-flash-live-api")
    assert response.status_code == 302
    assert response["Location"] == SEED_URL


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("a=gemini-3-1-flash-lite&b=gemini-3-1-flash-lite", "Pick two different models"),
        ("a=gemini-3-1-flash-lite&b=nope", "Select a valid choice"),
        ("a=gemini-3-1-flash-lite&b=", "This field is required"),
    ],
)
def test_a_bad_pick_rerenders_the_form_with_a_message(client, seed_pair, query, message):
    response = client.get(f"/compare/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()


def test_every_provider_is_listed_with_its_prices_and_link(client, seed_pair):
    page = Page(client.get(SEED_URL).content.decode())
    rows = page.table("Prices on every provider")["rows"]
    assert rows == [
        [
            "Gemini 2.5 Flash Live API",
            "Google AI Studio",
            "$0.50",
            "$2",
            "— not published",
            "15 January 2026",
            "not cross-checked yet",
        ],
        [
            "Gemini 3.1 Flash-Lite",
            "Google AI Studio",
            "$0.25",
            "$1.50",
            "— not published",
            "15 January 2026",
            "not cross-checked yet",
        ],
        [
            "Gemini 3.1 Flash-Lite",
            "OpenRouter",
            "$0.25",
            "$1.50",
            "— not published",
            "15 January 2026",
            "not cross-checked yet",
        ],
    ]


@pytest.mark.parametrize("size", ["small", "large"])
def test_pair_picker_query_count_is_capped(client, django_assert_max_num_queries, size):
    gemini_seed_pair()
    if size == "large":
        catalog_of(models=30, providers=3, offerings_per_model=1)
    # +1: the catalog version read by the page cache (sitecache).
    with django_assert_max_num_queries(2):
        response = client.get("/compare/?a=gemini-3-1-flash-lite&b=gemini-3-1-flash-lite")
    assert response.status_code == 400


@pytest.mark.parametrize("size", ["small", "large"])
def test_sitemap_index_and_robots_query_counts_are_capped(
    client, django_assert_max_num_queries, size
):
    gemini_seed_pair()
    if size == "large":
        catalog_of(models=40, providers=4, offerings_per_model=1, benchmarks=3)
    # Per section: a count and a latest date (models, providers, benchmarks), the slugs
    # (pairs). +1: the catalog version read by the page cache (sitecache).
    with django_assert_max_num_queries(8):
        assert client.get("/sitemap.xml").status_code == 200
    # +1: the catalog version read by the page cache (sitecache).
    with django_assert_max_num_queries(1):
        assert client.get("/robots.txt").status_code == 200


def test_an_editor_can_ask_search_engines_not_to_index_a_pair(client, seed_pair):
    live, lite = seed_pair
    assert 'content="noindex"' not in client.get(SEED_URL).content.decode()
    Comparison.objects.create(model_a=live, model_b=lite, noindex=True)
    assert '<meta name="robots" content="noindex">' in client.get(SEED_URL).content.decode()


def test_every_provider_row_says_whether_independent_sources_agree(client, seed_pair):
    live, lite = seed_pair
    studio = lite.offerings.get(provider__slug="google-ai-studio")
    openrouter = lite.offerings.get(provider__slug="openrouter")
    for source in ("litellm", "openrouter"):
        OfferingCheck.objects.create(
            offering=studio, source=source, agrees=True, checked_on=date(2026, 11, 3)
        )
    OfferingCheck.objects.create(
        offering=openrouter, source="litellm", agrees=True, checked_on=date(2026, 11, 3)
    )
    OfferingCheck.objects.create(
        offering=openrouter, source="models-dev", agrees=False, checked_on=date(2026, 11, 4)
    )
    rows = Page(client.get(SEED_URL).content.decode()).table("Prices on every provider")["rows"]
    assert [row[-1] for row in rows] == [
        "not cross-checked yet",
        "matches 2 of 2 sources checked on 3 November 2026",
        "1 of 2 sources disagrees (checked on 4 November 2026)",
    ]
    model_page = client.get(lite.get_absolute_url()).content.decode()
    assert "matches 2 of 2 sources checked on 3 November 2026" in model_page


class Forms(HTMLParser):
    """Each <form> on a page as a list of (name, type, value) of its inputs."""

    def __init__(self, html: str):
        super().__init__()
        self.forms: list[list[tuple[str, str, str]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append([])
        elif tag == "input" and self.forms and attrs.get("name"):
            self.forms[-1].append(
                (attrs["name"], attrs.get("type", "text"), attrs.get("value") or "")
            )

    def with_field(self, name: str, kind: str) -> list[dict[str, str]]:
        return [
            {n: v for n, _t, v in inputs}
            for inputs in self.forms
            if (name, kind) in {(n, t) for n, t, _v in inputs}
        ]


def test_the_calculator_fields_show_the_defaults_the_results_use(client, seed_pair):
    html = client.get(SEED_URL).content.decode()
    (calculator,) = Forms(html).with_field("input_tokens", "number")
    assert calculator["input_tokens"] == "10000000"
    assert calculator["output_tokens"] == "2000000"
    assert calculator["cached_percent"] == "0"
    assert calculator["blend"] == "70/30"
    caption = Page(html).table("Monthly cost")["caption"]
    assert caption == "Monthly cost for 10M input and 2M output tokens"


def test_one_blend_control_and_every_input_survives_either_button(client, seed_pair):
    query = "?input_tokens=5000000&output_tokens=1000000&cached_percent=25&prompt_tokens=4000"
    html = client.get(SEED_URL + query + "&blend=3:1").content.decode()
    forms = Forms(html)
    visible_blend = [
        name
        for inputs in forms.forms
        for name, kind, _v in inputs
        if name == "blend" and kind != "hidden"
    ]
    assert visible_blend == ["blend"]  # one blend box on the page
    workload = {
        "input_tokens": "5000000",
        "output_tokens": "1000000",
        "cached_percent": "25",
        "prompt_tokens": "4000",
    }
    (blend_form,) = forms.with_field("blend", "text")
    assert blend_form == {"blend": "3:1", **workload}  # "Update blend" keeps the workload
    (calculator,) = forms.with_field("input_tokens", "number")
    assert calculator == {"blend": "3:1", **workload}  # "Calculate" keeps the blend


def test_markup_in_names_is_shown_as_text_in_every_table(client):
    """The pair tables are written in Python (comparisons.fragments.pair_table) and the
    provider rows rendered once per model: both still escape what an editor typed."""
    org = OrganizationFactory(name="Org <i>One</i>")
    provider = ProviderFactory(name='Host "<b>"', url="https://host.example/?a=1&b=2")
    a = LanguageModelFactory(slug="esc-a", name="A <script>x</script>", organization=org)
    b = LanguageModelFactory(slug="esc-b", name="B & Co", organization=org)
    offer(a, provider)
    offer(b, provider, input="2.00")

    response = client.get("/compare/esc-a-vs-esc-b/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "<script>x</script>" not in body and "<b>" not in body and "<i>One</i>" not in body
    page = Page(body)
    specs = page.table("Specifications")
    assert specs["head"] == ["Specification", "A <script>x</script>", "B & Co"]
    assert dict((row[0], row[1:]) for row in specs["rows"])["Organisation"] == [
        "Org <i>One</i>",
        "Org <i>One</i>",
    ]
    pricing = {
        row[0]: row[1:]
        for row in page.table("Pricing on the cheapest provider, USD per 1M tokens")["rows"]
    }
    assert pricing["Cheapest provider"] == ['Host "<b>"', 'Host "<b>"']
    assert 'href="https://host.example/?a=1&amp;b=2"' in body
    providers = page.table("Prices on every provider, USD per 1M tokens")["rows"]
    assert [row[:2] for row in providers] == [
        ["A <script>x</script>", 'Host "<b>"'],
        ["B & Co", 'Host "<b>"'],
    ]
    costs = page.table("Monthly cost for")["rows"]
    assert [row[:2] for row in costs] == [
        ["A <script>x</script>", 'Host "<b>"'],
        ["B & Co", 'Host "<b>"'],
    ]
