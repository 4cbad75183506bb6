"""The admin import: upload -> preview -> confirm, export, permissions, review status."""

import csv
import io
import zipfile
from datetime import date, timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog.models import ImportJob, LanguageModel, Offering, Price
from tests.catalog import import_fixtures
from tests.catalog.import_fixtures import HEADER
from tests.factories import LanguageModelFactory, OfferingFactory, ProviderFactory, editor_group

pytestmark = pytest.mark.django_db
small_catalog = import_fixtures.small_catalog


@pytest.fixture(autouse=True)
def _staging_in_tmp(settings, tmp_path):
    settings.IMPORT_STAGING_DIR = str(tmp_path / "staging")


IMPORT_URL = reverse("admin:catalog_offering_import")
CHANGE = "openai,gpt-4o,gpt-4o,standard,0,2.00,8.00,1.25,,,\n"


def upload(client, body: str, fmt="csv", name="prices.csv", **fields):
    """The upload and the job page it leads to (its preview: tasks run at once here)."""
    return client.post(
        IMPORT_URL,
        {"format": fmt, "file": SimpleUploadedFile(name, body.encode(), "text/csv"), **fields},
        follow=True,
    )


def confirm(client, preview, **fields):
    """Apply the job the preview page shows; the job page with its report."""
    return client.post(
        reverse("admin:catalog_offering_import_job", args=[preview.context["job"].pk]),
        {"confirm": "1", "fingerprint": preview.context["preview"]["fingerprint"], **fields},
        follow=True,
    )


def test_editor_uploads_previews_and_confirms(editor_client, small_catalog, editor):
    preview = upload(editor_client, HEADER + CHANGE)
    assert preview.status_code == 200
    assert preview.context["counts"]["changed"] == 1
    html = preview.content.decode()
    assert "$2.50" in html and "$2" in html and "−20%" in html
    assert Price.objects.count() == 1  # preview writes nothing

    response = confirm(editor_client, preview)
    assert response.status_code == 200
    assert "Imported: 0 offerings created, 1 price recorded." in response.content.decode()
    offering = small_catalog["offering"]
    offering.refresh_from_db()
    assert offering.current_price.input == Decimal("2")
    assert Price.history.latest("history_date").history_user == editor
    # Confirming twice does not import twice.
    again = confirm(editor_client, preview)
    assert "already being applied, or was applied" in again.content.decode()
    assert Price.objects.count() == 2


def test_preview_with_a_bad_row_has_no_apply_button_and_names_the_row(editor_client, small_catalog):
    preview = upload(editor_client, HEADER + CHANGE + "openai,gpt-4o,,batch,0,abc,1,,,,\n")
    html = unescape(preview.content.decode())
    assert "line 3" in html and "'abc' is not a number" in html
    assert 'name="confirm"' not in html
    # Even a forged confirm writes nothing.
    response = confirm(editor_client, preview)
    assert Price.objects.count() == 1
    assert "Nothing imported" in response.content.decode()


def test_confirm_after_the_catalog_moved_shows_a_fresh_preview(editor_client, small_catalog):
    preview = upload(editor_client, HEADER + CHANGE)
    Price.objects.filter(offering=small_catalog["offering"]).update(input=Decimal("2.00"))
    response = confirm(editor_client, preview)
    assert response.status_code == 200
    assert response.context["preview"]["moved"] is True
    assert "The catalog changed since this preview" in response.content.decode()
    assert Price.objects.count() == 1


@pytest.mark.parametrize(
    ("fmt", "body", "message"),
    [
        ("openrouter", "{broken", "Not valid JSON"),
        ("litellm", '["a list"]', "Not a LiteLLM price file"),
        ("csv", "name,price\nx,1\n", "header lacks"),
        # The content contradicts the choice (catalog.importers.detect).
        ("litellm", '{"data": []}', "looks like OpenRouter&#x27;s models JSON"),
        ("csv", '{"data": []}', "looks like OpenRouter&#x27;s models JSON, not our price CSV"),
        ("models-dev", "not a zip", "must be a .zip"),
    ],
)
def test_malformed_upload_gets_a_clear_message(editor_client, small_catalog, fmt, body, message):
    response = upload(editor_client, body, fmt=fmt)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Nothing was imported" in response.content.decode()
    assert Price.objects.count() == 1


