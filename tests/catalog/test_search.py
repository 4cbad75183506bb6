"""Search: `/search/?q=`, its JSON suggestions, the 404 page's nearest models, the
header every page carries and the favicon. Runs on SQLite (difflib close matches) and
PostgreSQL (trigram close matches) alike."""

import re

import pytest

from catalog.models import LanguageModel, ModelAlias
from catalog.search import CONTAINS, MAX_QUERY_LENGTH, SUGGEST_LIMIT, search_models
from sitecache.query_params import query_params_read_by
from tests.factories import (
    LanguageModelFactory,
    OfferingFactory,
    OrganizationFactory,
    ProviderFactory,
    catalog_of,
    gemini_seed_pair,
    offer,
)

pytestmark = pytest.mark.django_db


def names(query: str) -> list[str]:
    return [result.name for result in search_models(query)]


@pytest.fixture
def anthropic():
    """Claude Sonnet 4.5 (Bedrock alias, provider ids), Claude Opus 4.5 and a draft."""
    maker = OrganizationFactory(name="Anthropic", slug="anthropic")
    bedrock = ProviderFactory(name="AWS Bedrock", slug="aws-bedrock")
    sonnet = LanguageModelFactory(name="Claude Sonnet 4.5", organization=maker)
    opus = LanguageModelFactory(name="Claude Opus 4.5", organization=maker)
    ModelAlias.objects.create(model=sonnet, key="claude-sonnet-4-5-20250929", source="bedrock")
    offering = offer(sonnet, bedrock, input="3", output="15")
    offering.provider_model_id = "global.anthropic.claude-sonnet-4-5-20250929-v1:0"
    offering.save()
    LanguageModelFactory(
        name="Claude Sonnet 9 Secret", organization=maker, status=LanguageModel.Status.DRAFT
    )
    return sonnet, opus


def test_exact_name_ranks_before_prefix_then_every_word_then_close_match():
    for name in ("Ultra Gemini Flash", "Gemini Flahs", "Gemini Flash Lite", "Gemini Flash"):
        LanguageModelFactory(name=name)
    LanguageModelFactory(name="Unrelated Large")

    assert names("gemini flash") == [
        "Gemini Flash",  # exact (any case)
        "Gemini Flash Lite",  # prefix
        "Ultra Gemini Flash",  # every word somewhere
        "Gemini Flahs",  # close match
    ]


def test_a_typo_finds_claude_sonnet_first(anthropic):
    sonnet, _opus = anthropic
    results = search_models("claud sonet")
    assert results[0].name == sonnet.name
    assert results[0].is_close_match


def test_words_match_in_any_order_across_name_and_maker(anthropic):
    first, *others = search_models("anthropic opus")
    assert (first.name, first.tier) == ("Claude Opus 4.5", CONTAINS)
    assert all(other.is_close_match for other in others)  # after it, and said to be close
    assert names("sonnet claude")[0] == "Claude Sonnet 4.5"


def test_maker_finds_every_published_model_of_theirs(anthropic):
    LanguageModelFactory(name="Llama Open", organization=OrganizationFactory(name="Meta"))
    assert names("Anthropic") == ["Claude Opus 4.5", "Claude Sonnet 4.5"]


def test_alias_in_any_source_spelling_is_an_exact_hit(anthropic):
    # Stored as the identity key; a visitor pastes the Bedrock id of another region.
    assert names("us.anthropic.claude-sonnet-4-5-20250929-v1:0")[0] == "Claude Sonnet 4.5"


def test_provider_model_id_exact_and_partial(anthropic):
    assert names("global.anthropic.claude-sonnet-4-5-20250929-v1:0") == ["Claude Sonnet 4.5"]
    nimbus = LanguageModelFactory(name="Nimbus Large")
    OfferingFactory(model=nimbus, provider_model_id="nmb-lg-2406")
    assert names("nmb-lg-2406") == ["Nimbus Large"]
    assert names("lg-24") == ["Nimbus Large"]


def test_drafts_are_never_found(anthropic):
    assert "Claude Sonnet 9 Secret" not in names("claude sonnet")
    assert "Claude Sonnet 9 Secret" not in names("secret")


