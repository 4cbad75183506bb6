"""A price recorded for a later date takes effect on that day: the daily refresh points
offerings at it, and the caches see the change."""

from datetime import timedelta
from decimal import Decimal
from unittest.mock import patch

import pytest
from django.core.management import call_command
from django.utils import timezone

from catalog.services import PriceInput, record_price, refresh_current_prices
from sitecache.versioning import current_version
from tests.factories import LanguageModelFactory, ProviderFactory, offer

pytestmark = pytest.mark.django_db


def test_a_scheduled_price_takes_effect_on_its_day(django_assert_max_num_queries):
    today = timezone.localdate()
    offering = offer(LanguageModelFactory(), ProviderFactory(), input="2", output="8")
    unchanged = offer(LanguageModelFactory(), ProviderFactory(), input="1", output="4")
    record_price(
        offering=offering,
        price=PriceInput(Decimal("3"), Decimal("12")),
        effective_date=today + timedelta(days=1),
    )
    offering.refresh_from_db()
    assert offering.current_price.input == Decimal("2")  # not yet
    assert refresh_current_prices() == 0

    version = current_version().number
    # Prices, offerings, one bulk update, the version bump (2), the offerings whose
    # long-context price starts that day, and the savepoint (2); the change log: the
    # moved offerings' models, their updated_at (2), the version bump that orders the
    # events (2) and the events.
    with django_assert_max_num_queries(15):
        assert refresh_current_prices(on=today + timedelta(days=1)) == 1
    offering.refresh_from_db()
    unchanged.refresh_from_db()
    assert offering.current_price.input == Decimal("3")
    assert unchanged.current_price.input == Decimal("1")
    assert current_version().number > version  # cached pages and answers are rebuilt

    version = current_version().number
    assert refresh_current_prices(on=today + timedelta(days=1)) == 0
    assert current_version().number == version  # nothing moved, nothing to rebuild


def test_the_command_says_how_many_offerings_moved(capsys):
    offer(LanguageModelFactory(), ProviderFactory())
    call_command("refresh_current_prices")
    assert capsys.readouterr().out.strip() == "0 offerings now show the price in force today."


def test_a_long_context_price_taking_effect_moves_its_models_stamp_once():
    today = timezone.localdate()
    offering = offer(LanguageModelFactory(), ProviderFactory(), input="2", output="8")
    record_price(
        offering=offering,
        price=PriceInput(Decimal("4"), Decimal("16"), context_threshold=200_000),
        effective_date=today + timedelta(days=1),
    )
    model = offering.model
    model.refresh_from_db()
    stamp, version = model.updated_at, current_version().number
    assert refresh_current_prices() == 0  # not its day yet

    tomorrow = today + timedelta(days=1)
    with patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(days=1)):
        assert refresh_current_prices(on=tomorrow) == 1
        model.refresh_from_db()
        assert model.updated_at > stamp  # pages and answers showing it are rebuilt
        assert current_version().number > version
        version = current_version().number
        assert refresh_current_prices(on=tomorrow) == 0  # already touched today
        assert current_version().number == version
