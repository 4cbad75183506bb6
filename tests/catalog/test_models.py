from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from catalog.models import LanguageModel, Offering, Price, catalog_slugify
from catalog.services import PriceInput, record_price
from comparisons.models import Comparison
from tests.factories import (
    LanguageModelFactory,
    OfferingFactory,
    PriceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Gemini 2.5 Flash Live API", "gemini-2-5-flash-live-api"),
        ("Gemini 3.1 Flash-Lite", "gemini-3-1-flash-lite"),
        ("GPT-4.1 mini", "gpt-4-1-mini"),
        ("Llama 3.3 70B Instruct", "llama-3-3-70b-instruct"),
    ],
)
def test_slug_turns_dots_into_hyphens(name, slug):
    assert catalog_slugify(name) == slug


def test_slug_is_derived_on_save_and_stays_when_renamed():
    model = LanguageModelFactory(name="Gemini 3.1 Flash-Lite")
    assert model.slug == "gemini-3-1-flash-lite"
    model.name = "Gemini 3.1 Flash-Lite (GA)"
    model.save()
    model.refresh_from_db()
    assert model.slug == "gemini-3-1-flash-lite"


def _violates(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


def test_database_rejects_negative_prices():
    offering = OfferingFactory()
    for field in ("input", "output", "cache_read", "cache_write"):
        kwargs = {"input": Decimal("1"), "output": Decimal("1"), field: Decimal("-0.01")}
        _violates(lambda kw=kwargs: Price.objects.create(offering=offering, **kw))
    assert not Price.objects.exists()


def test_model_validation_names_the_negative_price():
    price = PriceFactory.build(offering=OfferingFactory(), input=Decimal("-1"))
    with pytest.raises(ValidationError) as excinfo:
        price.full_clean()
    assert excinfo.value.message_dict["input"] == ["A price cannot be negative."]


@pytest.mark.parametrize("window", [0, -5])
def test_database_rejects_non_positive_context_window(window):
    model = LanguageModelFactory()
    _violates(lambda: LanguageModel.objects.filter(pk=model.pk).update(context_window=window))


def test_model_validation_rejects_zero_context_window():
    model = LanguageModelFactory.build(context_window=0)
    with pytest.raises(ValidationError) as excinfo:
        model.full_clean(exclude=["organization"])
    assert "context_window" in excinfo.value.message_dict


def test_database_rejects_two_prices_for_one_offering_on_one_date():
    price = PriceFactory()
    _violates(
        lambda: Price.objects.create(
            offering=price.offering,
            effective_date=price.effective_date,
            input=Decimal("2"),
            output=Decimal("3"),
        )
    )


def test_validation_explains_a_duplicate_price_date():
    price = PriceFactory()
    duplicate = Price(
        offering=price.offering,
        effective_date=price.effective_date,
        input=Decimal("2"),
        output=Decimal("3"),
    )
    with pytest.raises(ValidationError, match="already has a price for that tier and date"):
        duplicate.full_clean()


def test_a_batch_price_on_the_same_date_is_allowed():
    price = PriceFactory()
    Price.objects.create(
        offering=price.offering,
        effective_date=price.effective_date,
        tier=Price.Tier.BATCH,
        input=Decimal("0.5"),
        output=Decimal("2"),
    )
    assert price.offering.prices.count() == 2


def test_database_rejects_a_duplicate_model_provider_pair():
    offering = OfferingFactory()
    _violates(
        lambda: Offering.objects.create(
            model=offering.model, provider=offering.provider, provider_model_id="again"
        )
    )


def test_a_model_cannot_be_compared_with_itself():
    model = LanguageModelFactory()
    with pytest.raises(ValidationError, match="cannot be compared with itself"):
        Comparison(model_a=model, model_b=model).full_clean()
    _violates(lambda: Comparison.objects.create(model_a=model, model_b=model))


def test_comparison_rows_are_stored_in_canonical_order():
    a = LanguageModelFactory(name="Alpha")
    z = LanguageModelFactory(name="Zulu")
    comparison = Comparison.objects.create(model_a=z, model_b=a)
    assert (comparison.model_a, comparison.model_b) == (a, z)
    assert comparison.get_absolute_url() == "/compare/alpha-vs-zulu/"


def test_a_new_price_keeps_the_old_one_in_history():
    offering = OfferingFactory()
    old, _ = record_price(
        offering=offering,
        price=PriceInput(input=Decimal("10"), output=Decimal("40")),
        effective_date=date(2025, 1, 1),
    )
    new, written = record_price(
        offering=offering,
        price=PriceInput(input=Decimal("2"), output=Decimal("8")),
        effective_date=date(2025, 6, 10),
    )
    assert written
    offering.refresh_from_db()
    assert offering.current_price == new
    history = list(offering.prices.order_by("effective_date").values_list("input", flat=True))
    assert history == [Decimal("10"), Decimal("2")]


def test_recording_an_unchanged_price_writes_nothing():
    offering = OfferingFactory()
    first, _ = record_price(
        offering=offering,
        price=PriceInput(input=Decimal("1"), output=Decimal("2")),
        effective_date=date(2025, 1, 1),
    )
    again, written = record_price(
        offering=offering,
        price=PriceInput(input=Decimal("1.000"), output=Decimal("2")),
        effective_date=date(2025, 3, 1),
    )
    assert not written and again == first
    assert offering.prices.count() == 1


def test_a_future_price_is_not_current_yet():
    offering = OfferingFactory()
    today, _ = record_price(
        offering=offering, price=PriceInput(input=Decimal("1"), output=Decimal("2"))
    )
    record_price(
        offering=offering,
        price=PriceInput(input=Decimal("3"), output=Decimal("4")),
        effective_date=date(2999, 1, 1),
    )
    offering.refresh_from_db()
    assert offering.current_price == today


def test_modalities_are_validated_and_normalised():
    model = LanguageModelFactory.build(input_modalities="Image, text")
    model.clean()
    assert model.input_modalities == "text,image"
    model.input_modalities = "text,smell"
    with pytest.raises(ValidationError, match="Unknown modality smell"):
        model.clean()


def test_an_offering_uses_its_providers_limits_where_set_and_says_whose_they_are():
    model = LanguageModelFactory(context_window=1_000_000, max_output_tokens=64_000)
    offering = OfferingFactory(model=model, context_window=200_000)
    assert offering.effective_context_window == 200_000
    assert offering.own_context_window == 200_000
    assert offering.context_window_source == "provider"
    assert offering.effective_max_output_tokens == 64_000
    assert offering.own_max_output_tokens is None
    assert offering.max_output_tokens_source == "model"


def test_a_provider_limit_equal_to_the_models_is_the_models():
    model = LanguageModelFactory(context_window=128_000, max_output_tokens=8_000)
    offering = OfferingFactory(model=model, context_window=128_000, max_output_tokens=8_000)
    assert offering.own_context_window is None and offering.own_max_output_tokens is None
    assert offering.context_window_source == offering.max_output_tokens_source == "model"