def test_results_page_works_without_javascript(client, anthropic):
    response = client.get("/search/", {"q": "sonnet"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<form method="get" action="/search/"' in html
    assert '<a href="/models/claude-sonnet-4-5/">Claude Sonnet 4.5</a>' in html
    assert "by Anthropic" in html
    # The cheapest buyable prices, formatted as on /models/.
    assert "$3 / 1M tokens" in html and "$15 / 1M tokens" in html
    assert '<meta name="robots" content="noindex">' in html


def test_no_result_offers_the_nearest_models(client, anthropic):
    response = client.get("/search/", {"q": "clawd sonit"})
    html = response.content.decode()
    assert "No model matches “clawd sonit”." in html
    assert "Did you mean" in html and 'href="/models/claude-sonnet-4-5/"' in html


def test_empty_query_explains_what_can_be_searched(client):
    html = client.get("/search/").content.decode()
    assert "provider's model id" in html and "No model matches" not in html


@pytest.mark.parametrize(
    "query",
    [
        "%",
        "_",
        "%%'; DROP TABLE catalog_languagemodel; --",
        "\x00claude",
        "claude\x00sonnet",
        "\\",
        "<script>alert(1)</script>",
        "ｃｌａｕｄｅ",
        "a" * MAX_QUERY_LENGTH,
    ],
)
def test_hostile_queries_are_answered_never_a_500(client, anthropic, query):
    for path in ("/search/", "/search/suggest/"):
        response = client.get(path, {"q": query})
        assert response.status_code == 200, (path, query)
    assert "<script>alert" not in client.get("/search/", {"q": query}).content.decode()
    assert LanguageModel.objects.count() == 3


def test_a_name_typed_run_together_is_a_close_match(anthropic):
    assert names("claudesonnet45")[0] == "Claude Sonnet 4.5"


def test_a_nul_is_dropped_not_sent_to_the_database(anthropic):
    assert names("claude\x00sonnet 4.5") == names("claude sonnet 4.5")


@pytest.mark.parametrize("length", [MAX_QUERY_LENGTH + 1, 5000])
def test_a_query_too_long_is_a_400_that_says_why(client, length):
    page = client.get("/search/", {"q": "a" * length})
    assert page.status_code == 400
    assert f"Search for at most {MAX_QUERY_LENGTH} characters." in page.content.decode()
    suggest = client.get("/search/suggest/", {"q": "a" * length})
    assert suggest.status_code == 400
    assert suggest.json()["message"] == f"Search for at most {MAX_QUERY_LENGTH} characters."


def test_suggestions_json_shape(client, anthropic):
    body = client.get("/search/suggest/", {"q": "sonnet"}).json()
    assert body == {
        "query": "sonnet",
        "results": [
            {
                "name": "Claude Sonnet 4.5",
                "slug": "claude-sonnet-4-5",
                "url": "/models/claude-sonnet-4-5/",
                "maker": "Anthropic",
                "cheapest_input": "$3 / 1M tokens",
            }
        ],
    }
    assert client.get("/search/suggest/").json() == {"query": "", "results": []}


def test_suggestions_are_capped(client):
    catalog_of(models=SUGGEST_LIMIT + 4, providers=1, offerings_per_model=0)
    results = client.get("/search/suggest/", {"q": "model"}).json()["results"]
    assert len(results) == SUGGEST_LIMIT
    assert [r["name"] for r in results] == sorted((r["name"] for r in results), key=str.lower)


@pytest.mark.parametrize("size", [5, 50])
@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/search/", "model"),  # every model matches: the limit bounds the rows
        ("/search/", "modle 3"),  # close matches
        ("/search/", "zzzz qqqq"),  # nothing: "did you mean"
        ("/search/suggest/", "model"),
        ("/search/suggest/", "modle"),
    ],
)
def test_query_count_does_not_grow_with_the_catalog(
    client, django_assert_max_num_queries, size, path, query
):
    catalog_of(models=size, providers=3, offerings_per_model=2)
    with django_assert_max_num_queries(5):
        assert client.get(path, {"q": query}).status_code == 200


def test_search_declares_the_one_parameter_it_reads(client, anthropic):
    assert query_params_read_by("/search/") == {"q"}
    assert query_params_read_by("/search/suggest/") == {"q"}
    first = client.get("/search/?q=sonnet&utm_source=mail")
    assert first.status_code == 200 and first["X-Page-Cache"] == "miss"
    assert client.get("/search/?q=sonnet")["X-Page-Cache"] == "hit"


@pytest.mark.parametrize("path", ["/", "/models/", "/search/?q=x", "/changes/", "/nowhere/"])
def test_every_page_has_the_header_search_links_and_favicon(client, path):
    LanguageModelFactory(name="Anything")
    html = client.get(path).content.decode()
    assert '<form class="site-search" role="search" method="get" action="/search/"' in html
    assert 'name="q"' in html
    for href in ('href="/models/"', 'href="/changes/"', 'href="/api/docs/"'):
        assert href in html
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html
    assert '<script src="/static/js/search.js" defer></script>' in html


def test_favicon_ico_answers_with_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content


def test_mistyped_model_address_suggests_the_nearest_models(client, anthropic):
    response = client.get("/models/claude-sonet-4-5/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html
    nearest = re.findall(r'<li><a href="(/models/[^"]+)">', html)
    assert nearest[0] == "/models/claude-sonnet-4-5/"
    assert '<meta name="robots" content="noindex">' in html


def test_mistyped_comparison_suggests_both_sides(client, anthropic):
    live, lite = gemini_seed_pair()
    response = client.get("/compare/claude-opuss-4-5-vs-gemini-3-1-flash-lit/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'href="/models/claude-opus-4-5/"' in html
    assert f'href="/models/{lite.slug}/"' in html


def test_other_missing_pages_get_the_styled_page_and_the_api_keeps_json(
    client, anthropic, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html and "Did you mean" not in html
    api = client.get("/api/v1/no-such-thing/")
    assert api.status_code == 404 and api.json()["code"] == "not_found"


def test_hostile_404_paths_are_answered(client, anthropic):
    for path in ("/models/%00/", "/models/" + "x" * 600 + "/", "/compare/-vs-/", "/models/%ff/"):
        assert client.get(path).status_code == 404, path


def test_pair_picker_groups_models_by_maker(client, anthropic):
    gemini_seed_pair()
    html = client.get("/").content.decode()
    groups = re.findall(r'<optgroup label="([^"]+)">', html)
    # One list per model field: the two of a pair and the optional third and fourth.
    assert groups == ["Anthropic", "Google DeepMind"] * 4
    anthropic_group = html.split('<optgroup label="Anthropic">')[1].split("</optgroup>")[0]
    assert re.findall(r">([^<]+)</option>", anthropic_group) == [
        "Claude Opus 4.5",
        "Claude Sonnet 4.5",
    ]
    assert 'data-searchable="First model"' in html


def test_pair_picker_still_redirects_without_javascript(client, anthropic):
    response = client.get("/compare/", {"a": "claude-sonnet-4-5", "b": "claude-opus-4-5"})
    assert response.status_code == 302
    assert response["Location"] == "/compare/claude-opus-4-5-vs-claude-sonnet-4-5/"
    assert client.get("/compare/", {"a": "claude-sonnet-4-5", "b": "nope"}).status_code == 400