def test_oversized_upload_is_refused_before_parsing(editor_client, small_catalog, settings):
    settings.IMPORT_MAX_BYTES = 100
    response = upload(editor_client, HEADER + CHANGE * 5)
    assert "imports are limited to 0.0 MB" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_models_dev_zip_upload(editor_client, small_catalog):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        bundle.writestr(
            "models.dev/providers/openai/models/gpt-4o-mini.toml",
            'name = "GPT-4o mini"\n[cost]\ninput = 0.15\noutput = 0.6\n',
        )
        bundle.writestr("models.dev/providers/openai/provider.toml", 'name = "OpenAI"\n')
    response = editor_client.post(
        IMPORT_URL,
        {"format": "models-dev", "file": SimpleUploadedFile("tree.zip", buffer.getvalue())},
        follow=True,
    )
    assert response.context["counts"]["new_offerings"] == 1
    confirm(editor_client, response)
    mini = Offering.objects.get(model=small_catalog["mini"])
    assert mini.current_price.output == Decimal("0.6")


def test_zip_with_a_path_outside_the_folder_is_refused(editor_client, small_catalog):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        bundle.writestr("../../evil.toml", "x = 1\n")
    response = editor_client.post(
        IMPORT_URL,
        {"format": "models-dev", "file": SimpleUploadedFile("tree.zip", buffer.getvalue())},
    )
    assert "Unsafe path in the zip" in response.content.decode()


def test_staff_without_the_import_permission_cannot_import(client, django_user_model):
    user = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    client.force_login(user)
    assert client.get(IMPORT_URL).status_code == 403


def test_editor_group_has_import_permission_and_nothing_about_people():
    group = editor_group()
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert "can_import_prices" in codenames
    assert not {c for c in codenames if c.endswith(("_user", "_group", "_permission"))}
    assert "delete_price" not in codenames


def test_export_action_writes_the_selection(editor_client, small_catalog):
    other = OfferingFactory(model=small_catalog["mini"], provider=small_catalog["openrouter"])
    response = editor_client.post(
        reverse("admin:catalog_offering_changelist"),
        {"action": "export_selected_as_csv", "_selected_action": [small_catalog["offering"].pk]},
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["provider"], r["provider_model_id"], r["input"]) for r in rows] == [
        ("openai", "gpt-4o", "2.5")
    ]
    assert other.pk  # not selected, not exported


def test_export_all_link(editor_client, small_catalog):
    response = editor_client.get(reverse("admin:catalog_offering_export"))
    assert response.status_code == 200
    assert "openai,gpt-4o,gpt-4o,standard,0,2.5,10,1.25" in response.content.decode()


def test_offering_changelist_links_import_export_and_changes(editor_client, small_catalog):
    html = editor_client.get(reverse("admin:catalog_offering_changelist")).content.decode()
    assert IMPORT_URL in html
    assert reverse("admin:catalog_offering_export") in html
    assert reverse("admin:catalog_price_recent_changes") in html


# --- staleness -------------------------------------------------------------------


@pytest.fixture
def mixed_review_dates(settings):
    settings.CATALOG_STALE_AFTER_DAYS = 30
    today = date.today()
    fresh = LanguageModelFactory(name="Fresh", last_reviewed=today - timedelta(days=30))
    old = LanguageModelFactory(name="Old", last_reviewed=today - timedelta(days=31))
    never = LanguageModelFactory(name="Never", last_reviewed=None)
    OfferingFactory(model=fresh, last_reviewed=None)
    return {"fresh": fresh, "old": old, "never": never}


def test_admin_index_counts_stale_models_and_offerings(editor_client, mixed_review_dates):
    response = editor_client.get(reverse("admin:index"))
    html = response.content.decode()
    assert "Stale: not reviewed for 30 days" in html
    cell = '</a></th><td class="stale-count">'
    assert f'href="/admin/catalog/languagemodel/?stale=yes">Stale models{cell}2<' in html
    assert f'href="/admin/catalog/offering/?stale=yes">Stale offerings{cell}1<' in html


def test_stale_filter_lists_exactly_the_stale_models(editor_client, mixed_review_dates):
    response = editor_client.get(reverse("admin:catalog_languagemodel_changelist") + "?stale=yes")
    names = {m.name for m in response.context["cl"].result_list}
    assert names == {"Old", "Never"}


