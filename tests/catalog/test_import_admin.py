"""The admin import: upload -> preview -> confirm, export, permissions, review status."""

import csv
import io
import re
import zipfile
from datetime import date, timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog.formatting import format_date
from catalog.importers import jobs
from catalog.models import ImportJob, LanguageModel, Offering, Price
from tests.catalog import import_fixtures
from tests.catalog.import_fixtures import HEADER
from tests.factories import LanguageModelFactory, OfferingFactory, ProviderFactory, editor_group
from tests.html import Page

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


def test_an_upload_with_add_new_previews_and_creates_drafts_for_review(
    editor_client, editor, django_assert_max_num_queries
):
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
    # The result page links to the draft waiting in the review queue.
    drafts = Page(html).table("New models waiting for review in New from sources (1)")
    assert drafts["rows"] == [["Rocket 1", "Acme", "openrouter", "Review Rocket 1"]]
    review = reverse("admin:catalog_draftmodel_change", args=[draft.pk])
    assert links(html, "draft") == [review]
    assert editor_client.get(review).status_code == 200
    with django_assert_max_num_queries(6):  # as for prices: one query for the drafts
        editor_client.get(job_page(preview.context["job"]))
    assert 'id="import-changes"' not in html  # the draft's own prices are in the queue
    assert draft.status == "draft" and draft.organization.name == "Acme"
    offering = draft.offerings.get()
    assert offering.provider.slug == "openrouter"
    assert offering.current_price.input == Decimal("1")
    assert draft.history.first().history_user == editor


# --- warnings only about rows the import would change ----------------------------------


def openrouter_json(*entries: tuple[str, str, str]) -> str:
    """OpenRouter's models JSON with (id, prompt, completion) per-token prices."""
    data = ",".join(
        f'{{"id": "{model_id}", "name": "{model_id}", "pricing": {{"prompt": "{prompt}",'
        f' "completion": "{completion}"}}}}'
        for model_id, prompt, completion in entries
    )
    return f'{{"data": [{data}]}}'


# A per-token price with float noise: $0.0833333.../1M, stored rounded to $0.083333.
NOISY = "0.00000008333333333333334"
ROUNDED = "pricing.prompt: 0.08333333333333334 rounded to 0.083333 (six decimals per 1M)."


def test_a_rounding_warning_is_shown_only_for_the_row_whose_price_would_change(
    editor_client,
):
    """Three rows whose input price is rounded: one matches our price already, one is a
    model we do not track, one changes our price. Only the last is worth checking."""
    openrouter = ProviderFactory(slug="openrouter", name="OpenRouter", kind="aggregator")
    for slug, input_price in (("same", "0.083333"), ("cheaper", "0.05")):
        model = LanguageModelFactory(name=f"Acme {slug.title()}", slug=f"acme-{slug}")
        import_fixtures.priced_offering(model, openrouter, f"acme/{slug}", input_price, "1")
    body = openrouter_json(
        ("acme/same", NOISY, "0.000001"),
        ("acme/untracked", NOISY, "0.000001"),
        ("acme/cheaper", NOISY, "0.000001"),
    )
    preview = upload(editor_client, body, fmt="openrouter", name="models.json")

    shown = preview.context["preview"]
    assert shown["warnings"] == [{"ref": "data[2] (acme/cheaper)", "message": ROUNDED}]
    counts = preview.context["counts"]
    assert (counts["changed"], counts["unchanged"], counts["unmatched"]) == (1, 1, 1)
    assert (counts["warnings"], counts["quiet_warnings"]) == (1, 2)
    html = unescape(preview.content.decode())
    assert html.count("rounded to 0.083333") == 1
    assert (
        "1 row for models or providers the site does not track were skipped; 1 price "
        "already matches ours. Warnings are shown only for rows this import would create "
        "or change (2 warnings about other rows not shown)."
    ) in html


@pytest.mark.parametrize(("input_price", "warned"), [("2.50", False), ("2.00", True)])
def test_a_rows_warning_depends_on_whether_the_row_changes_a_price(
    editor_client, small_catalog, input_price, warned
):
    """The same row, a source URL that is not one (ignored, with a warning): with our
    price it changes nothing and says nothing; with another price it warns."""
    row = f"openai,gpt-4o,gpt-4o,standard,0,{input_price},10.00,1.25,,,not-a-url\n"
    preview = upload(editor_client, HEADER + row)
    warnings = preview.context["preview"]["warnings"]
    counts = preview.context["counts"]
    html = unescape(preview.content.decode())
    if warned:
        assert warnings == [
            {"ref": "line 2", "message": "source URL 'not-a-url' ignored: not a URL"}
        ]
        assert (counts["changed"], counts["quiet_warnings"]) == (1, 0)
        assert "source URL 'not-a-url' ignored" in html
    else:
        assert warnings == []
        assert (counts["unchanged"], counts["quiet_warnings"]) == (1, 1)
        assert "not-a-url" not in html
        assert "1 warning about other rows not shown" in html


