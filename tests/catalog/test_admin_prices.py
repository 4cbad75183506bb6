"""Prices in the admin read as people write them: "$1.25", "$10", "$0.025" in lists and
previews (the column or line names the unit), "1.25" in form fields; saving unchanged."""

from decimal import Decimal
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from catalog.formatting import format_usd_exact, plain_decimal
from catalog.models import Price
from pricewatch.admin import figure_text
from pricewatch.models import Finding
from tests.admin_forms import change_form_data
from tests.catalog.import_fixtures import HEADER
from tests.factories import LanguageModelFactory, ProviderFactory, offer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("stored", "typed", "shown"),
    [
        ("1.250000", "1.25", "$1.25"),
        ("10.000000", "10", "$10"),
        ("0.025000", "0.025", "$0.025"),
        ("0.500000", "0.5", "$0.50"),
        ("1.375000", "1.375", "$1.375"),
        ("0.000000", "0", "$0"),
        ("120.000000", "120", "$120"),
    ],
)
def test_a_stored_price_reads_as_people_write_it(stored, typed, shown):
    assert plain_decimal(Decimal(stored)) == typed
    assert format_usd_exact(Decimal(stored)) == shown


def test_a_missing_price_reads_as_a_dash():
    assert format_usd_exact(None) == "—"


@pytest.fixture
def priced():
    model = LanguageModelFactory(name="Gemini 2.5 Pro")
    offering = offer(
        model,
        ProviderFactory(name="Vertex AI"),
        input="1.25",
        output="10",
        cache_read=Decimal("0.025"),
    )
    return model, offering


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_lists_show_prices_without_trailing_zeros(editor_client, priced):
    model, offering = priced
    offerings = page(editor_client, reverse("admin:catalog_offering_changelist"))
    assert "Input / 1M" in offerings  # the unit, in the column header
    assert '<td class="field-input_price">$1.25</td>' in offerings
    assert '<td class="field-output_price">$10</td>' in offerings
    models = page(editor_client, reverse("admin:catalog_languagemodel_changelist"))
    assert '<td class="field-cheapest_input">$1.25</td>' in models
    prices = page(editor_client, reverse("admin:catalog_price_changelist"))
    assert '<td class="field-cached_input_price">$0.025</td>' in prices
    for html in (offerings, models, prices):
        assert "1.250000" not in html and "10.000000" not in html
    history = page(editor_client, reverse("admin:catalog_offering_change", args=[offering.pk]))
    assert "$1.25 in / $10 out" in history


def test_forms_show_figures_as_typed_and_saving_is_unchanged(editor_client, priced):
    model, offering = priced
    url = reverse("admin:catalog_languagemodel_change", args=[model.pk])
    response = editor_client.get(url)
    html = response.content.decode()
    assert 'name="offerings-0-input" value="1.25"' in html
    assert 'name="offerings-0-output" value="10"' in html
    assert 'name="offerings-0-cache_read" value="0.025"' in html
    assert "1.250000" not in html

    # Saving the form as shown records nothing: 1.25 is the stored 1.250000.
    assert editor_client.post(url, change_form_data(response)).status_code == 302
    assert offering.prices.count() == 1
    data = change_form_data(editor_client.get(url))
    data["offerings-0-input"] = "1.375"
    assert editor_client.post(url, data).status_code == 302
    offering.refresh_from_db()
    assert offering.current_price.input == Decimal("1.375")

    price = Price.objects.get(offering=offering, input=Decimal("1.25"))
    form = page(editor_client, reverse("admin:catalog_price_change", args=[price.pk]))
    assert 'name="input" value="1.25"' in form and 'name="cache_read" value="0.025"' in form


def test_finding_figures_read_as_prices_or_token_counts(editor_client, priced):
    _model, offering = priced
    assert figure_text("input", Decimal("2.500000")) == "$2.50"
    assert figure_text("context_window", Decimal("128000.000000")) == "128K"
    Finding.objects.create(
        source="openrouter",
        offering=offering,
        provider=offering.provider,
        provider_model_id="gemini-2.5-pro",
        field="output",
        our_value=Decimal("10"),
        their_value=Decimal("15"),
        first_seen=timezone.now(),
        last_seen=timezone.now(),
    )
    html = page(editor_client, reverse("admin:pricewatch_finding_changelist"))
    assert '<td class="field-ours">$10</td>' in html
    assert '<td class="field-theirs">$15</td>' in html


def test_the_import_preview_and_recent_changes_show_exact_prices(
    editor_client, priced, settings, tmp_path
):
    settings.IMPORT_STAGING_DIR = str(tmp_path / "staging")
    _model, offering = priced
    row = f"{offering.provider.slug},{offering.provider_model_id},,standard,0,1.375,10,0.025,,,\n"
    preview = editor_client.post(
        reverse("admin:catalog_offering_import"),
        {"format": "csv", "file": SimpleUploadedFile("p.csv", (HEADER + row).encode())},
        follow=True,  # to the import job's page, which shows the preview once it is ready
    )
    changed = unescape(preview.content.decode()).split('id="import-changed"')[1]
    changed = changed.split("</table>")[0]
    # The rounded public figure would read $1.38: the editor sees what the file says.
    assert "<td>$1.25</td><td>$1.375</td>" in changed

    offering.prices.create(
        input=Decimal("1.375"), output=Decimal("10"), effective_date=timezone.localdate()
    )
    recent = page(editor_client, reverse("admin:catalog_price_recent_changes"))
    assert "<td>$1.25</td>" in recent and "<td>$1.375</td>" in recent
