"""Catalog pages: the filterable models list, a model page and a provider page."""

from datetime import date
from decimal import Decimal

import pytest

from catalog.models import LanguageModel
from catalog.services import PriceInput, record_price
from tests.factories import (
    LanguageModelFactory,
    OrganizationFactory,
    ProviderFactory,
    catalog_of,
    gemini_seed_pair,
    offer,
)
from tests.html import Page

pytestmark = pytest.mark.django_db


def listed(client, query=""):
    response = client.get(f"/models/{query}")
    assert response.status_code == 200
    page = Page(response.content.decode())
    return [row[0] for row in page.tables[0]["rows"]]


@pytest.fixture
def catalog():
    live, lite = gemini_seed_pair()
    meta = OrganizationFactory(name="Meta", slug="meta")
    llama = LanguageModelFactory(
        name="Llama Open",
        organization=meta,
        open_weights=True,
        context_window=64_000,
        release_date=date(2024, 4, 1),
        vision=False,
        license="Llama licence",
    )
    offer(llama, ProviderFactory(name="Together", slug="together"), input="0.1", output="0.3")
    LanguageModelFactory(name="Secret Draft", status=LanguageModel.Status.DRAFT)
    return live, lite, llama


def test_models_list_shows_published_models_with_cheapest_prices(client, catalog):
    response = client.get("/models/")
    page = Page(response.content.decode())
    rows = {row[0]: row for row in page.tables[0]["rows"]}
    assert set(rows) == {"Gemini 2.5 Flash Live API", "Gemini 3.1 Flash-Lite", "Llama Open"}
    assert rows["Gemini 3.1 Flash-Lite"][4:] == ["$0.25", "$1.50", "2"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?organization=meta", ["Llama Open"]),
        ("?provider=openrouter", ["Gemini 3.1 Flash-Lite"]),
        ("?capability=structured_outputs", ["Gemini 3.1 Flash-Lite"]),
        ("?capability=vision&capability=code_execution", ["Gemini 3.1 Flash-Lite"]),
        ("?open_weights=true", ["Llama Open"]),
        ("?min_context=1000000", ["Gemini 3.1 Flash-Lite"]),
        ("?max_input_price=0.25", ["Gemini 3.1 Flash-Lite", "Llama Open"]),
        ("?sort=price", ["Llama Open", "Gemini 3.1 Flash-Lite", "Gemini 2.5 Flash Live API"]),
        ("?sort=-context", ["Gemini 3.1 Flash-Lite", "Gemini 2.5 Flash Live API", "Llama Open"]),
        ("?sort=-released", ["Gemini 3.1 Flash-Lite", "Gemini 2.5 Flash Live API", "Llama Open"]),
    ],
)
def test_models_list_filters_and_sorts(client, catalog, query, expected):
    assert listed(client, query) == expected


@pytest.mark.parametrize(
    "query", ["?organization=nope", "?min_context=abc", "?sort=bogus", "?max_input_price=-1"]
)
def test_bad_filters_show_an_error_not_a_500(client, catalog, query):
    response = client.get(f"/models/{query}")
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()


@pytest.mark.parametrize("size", ["small", "large"])
def test_models_list_query_count_is_capped(client, django_assert_max_num_queries, size):
    gemini_seed_pair()
    if size == "large":
        catalog_of(models=60, providers=6, offerings_per_model=3)
    query = (
        "?organization=google-deepmind&provider=openrouter&capability=vision&open_weights=false"
        "&min_context=1000&max_input_price=5&sort=-price"
    )
    # count, page, two filter look-ups and the two choice lists of the form.
    # +1: the catalog version read by the page cache (sitecache).
    with django_assert_max_num_queries(7):
        response = client.get("/models/" + query)
    assert response.status_code == 200
    assert "Gemini 3.1 Flash-Lite" in response.content.decode()