def test_the_confirm_step_asks_to_check_only_prices_it_would_write(editor_client, small_catalog):
    """A zero output price is questioned before it is written, but not where ours is zero
    already and the row changes nothing."""
    openai, mini = small_catalog["openai"], small_catalog["mini"]
    import_fixtures.priced_offering(mini, openai, "gpt-4o-mini", "0.15", "0")
    body = (
        HEADER
        + "openai,gpt-4o-mini,,standard,0,0.15,0,,,,\n"  # as ours: unchanged
        + "openai,gpt-4o,,standard,0,2.50,0,1.25,,,\n"  # $10 -> $0: questioned
    )
    preview = upload(editor_client, body)
    plausibility = preview.context["preview"]["plausibility"]
    assert {p["ref"] for p in plausibility} == {"line 3"}
    assert any("a price of exactly zero" in p["message"] for p in plausibility)
    html = preview.content.decode()
    questioned = html.split('id="import-plausibility"')[1].split("</ul>")[0]
    assert 'name="confirm_warnings"' in html and "line 3" in questioned
    assert "line 2" not in questioned


def openrouter_offering(provider, name, model_id, input, output, **figures):
    figures = {key: Decimal(value) for key, value in figures.items()}
    model = LanguageModelFactory(name=name)
    return import_fixtures.priced_offering(model, provider, model_id, input, output, **figures)


def test_the_real_openrouter_file_warns_only_about_the_price_it_would_change(
    editor_client, shared_data
):
    """OpenRouter's listing rounds nine cache-write prices; the catalog tracks two of
    those models, one priced as the file says, one not: one warning, for the latter."""
    path = shared_data / "openrouter" / "models.json"
    openrouter = ProviderFactory(slug="openrouter", name="OpenRouter", kind="aggregator")
    openrouter_offering(
        openrouter, "Gemini 3.1 Flash Lite", "google/gemini-3.1-flash-lite", "0.25", "1.5",
        cache_read="0.025", cache_write="0.083333", audio_input="0.5", web_search="14",
        reasoning="1.5",
    )  # fmt: skip
    openrouter_offering(
        openrouter, "Gemini 2.5 Flash", "google/gemini-2.5-flash", "0.25", "2.5",
        cache_read="0.03", cache_write="0.083333", audio_input="1", web_search="14",
        reasoning="2.5",
    )  # fmt: skip
    preview = editor_client.post(
        IMPORT_URL,
        {"format": "detect", "file": SimpleUploadedFile(path.name, path.read_bytes())},
        follow=True,
    )
    assert preview.context["job"].format == "openrouter"
    counts = preview.context["counts"]
    assert (counts["new_offerings"], counts["changed"], counts["unchanged"]) == (0, 1, 1)
    assert counts["errors"] == 0 and counts["unmatched"] == 362
    rounding = "pricing.input_cache_write: 0.08333333333333334 rounded to 0.083333"
    assert [
        (w["ref"], w["message"][: len(rounding)]) for w in preview.context["preview"]["warnings"]
    ] == [("data[234] (google/gemini-2.5-flash)", rounding)]
    assert counts["quiet_warnings"] == 8  # the other eight rounded rows change nothing
    html = unescape(preview.content.decode())
    assert "362 rows for models or providers the site does not track were skipped" in html
    assert "gemini-3.1-flash-lite)" not in html.split('id="import-warnings"')[1].split("</ul>")[0]


# --- the result page after apply -----------------------------------------------------


def job_page(job) -> str:
    return reverse("admin:catalog_offering_import_job", args=[job.pk])


def links(html: str, kind: str) -> list[str]:
    return re.findall(rf'<a href="([^"]+)" class="import-{kind}-link">', html)


RESULT_BODY = (
    HEADER
    + CHANGE  # GPT-4o on OpenAI: $2.50 -> $2 input, $10 -> $8 output, cached input as ours
    + "openai,gpt-4o,,batch,0,1.25,5,,,,\n"  # a tier GPT-4o had no price in
    + "openai,gpt-4o-mini,gpt-4o-mini,standard,0,0.15,0.60,0.075,,,\n"  # a new offering
)


