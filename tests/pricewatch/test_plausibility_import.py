from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from catalog.models import Offering
from tests.factories import LanguageModelFactory, ProviderFactory, offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def offering():
    model = LanguageModelFactory(name="slip-1")
    made = offer(model, ProviderFactory(name="OpenAI", slug="openai"), input="1.25", output="10")
    Offering.objects.filter(pk=made.pk).update(provider_model_id="slip-1")
    return Offering.objects.get(pk=made.pk)


def test_import_holds_a_tenfold_slip_until_confirmed(offering, litellm_file, capsys):
    path = litellm_file({"slip-1": ("12.5", "10", None, 128_000, 8_192)})
    call_command("import_catalog", str(path), "--format", "litellm")
    out = capsys.readouterr().out
    assert "Plausibility" in out and "input: changes from $1.25 to $12.5" in out

    with pytest.raises(CommandError, match=r"input: changes from \$1.25"):
        call_command("import_catalog", str(path), "--format", "litellm", "--apply")
    offering.refresh_from_db()
    assert offering.current_price.input == Decimal("1.25")

    call_command(
        "import_catalog", str(path), "--format", "litellm", "--apply", "--confirm-warnings"
    )
    offering.refresh_from_db()
    assert offering.current_price.input == Decimal("12.5")


def test_import_holds_swapped_prices(offering, litellm_file):
    path = litellm_file({"slip-1": ("10", "0.9", None, 128_000, 8_192)})
    with pytest.raises(CommandError, match="output: the output price"):
        call_command("import_catalog", str(path), "--format", "litellm", "--apply")
    assert offering.prices.count() == 1


def test_a_plausible_change_imports_without_confirmation(offering, litellm_file):
    path = litellm_file({"slip-1": ("1.5", "12", None, 128_000, 8_192)})
    call_command("import_catalog", str(path), "--format", "litellm", "--apply")
    offering.refresh_from_db()
    assert offering.current_price.input == Decimal("1.5")