def test_model_page_shows_specs_offerings_history_and_compare_links(client, catalog):
    live, lite, llama = catalog
    offering = lite.offerings.get(provider__slug="google-ai-studio")
    record_price(
        offering=offering,
        price=PriceInput(input=Decimal("0.2"), output=Decimal("1.2")),
        effective_date=date(2026, 3, 1),
        source_url="https://ai.google.dev/pricing",
    )
    html = client.get(f"/models/{lite.slug}/").content.decode()
    page = Page(html)
    text = page.text
    assert "1M tokens" in text and "Jan 2025" in text and "7 May 2026" in text
    offerings = {row[0]: row for row in page.table("Current standard prices")["rows"]}
    assert offerings["Google AI Studio"][2] == "$0.20"
    assert offerings["OpenRouter"][2] == "$0.25"
    svg = html.split("<svg", 1)[1].split("</svg>")[0]
    assert "from 15 January 2026 input $0.25" in svg and "from 1 March 2026 input $0.20" in svg
    assert 'href="/compare/gemini-2-5-flash-live-api-vs-gemini-3-1-flash-lite/"' in html
    assert "Secret Draft" not in html


def test_draft_model_page_is_404_for_visitors_and_a_preview_for_staff(client, admin_client):
    draft = LanguageModelFactory(name="Secret Draft", status=LanguageModel.Status.DRAFT)
    assert client.get(f"/models/{draft.slug}/").status_code == 404
    response = admin_client.get(f"/models/{draft.slug}/")
    assert response.status_code == 200
    assert "Draft preview" in response.content.decode()
    assert '<meta name="robots" content="noindex">' in response.content.decode()


@pytest.mark.parametrize("size", ["small", "large"])
def test_model_page_query_count_is_capped(client, django_assert_max_num_queries, size):
    live, lite = gemini_seed_pair()
    if size == "large":
        catalog_of(models=40, providers=6, offerings_per_model=3, benchmarks=3)
        for provider in ProviderFactory.create_batch(5):
            offer(lite, provider, input="0.3", output="2")
    # +1: the catalog version read by the page cache (sitecache).
    with django_assert_max_num_queries(7):
        response = client.get(f"/models/{lite.slug}/")
    assert response.status_code == 200


def test_staff_preview_of_a_comparison_stays_within_a_fixed_cap(
    admin_client, django_assert_max_num_queries
):
    live, lite = gemini_seed_pair()
    LanguageModel.objects.filter(pk=live.pk).update(status=LanguageModel.Status.DRAFT)
    catalog_of(models=20, providers=4, offerings_per_model=2)
    # 8 for the page plus the session and the user.
    with django_assert_max_num_queries(10):
        response = admin_client.get(f"/compare/{live.slug}-vs-{lite.slug}/")
    assert response.status_code == 200


def test_provider_page_lists_published_models_with_prices(client, catalog):
    html = client.get("/providers/google-ai-studio/").content.decode()
    page = Page(html)
    rows = {row[0]: row for row in page.tables[0]["rows"]}
    assert rows["Gemini 3.1 Flash-Lite"][2:] == ["$0.25", "$1.50"]
    assert client.get("/providers/nope/").status_code == 404


@pytest.mark.parametrize("size", ["small", "large"])
def test_provider_page_query_count_is_capped(client, django_assert_max_num_queries, size):
    gemini_seed_pair()
    if size == "large":
        catalog_of(models=40, providers=2, offerings_per_model=2)
    # +1: the catalog version read by the page cache (sitecache).
    with django_assert_max_num_queries(3):
        response = client.get("/providers/google-ai-studio/")
    assert response.status_code == 200


def test_model_page_names_a_providers_own_limits_and_keeps_the_models_specs(client, catalog):
    _live, lite, _llama = catalog
    lite.offerings.filter(provider__slug="openrouter").update(
        context_window=128_000, max_output_tokens=32_000
    )
    page = Page(client.get(f"/models/{lite.slug}/").content.decode())
    table = page.table("Current standard prices")
    assert table["head"][-1] == "Context and output limits"
    limits = {row[0]: row[-1] for row in table["rows"]}
    assert limits == {
        "Google AI Studio": "Same as the model",
        "OpenRouter": (
            "128K context window (model: 1M) and 32K max output (model: 64K) on this provider"
        ),
    }
    specs = {row[0]: row[1] for row in page.table("Specifications")["rows"]}
    assert specs["Context window"] == "1M tokens"
    assert specs["Max output"] == "64K tokens"


def test_model_page_has_no_limits_column_when_providers_use_the_models(client, catalog):
    _live, lite, _llama = catalog
    # A provider figure equal to the model's is the model's.
    lite.offerings.filter(provider__slug="openrouter").update(context_window=1_000_000)
    page = Page(client.get(f"/models/{lite.slug}/").content.decode())
    assert "Context and output limits" not in page.table("Current standard prices")["head"]


