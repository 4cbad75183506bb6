"""Up to four models side by side: `/compare/a-vs-b-vs-c/`, and the picker and models
list that lead there."""

from decimal import Decimal

import pytest

from catalog.models import LanguageModel
from comparisons.narrative.lineup import lineup_summary
from comparisons.snapshot import ModelSnapshot, OfferingSnapshot
from tests.factories import (
    BenchmarkFactory,
    BenchmarkScoreFactory,
    LanguageModelFactory,
    ProviderFactory,
    catalog_of,
    gemini_seed_pair,
    offer,
)
from tests.html import Page

pytestmark = pytest.mark.django_db
LIVE, LITE = "gemini-2-5-flash-live-api", "gemini-3-1-flash-lite"
THREE = f"/compare/atlas-vs-{LIVE}-vs-{LITE}/"
FOUR = f"/compare/atlas-vs-{LIVE}-vs-{LITE}-vs-zephyr/"


@pytest.fixture
def lineup():
    """The seed pair, Atlas (dearest, 200K) and Zephyr (Flash-Lite's price and window)."""
    live, lite = gemini_seed_pair()
    host = ProviderFactory(name="Host", slug="host", url="https://host.example/")
    atlas = LanguageModelFactory(name="Atlas", slug="atlas", context_window=200_000)
    zephyr = LanguageModelFactory(name="Zephyr", slug="zephyr", context_window=1_000_000)
    offer(atlas, host, input="3", output="15")
    offer(zephyr, host, input="0.25", output="1.5")
    shared, alone = BenchmarkFactory(name="Shared Bench"), BenchmarkFactory(name="Atlas Only")
    BenchmarkScoreFactory(model=atlas, benchmark=shared, score=Decimal("71.3"))
    BenchmarkScoreFactory(model=live, benchmark=shared, score=Decimal("64"))
    BenchmarkScoreFactory(model=atlas, benchmark=alone, score=Decimal("10"))
    return {"atlas": atlas, "live": live, "lite": lite, "zephyr": zephyr}


def rows(page: Page, caption: str) -> dict[str, list[str]]:
    return {row[0]: row[1:] for row in page.table(caption)["rows"]}


def test_three_models_get_every_table_with_a_column_each_in_slug_order(client, lineup):
    response = client.get(THREE)
    assert response.status_code == 200
    page = Page(response.content.decode())
    names = ["Atlas", "Gemini 2.5 Flash Live API", "Gemini 3.1 Flash-Lite"]
    for caption in ("Specifications", "Pricing on the cheapest", "Capabilities", "Benchmarks"):
        assert page.table(caption)["head"][1:] == names
    specs = rows(page, "Specifications")
    assert specs["Context window"] == ["200K tokens", "128K tokens", "1M tokens"]
    pricing = rows(page, "Pricing on the cheapest")
    assert pricing["Input price"] == ["$3 / 1M tokens", "$0.50 / 1M tokens", "$0.25 / 1M tokens"]
    assert pricing["Output price"] == ["$15 / 1M tokens", "$2 / 1M tokens", "$1.50 / 1M tokens"]
    assert pricing["Cheapest provider"][0] == "Host"
    # Benchmarks at least two of them report; the one without says so.
    benchmarks = page.table("Benchmarks")["rows"]
    assert len(benchmarks) == 1
    assert benchmarks[0][0].startswith("Shared Bench")
    assert benchmarks[0][1:] == [
        "71.3 (self-reported)",
        "64 (self-reported)",
        "— not reported",
    ]


def test_figures_are_the_database_values(client, lineup):
    page = Page(client.get(FOUR).content.decode())
    specs = rows(page, "Specifications")
    models = [lineup[key] for key in ("atlas", "live", "lite", "zephyr")]
    assert page.table("Specifications")["head"][1:] == [m.name for m in models]
    assert specs["Organisation"] == [m.organization.name for m in models]
    capabilities = rows(page, "Capabilities")
    assert capabilities["Vision"] == [
        {True: "Yes", False: "No", None: "— not disclosed"}[m.vision] for m in models
    ]


