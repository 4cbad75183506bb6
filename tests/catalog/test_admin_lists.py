"""The editors' lists stay fast on a large catalog (issue #19) and still find what an
editor types: a search matches a model's name, a provider's model id or an alias, each
row once, without joining the catalog; filters work by key; a page reads only its rows;
every list, search and form runs a number of queries that does not grow with the
catalog."""

from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django import forms
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalog.admin.lists import KeysFirstPaginator
from catalog.admin.money import MoneyInput
from catalog.management.commands.build_synthetic_catalog import build_synthetic_catalog
from catalog.models import LanguageModel, ModelEvidence, Offering, OfferingAlias, Price
from tests.factories import LanguageModelFactory, ProviderFactory, offer

pytestmark = pytest.mark.django_db

MODELS = reverse("admin:catalog_languagemodel_changelist")
OFFERINGS = reverse("admin:catalog_offering_changelist")
PRICES = reverse("admin:catalog_price_changelist")
WORKBENCH = reverse("admin:catalog_offering_workbench")
REVIEW = reverse("admin:catalog_draftmodel_changelist")


def listed(response) -> list[str]:
    assert response.status_code == 200
    return [str(row) for row in response.context["cl"].result_list]


@pytest.fixture
def gemini():
    """Gemini on three hosts (each id says "gemini"), Claude on one, with an alias."""
    model = LanguageModelFactory(name="Gemini 2.5 Pro")
    hosts = [ProviderFactory(name=name) for name in ("Vertex AI", "OpenRouter", "Requesty")]
    for host in hosts:
        offering = offer(model, host, input="1.25", output="10")
        offering.provider_model_id = f"{host.slug}/gemini-2.5-pro"
        offering.save()
    claude = LanguageModelFactory(name="Claude Sonnet 4.5")
    bedrock = offer(claude, ProviderFactory(name="Bedrock"), input="3", output="15")
    OfferingAlias.objects.create(offering=bedrock, alias="global.anthropic.sonnet-latest")
    OfferingAlias.objects.create(offering=bedrock, alias="us.anthropic.sonnet-latest")
    return model


def test_a_model_found_by_its_offerings_ids_is_listed_once(editor_client, gemini):
    response = editor_client.get(MODELS, {"q": "gemini-2.5"})
    assert listed(response) == ["Gemini 2.5 Pro"]
    assert response.context["cl"].result_count == 1


def test_an_offering_found_by_two_of_its_aliases_is_listed_once(editor_client, gemini):
    assert listed(editor_client.get(OFFERINGS, {"q": "sonnet-latest"})) == [
        "Claude Sonnet 4.5 on Bedrock"
    ]


def test_every_word_of_a_search_must_match_somewhere(editor_client, gemini):
    # The model's name and the provider's name, in either order.
    assert listed(editor_client.get(OFFERINGS, {"q": "vertex gemini"})) == [
        "Gemini 2.5 Pro on Vertex AI"
    ]
    assert listed(editor_client.get(OFFERINGS, {"q": "vertex claude"})) == []
    # A quoted phrase is one word.
    assert listed(editor_client.get(MODELS, {"q": '"sonnet 4.5"'})) == ["Claude Sonnet 4.5"]
    assert listed(editor_client.get(MODELS, {"q": '"4.5 sonnet"'})) == []


def test_the_price_list_finds_prices_by_model_or_provider(editor_client, gemini):
    def offerings(query):
        response = editor_client.get(PRICES, {"q": query})
        assert response.status_code == 200
        return sorted(str(price.offering) for price in response.context["cl"].result_list)

    assert offerings("bedrock") == ["Claude Sonnet 4.5 on Bedrock"]
    assert offerings("gemini ai") == ["Gemini 2.5 Pro on Vertex AI"]
    assert len(offerings("gemini")) == 3


def test_a_search_reads_the_list_without_joining_or_removing_duplicates(editor_client, gemini):
    with CaptureQueriesContext(connection) as queries:
        editor_client.get(OFFERINGS, {"q": "sonnet-latest"})
    sql = " ".join(q["sql"] for q in queries.captured_queries).upper()
    assert "DISTINCT" not in sql
    assert 'JOIN "CATALOG_OFFERINGALIAS"' not in sql


def test_the_autocomplete_finds_an_offering_by_its_alias(editor_client, gemini):
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "us.anthropic",
            "app_label": "catalog",
            "model_name": "price",
            "field_name": "offering",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == ["Claude Sonnet 4.5 on Bedrock"]


def test_the_offered_by_filter_lists_the_models_on_a_provider(editor_client, gemini):
    bedrock = Offering.objects.get(provider__name="Bedrock").provider
    response = editor_client.get(MODELS, {"offered_by": bedrock.pk})
    assert listed(response) == ["Claude Sonnet 4.5"]
    filters = response.content.decode()
    assert "offered by" in filters and "Requesty" in filters
    assert listed(editor_client.get(MODELS, {"offered_by": "nonsense"})) == []


