"""Shared set-up for importer tests: the real data folder and a small priced catalog."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import LanguageModelFactory, OfferingFactory, PriceFactory, ProviderFactory

DATA = Path(settings.BASE_DIR).parent / "shared" / "data"
HEADER = (
    "provider,provider_model_id,model,tier,context_threshold,input,output,cache_read,"
    "cache_write,effective_date,source_url\n"
)


def data_path(*parts: str) -> Path:
    path = DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real data not available at {path}")
    return path


def write_csv(tmp_path: Path, body: str, name: str = "prices.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def priced_offering(model, provider, provider_model_id, input, output, **kwargs):
    offering = OfferingFactory(model=model, provider=provider, provider_model_id=provider_model_id)
    PriceFactory(
        offering=offering,
        input=Decimal(input),
        output=Decimal(output),
        effective_date=date(2026, 1, 15),
        **kwargs,
    )
    offering.refresh_from_db()
    return offering


@pytest.fixture
def small_catalog():
    """OpenAI and OpenRouter, GPT-4o priced on OpenAI, GPT-4o mini with no offering."""
    openai = ProviderFactory(name="OpenAI", slug="openai")
    openrouter = ProviderFactory(name="OpenRouter", slug="openrouter")
    gpt4o = LanguageModelFactory(name="GPT-4o")
    mini = LanguageModelFactory(name="GPT-4o mini")
    offering = priced_offering(gpt4o, openai, "gpt-4o", "2.50", "10.00", cache_read=Decimal("1.25"))
    return {
        "openai": openai,
        "openrouter": openrouter,
        "gpt4o": gpt4o,
        "mini": mini,
        "offering": offering,
    }
