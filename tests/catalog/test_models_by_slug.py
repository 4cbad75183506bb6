"""catalog.selectors.models_by_slug keeps published models once read for the catalog
version, so a page over models seen since runs no query for them; an edit shows at once,
drafts are read afresh and unknown slugs are not kept."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import LanguageModel
from catalog.selectors import models_by_slug
from comparisons.snapshot import one_version_read
from tests.factories import LanguageModelFactory, gemini_seed_pair

pytestmark = pytest.mark.django_db


def queries_of(call) -> tuple[object, int]:
    with CaptureQueriesContext(connection) as context:
        result = call()
    return result, len(context.captured_queries)


def test_models_once_read_cost_no_query_until_the_catalog_changes():
    a, b, c = LanguageModelFactory.create_batch(3)
    with one_version_read():
        first, _ = queries_of(lambda: models_by_slug([a.slug, b.slug]))
        again, count = queries_of(lambda: models_by_slug([b.slug, a.slug]))
        assert count == 0
        assert again == first
        assert again[a.slug].organization.name == a.organization.name  # no query either
        # Only the slug not seen yet is read.
        with CaptureQueriesContext(connection) as context:
            mixed = models_by_slug([a.slug, c.slug])
        assert set(mixed) == {a.slug, c.slug}
        assert len(context.captured_queries) == 1
        assert a.slug not in context.captured_queries[0]["sql"]


def test_an_edit_is_seen_by_the_next_read():
    model = LanguageModelFactory(name="Before")
    with one_version_read():
        assert models_by_slug([model.slug])[model.slug].name == "Before"
    model.name = "After"
    model.save()  # moves the catalog version
    with one_version_read():
        assert models_by_slug([model.slug])[model.slug].name == "After"
    model.status = LanguageModel.Status.DRAFT
    model.save()
    with one_version_read():
        assert models_by_slug([model.slug]) == {}


def test_drafts_are_read_afresh_for_previews_and_never_kept():
    draft = LanguageModelFactory(status=LanguageModel.Status.DRAFT)
    live = LanguageModelFactory()
    with one_version_read():
        models_by_slug([live.slug])
        found, count = queries_of(
            lambda: models_by_slug([draft.slug, live.slug], include_drafts=True)
        )
        assert set(found) == {draft.slug, live.slug}
        assert count == 1
        assert models_by_slug([draft.slug]) == {}  # a visitor's read


def test_unknown_slugs_are_looked_up_each_time():
    model = LanguageModelFactory()
    with one_version_read():
        models_by_slug([model.slug])
        for _ in range(2):
            found, count = queries_of(lambda: models_by_slug([model.slug, "no-such-model"]))
            assert set(found) == {model.slug}
            assert count == 1


def test_a_warm_comparison_page_and_api_answer_read_only_the_version(
    client, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE_ENABLED = False
    live, lite = gemini_seed_pair()
    other = LanguageModelFactory()
    client.get(f"/compare/{live.slug}-vs-{lite.slug}/")
    client.get(f"/compare/{live.slug}-vs-{other.slug}/")
    pair = "-vs-".join(sorted([lite.slug, other.slug]))  # a pair never requested
    with django_assert_max_num_queries(1):  # the catalog version
        assert client.get(f"/compare/{pair}/").status_code == 200
    with django_assert_max_num_queries(1):
        assert client.get(f"/api/v1/comparisons/{pair}/").status_code == 200
