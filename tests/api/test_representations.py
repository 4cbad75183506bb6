"""The catalog serializers build their output by hand for speed; each must write exactly
what its declared fields write (DRF's generic path), key for key and in the same order."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework import serializers as drf
from rest_framework.renderers import JSONRenderer

from api import selectors, serializers
from api.serializers import model_representations
from catalog.models import Price, Source
from pricewatch.models import OfferingCheck
from pricewatch.summary import summarize
from tests.factories import PriceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rich_catalog(catalog):
    """The API catalog with what the small one lacks: aliases, price-watch checks that
    agree and disagree, a price history with cached-input prices, a source with a date,
    an offering without a current price, a model without optional specs and offerings
    with limits of their own."""
    alpha, beta = catalog["alpha"], catalog["beta"]
    offering = alpha.offerings.get(provider=catalog["cloud"])
    offering.aliases.create(alias="cloud/alpha")
    offering.aliases.create(alias="alpha-latest")
    PriceFactory(
        offering=offering,
        effective_date=date(2025, 11, 1),
        input=Decimal("0.3"),
        output=Decimal("1.2"),
        cache_read=Decimal("0.025"),
        cache_write=Decimal("0.3125"),
    )
    PriceFactory(offering=offering, tier=Price.Tier.BATCH, input=Decimal("0.125"))
    OfferingCheck.objects.create(
        offering=offering, source="openrouter", agrees=True, checked_on=date(2026, 11, 2)
    )
    OfferingCheck.objects.create(
        offering=offering,
        source="litellm",
        agrees=False,
        checked_on=date(2026, 11, 3),
        disagreements=[{"field": "output", "ours": "1.0", "theirs": "10"}],
    )
    no_price = beta.offerings.create(provider=catalog["host"], provider_model_id="beta-2")
    assert no_price.current_price is None
    alpha.sources.add(
        Source.objects.create(url="https://acme.example/b", retrieved_on=date(2026, 5, 4))
    )
    beta.max_output_tokens = None
    beta.architecture = ""
    beta.save()
    # Limits of the provider's own: a window only, and an output cap on a model without one.
    offering.context_window = 200_000
    offering.save()
    beta.offerings.filter(provider=catalog["host"]).update(max_output_tokens=4_096)
    return catalog


def rendered(data) -> bytes:
    return JSONRenderer().render(data)


def declared_fields_output(serializer_class, instance) -> bytes:
    """What DRF writes from the serializer's declared fields, nested ones included."""
    serializer = serializer_class()
    return rendered(drf.Serializer.to_representation(serializer, instance))


def instances():
    models = list(selectors.api_models())
    offerings_in_models = [o for m in models for o in m.offering_list]
    offerings = list(selectors.api_offerings())
    return {
        serializers.LanguageModelSerializer: models,
        serializers.OfferingInModelSerializer: offerings_in_models,
        serializers.OfferingSerializer: offerings,
        serializers.PriceSerializer: [p for o in offerings for p in o.price_history_list],
        serializers.ProviderSerializer: [o.provider for o in offerings],
        serializers.OrganizationSerializer: [m.organization for m in models],
        serializers.SourceSerializer: [s for m in models for s in m.source_list],
        serializers.CapabilitiesSerializer: models,
    }


@pytest.mark.parametrize("time_zone", ["UTC", "Europe/Paris"])
def test_each_hand_built_representation_is_what_its_declared_fields_write(rich_catalog, time_zone):
    with timezone.override(time_zone):
        for serializer_class, objects in instances().items():
            assert objects, serializer_class
            for instance in objects:
                fast = rendered(serializer_class(instance).data)
                assert fast == declared_fields_output(serializer_class, instance), (
                    serializer_class.__name__
                )


def test_price_check_is_what_the_price_check_serializer_writes(rich_catalog):
    for offering in selectors.api_offerings():
        expected = serializers.PriceCheckSerializer(summarize(offering.price_checks.all())).data
        assert rendered(serializers.PriceCheckField().to_representation(offering)) == rendered(
            expected
        )


def test_hand_built_representations_also_read_records_not_prefetched_as_lists(rich_catalog):
    model = selectors.api_models().prefetch_related(None).get(slug="alpha-1")
    assert not hasattr(model, selectors.OFFERING_LIST)
    body = serializers.LanguageModelSerializer(model).data
    assert [o["provider"]["slug"] for o in body["offerings"]] == ["cloud-one", "fast-host"]
    assert body["offerings"][0]["aliases"] == ["alpha-latest", "cloud/alpha"]
    assert body["offerings"][0]["price_check"]["sources_checked"] == 2


def test_shared_representations_are_kept_per_time_zone(catalog):
    rows = list(selectors.api_model_rows())
    with timezone.override("UTC"):
        utc = model_representations(rows)[0]["updated_at"]
    with timezone.override("Asia/Tokyo"):
        tokyo = model_representations(rows)[0]["updated_at"]
    assert utc.endswith("Z") and tokyo.endswith("+09:00")
