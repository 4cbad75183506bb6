"""Output representations of API v1. Money is a decimal string whose field name carries
its unit (`*_usd_per_mtok`: US dollars per 1M tokens); dates are ISO 8601.

A field is declared once, here: the OpenAPI schema is generated from the declarations,
and the catalog serializers (models, offerings, prices and what they nest, the
`CompiledOutput` ones) write their output from a plan compiled from the same
declarations (api.representation), at the speed of the hand-written dicts they replace:
DRF's field-by-field machinery cost about 2 ms per model on a list of models with ten
offerings each. A value no standard field writes gets a field of its own next to its
declaration (`PriceCheckField`); tests/api/test_representations.py holds every compiled
serializer to what DRF writes from its fields, byte for byte.

The change log's events and tombstones are written by hand (change_event_representation,
tombstone_representation): their output joins the event with what the view adds."""

from __future__ import annotations

from datetime import tzinfo

from django.db.models import prefetch_related_objects
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.representation import (
    CompiledOutput,
    current_tz,
    date_text,
    datetime_text,
    money_text,
    prefetched,
    represent,
)
from api.selectors import (
    DEFAULT_CHANGES_PAGE,
    MAX_CHANGES_PAGE,
    MAX_WATERMARK,
    PRICE_CHECK_LIST,
    api_model_prefetches,
)
from catalog.models import (
    CAPABILITIES,
    MONEY,
    Benchmark,
    BenchmarkScore,
    ChangeEvent,
    LanguageModel,
    LimitSource,
    Offering,
    Organization,
    Price,
    Provider,
    Source,
)
from pricewatch.summary import summarize
from sitecache.versioning import stamped_memo

# Re-exported: the API's other modules write values as these serializers do.
__all__ = ["current_tz", "date_text", "money_text", "represent"]

PRICE_UNIT = "USD per 1M tokens"


def money(
    help_text: str, *, source: str | None = None, unit: str = PRICE_UNIT
) -> serializers.DecimalField:
    # A field named as its key in a plain dict takes no source (DRF refuses a redundant one).
    return serializers.DecimalField(
        **({"source": source} if source else {}),
        read_only=True,
        allow_null=True,
        help_text=f"{help_text} ({unit}), a decimal string.",
        **MONEY,
    )


# The extra price dimensions (catalog.models.EXTRA_PRICE_DIMENSIONS) as the API names
# them, whose names carry their units; null where no source states one.
EXTRA_PRICE_API = {
    "audio_input": "audio_input_usd_per_mtok",
    "audio_output": "audio_output_usd_per_mtok",
    "image_input": "image_input_usd_per_mtok",
    "image_input_per_image": "image_input_usd_per_image",
    "web_search": "web_search_usd_per_1k",
    "reasoning": "reasoning_usd_per_mtok",
}
# field -> (help text, unit)
EXTRA_PRICE_HELP = {
    "audio_input": ("Audio input tokens", "USD per 1M audio input tokens"),
    "audio_output": ("Audio output tokens", "USD per 1M audio output tokens"),
    "image_input": ("Image input tokens", "USD per 1M image input tokens"),
    "image_input_per_image": ("Each input image", "USD per input image"),
    "web_search": ("Web searches, requests that search the web", "USD per 1K web searches"),
    "reasoning": (
        "Reasoning tokens where the source states a rate for them; null: billed as output "
        "tokens or not stated",
        "USD per 1M reasoning tokens",
    ),
}


def extra_money(field: str) -> serializers.DecimalField:
    help_text, unit = EXTRA_PRICE_HELP[field]
    return money(help_text, source=field, unit=unit)


def optional_date(help_text: str) -> serializers.DateField:
    return serializers.DateField(read_only=True, allow_null=True, help_text=help_text)


