"""The editors' admin stays fast and fits the screen whatever the catalog's size: the
model page and the model and offering lists run a number of queries that does not grow
with the offerings, scores or rows shown (issue #19)."""

import pytest
from django.urls import reverse

from tests.factories import (
    BenchmarkScoreFactory,
    LanguageModelFactory,
    ProviderFactory,
    offer,
)

pytestmark = pytest.mark.django_db

# One cap for both sizes below: a query per offering or score row would break it.
CHANGE_FORM_CAP = 14
CHANGELIST_CAP = 12


def model_with(n: int):
    model = LanguageModelFactory(name="Gemini 3.1 Flash-Lite")
    for i in range(n):
        offer(model, ProviderFactory(name=f"Host {i}"), input=f"0.{i + 1}", output="1")
        BenchmarkScoreFactory(model=model)
    return model


@pytest.mark.parametrize("n", [2, 20])
def test_the_model_page_runs_bounded_queries_whatever_its_offerings_and_scores(
    editor_client, django_assert_max_num_queries, n
):
    model = model_with(n)
    url = reverse("admin:catalog_languagemodel_change", args=[model.pk])
    with django_assert_max_num_queries(CHANGE_FORM_CAP):
        response = editor_client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert f"Host {n - 1}" in text  # every offering is on the page, with its provider


@pytest.mark.parametrize("n", [2, 30])
@pytest.mark.parametrize(
    "url_name", ["admin:catalog_languagemodel_changelist", "admin:catalog_offering_changelist"]
)
def test_the_model_and_offering_lists_run_bounded_queries_whatever_the_rows_shown(
    editor_client, django_assert_max_num_queries, n, url_name
):
    provider = ProviderFactory(name="OpenRouter")
    for i in range(n):
        offer(LanguageModelFactory(name=f"Model {i:02}"), provider, input="0.25", output="1.5")
    with django_assert_max_num_queries(CHANGELIST_CAP):
        response = editor_client.get(reverse(url_name))
    text = response.content.decode()
    assert f"Model {n - 1:02}" in text and "$0.25" in text
