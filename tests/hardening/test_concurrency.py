"""Two editors saving the same record from forms opened at the same time: the first save
wins, the second is refused with a message and saves nothing, and the history has the
first change."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from catalog.admin.concurrency import VERSION_FIELD
from catalog.models import LanguageModel, Offering, Price, Provider
from tests.admin_forms import change_form_data
from tests.factories import LanguageModelFactory, PriceFactory, ProviderFactory, editor_group, offer

pytestmark = pytest.mark.django_db

CONFLICT = "Someone else saved this"


@pytest.fixture
def second_editor_client(django_user_model):
    user = django_user_model.objects.create_user(
        username="otto", password="another long passphrase", is_staff=True
    )
    user.groups.add(editor_group())
    client = Client()
    client.force_login(user)
    return client


def without_blank_rows(data: dict) -> dict:
    """Drop the empty "add another" inline rows, as a browser leaves them untouched."""
    for key in [k for k in data if k.endswith("-TOTAL_FORMS")]:
        data[key] = data[key.replace("TOTAL", "INITIAL")]
    return data


def race(url, first_client, second_client, first: dict, second: dict):
    """Both editors open `url`; the first saves `first`, then the second, from the form
    it opened before that save, submits `second`. Returns the second answer."""
    edith, otto = open_both(url, first_client, second_client)
    assert first_client.post(url, {**edith, **first}).status_code == 302
    return second_client.post(url, {**otto, **second})


def open_both(url, first, second):
    return (
        without_blank_rows(change_form_data(first.get(url))),
        without_blank_rows(change_form_data(second.get(url))),
    )


def test_the_second_stale_save_of_a_model_is_refused_and_changes_nothing(
    editor_client, second_editor_client
):
    model = LanguageModelFactory(name="Claude Opus 5", context_window=200_000)
    url = reverse("admin:catalog_languagemodel_change", args=[model.pk])
    edith, otto = open_both(url, editor_client, second_editor_client)
    assert edith[VERSION_FIELD]

    edith["context_window"] = "1000000"
    assert editor_client.post(url, edith).status_code == 302

    otto["description"] = "Otto's note"
    response = second_editor_client.post(url, otto)
    assert response.status_code == 200
    text = response.content.decode()
    assert CONFLICT in text and "edith" in text

    model.refresh_from_db()
    assert model.context_window == 1_000_000  # Edith's change stands
    assert model.description == ""  # Otto's was not saved
    history = list(model.history.order_by("history_date"))
    assert [h.history_user.username for h in history[1:]] == ["edith"]
    assert history[-1].context_window == 1_000_000


def test_a_fresh_form_after_the_conflict_saves(editor_client, second_editor_client):
    model = LanguageModelFactory(name="Claude Sonnet 5")
    url = reverse("admin:catalog_languagemodel_change", args=[model.pk])
    edith, _ = open_both(url, editor_client, second_editor_client)
    edith["description"] = "first"
    assert editor_client.post(url, edith).status_code == 302

    otto = change_form_data(second_editor_client.get(url))
    otto["description"] = "second, having seen the first"
    assert second_editor_client.post(url, otto).status_code == 302
    model.refresh_from_db()
    assert model.description == "second, having seen the first"


def test_a_stale_price_on_the_model_page_does_not_overwrite_a_newer_one(
    editor_client, second_editor_client
):
    model = LanguageModelFactory(name="Gemini 3 Pro")
    offering = offer(model, ProviderFactory(name="Vertex AI"), input="2", output="12")
    url = reverse("admin:catalog_languagemodel_change", args=[model.pk])
    response = race(
        url,
        editor_client,
        second_editor_client,
        {"offerings-0-input": "1.75"},
        {"offerings-0-output": "10"},
    )
    assert response.status_code == 200
    assert CONFLICT in response.content.decode()

    offering.refresh_from_db()
    assert offering.current_price.input == Decimal("1.75")
    assert offering.current_price.output == Decimal("12")


def test_the_second_stale_save_of_an_offering_is_refused(editor_client, second_editor_client):
    offering = offer(LanguageModelFactory(), ProviderFactory(name="Bedrock"))
    url = reverse("admin:catalog_offering_change", args=[offering.pk])
    response = race(
        url,
        editor_client,
        second_editor_client,
        {"provider_model_id": "edith-id"},
        {"url": "https://example.com/otto"},
    )
    assert response.status_code == 200 and CONFLICT in response.content.decode()
    offering.refresh_from_db()
    assert (offering.provider_model_id, offering.url) == ("edith-id", "")
    assert Offering.history.filter(id=offering.pk).count() == 2


def test_a_stale_price_row_on_the_offering_page_is_refused(editor_client, second_editor_client):
    price = PriceFactory(input=Decimal("3"), output=Decimal("15"))
    url = reverse("admin:catalog_offering_change", args=[price.offering.pk])
    response = race(
        url,
        editor_client,
        second_editor_client,
        {"prices-0-source_url": "https://example.com/edith"},
        {"prices-0-input": "2.5"},
    )
    assert response.status_code == 200 and CONFLICT in response.content.decode()
    price.refresh_from_db()
    assert (price.input, price.source_url) == (Decimal("3"), "https://example.com/edith")


def test_the_second_stale_save_of_a_price_is_refused(editor_client, second_editor_client):
    price = PriceFactory(input=Decimal("3"), output=Decimal("15"))
    url = reverse("admin:catalog_price_change", args=[price.pk])
    response = race(
        url,
        editor_client,
        second_editor_client,
        {"output": "14"},
        {"input": "2.5"},
    )
    assert response.status_code == 200 and CONFLICT in response.content.decode()
    price.refresh_from_db()
    assert (price.input, price.output) == (Decimal("3"), Decimal("14"))
    assert Price.history.filter(id=price.pk).count() == 2


def test_the_second_stale_save_of_a_provider_is_refused(editor_client, second_editor_client):
    provider = ProviderFactory(name="Fireworks")
    url = reverse("admin:catalog_provider_change", args=[provider.pk])
    response = race(
        url,
        editor_client,
        second_editor_client,
        {"kind": Provider.Kind.INFERENCE},
        {"url": "https://otto.example.com/"},
    )
    assert response.status_code == 200 and CONFLICT in response.content.decode()
    provider.refresh_from_db()
    assert provider.kind == Provider.Kind.INFERENCE
    assert provider.url == "https://fireworks.example.com/"


def test_a_form_without_its_version_is_refused(editor_client):
    model = LanguageModelFactory(name="Llama 5")
    url = reverse("admin:catalog_languagemodel_change", args=[model.pk])
    data = change_form_data(editor_client.get(url))
    del data[VERSION_FIELD]
    data["description"] = "blind write"
    response = editor_client.post(url, data)
    assert response.status_code == 200 and CONFLICT in response.content.decode()
    assert LanguageModel.objects.get(pk=model.pk).description == ""


def test_adding_a_record_needs_no_version(editor_client):
    response = editor_client.post(
        reverse("admin:catalog_provider_add"),
        {"name": "Cerebras", "slug": "cerebras", "kind": Provider.Kind.INFERENCE, "url": ""},
    )
    assert response.status_code == 302
    assert Provider.objects.filter(slug="cerebras").exists()


def test_the_version_travels_in_hidden_inputs_of_the_page_and_its_rows(editor_client):
    model = LanguageModelFactory(name="Qwen 4")
    offer(model, ProviderFactory(name="Alibaba Cloud"))
    html = editor_client.get(
        reverse("admin:catalog_languagemodel_change", args=[model.pk])
    ).content.decode()
    assert f'type="hidden" name="{VERSION_FIELD}"' in html
    assert f'type="hidden" name="offerings-0-{VERSION_FIELD}"' in html


def test_a_read_only_page_does_not_show_the_version(client, django_user_model):
    viewer = django_user_model.objects.create_user(username="vera", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_provider"))
    client.force_login(viewer)
    provider = ProviderFactory(name="Nebius")
    html = client.get(reverse("admin:catalog_provider_change", args=[provider.pk])).content
    assert b"Nebius" in html
    assert VERSION_FIELD.encode() not in html
    assert b"Version seen" not in html


def test_reverting_to_an_old_version_is_refused_after_a_newer_save(editor_client):
    """django-simple-history's revert page builds its form on the old version; the
    version it must match is still the record as the editor last saw it."""
    provider = ProviderFactory(name="Acme", url="https://acme.example")
    provider.name = "Acme Cloud"
    provider.save()
    first = provider.history.earliest("history_date")
    url = reverse("admin:catalog_provider_simple_history", args=[provider.pk, first.pk])
    page = editor_client.get(url)
    assert page.status_code == 200
    revert = change_form_data(page)
    assert revert["name"] == "Acme" and revert[VERSION_FIELD]

    provider.name = "Acme AI"  # someone saves while the revert page is open
    provider.save()
    response = editor_client.post(url, revert)
    assert response.status_code == 200
    assert CONFLICT in response.content.decode()
    provider.refresh_from_db()
    assert provider.name == "Acme AI"

    fresh = change_form_data(editor_client.get(url))  # opened again: the revert goes through
    assert editor_client.post(url, fresh).status_code == 302
    provider.refresh_from_db()
    assert provider.name == "Acme"


def test_only_editors_who_may_change_a_record_may_revert_it(django_user_model):
    provider = ProviderFactory(name="Acme")
    provider.name = "Acme Cloud"
    provider.save()
    viewer = django_user_model.objects.create_user(username="vera", password="x", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_provider"))
    client = Client()
    client.force_login(viewer)
    first = provider.history.earliest("history_date")
    url = reverse("admin:catalog_provider_simple_history", args=[provider.pk, first.pk])
    data = {"name": "Acme", "slug": provider.slug, "kind": provider.kind, "url": ""}
    assert client.post(url, data).status_code == 403
    provider.refresh_from_db()
    assert provider.name == "Acme Cloud"


def test_a_deleted_record_can_still_be_restored_from_its_history(editor_client):
    provider = ProviderFactory(name="Acme")
    pk = provider.pk
    provider.delete()
    last = Provider.history.filter(id=pk).earliest("history_date")
    url = reverse("admin:catalog_provider_simple_history", args=[pk, last.pk])
    page = editor_client.get(url)
    assert page.status_code == 200
    assert editor_client.post(url, change_form_data(page)).status_code == 302
    assert Provider.objects.get(pk=pk).name == "Acme"