def optional_tokens(help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(read_only=True, allow_null=True, help_text=help_text)


class OrganizationSerializer(CompiledOutput, serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["slug", "name", "url", "updated_at"]


class ProviderSerializer(CompiledOutput, serializers.ModelSerializer):
    class Meta:
        model = Provider
        fields = ["slug", "name", "kind", "url", "updated_at"]


class SourceSerializer(CompiledOutput, serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["url", "title", "retrieved_on"]


class PriceSerializer(CompiledOutput, serializers.ModelSerializer):
    input_usd_per_mtok = money("Input tokens", source="input")
    output_usd_per_mtok = money("Output tokens", source="output")
    cache_read_usd_per_mtok = money("Cached input tokens read", source="cache_read")
    cache_write_usd_per_mtok = money("Input tokens written to the cache", source="cache_write")

    audio_input_usd_per_mtok = extra_money("audio_input")
    audio_output_usd_per_mtok = extra_money("audio_output")
    image_input_usd_per_mtok = extra_money("image_input")
    image_input_usd_per_image = extra_money("image_input_per_image")
    web_search_usd_per_1k = extra_money("web_search")
    reasoning_usd_per_mtok = extra_money("reasoning")

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
            *EXTRA_PRICE_API.values(),
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
    """The offering's price-watch summary (pricewatch.summary), as PriceCheckSerializer
    writes it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, offering):
        checks = prefetched(offering, PRICE_CHECK_LIST, "price_checks")
        return represent(PriceCheckSerializer, summarize(checks))


PriceCheckField = extend_schema_field(PriceCheckSerializer)(PriceCheckField)


class OfferingInModelSerializer(CompiledOutput, serializers.ModelSerializer):
    """An offering inside a model: where to run it and what it costs today."""

    provider = ProviderSerializer(read_only=True)
    aliases = serializers.SlugRelatedField(many=True, read_only=True, slug_field="alias")
    current_price = PriceSerializer(
        read_only=True, allow_null=True, help_text="Standard tier, base context; null if none."
    )
    price_check = PriceCheckField()
    context_window = serializers.IntegerField(
        source="effective_context_window",
        read_only=True,
        help_text="Tokens: this provider's context window where it has its own, else the "
        "model's (see context_window_source).",
    )
    max_output_tokens = serializers.IntegerField(
        source="effective_max_output_tokens",
        read_only=True,
        allow_null=True,
        help_text="Tokens: this provider's output cap where it has its own, else the model's "
        "(null when the model's is not disclosed).",
    )
    context_window_source = serializers.ChoiceField(
        choices=LimitSource.choices,
        read_only=True,
        help_text='"provider" when context_window is this provider\'s own (it differs from '
        'the model\'s), else "model".',
    )
    max_output_tokens_source = serializers.ChoiceField(
        choices=LimitSource.choices,
        read_only=True,
        help_text='"provider" when max_output_tokens is this provider\'s own, else "model".',
    )
    supported_parameters = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Request parameters this provider accepts for the model (temperature, "
        "tools, response_format, ...), sorted; empty when no source states them.",
    )
    tokenizer = serializers.CharField(
        read_only=True,
        help_text='The tokenizer family the provider states ("GPT", "Claude", "Llama3"); '
        "empty when not stated.",
    )

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
            "context_window",
            "max_output_tokens",
            "context_window_source",
            "max_output_tokens_source",
            "supported_parameters",
            "tokenizer",
            "current_price",
            "price_check",
            "last_reviewed",
            "updated_at",
        ]


class CapabilitiesSerializer(CompiledOutput, serializers.Serializer):
    """Capability flags; null means the maker does not say."""

    def get_fields(self):
        return {
            flag: serializers.BooleanField(read_only=True, allow_null=True, help_text=label)
            for flag, label in CAPABILITIES
        }


class LanguageModelSerializer(CompiledOutput, serializers.ModelSerializer):
    organization = OrganizationSerializer(read_only=True)
    input_modalities = serializers.ListField(
        source="input_modality_list", child=serializers.CharField(), read_only=True
    )
    output_modalities = serializers.ListField(
        source="output_modality_list", child=serializers.CharField(), read_only=True
    )
    capabilities = CapabilitiesSerializer(source="*", read_only=True)
    cheapest_input_usd_per_mtok = money(
        "Cheapest current input price over the offerings that can be bought (lifecycle ga or "
        "preview; deprecated and retired offerings never count)",
        source="cheapest_input",
    )
    cheapest_output_usd_per_mtok = money(
        "Cheapest current output price over the offerings that can be bought (lifecycle ga "
        "or preview; deprecated and retired offerings never count)",
        source="cheapest_output",
    )
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


def model_representations(models: list[LanguageModel]) -> list[dict]:
    """Each model's representation, built at most once per model version (its
    `updated_at`, which the change log moves for every change the representation shows:
    catalog.changelog) and time zone in this process, so an edit rebuilds only the models
    it changed; the models not built yet get their offerings and sources fetched
    together (a fixed number of queries for the page)."""
    tz = timezone.get_current_timezone()
    memo = stamped_memo("api.language_model")
    stamps = {model.pk: (str(tz), model.updated_at) for model in models}
    found = {model.pk: memo.get(model.pk, stamps[model.pk]) for model in models}
    missing = [model for model in models if found[model.pk] is None]
    if missing:
        prefetch_related_objects(missing, *api_model_prefetches())
        for model in missing:
            found[model.pk] = represent(LanguageModelSerializer, model, tz)
            memo.put(model.pk, stamps[model.pk], found[model.pk])
    return [found[model.pk] for model in models]


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
        fields = [
            "model",
            "score",
            "self_reported",
            "reported_by",
            "attribution",
            "source_url",
            "measured_on",
            "updated_at",
        ]


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
    field = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text="Where the row shows a figure: the field of model_a and model_b that holds "
        'it as a value (e.g. "context_window", "input_usd_per_mtok"); null for rows of text.',
    )


class BenchmarkRowSerializer(RowSerializer):
    """A benchmark both models have; `a` and `b` are the scores as text, `a_score` and
    `b_score` the same scores as numbers."""

    benchmark = serializers.CharField(
        read_only=True, help_text="The benchmark's slug, as in /api/v1/benchmarks/<slug>/."
    )
    metric = serializers.CharField(read_only=True)
    scale = serializers.ChoiceField(
        choices=Benchmark.Scale.choices,
        read_only=True,
        help_text='"0-100" (percent) or "0-1" (fraction): the range of the scores.',
    )
    higher_is_better = serializers.BooleanField(read_only=True)
    a_score = serializers.FloatField(read_only=True, help_text="model_a's score, on `scale`.")
    b_score = serializers.FloatField(read_only=True, help_text="model_b's score, on `scale`.")


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
    limits = serializers.CharField(
        read_only=True,
        help_text="This provider's own context window and max output where they differ from "
        'the model\'s, e.g. "200K context window on this provider (model: 1M)"; else '
        '"Same as the model".',
    )
    own_limits = serializers.BooleanField(
        read_only=True, help_text="Whether this provider has limits of its own."
    )
    input_usd_per_mtok = money("`input` as a value")
    output_usd_per_mtok = money("`output` as a value")
    cached_input_usd_per_mtok = money("`cached_input` as a value")
    checked_on_date = optional_date("`checked_on` as a date: when the price was checked.")
    context_window = optional_tokens(
        "Tokens: this provider's context window where it has its own, else the model's."
    )
    max_output_tokens = optional_tokens(
        "Tokens: this provider's output cap where it has its own, else the model's (null "
        "when neither states one)."
    )
    sources_checked = serializers.IntegerField(
        read_only=True, help_text="Price watch: independent sources compared (`cross_check`)."
    )
    sources_agreeing = serializers.IntegerField(
        read_only=True, help_text="Price watch: how many of them agree with the price."
    )
    cross_checked_on = optional_date("Price watch: when the sources were last compared.")
    source_url = serializers.CharField(
        read_only=True,
        help_text='Where the price was read (the provider\'s price list); "" when none is '
        "recorded.",
    )


class FaqItemSerializer(serializers.Serializer):
    question = serializers.CharField(read_only=True)
    answer = serializers.CharField(read_only=True)


class ComparedModelSerializer(serializers.Serializer):
    """One model of the pair with the figures of its spec and pricing rows as values (a
    row's `field` names one); null where the figure is not disclosed or not published.
    Prices are the quoted offering's (the cheapest at the blend), as stored."""

    slug = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    release_date = optional_date("Released.")
    knowledge_cutoff = optional_date("Month precision: the first day of the month.")
    context_window = optional_tokens("Tokens: the maker's context window.")
    max_output_tokens = optional_tokens("Tokens: the maker's output cap.")
    parameter_count = optional_tokens("Parameters.")
    input_usd_per_mtok = money("Quoted input price")
    output_usd_per_mtok = money("Quoted output price")
    cached_input_usd_per_mtok = money(
        "Quoted cached input price: the cheapest any provider at the quoted price lists",
    )
    blended_usd_per_mtok = money(
        "Quoted input and output prices blended at blend_ratio, rounded half up to six places",
    )
    provider_count = serializers.IntegerField(
        read_only=True, help_text="Providers we track for the model, priced or not."
    )


class PriceGapSerializer(serializers.Serializer):
    """How one quoted price of the pair compares, from the values in model_a and model_b."""

    cheaper = serializers.ChoiceField(
        choices=["a", "b"],
        read_only=True,
        allow_null=True,
        help_text='"a" (model_a) or "b" (model_b); null when they cost the same.',
    )
    difference_usd_per_mtok = serializers.DecimalField(
        read_only=True,
        help_text=f"The dearer price less the cheaper ({PRICE_UNIT}), a decimal string.",
        **MONEY,
    )
    percent_cheaper = serializers.IntegerField(
        read_only=True,
        help_text="The cheaper price's saving in whole percent of the dearer one, rounded "
        "half up (0 on a tie).",
    )
    multiple = serializers.FloatField(
        read_only=True,
        allow_null=True,
        help_text="The dearer price in times the cheaper one, to one decimal rounded half "
        "up; null when the cheaper one is free.",
    )


class PriceGapsSerializer(serializers.Serializer):
    """Each gap is null where either model has no such price."""

    input = PriceGapSerializer(read_only=True, allow_null=True)
    output = PriceGapSerializer(read_only=True, allow_null=True)
    cached_input = PriceGapSerializer(read_only=True, allow_null=True)
    blended = PriceGapSerializer(read_only=True, allow_null=True)


class BlendRatioSerializer(serializers.Serializer):
    input_parts = serializers.IntegerField(read_only=True)
    output_parts = serializers.IntegerField(read_only=True)
    label = serializers.CharField(read_only=True, help_text='"70/30" or "3:1".')


class RelatedPairSerializer(serializers.Serializer):
    reason = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    url = serializers.CharField(read_only=True)


class ComparisonSerializer(serializers.Serializer):
    """The comparison page as data, built by the same generator as the page. Every
    figure shown as text also comes as a value beside it, null when unknown: model_a and
    model_b (a spec or pricing row's `field` names the key), the benchmark rows' scores,
    the provider rows' prices, dates and limits, and price_gaps."""

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
    benchmark_rows = BenchmarkRowSerializer(many=True, read_only=True)
    benchmark_note = serializers.CharField(read_only=True, allow_blank=True)
    benchmark_attributions = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Credits the shown scores' licences ask for.",
    )
    deep_dive = serializers.ListField(child=serializers.CharField(), read_only=True)
    faq = FaqItemSerializer(many=True, read_only=True)
    blend = serializers.CharField(read_only=True, help_text="The blend as the text states it.")
    blend_query = serializers.CharField(read_only=True)
    cheapest_provider_a = serializers.CharField(read_only=True, allow_null=True)
    cheapest_provider_b = serializers.CharField(read_only=True, allow_null=True)
    sources = LinkSerializer(many=True, read_only=True)
    last_reviewed = serializers.DateField(read_only=True, allow_null=True)
    last_reviewed_text = serializers.CharField(read_only=True)
    price_gaps = PriceGapsSerializer(read_only=True)
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


class ChangeEventSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        read_only=True, help_text="The event's place in the log: `since` resumes after it."
    )
    resource = serializers.ChoiceField(choices=ChangeEvent.Resource.choices, read_only=True)
    action = serializers.ChoiceField(
        choices=ChangeEvent.Action.choices,
        read_only=True,
        help_text="created and updated: fetch `url`; deleted and unpublished: drop the "
        "record (its URL answers 410); renamed: drop `old_key`, fetch `url`.",
    )
    key = serializers.CharField(
        read_only=True,
        help_text="What the record's URL holds: its slug, or an offering's id; for renamed, "
        "the new slug.",
    )
    old_key = serializers.CharField(
        read_only=True, allow_null=True, help_text="renamed only: the previous slug."
    )
    url = serializers.URLField(read_only=True, help_text="The record's API URL.")
    at = serializers.DateTimeField(read_only=True, help_text="When the change was committed.")


def change_event_representation(event: ChangeEvent, url: str, tz: tzinfo) -> dict:
    """ChangeEventSerializer's output."""
    return {
        "id": event.pk,
        "resource": event.resource,
        "action": event.action,
        "key": event.key,
        "old_key": event.old_key or None,
        "url": url,
        "at": datetime_text(event.at, tz),
    }


class ChangeLogPageSerializer(serializers.Serializer):
    next = serializers.URLField(
        read_only=True,
        allow_null=True,
        help_text="The next page (`since` set to this page's watermark), or null when this "
        "page reaches the end of the log.",
    )
    watermark = serializers.IntegerField(
        read_only=True,
        help_text="Resume from here: once this page is applied, ask for ?since=<watermark>. "
        "The id of the page's last event, or `since` when there is none. Opaque: do not "
        "do arithmetic on it.",
    )
    latest = serializers.IntegerField(
        read_only=True,
        help_text="The newest event's id now (0 for an empty log): a new mirror keeps it "
        "before its first full walk and then syncs from it.",
    )
    results = ChangeEventSerializer(many=True, read_only=True)


class TombstoneSerializer(serializers.Serializer):
    resource = serializers.ChoiceField(choices=ChangeEvent.Resource.choices, read_only=True)
    key = serializers.CharField(read_only=True, help_text="The slug (or offering id) asked for.")
    action = serializers.ChoiceField(
        choices=[ChangeEvent.Action.DELETED, ChangeEvent.Action.UNPUBLISHED], read_only=True
    )
    at = serializers.DateTimeField(read_only=True, help_text="When it was removed.")
    event = serializers.IntegerField(read_only=True, help_text="The change-log event's id.")


class GoneSerializer(ErrorSerializer):
    tombstone = TombstoneSerializer(read_only=True)


def tombstone_representation(event: ChangeEvent, tz: tzinfo | None = None) -> dict:
    return {
        "resource": event.resource,
        "key": event.key,
        "action": event.action,
        "at": datetime_text(event.at, current_tz(tz)),
        "event": event.pk,
    }


class ChangeLogQuerySerializer(serializers.Serializer):
    """The change log's query parameters."""

    since = serializers.IntegerField(
        required=False,
        default=0,
        min_value=0,
        max_value=MAX_WATERMARK,
        error_messages={
            "invalid": "Enter a watermark: the whole number a change-log answer gave, or 0.",
            "min_value": "A watermark is never negative: use 0 for the whole log.",
            "max_value": "Enter a watermark a change-log answer gave; this one is too large.",
            "max_string_length": "Enter a watermark a change-log answer gave.",
        },
    )
    page_size = serializers.IntegerField(
        required=False,
        default=DEFAULT_CHANGES_PAGE,
        min_value=1,
        max_value=MAX_CHANGES_PAGE,
        error_messages={
            key: f"Enter a whole number from 1 to {MAX_CHANGES_PAGE}."
            for key in ("invalid", "min_value", "max_value", "max_string_length")
        },
    )