def test_provider_page_names_its_own_limits(client, catalog):
    _live, lite, _llama = catalog
    lite.offerings.filter(provider__slug="openrouter").update(context_window=128_000)
    page = Page(client.get("/providers/openrouter/").content.decode())
    rows = {row[0]: row for row in page.tables[0]["rows"]}
    assert rows["Gemini 3.1 Flash-Lite"][-1] == ("128K context window on this provider (model: 1M)")


@pytest.mark.parametrize("size", ["small", "large"])
def test_pages_with_provider_limits_keep_their_query_caps(
    client, django_assert_max_num_queries, size
):
    live, lite = gemini_seed_pair()
    lite.offerings.update(context_window=200_000)
    if size == "large":
        for model in catalog_of(models=40, providers=6, offerings_per_model=3):
            model.offerings.update(context_window=32_000, max_output_tokens=4_000)
        for provider in ProviderFactory.create_batch(5):
            offer(lite, provider, input="0.3", output="2")
        lite.offerings.update(max_output_tokens=8_000)
    with django_assert_max_num_queries(7):
        response = client.get(f"/models/{lite.slug}/")
    assert "on this provider" in response.content.decode()
    with django_assert_max_num_queries(3):
        response = client.get("/providers/google-ai-studio/")
    assert "on this provider" in response.content.decode()


def test_compare_with_mixes_the_same_maker_and_the_nearest_rivals_of_other_makers(client):
    google, openai, mistral, meta = (OrganizationFactory(name=n) for n in ("G", "O", "M", "L"))
    groq = ProviderFactory(name="Groq")

    def model(name, org, input, output, **kwargs):
        built = LanguageModelFactory(name=name, organization=org, **kwargs)
        offer(built, groq, input=input, output=output)
        return built

    subject = model("Subject", google, "1", "4")  # a 70/30 blend of $1.90
    model("Sibling", google, "50", "50")  # far in price, but the same maker
    model("Near O", openai, "1", "5")  # $2.20
    model("Nearer O", openai, "1", "4.5")  # $2.05: only one rival per maker
    model("Far M", mistral, "20", "40")
    model("Image L", meta, "1", "4", output_modalities="image")  # same price, other kind
    model("Near L", meta, "0.5", "2")  # $0.95: half the price
    html = client.get(subject.get_absolute_url()).content.decode()
    section = html[html.index('id="compare-heading"') :]
    section = section[: section.index("</section>")]
    links = [line.split(" vs ")[1] for line in Page(section).text.split("Subject")[1:]]
    links = [" ".join(link.split()) for link in links]
    assert links == ["Sibling", "Nearer O", "Near L", "Far M"]


def test_models_list_sorts_names_case_insensitively_by_default_and_by_header(client):
    for name in ("Qwen3", "gpt-oss-120b", "o3", "Claude", "Mistral"):
        offer(LanguageModelFactory(name=name), ProviderFactory(), input="1")
    assert listed(client) == ["Claude", "gpt-oss-120b", "Mistral", "o3", "Qwen3"]
    assert listed(client, "?sort=-name") == ["Qwen3", "o3", "Mistral", "gpt-oss-120b", "Claude"]


def test_models_list_headers_link_to_their_sort_keeping_the_filters(client):
    cheap, dear = (LanguageModelFactory(name=n) for n in ("Cheap", "Dear"))
    offer(cheap, ProviderFactory(), input="0.5")
    offer(dear, ProviderFactory(), input="5")
    LanguageModelFactory(name="Unpriced")  # no price: last whichever way prices sort
    html = client.get("/models/?open_weights=&sort=price").content.decode()
    header = html[html.index("<thead>") : html.index("</thead>")]
    # Sorted by price ascending: its header says so and links to the other direction.
    assert 'aria-sort="ascending"><a href="?open_weights=&amp;sort=-price">' in header
    assert 'aria-sort="none"><a href="?open_weights=&amp;sort=name">Model' in header
    assert listed(client, "?sort=price") == ["Cheap", "Dear", "Unpriced"]
    assert listed(client, "?sort=-price") == ["Dear", "Cheap", "Unpriced"]
