"""The import page tells the format from the file's content: an editor uploading the
OpenRouter JSON without touching the format choice gets its preview, not "Not a
readable CSV"; a choice the content contradicts is refused with the format it looks
like; the CSV's columns are explained on the page itself."""

import io
import zipfile

import pytest

from catalog.importers.detect import detect_format
from catalog.models import Price
from tests.catalog.import_fixtures import HEADER
from tests.catalog.test_import_admin import CHANGE, IMPORT_URL, upload
from tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db


def zipped(name: str, body: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        bundle.writestr(name, body)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ((HEADER + CHANGE).encode(), "csv"),
        (b"\xef\xbb\xbf" + HEADER.encode(), "csv"),  # a spreadsheet's byte-order mark
        (b'{"data": [{"id": "openai/gpt-5", "pricing": {}}]}', "openrouter"),
        (b'{\n  "sample_spec": {"litellm_provider": "x"}}', "litellm"),
        (b'{"gpt-5": {"input_cost_per_token": 1.25e-06}}', "litellm"),
        (zipped("providers/openai/models/gpt-5.toml", b"name = 'x'"), "models-dev"),
        (b"name,price\nx,1\n", None),  # a CSV without our columns
        (b'{"models": []}', None),
        (b"", None),
        (b"\x00\x01\x02", None),
    ],
)
def test_detect_format(head, expected):
    assert detect_format(head) == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("openrouter/models.json", "openrouter"),
        ("litellm/model_prices_and_context_window.json", "litellm"),
    ],
)
def test_the_real_files_are_detected(shared_data, path, expected):
    with (shared_data / path).open("rb") as source:
        assert detect_format(source.read(64 * 1024)) == expected


def test_an_openrouter_file_with_the_default_choice_previews(editor_client, shared_data):
    ProviderFactory(slug="openrouter", name="OpenRouter", kind="aggregator")
    body = (shared_data / "openrouter" / "models.json").read_text(encoding="utf-8")
    preview = upload(editor_client, body, fmt="detect", name="models.json", add_new="on")
    assert preview.status_code == 200
    assert preview.context["job"].format == "openrouter"
    assert "Not a readable CSV" not in preview.content.decode()
    assert preview.context["preview"]["additions"]["count"] > 0
    assert Price.objects.count() == 0  # a preview writes nothing


def test_the_default_choice_is_detect_and_the_csv_columns_are_explained(editor_client):
    html = editor_client.get(IMPORT_URL).content.decode()
    assert '<option value="detect" selected>' in html
    help_section = html[html.index('id="csv-help"') :]
    for column in ("provider_model_id", "context_threshold", "effective_date"):
        assert f"<code>{column}</code>" in help_section
    assert "docs/csv-format.md" not in html  # a repository file no editor can open


def test_a_choice_the_content_contradicts_is_refused_naming_the_format(editor_client):
    response = upload(editor_client, '{"data": [{"id": "a/b", "pricing": {}}]}', fmt="csv")
    assert response.status_code == 200
    form = response.context["form"]
    assert "looks like OpenRouter's models JSON, not our price CSV" in form.errors["format"][0]


def test_content_of_no_known_format_asks_for_the_format(editor_client):
    response = upload(editor_client, "name,price\nx,1\n", fmt="detect")
    assert (
        "could not be told from the file's content" in response.context["form"].errors["format"][0]
    )