def test_the_workbench_lists_models_as_a_filter_only_once_one_is_chosen(editor_client, gemini):
    claude = LanguageModel.objects.get(name="Claude Sonnet 4.5")
    page = editor_client.get(WORKBENCH)
    titles = [spec.title for spec in page.context["cl"].filter_specs]
    assert "model" not in titles  # every model of the catalog: the search finds one faster
    chosen = editor_client.get(WORKBENCH, {"model__id__exact": claude.pk})
    spec = next(s for s in chosen.context["cl"].filter_specs if s.title == "model")
    assert [label for _pk, label in spec.lookup_choices] == ["Claude Sonnet 4.5"]
    assert [str(row.offering) for row in chosen.context["rows"]] == ["Claude Sonnet 4.5 on Bedrock"]


def test_the_review_queue_filters_drafts_by_source(editor_client, gemini):
    both = LanguageModelFactory(name="Proposed A", status=LanguageModel.Status.DRAFT)
    one = LanguageModelFactory(name="Proposed B", status=LanguageModel.Status.DRAFT)
    for source in ("openrouter", "models-dev"):
        ModelEvidence.objects.create(model=both, source=source)
    ModelEvidence.objects.create(model=one, source="openrouter")
    assert listed(editor_client.get(REVIEW, {"evidence__source": "openrouter"})) == [
        "Proposed A",
        "Proposed B",
    ]
    assert listed(editor_client.get(REVIEW, {"evidence__source": "models-dev"})) == ["Proposed A"]
    assert listed(editor_client.get(REVIEW, {"q": "proposed b"})) == ["Proposed B"]


def test_a_later_page_holds_the_rows_of_the_lists_order(gemini):
    rows = Offering.objects.select_related("model", "provider").order_by("-provider__name", "pk")
    paginator = KeysFirstPaginator(rows, 2)
    assert [list(paginator.page(n).object_list) for n in (1, 2)] == [
        list(rows[0:2]),
        list(rows[2:4]),
    ]
    assert paginator.count == 4


def test_the_model_list_pages_by_key_in_its_order(editor_client, gemini):
    provider = ProviderFactory(name="Many")
    per_page = admin.site._registry[LanguageModel].list_per_page
    for i in range(per_page + 1):  # more than a page
        offer(LanguageModelFactory(name=f"Bulk {i:03}"), provider)
    first = listed(editor_client.get(MODELS))
    second = listed(editor_client.get(MODELS, {"p": 2}))
    assert len(first) == per_page and first == sorted(first)
    assert second == sorted(second) and second[0] > first[-1]
    assert len(first) + len(second) == LanguageModel.objects.count()


class Attributes(HTMLParser):
    def handle_starttag(self, tag, attrs):
        self.tag, self.attrs = tag, dict(attrs)


def parsed(html: str) -> tuple[str, dict]:
    parser = Attributes()
    parser.feed(html)
    return parser.tag, parser.attrs


@pytest.mark.parametrize("value", [Decimal("1.250000"), Decimal("0"), None, "1.2x", '">'])
def test_a_price_cell_renders_as_djangos_input_template_would(value):
    widget = MoneyInput(attrs={"size": 8, "form": "row-1", "aria-label": 'Input for "A" & B'})
    attrs = {"id": "id_o1-input", "required": True, "disabled": False}
    ours = widget.render("o1-input", value, attrs)
    django = forms.TextInput.render(widget, "o1-input", value, attrs)
    assert parsed(ours) == parsed(django)
    assert parsed(ours)[1].get("value") == {Decimal("1.250000"): "1.25", None: None}.get(
        value, str(value)
    )


def admin_pages() -> list[str]:
    """Every registered changelist (and its search), the workbench, the busiest model's
    form and the offering form."""
    urls = [reverse("admin:index"), WORKBENCH, f"{WORKBENCH}?q=model+1"]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        urls.append(url)
        if model_admin.search_fields:
            urls.append(f"{url}?q=model+1")
    busiest = max(LanguageModel.objects.all(), key=lambda m: m.offerings.count())
    urls.append(reverse("admin:catalog_languagemodel_change", args=[busiest.pk]))
    offering = busiest.offerings.first()
    urls.append(reverse("admin:catalog_offering_change", args=[offering.pk]))
    return urls


# The most any admin page runs (session, user, filters' choices, count, page keys,
# rows, prefetches, the form's inlines); the same at both sizes below.
ADMIN_PAGE_CAP = 12


@pytest.mark.parametrize(("models", "offerings"), [(6, 20), (150, 1500)])
def test_every_admin_page_runs_bounded_queries_whatever_the_catalogs_size(
    admin_client, django_assert_max_num_queries, models, offerings
):
    build_synthetic_catalog(models=models, providers=10, offerings=offerings)
    LanguageModel.objects.filter(slug__endswith="1").update(
        last_reviewed=timezone.localdate(), status=LanguageModel.Status.DRAFT
    )
    for url in admin_pages():
        with django_assert_max_num_queries(ADMIN_PAGE_CAP):
            assert admin_client.get(url).status_code == 200, url


def test_a_row_checkbox_is_djangos_own_markup(gemini):
    price_admin = admin.site._registry[Price]
    price = Price.objects.select_related("offering__model", "offering__provider").first()
    ours = price_admin.action_checkbox(price)
    assert parsed(ours) == parsed(admin.ModelAdmin.action_checkbox(price_admin, price))
    assert parsed(ours)[1]["value"] == str(price.pk)
