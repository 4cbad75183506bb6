"""The editors' admin stays fast and fits the screen whatever the catalog's size: the
model page and the model and offering lists run a number of queries that does not grow
with the offerings, scores or rows shown (issue #19)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.admin_forms import change_form_data
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


def test_a_price_changed_on_the_model_page_keeps_its_cache_write_price_and_source(editor_client):
    model = LanguageModelFactory()
    offering = offer(
        model,
        ProviderFactory(),
        input="3",
        output="15",
        cache_write="3.75",
        source_url="https://example.com/pricing",
    )
    url = reverse("admin:catalog_languagemodel_change", args=[model.pk])
    data = change_form_data(editor_client.get(url))
    assert "offerings-0-cache_write" not in data  # not on the compact row
    data["offerings-0-input"] = "2.5"
    assert editor_client.post(url, data).status_code == 302
    offering.refresh_from_db()
    price = offering.current_price
    assert (price.input, price.cache_write) == (Decimal("2.5"), Decimal("3.75"))
    assert price.source_url == "https://example.com/pricing"


def test_the_model_page_links_to_the_workbench_showing_only_its_offerings(editor_client):
    model, other = model_with(2), LanguageModelFactory(name="Other model")
    elsewhere = offer(other, ProviderFactory(name="Elsewhere"))
    page = editor_client.get(reverse("admin:catalog_languagemodel_change", args=[model.pk]))
    link = f"/admin/catalog/offering/workbench/?model__id__exact={model.pk}"
    assert f'href="{link}">Edit prices in the workbench' in page.content.decode()
    workbench = editor_client.get(link).content.decode()
    for offering in model.offerings.all():
        assert f'id="offering-{offering.pk}"' in workbench
    assert f'id="offering-{elsewhere.pk}"' not in workbench
