from itertools import combinations
from xml.etree import ElementTree

import pytest

from catalog.models import LanguageModel
from comparisons.models import Comparison
from comparisons.selectors import PairSequence, compare_url
from comparisons.sitemaps import ComparisonSitemap
from tests.factories import LanguageModelFactory


@pytest.mark.parametrize("n", [0, 1, 2, 3, 7, 20])
def test_pair_sequence_matches_every_canonical_pair_in_order(n):
    slugs = [f"m{index:02d}" for index in range(n)][::-1]
    sequence = PairSequence(slugs)
    expected = list(combinations(sorted(slugs), 2))
    assert len(sequence) == len(expected)
    assert sequence[0 : len(expected)] == expected
    assert [sequence[k] for k in range(len(expected))] == expected
    if expected:
        assert sequence[len(expected) - 3 : len(expected) + 5] == expected[-3:]


def test_pair_sequence_pages_without_building_other_pairs():
    sequence = PairSequence([f"model-{index:04d}" for index in range(1000)])
    assert len(sequence) == 499_500
    page = sequence[450_000:450_003]
    assert page[0] == sequence[450_000]
    assert all(a < b for a, b in page)


@pytest.mark.django_db
def test_sitemap_index_lists_sections_and_splits_comparisons(client, monkeypatch):
    for index in range(5):
        LanguageModelFactory(name=f"Model {index}")
    LanguageModelFactory(name="Hidden", status=LanguageModel.Status.DRAFT)
    monkeypatch.setattr(ComparisonSitemap, "limit", 4)  # 10 pairs -> 3 files
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-models.xml" in index
    assert "sitemap-comparisons.xml?p=3" in index
    assert "sitemap-comparisons.xml?p=4" not in index
    urls = []
    for page in (1, 2, 3):
        body = client.get(f"/sitemap-comparisons.xml?p={page}").content.decode()
        urls += [line for line in body.split("<loc>")[1:]]
    assert len(urls) == 10
    assert not any("hidden" in url for url in urls)
    assert "/compare/model-0-vs-model-1/" in urls[0]


@pytest.mark.django_db
def test_comparison_sitemap_query_count_does_not_grow(client, django_assert_max_num_queries):
    for index in range(40):
        LanguageModelFactory(name=f"Model {index}")
    # The version (page cache), the slugs, and the noindex pairs.
    with django_assert_max_num_queries(3):
        response = client.get("/sitemap-comparisons.xml")
    assert response.content.decode().count("<loc>") == 780


@pytest.mark.django_db
def test_noindex_pairs_are_left_out_of_the_sitemap(client):
    a, b, c = (LanguageModelFactory(name=f"Model {index}") for index in range(3))
    Comparison.objects.create(model_a=a, model_b=b, noindex=True)
    body = client.get("/sitemap-comparisons.xml").content.decode()
    assert "/compare/model-0-vs-model-1/" not in body
    assert "/compare/model-0-vs-model-2/" in body
    assert body.count("<loc>") == 2


def test_sitemap_paths_are_the_canonical_comparison_urls():
    sitemap = ComparisonSitemap()
    assert sitemap.location(("alpha", "beta")) == compare_url("alpha", "beta")


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["0", "-1", "abc", "99"])
def test_a_sitemap_page_that_does_not_exist_is_a_404(client, page):
    for index in range(3):
        LanguageModelFactory(name=f"Model {index}")
    assert client.get(f"/sitemap-comparisons.xml?p={page}").status_code == 404


@pytest.mark.django_db
def test_comparison_sitemap_is_well_formed_xml(client, settings):
    for index in range(4):
        LanguageModelFactory(name=f"Model {index}")
    root = ElementTree.fromstring(client.get("/sitemap-comparisons.xml").content)
    locs = [el.text for el in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert len(locs) == 6
    assert locs[0] == f"{settings.SITE_URL}/compare/model-0-vs-model-1/"