def test_the_summary_names_the_cheapest_and_the_largest_context(client, lineup):
    text = Page(client.get(THREE).content.decode()).text
    assert (
        "Cheapest at a 70/30 input/output blend: Gemini 3.1 Flash-Lite at $0.625 / 1M tokens; "
        "largest context window: Gemini 3.1 Flash-Lite at 1M tokens." in text
    )


def test_the_summary_names_every_model_that_ties(client, lineup):
    text = Page(client.get(FOUR).content.decode()).text
    assert (
        "Cheapest at a 70/30 input/output blend: Gemini 3.1 Flash-Lite and Zephyr tie at "
        "$0.625 / 1M tokens; largest context window: Gemini 3.1 Flash-Lite and Zephyr tie at "
        "1M tokens." in text
    )


def snapshot(name: str, *, window: int | None, price: str | None) -> ModelSnapshot:
    offerings = ()
    if price:
        offerings = (OfferingSnapshot("Host", "host", input=Decimal(price), output=Decimal(price)),)
    return ModelSnapshot(
        slug=name.lower(), name=name, organization_name="Org", context_window=window,
        offerings=offerings,
    )  # fmt: skip


def test_summary_says_which_models_have_no_price_and_when_nothing_is_known():
    models = [
        snapshot("A", window=None, price="2"),
        snapshot("B", window=None, price=None),
        snapshot("C", window=None, price="2.00"),
    ]
    assert lineup_summary(models) == (
        "Cheapest at a 70/30 input/output blend: A and C tie at $2 / 1M tokens "
        "(no tracked price for B); none discloses its context window."
    )
    nothing = [snapshot("A", window=8_000, price=None), snapshot("B", window=None, price=None)]
    assert lineup_summary(nothing) == (
        "No provider we track publishes a price for any of them; "
        "largest context window: A at 8K tokens."
    )


def test_links_to_each_pair_in_canonical_order(client, lineup):
    html = client.get(FOUR).content.decode()
    slugs = ["atlas", LIVE, LITE, "zephyr"]
    pairs = [(a, b) for i, a in enumerate(slugs) for b in slugs[i + 1 :]]
    assert len(pairs) == 6
    for a, b in pairs:
        assert f'href="/compare/{a}-vs-{b}/"' in html
    assert client.get(f"/compare/atlas-vs-{LIVE}/").status_code == 200


def test_other_orders_redirect_permanently_keeping_the_query(client, lineup):
    response = client.get(f"/compare/{LITE}-vs-atlas-vs-{LIVE}/?blend=3:1")
    assert response.status_code == 301
    assert response["Location"] == THREE + "?blend=3:1"
    response = client.get(f"/compare/zephyr-vs-{LITE}-vs-atlas-vs-{LIVE}/")
    assert response["Location"] == FOUR


def test_noindex_follow_canonical_to_itself_and_not_in_the_sitemap(client, lineup):
    html = client.get(THREE).content.decode()
    assert '<meta name="robots" content="noindex,follow">' in html
    assert f'<link rel="canonical" href="http://127.0.0.1:8000{THREE}">' in html
    sitemap = client.get("/sitemap-comparisons.xml").content.decode()
    assert f"atlas-vs-{LIVE}/" in sitemap
    assert "-vs-" + LITE + "-vs-" not in sitemap and f"{LIVE}-vs-{LITE}-vs" not in sitemap


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (f"/compare/atlas-vs-atlas-vs-{LIVE}/", "Each model can appear only once"),
        (f"/compare/atlas-vs-{LIVE}-vs-{LITE}-vs-zephyr-vs-extra/", "at most 4 models"),
        ("/compare/" + "-vs-".join(["atlas"] * 13) + "/", "at most 4 models"),
    ],
)
def test_repeats_and_more_than_four_are_a_400_page_with_a_message(client, lineup, path, message):
    LanguageModelFactory(name="Extra", slug="extra")
    response = client.get(path)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'class="picker"' in html  # a page to pick again, not a bare error


