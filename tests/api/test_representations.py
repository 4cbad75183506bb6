"""The catalog serializers write their output from plans compiled from their declared
fields (api.representation) for speed; each must write exactly what DRF's own machinery
writes from the same fields, key for key and in the same order."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework import serializers as drf
from rest_framework.renderers import JSONRenderer

from api import selectors, serializers
from api.representation import CompiledOutput
from api.serializers import model_representations
from catalog.models import Price, Provider, Source
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


def drf_outputs(serializer_class, objects, monkeypatch) -> list[bytes]:
    """What DRF's own machinery writes from the declared fields, nested ones included:
    no plan runs, at any depth."""
    with monkeypatch.context() as patch:
        patch.setattr(CompiledOutput, "to_representation", drf.Serializer.to_representation)
        patch.setattr(serializers, "represent", lambda cls, instance, tz=None: cls(instance).data)
        return [rendered(serializer_class(instance).data) for instance in objects]


def compiled_serializers() -> set[type]:
    found, pending = set(), [CompiledOutput]
    while pending:
        for subclass in pending.pop().__subclasses__():
            found.add(subclass)
            pending.append(subclass)
    return {cls for cls in found if cls.__module__ == "api.serializers"}


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
def test_each_compiled_serializer_writes_what_its_declared_fields_write(
    rich_catalog, time_zone, monkeypatch
):
    by_class = instances()
    assert set(by_class) == compiled_serializers(), "give each compiled serializer records"
    with timezone.override(time_zone):
        for serializer_class, objects in by_class.items():
            assert objects, serializer_class
            fast = [rendered(serializer_class(instance).data) for instance in objects]
            expected = drf_outputs(serializer_class, objects, monkeypatch)
            assert len(fast) == len(expected)
            for written, drf_written in zip(fast, expected, strict=True):
                assert written == drf_written, serializer_class.__name__


# The planner's own cases: fields with no fast equivalent keep DRF's behaviour.
class ProviderOddities(CompiledOutput, drf.ModelSerializer):
    # DRF calls a method a source names, at any step.
    text = drf.CharField(source="__str__", read_only=True)
    note = drf.SerializerMethodField()
    day = drf.DateTimeField(source="updated_at", format="%Y-%m-%d", read_only=True)
    pk_text = drf.BigIntegerField(source="pk", coerce_to_string=True, read_only=True)
    kind_label = drf.CharField(source="get_kind_display", read_only=True)
    offering_count = drf.IntegerField(source="offerings.count", read_only=True)

    class Meta:
        model = Provider
        fields = [
            "id",
            "text",
            "note",
            "day",
            "pk_text",
            "kind",
            "kind_label",
            "offering_count",
            "updated_at",
        ]

    def get_note(self, provider):
        return f"{provider.slug}!"


class FromMappings(CompiledOutput, drf.Serializer):
    name = drf.CharField()
    count = drf.IntegerField(allow_null=True)
    maybe = drf.CharField(required=False)
    at = drf.DateTimeField()


def test_a_plan_keeps_drf_behaviour_where_it_has_no_fast_equivalent(catalog, monkeypatch):
    providers = list(Provider.objects.order_by("pk"))
    records = [
        {"name": "a", "count": 3, "maybe": "yes", "at": providers[0].updated_at},
        {"name": "b", "count": None, "at": providers[1].updated_at},
    ]
    with timezone.override("Asia/Tokyo"):
        for serializer_class, objects in [(ProviderOddities, providers), (FromMappings, records)]:
            fast = [rendered(serializer_class(instance).data) for instance in objects]
            assert fast == drf_outputs(serializer_class, objects, monkeypatch)
    written = ProviderOddities(providers[0]).data
    assert written["kind_label"] == providers[0].get_kind_display()
    assert written["offering_count"] == providers[0].offerings.count() > 0
    assert written["pk_text"] == str(providers[0].pk)
    assert "maybe" not in FromMappings(records[1]).data


def test_price_check_is_what_the_price_check_serializer_writes(rich_catalog):
    for offering in selectors.api_offerings():
        expected = serializers.PriceCheckSerializer(summarize(offering.price_checks.all())).data
        assert rendered(serializers.PriceCheckField().to_representation(offering)) == rendered(
            expected
        )


def test_representations_also_read_records_not_prefetched_as_lists(rich_catalog):
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