def test_the_result_page_lists_each_price_recorded_with_old_and_new_and_links(
    editor_client, small_catalog, django_assert_max_num_queries
):
    preview = upload(editor_client, RESULT_BODY)
    confirm(editor_client, preview)
    job = preview.context["job"]
    # session, user, the user's and the groups' permissions, the job, and which of the
    # offerings it names still exist: the same for 3 prices as for 500.
    with django_assert_max_num_queries(6):
        response = editor_client.get(job_page(job))
    html = response.content.decode()
    page = Page(html)
    assert page.text.count("Imported: 1 offering created, 3 prices recorded.") == 1
    table = page.table("Prices recorded (3)")
    assert table["head"] == ["Model", "Provider", "Change", "Old → new", "Links"]
    today = format_date(date.today())
    gpt4o, mini = "GPT-4o on OpenAI", "GPT-4o mini on OpenAI"
    assert table["rows"] == [
        [
            "GPT-4o mini",
            "OpenAI gpt-4o-mini",
            f"New offering from {today}",
            "Input $0.15 / 1M tokens Output $0.60 / 1M tokens Cached input $0.075 / 1M tokens",
            f"Offering: {mini} · Price history of {mini}",
        ],
        [
            "GPT-4o",
            "OpenAI gpt-4o",
            f"Price change from {today}",
            "Input $2.50 → $2 / 1M tokens Output $10 → $8 / 1M tokens",
            f"Offering: {gpt4o} · Price history of {gpt4o}",
        ],
        [
            "GPT-4o",
            "OpenAI gpt-4o",
            f"New price, Batch tier from {today}",
            "Input $1.25 / 1M tokens Output $5 / 1M tokens",
            f"Offering: {gpt4o} · Price history of {gpt4o}",
        ],
    ]
    assert '<th scope="row">GPT-4o mini</th>' in html  # each row is named by its model
    new = Offering.objects.get(model=small_catalog["mini"])
    old = small_catalog["offering"]
    assert links(html, "offering") == [
        reverse("admin:catalog_offering_change", args=[new.pk]),
        reverse("admin:catalog_offering_change", args=[old.pk]),
        reverse("admin:catalog_offering_change", args=[old.pk]),
    ]
    assert links(html, "history") == [
        reverse("admin:catalog_offering_history", args=[new.pk]),
        reverse("admin:catalog_offering_history", args=[old.pk]),
        reverse("admin:catalog_offering_history", args=[old.pk]),
    ]
    # The links lead to the offering and to its price history, which shows the change.
    assert editor_client.get(links(html, "offering")[1]).context["original"] == old
    history = editor_client.get(links(html, "history")[1]).content.decode()
    assert "$2.50" in history and "$2" in history


def test_the_result_page_says_what_the_apply_did_however_the_catalog_moves_later(
    editor_client, small_catalog
):
    preview = upload(editor_client, RESULT_BODY)
    confirm(editor_client, preview)
    offering = small_catalog["offering"]
    # Later: GPT-4o's price changes again and the new offering is deleted.
    Price.objects.filter(offering=offering, tier="standard").update(input=Decimal("1"))
    Offering.objects.filter(model=small_catalog["mini"]).delete()

    html = editor_client.get(job_page(preview.context["job"])).content.decode()
    rows = Page(html).table("Prices recorded")["rows"]
    assert rows[0][0] == "GPT-4o mini" and rows[0][-1] == "Deleted since"
    assert rows[1][3] == "Input $2.50 → $2 / 1M tokens Output $10 → $8 / 1M tokens"
    assert (
        links(html, "offering")
        == [
            reverse("admin:catalog_offering_change", args=[offering.pk]),
        ]
        * 2
    )


def test_the_result_page_lists_the_first_prices_and_counts_the_rest(
    editor_client, small_catalog, monkeypatch
):
    monkeypatch.setattr(jobs, "REPORT_LIMIT", 2)
    preview = upload(editor_client, RESULT_BODY)
    job = preview.context["job"]
    html = confirm(editor_client, preview).content.decode()
    job.refresh_from_db()
    assert (len(job.report["changes"]), job.report["changes_total"]) == (2, 3)
    page = Page(html)
    assert len(page.table("Prices recorded: the first 2 of 3")["rows"]) == 2
    assert "And 1 more, not listed here" in page.text
    assert reverse("admin:catalog_price_recent_changes") in html


def test_an_apply_that_changes_nothing_says_so(editor_client, small_catalog):
    """A file whose prices all match ours has no apply button; a forged confirm applies
    nothing and says so, rather than showing an empty table."""
    unchanged = "openai,gpt-4o,gpt-4o,standard,0,2.50,10.00,1.25,,,\n"
    preview = upload(editor_client, HEADER + unchanged)
    assert 'name="confirm"' not in preview.content.decode()
    response = confirm(editor_client, preview)
    html = response.content.decode()
    assert "Nothing changed: no price in the file differed from the catalog&#x27;s" in html
    assert "Imported:" not in html and 'id="import-changes"' not in html
    assert Price.objects.count() == 1
    job = preview.context["job"]
    job.refresh_from_db()
    assert (job.phase, job.status, job.report["changes"]) == ("apply", "done", [])


def test_a_report_from_before_the_result_page_still_shows_its_summary(
    editor_client, small_catalog, editor
):
    job = ImportJob.objects.create(
        token="0" * 32,
        format="csv",
        created_by=editor,
        phase="apply",
        status="done",
        report={"offerings_created": 0, "prices_recorded": 2, "additions": ""},
    )
    html = editor_client.get(job_page(job)).content.decode()
    assert "Imported: 0 offerings created, 2 prices recorded." in html
    assert 'id="import-changes"' not in html