@pytest.mark.parametrize(
    "path",
    [
        f"/compare/atlas-vs-{LIVE}-vs-nope/",
        "/compare/-vs--vs-/",
        f"/compare/atlas-vs-{LIVE}-vs-%00/",
    ],
)
def test_unknown_models_are_404(client, lineup, path):
    assert client.get(path).status_code == 404


def test_a_draft_in_the_lineup_is_404_for_visitors(client, lineup):
    LanguageModel.objects.filter(slug="atlas").update(status=LanguageModel.Status.DRAFT)
    assert client.get(THREE).status_code == 404


def test_slugs_containing_vs_split_into_the_fewest_real_models(client, lineup):
    LanguageModelFactory(name="Alpha vs Omega")  # slug alpha-vs-omega
    response = client.get(f"/compare/alpha-vs-omega-vs-atlas-vs-{LIVE}/")
    assert response.status_code == 200
    assert "Alpha vs Omega vs Atlas vs Gemini 2.5 Flash Live API" in response.content.decode()


@pytest.mark.parametrize("size", [5, 50])
def test_query_count_does_not_grow_with_the_catalog(
    client, django_assert_max_num_queries, lineup, size
):
    catalog_of(models=size, providers=4, offerings_per_model=2, benchmarks=2)
    # Catalog version (page cache), the pair split, the lineup split, and the
    # snapshots' offerings, tiers, scores and sources.
    with django_assert_max_num_queries(7):
        response = client.get(FOUR)
    assert response.status_code == 200


def test_the_picker_takes_a_third_and_fourth_model(client, lineup):
    response = client.get(f"/compare/?a={LITE}&b=zephyr&c=atlas&d=")
    assert response.status_code == 302
    assert response["Location"] == f"/compare/atlas-vs-{LITE}-vs-zephyr/"
    response = client.get(f"/compare/?a={LITE}&b=zephyr&c=atlas&d={LIVE}")
    assert response["Location"] == FOUR
    html = client.get("/compare/").content.decode()
    assert 'name="c"' in html and 'name="d"' in html
    assert 'name="a" id="id_a" required' in html
    assert 'name="c" id="id_c" data-searchable' in html  # optional


def test_the_picker_refuses_a_model_twice(client, lineup):
    response = client.get(f"/compare/?a={LITE}&b=zephyr&c={LITE}")
    assert response.status_code == 400
    assert "Pick each model only once." in response.content.decode()


def test_models_list_has_a_labelled_checkbox_beside_each_name(client, lineup):
    html = client.get("/models/").content.decode()
    assert 'action="/compare/"' in html
    assert (
        '<th scope="row"><input type="checkbox" name="m" value="atlas" id="compare-atlas" '
        'aria-label="Compare Atlas"> <a href="/models/atlas/">Atlas</a></th>'
    ) in html
    assert "Compare selected</button>" in html


def test_pressing_compare_with_nothing_ticked_says_what_to_do(client, lineup):
    # What the form sends with no box ticked: only its empty marker.
    response = client.get("/compare/?m=")
    assert response.status_code == 400
    assert "Tick two to four models to compare." in response.content.decode()


def test_ticked_models_redirect_to_their_canonical_page(client, lineup):
    response = client.get(f"/compare/?m=&m=zephyr&m={LITE}&m=atlas&m={LIVE}")
    assert response.status_code == 302
    assert response["Location"] == FOUR
    response = client.get(f"/compare/?m={LITE}&m={LIVE}")
    assert response["Location"] == f"/compare/{LIVE}-vs-{LITE}/"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("m=atlas", "Tick at least two models to compare: you ticked one."),
        (f"m=atlas&m={LIVE}&m={LITE}&m=zephyr&m=extra", "at most 4 models at a time: you ticked 5"),
        ("m=atlas&m=atlas", "Tick each model only once."),
        ("m=atlas&m=nope", "Select a valid choice"),
        ("m=&m=atlas", "Tick at least two models"),
    ],
)
def test_a_bad_selection_is_a_400_with_a_message(client, lineup, query, message):
    LanguageModelFactory(name="Extra", slug="extra")
    response = client.get(f"/compare/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()