def test_mark_reviewed_today_action_sets_the_date(editor_client, mixed_review_dates):
    old, never = mixed_review_dates["old"], mixed_review_dates["never"]
    response = editor_client.post(
        reverse("admin:catalog_languagemodel_changelist"),
        {"action": "mark_reviewed_today", "_selected_action": [old.pk, never.pk]},
        follow=True,
    )
    assert "Marked 2 records reviewed today." in response.content.decode()
    assert set(
        LanguageModel.objects.filter(pk__in=[old.pk, never.pk]).values_list(
            "last_reviewed", flat=True
        )
    ) == {date.today()}
    assert mixed_review_dates["fresh"].last_reviewed == date.today() - timedelta(days=30)
    assert old.history.latest().history_user.username == "edith"


def test_admin_index_query_count_does_not_grow(
    editor_client, mixed_review_dates, django_assert_max_num_queries
):
    for _ in range(10):
        OfferingFactory(last_reviewed=None)
    with django_assert_max_num_queries(12):
        editor_client.get(reverse("admin:index"))


def test_preview_query_count_does_not_grow_with_the_file(
    editor_client, small_catalog, django_assert_max_num_queries
):
    provider = small_catalog["openai"]
    lines = []
    for n in range(20):
        model = LanguageModelFactory()
        OfferingFactory(model=model, provider=provider, provider_model_id=f"m-{n}")
        lines.append(f"openai,m-{n},,standard,0,{n + 1},{n + 2},,,,\n")
        lines.append(f"openai,unknown-{n},,standard,0,1,2,,,,\n")
    file = SimpleUploadedFile("prices.csv", (HEADER + "".join(lines)).encode())
    # The upload and its preview task (run at once here): the same bound as when the
    # request planned the file itself.
    with django_assert_max_num_queries(15):
        posted = editor_client.post(IMPORT_URL, {"format": "csv", "file": file})
    with django_assert_max_num_queries(5):
        response = editor_client.get(posted["Location"])
    assert response.context["counts"]["changed"] == 20  # priced for the first time
    assert response.context["counts"]["unmatched"] == 20


def test_real_litellm_file_previews_in_the_admin(editor_client, small_catalog):
    path = import_fixtures.data_path("litellm", "model_prices_and_context_window.json")
    response = editor_client.post(
        IMPORT_URL,
        {
            "format": "litellm",
            "file": SimpleUploadedFile(path.name, path.read_bytes(), "application/json"),
        },
        follow=True,
    )
    assert response.status_code == 200
    counts = response.context["counts"]
    # GPT-4o's standard price is current; LiteLLM adds its batch and priority tiers.
    assert (counts["changed"], counts["unchanged"], counts["errors"]) == (2, 1, 0)
    assert counts["unmatched"] > 2000
    assert 'name="confirm"' in response.content.decode()


def test_an_upload_with_add_new_previews_and_creates_drafts_for_review(editor_client, editor):
    """The admin's "Also propose models we do not carry": the preview lists the proposed
    models, confirming creates them as drafts, and the editor lands on the review queue."""
    ProviderFactory(slug="openrouter", name="OpenRouter", kind="aggregator")
    body = (
        '{"data": [{"id": "acme/rocket-1", "name": "Acme: Rocket 1", "created": 1780000000,'
        ' "context_length": 64000, "architecture": {"input_modalities": ["text"],'
        ' "output_modalities": ["text"]}, "pricing": {"prompt": "0.000001",'
        ' "completion": "0.000002"}}]}'
    )
    preview = upload(editor_client, body, fmt="openrouter", name="models.json", add_new="on")
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "New from sources (1 models, as drafts)" in html and "Rocket 1" in html
    assert not LanguageModel.objects.exists()  # the preview writes nothing
    response = confirm(editor_client, preview)
    html = response.content.decode()
    assert "New from sources: 1 new models (drafts)" in html
    assert reverse("admin:catalog_draftmodel_changelist") in html
    draft = LanguageModel.objects.get(name="Rocket 1")
    assert draft.status == "draft" and draft.organization.name == "Acme"
    offering = draft.offerings.get()
    assert offering.provider.slug == "openrouter"
    assert offering.current_price.input == Decimal("1")
    assert draft.history.first().history_user == editor
