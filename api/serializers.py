"""Output representations of API v1. Money is a decimal string whose field name carries
its unit (`*_usd_per_mtok`: US dollars per 1M tokens); dates are ISO 8601."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.models import (
    CAPABILITIES,
    MONEY,
    Benchmark,
    BenchmarkScore,
    LanguageModel,
    Offering,
    Organization,
    Price,
    Provider,
    Source,
)
from pricewatch.summary import summarize

PRICE_UNIT = "USD per 1M tokens"


def money(source: str, help_text: str) -> serializers.DecimalField:
    return serializers.DecimalField(
        source=source,
        read_only=True,
        allow_null=True,
        help_text=f"{help_text} ({PRICE_UNIT}), a decimal string.",
        **MONEY,
    )


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["slug", "name", "url", "updated_at"]


class ProviderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Provider
        fields = ["slug", "name", "kind", "url", "updated_at"]


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["url", "title", "retrieved_on"]


class PriceSerializer(serializers.ModelSerializer):
    input_usd_per_mtok = money("input", "Input tokens")
    output_usd_per_mtok = money("output", "Output tokens")
    cache_read_usd_per_mtok = money("cache_read", "Cached input tokens read")
    cache_write_usd_per_mtok = money("cache_write", "Input tokens written to the cache")

    class Meta:
        model = Price
        fields = [
            "tier",
            "context_threshold",
            "effective_date",
            "input_usd_per_mtok",
            "output_usd_per_mtok",
            "cache_read_usd_per_mtok",
            "cache_write_usd_per_mtok",
            "source_url",
            "checked_on",
            "created_at",
        ]


class DisagreementSerializer(serializers.Serializer):
    source = serializers.CharField()
    field = serializers.CharField(help_text="input, output, cache_read, cache_write, ...")
    ours = serializers.CharField()
    theirs = serializers.CharField()


class PriceCheckSerializer(serializers.Serializer):
    """How independent price sources compare with this offering (price watch)."""

    sources_checked = serializers.IntegerField()
    sources_agreeing = serializers.IntegerField()
    checked_on = serializers.DateField(allow_null=True)
    disagreements = DisagreementSerializer(many=True)


class PriceCheckField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, offering):
        summary = summarize(offering.price_checks.all())
        return PriceCheckSerializer(summary).data


PriceCheckField = extend_schema_field(PriceCheckSerializer)(PriceCheckField)


class OfferingInModelSerializer(serializers.ModelSerializer):
    """An offering inside a model: where to run it and what it costs today."""

    provider = ProviderSerializer(read_only=True)
    aliases = serializers.SlugRelatedField(many=True, read_only=True, slug_field="alias")
    current_price = PriceSerializer(
        read_only=True, allow_null=True, help_text="Standard tier, base context; null if none."
    )
    price_check = PriceCheckField()

    class Meta:
        model = Offering
        fields = [
            "id",
            "provider",
            "provider_model_id",
            "aliases",
            "lifecycle",
            "deprecation_date",
            "retirement_date",
            "url",
            "current_price",
            "price_check",
            "last_reviewed",
            "updated_at",
        ]


class CapabilitiesSerializer(serializers.Serializer):
    """Capability flags; null means the maker does not say."""

    def get_fields(self):
        return {
            flag: serializers.BooleanField(read_only=True, allow_null=True, help_text=label)
            for flag, label in CAPABILITIES
        }


class LanguageModelSerializer(serializers.ModelSerializer):
    organization = OrganizationSerializer(read_only=True)
    input_modalities = serializers.ListField(
        source="input_modality_list", child=serializers.CharField(), read_only=True
    )
    output_modalities = serializers.ListField(
        source="output_modality_list", child=serializers.CharField(), read_only=True
    )
    capabilities = CapabilitiesSerializer(source="*", read_only=True)
    cheapest_input_usd_per_mtok = money("cheapest_input", "Cheapest current input price")
    cheapest_output_usd_per_mtok = money("cheapest_output", "Cheapest current output price")
    offerings = OfferingInModelSerializer(many=True, read_only=True)
    sources = SourceSerializer(many=True, read_only=True)

    class Meta:
        model = LanguageModel
        fields = [
            "slug",
            "name",
            "organization",
            "lifecycle",
            "release_date",
            "deprecation_date",
            "retirement_date",
            "context_window",
            "max_output_tokens",
            "parameter_count",
            "architecture",
            "license",
            "open_weights",
            "knowledge_cutoff",
            "input_modalities",
            "output_modalities",
            "capabilities",
            "cheapest_input_usd_per_mtok",
            "cheapest_output_usd_per_mtok",
            "offerings",
            "description",
            "last_reviewed",
            "sources",
            "updated_at",
        ]


class ModelRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = LanguageModel
        fields = ["slug", "name"]


class OfferingSerializer(OfferingInModelSerializer):
    """An offering with its model, current price, cross-check and full price history."""

    model = ModelRefSerializer(read_only=True)
    organization = serializers.SlugRelatedField(
        source="model.organization", slug_field="slug", read_only=True
    )
    price_history = PriceSerializer(
        source="prices",
        many=True,
        read_only=True,
        help_text="Every price record, by tier and context threshold, newest first.",
    )

    class Meta(OfferingInModelSerializer.Meta):
        fields = [
            "id",
            "model",
            "organization",
            *OfferingInModelSerializer.Meta.fields[1:-2],
            "price_history",
            "last_reviewed",
            "updated_at",
        ]


class BenchmarkScoreSerializer(serializers.ModelSerializer):
    model = ModelRefSerializer(read_only=True)
    score = serializers.DecimalField(max_digits=9, decimal_places=4, read_only=True)

    class Meta:
        model = BenchmarkScore
        fields = ["model", "score", "self_reported", "source_url", "measured_on", "updated_at"]


class BenchmarkSerializer(serializers.ModelSerializer):
    scores = BenchmarkScoreSerializer(many=True, read_only=True)

    class Meta:
        model = Benchmark
        fields = [
            "slug",
            "name",
            "variant",
            "metric",
            "scale",
            "higher_is_better",
            "url",
            "scores",
            "updated_at",
        ]


class LinkSerializer(serializers.Serializer):
    text = serializers.CharField(read_only=True)
    url = serializers.CharField(read_only=True)


class RowSerializer(serializers.Serializer):
    """A table row: its label and the value for each model (never empty: "—" when
    unknown), with links where a cell names providers."""

    label = serializers.CharField(read_only=True)
    a = serializers.CharField(read_only=True, help_text="The value for model_a, formatted.")
    b = serializers.CharField(read_only=True, help_text="The value for model_b, formatted.")
    a_links = LinkSerializer(many=True, read_only=True)
    b_links = LinkSerializer(many=True, read_only=True)


class ProviderPriceRowSerializer(serializers.Serializer):
    model_name = serializers.CharField(read_only=True)
    provider = LinkSerializer(read_only=True)
    input = serializers.CharField(read_only=True, help_text='e.g. "$0.25 / 1M tokens"')
    output = serializers.CharField(read_only=True)
    cached_input = serializers.CharField(read_only=True)
    checked_on = serializers.CharField(read_only=True)
    cross_check = serializers.CharField(
        read_only=True, help_text='Price watch, e.g. "matches 2 of 2 sources checked on …".'
    )


class FaqItemSerializer(serializers.Serializer):
    question = serializers.CharField(read_only=True)
    answer = serializers.CharField(read_only=True)


class ComparedModelSerializer(serializers.Serializer):
    slug = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class BlendRatioSerializer(serializers.Serializer):
    input_parts = serializers.IntegerField(read_only=True)
    output_parts = serializers.IntegerField(read_only=True)
    label = serializers.CharField(read_only=True, help_text='"70/30" or "3:1".')


class RelatedPairSerializer(serializers.Serializer):
    reason = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    url = serializers.CharField(read_only=True)


class ComparisonSerializer(serializers.Serializer):
    """The comparison page as data, built by the same generator as the page."""

    pair = serializers.CharField(read_only=True, help_text="Canonical <a>-vs-<b>.")
    page_url = serializers.CharField(read_only=True)
    blend_ratio = BlendRatioSerializer(read_only=True)
    model_a = ComparedModelSerializer(read_only=True)
    model_b = ComparedModelSerializer(read_only=True)
    title = serializers.CharField(read_only=True)
    meta_description = serializers.CharField(read_only=True)
    summary = serializers.CharField(read_only=True)
    verdict = serializers.CharField(read_only=True)
    verdict_is_editorial = serializers.BooleanField(read_only=True)
    editor_note = serializers.CharField(read_only=True, allow_blank=True)
    spec_rows = RowSerializer(many=True, read_only=True)
    pricing_rows = RowSerializer(many=True, read_only=True)
    provider_price_rows = ProviderPriceRowSerializer(many=True, read_only=True)
    capability_rows = RowSerializer(many=True, read_only=True)
    benchmark_rows = RowSerializer(many=True, read_only=True)
    benchmark_note = serializers.CharField(read_only=True, allow_blank=True)
    deep_dive = serializers.ListField(child=serializers.CharField(), read_only=True)
    faq = FaqItemSerializer(many=True, read_only=True)
    blend = serializers.CharField(read_only=True, help_text="The blend as the text states it.")
    blend_query = serializers.CharField(read_only=True)
    cheapest_provider_a = serializers.CharField(read_only=True, allow_null=True)
    cheapest_provider_b = serializers.CharField(read_only=True, allow_null=True)
    sources = LinkSerializer(many=True, read_only=True)
    last_reviewed = serializers.DateField(read_only=True, allow_null=True)
    last_reviewed_text = serializers.CharField(read_only=True)
    related = RelatedPairSerializer(many=True, read_only=True)


class ErrorSerializer(serializers.Serializer):
    status = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    message = serializers.CharField(read_only=True)
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Invalid input only: parameter -> reasons.",
    )
