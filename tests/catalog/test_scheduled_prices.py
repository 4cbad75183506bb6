"""A price recorded for a later date takes effect on that day: the daily refresh points
offerings at it, and the caches see the change."""

from datetime import timedelta
from decimal import Decimal

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
    # Prices, offerings, one bulk update, the version bump (2), and the savepoint (2);
    # the change log: the moved offerings' models, their updated_at (2), the version
    # bump that orders the events (2) and the events.
    with django_assert_max_num_queries(14):
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
