"""The review queue, "New from sources", as an editor uses it."""

from datetime import date

import pytest
from django.urls import reverse

from catalog.importers.additions import build_additions
from catalog.importers.source import ModelFacts, ParsedSource, SourceRow
from catalog.models import LanguageModel, ModelAlias, ModelEvidence, OfferingAlias, RejectedModel
from tests.factories import LanguageModelFactory, OfferingFactory, PriceFactory, ProviderFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:catalog_draftmodel_changelist")


@pytest.fixture
def draft():
    model = LanguageModelFactory(name="Nova Ultra", slug="nova-ultra", status="draft")
    ModelEvidence.objects.create(
        model=model,
        source="openrouter",
        as_of=date(2026, 7, 2),
        facts={"name": "Nova Ultra", "context_window": 300_000},
    )
    ModelEvidence.objects.create(
        model=model,
        source="models-dev-canonical",
        as_of=date(2026, 6, 30),
        facts={"name": "Nova Ultra", "context_window": 256_000},
    )
    ModelAlias.objects.create(model=model, key="nova-ultra-v1", source="openrouter")
    offering = OfferingFactory(model=model, provider_model_id="amazon/nova-ultra-v1")
    PriceFactory(offering=offering)
    return model


def test_the_queue_lists_only_drafts_beside_what_each_source_said(
    editor_client, draft, django_assert_max_num_queries
):
    LanguageModelFactory(name="Published One", status="published")
    with django_assert_max_num_queries(12):
        page = editor_client.get(QUEUE)
    text = page.content.decode()
    assert "Nova Ultra" in text and "Published One" not in text
    detail = editor_client.get(reverse("admin:catalog_draftmodel_change", args=[draft.pk]))
    body = detail.content.decode()
    # Each source's figure, dated, next to the proposed record.
    assert "openrouter" in body and "models-dev-canonical" in body
    assert "300000" in body and "256000" in body
    assert "as of 2026-07-02" in body


def test_publishing_from_the_queue_puts_the_model_live(editor_client, client, draft):
    response = editor_client.post(
        QUEUE, {"action": "publish_selected", "_selected_action": [draft.pk]}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_published
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_a_rejection_is_remembered_and_the_source_does_not_propose_it_again(
    editor_client, editor, draft
):
    editor_client.post(QUEUE, {"action": "reject_selected", "_selected_action": [draft.pk]})
    assert not LanguageModel.objects.filter(slug="nova-ultra").exists()
    rejected = RejectedModel.objects.get(key="nova-ultra")
    assert rejected.rejected_by == editor
    assert RejectedModel.objects.filter(key="nova-ultra-v1").exists()

    provider = ProviderFactory(slug="openrouter", name="OpenRouter")
    row = SourceRow(
        ref="data[0]",
        provider="openrouter",
        provider_model_id="amazon/nova-ultra",
        model_name="Nova Ultra",
        input=1,
        output=2,
        context_window=300_000,
        facts=ModelFacts(name="Nova Ultra", organization="amazon", context_window=300_000),
    )
    additions = build_additions(
        ParsedSource(format="openrouter", rows=[row], as_of=date(2026, 7, 2))
    )
    assert provider.slug == "openrouter" and additions.models == []


def test_merging_a_draft_makes_its_ids_aliases_of_the_model_we_carry(editor_client, draft):
    carried = LanguageModelFactory(name="Nova Ultra 1.0", slug="nova-ultra-1-0")
    same_provider = draft.offerings.get().provider
    kept = OfferingFactory(model=carried, provider=same_provider, provider_model_id="nova-ultra")
    start = editor_client.post(QUEUE, {"action": "merge_selected", "_selected_action": [draft.pk]})
    assert start.status_code == 302
    form = editor_client.get(start["Location"])
    assert "Merge into a model we carry" in form.content.decode()
    done = editor_client.post(
        reverse("admin:catalog_draftmodel_merge"), {"ids": str(draft.pk), "into": carried.pk}
    )
    assert done.status_code == 302
    assert not LanguageModel.objects.filter(pk=draft.pk).exists()
    assert set(carried.aliases.values_list("key", flat=True)) == {"nova-ultra", "nova-ultra-v1"}
    assert OfferingAlias.objects.filter(offering=kept, alias="amazon/nova-ultra-v1").exists()
    assert carried.evidence.count() == 2


def test_a_merge_without_a_target_says_so_and_changes_nothing(editor_client, draft):
    response = editor_client.post(
        reverse("admin:catalog_draftmodel_merge"), {"ids": str(draft.pk), "into": ""}
    )
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert LanguageModel.objects.filter(pk=draft.pk).exists()
