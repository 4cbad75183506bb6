"""The catalog: who makes LLMs, where they run, what they cost and how they score.

Truth lives here twice on purpose: `clean()` gives editors a readable message, and the
database constraints make sure no other write path (imports, the shell, a bug) can store
what `clean()` would reject.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

MONEY = {"max_digits": 12, "decimal_places": 6}
# The precision prices are stored with: the API writes money at it ("2.500000").
MONEY_QUANTUM = Decimal(1).scaleb(-MONEY["decimal_places"])
NON_NEGATIVE = [MinValueValidator(Decimal("0"), message="A price cannot be negative.")]


def catalog_slugify(name: str) -> str:
    """Slug for a catalog name: dots become hyphens, so "2.5" reads "2-5", not "25"."""
    return slugify(re.sub(r"[.\s/_:]+", "-", name))


class Lifecycle(models.TextChoices):
    PREVIEW = "preview", "Preview"
    GA = "ga", "Generally available"
    DEPRECATED = "deprecated", "Deprecated"
    RETIRED = "retired", "Retired"


# Offerings that count towards a model's cheapest price, on the pages, in their filters and
# sorts, and in the API: what a customer can buy today and keep using. A retired offering
# cannot be bought at all; a deprecated one still answers but is closed to new customers
# or about to be, so pointing a visitor at it as "cheapest" would send them somewhere
# they cannot stay. Both keep their rows in the price tables and their price history.
BUYABLE_LIFECYCLES = (Lifecycle.PREVIEW, Lifecycle.GA)


def buyable_offerings(prefix: str = "") -> Q:
    """Q for offerings in BUYABLE_LIFECYCLES; `prefix` is the path to the offerings, e.g.
    "offerings" from a model."""
    return Q(**{f"{prefix}__lifecycle__in" if prefix else "lifecycle__in": BUYABLE_LIFECYCLES})


class Modality(models.TextChoices):
    TEXT = "text", "Text"
    IMAGE = "image", "Image"
    AUDIO = "audio", "Audio"
    VIDEO = "video", "Video"
    PDF = "pdf", "PDF"


# Capability flags, in the order pages and the API show them.
CAPABILITIES: list[tuple[str, str]] = [
    ("vision", "Vision"),
    ("multimodal", "Multimodal input"),
    ("reasoning", "Reasoning"),
    ("function_calling", "Function calling"),
    ("tool_use", "Tool use"),
    ("structured_outputs", "Structured outputs"),
    ("code_execution", "Code execution"),
    ("prompt_caching", "Prompt caching"),
]


class Reviewed(models.Model):
    """A record an editor vouches for on a date; older than the setting means stale."""

    last_reviewed = models.DateField(
        null=True, blank=True, help_text="When an editor last checked this record."
    )
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True

    @property
    def is_stale(self) -> bool:
        if self.last_reviewed is None:
            return True
        age = (timezone.localdate() - self.last_reviewed).days
        return age > settings.CATALOG_STALE_AFTER_DAYS


class Source(models.Model):
    """A public document that supports a figure in the catalog."""

    url = models.URLField(max_length=500, unique=True)
    title = models.CharField(max_length=300, blank=True)
    retrieved_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["title", "url"]

    def __str__(self) -> str:
        return self.title or self.url


class Organization(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    url = models.URLField(blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Provider(models.Model):
    class Kind(models.TextChoices):
        FIRST_PARTY = "first_party", "First-party API"
        CLOUD = "cloud", "Cloud platform"
        AGGREGATOR = "aggregator", "Aggregator"
        INFERENCE = "inference", "Inference host"

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.FIRST_PARTY)
    maker = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="own_apis",
        help_text="The organisation whose own API this is. Where several providers charge "
        "the same for one of its models, pages name this one first.",
    )
    url = models.URLField(blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:provider-detail", kwargs={"slug": self.slug})


# LanguageModel columns only the page cache reads (catalog.page_stamps): not history.
PAGE_STAMP_FIELDS = ("cheapest_input_stored", "scores_changed_at")


class LanguageModelQuerySet(models.QuerySet):
    def published(self) -> LanguageModelQuerySet:
        return self.filter(status=LanguageModel.Status.PUBLISHED)


class LanguageModel(Reviewed):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    name = models.CharField(max_length=160, unique=True)
    slug = models.SlugField(
        max_length=160, unique=True, help_text="Stable URL name; do not change once published."
    )
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="models")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    lifecycle = models.CharField(max_length=12, choices=Lifecycle.choices, default=Lifecycle.GA)
    deprecation_date = models.DateField(null=True, blank=True)
    retirement_date = models.DateField(null=True, blank=True)
    release_date = models.DateField(null=True, blank=True)
    context_window = models.PositiveIntegerField(help_text="Tokens.")
    max_output_tokens = models.PositiveIntegerField(null=True, blank=True)
    parameter_count = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="Total parameters; empty when not disclosed."
    )
    architecture = models.CharField(max_length=120, blank=True)
    license = models.CharField(
        max_length=120,
        blank=True,
        default="Proprietary",
        help_text="Proprietary, or the named open licence; empty when not disclosed.",
    )
    open_weights = models.BooleanField(default=False)
    knowledge_cutoff = models.DateField(
        null=True, blank=True, help_text="Month precision: store the first day of the month."
    )
    input_modalities = models.CharField(
        max_length=80, default="text", help_text="Comma-separated: text, image, audio, video, pdf."
    )
    output_modalities = models.CharField(max_length=80, default="text")
    vision = models.BooleanField(null=True, blank=True)
    multimodal = models.BooleanField(null=True, blank=True)
    reasoning = models.BooleanField(null=True, blank=True)
    function_calling = models.BooleanField(null=True, blank=True)
    tool_use = models.BooleanField(null=True, blank=True)
    structured_outputs = models.BooleanField(null=True, blank=True)
    code_execution = models.BooleanField(null=True, blank=True)
    prompt_caching = models.BooleanField(null=True, blank=True)
    description = models.TextField(blank=True)
    sources = models.ManyToManyField(Source, blank=True, related_name="models")
    created_at = models.DateTimeField(auto_now_add=True)
    # Kept by catalog.page_stamps for the page cache (sitecache.dependencies), never
    # edited: the cheapest buyable input price (selectors.cheapest_buyable_price), so a
    # comparison page's "nearest input price" neighbours can be checked in SQL, and when
    # the model's benchmark scores (or their benchmarks) last changed, which pages show
    # and `updated_at` (the API's stamp) does not cover.
    cheapest_input_stored = models.DecimalField(**MONEY, null=True, editable=False, db_index=True)
    scores_changed_at = models.DateTimeField(null=True, editable=False)
    history = HistoricalRecords(excluded_fields=["updated_at", *PAGE_STAMP_FIELDS])

    objects = LanguageModelQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(context_window__gt=0), name="model_context_window_positive"
            ),
            models.CheckConstraint(
                condition=Q(max_output_tokens__isnull=True) | Q(max_output_tokens__gt=0),
                name="model_max_output_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:model-detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def input_modality_list(self) -> list[str]:
        return split_modalities(self.input_modalities)

    @property
    def output_modality_list(self) -> list[str]:
        return split_modalities(self.output_modalities)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.context_window is not None and self.context_window <= 0:
            errors["context_window"] = "The context window must be at least 1 token."
        for field in ("input_modalities", "output_modalities"):
            value = getattr(self, field) or ""
            unknown = set(split_modalities(value)) - set(Modality.values)
            if unknown:
                errors[field] = (
                    f"Unknown modality {', '.join(sorted(unknown))}; "
                    f"use {', '.join(Modality.values)}."
                )
            else:
                setattr(self, field, ",".join(split_modalities(value)))
        if self.knowledge_cutoff:
            self.knowledge_cutoff = self.knowledge_cutoff.replace(day=1)
        if (
            self.retirement_date
            and self.deprecation_date
            and self.retirement_date < self.deprecation_date
        ):
            errors["retirement_date"] = "A model cannot retire before it is deprecated."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = catalog_slugify(self.name)
        super().save(*args, **kwargs)


class DraftModel(LanguageModel):
    """The review queue's view of LanguageModel: drafts an import proposed ("New from
    sources"), to publish, merge into a model we carry, or reject."""

    class Meta:
        proxy = True
        verbose_name = "new model from sources"
        verbose_name_plural = "new from sources"


def split_modalities(value: str) -> list[str]:
    """ "text, Image" -> ["text", "image"], de-duplicated and in canonical order."""
    wanted = {part.strip().lower() for part in (value or "").split(",") if part.strip()}
    known = [m for m in Modality.values if m in wanted]
    return known + sorted(wanted - set(known))


# A request parameter's name as APIs spell it: "top_p", "response_format".
PARAMETER_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def validate_parameter_names(value) -> None:
    """A list of short lowercase parameter names (Offering.supported_parameters)."""
    if not isinstance(value, list):
        raise ValidationError(
            "Supported parameters must be a list of names, not %(type)s.",
            params={"type": type(value).__name__},
        )
    bad = [
        repr(name) for name in value if not isinstance(name, str) or not PARAMETER_NAME.match(name)
    ]
    if bad:
        raise ValidationError(
            "Not a parameter name: %(names)s (lowercase letters, digits and _, at most 40).",
            params={"names": ", ".join(bad[:5])},
        )


def parameter_list(names) -> list[str]:
    """Parameter names as stored: de-duplicated and sorted, so a source that lists them in
    another order is no change."""
    return sorted(set(names))


class Offering(Reviewed):
    """A model on a provider: the unit a visitor can actually buy."""

    model = models.ForeignKey(LanguageModel, on_delete=models.CASCADE, related_name="offerings")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="offerings")
    provider_model_id = models.CharField(
        max_length=200, help_text="The id this provider's API uses, e.g. gpt-4o-2024-08-06."
    )
    lifecycle = models.CharField(max_length=12, choices=Lifecycle.choices, default=Lifecycle.GA)
    deprecation_date = models.DateField(null=True, blank=True)
    retirement_date = models.DateField(null=True, blank=True)
    url = models.URLField(blank=True, help_text="The provider's page for this model.")
    # Providers often serve a model with a smaller window or output cap than its maker's.
    context_window = models.PositiveIntegerField(
        null=True, blank=True, help_text="Tokens, when this provider's differs from the model's."
    )
    max_output_tokens = models.PositiveIntegerField(
        null=True, blank=True, help_text="Tokens, when this provider's differs from the model's."
    )
    # What partners compare providers on besides price: which request parameters this
    # provider's API accepts for the model (OpenRouter's `supported_parameters`), and the
    # tokenizer it states. Both are what the provider's listing says, so they live here.
    supported_parameters = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_parameter_names],
        help_text='Request parameters this provider accepts, e.g. ["temperature", "tools"]: '
        "lowercase names, sorted. Empty when no source states them.",
    )
    tokenizer = models.CharField(
        max_length=40,
        blank=True,
        help_text='The tokenizer family the provider states ("GPT", "Claude", "Llama3").',
    )
    # The price in force today (standard tier, base context). Derived from the price
    # history by services.refresh_current_price so lists can sort and filter in SQL.
    current_price = models.ForeignKey(
        "Price", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["updated_at", "current_price"])

    class Meta:
        ordering = ["model__name", "provider__name"]
        constraints = [
            models.UniqueConstraint(fields=["model", "provider"], name="offering_unique_pair"),
            models.CheckConstraint(
                condition=Q(context_window__isnull=True) | Q(context_window__gt=0),
                name="offering_context_window_positive",
            ),
            models.CheckConstraint(
                condition=Q(max_output_tokens__isnull=True) | Q(max_output_tokens__gt=0),
                name="offering_max_output_positive",
            ),
        ]
        permissions = [("can_import_prices", "Can import price lists")]

    def __str__(self) -> str:
        return f"{self.model} on {self.provider}"

    def get_absolute_url(self) -> str:
        return self.model.get_absolute_url()

    def clean(self) -> None:
        if isinstance(self.supported_parameters, list) and all(
            isinstance(name, str) for name in self.supported_parameters
        ):
            self.supported_parameters = parameter_list(self.supported_parameters)

    @property
    def effective_context_window(self) -> int:
        """This provider's window where it states one, else the model's."""
        return self.context_window or self.model.context_window

    @property
    def effective_max_output_tokens(self) -> int | None:
        return self.max_output_tokens or self.model.max_output_tokens

    @property
    def own_context_window(self) -> int | None:
        """This provider's window where it differs from the model's, else None."""
        return own_limit(self.context_window, self.model.context_window)

    @property
    def own_max_output_tokens(self) -> int | None:
        """This provider's output cap where it differs from the model's, else None."""
        return own_limit(self.max_output_tokens, self.model.max_output_tokens)

    @property
    def is_buyable(self) -> bool:
        """Whether this offering can count as its model's cheapest (BUYABLE_LIFECYCLES)."""
        return self.lifecycle in BUYABLE_LIFECYCLES

    @property
    def has_own_limits(self) -> bool:
        return bool(self.own_context_window or self.own_max_output_tokens)

    @property
    def context_window_source(self) -> str:
        """Whose figure `effective_context_window` is: the provider's or the model's."""
        return LimitSource.PROVIDER if self.own_context_window else LimitSource.MODEL

    @property
    def max_output_tokens_source(self) -> str:
        return LimitSource.PROVIDER if self.own_max_output_tokens else LimitSource.MODEL


class LimitSource(models.TextChoices):
    """Where an offering's context window or max output comes from."""

    PROVIDER = "provider", "This provider's own"
    MODEL = "model", "The model's"


def own_limit(offering_value: int | None, model_value: int | None) -> int | None:
    """An offering's limit when it differs from its model's, else None: a figure equal
    to the model's (an import may store one) is the model's, not the provider's own."""
    if offering_value and offering_value != model_value:
        return offering_value
    return None


class OfferingAlias(models.Model):
    """Another spelling of a provider model id, as some price source writes it."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=200)

    class Meta:
        ordering = ["alias"]
        verbose_name_plural = "offering aliases"
        constraints = [
            models.UniqueConstraint(fields=["offering", "alias"], name="alias_unique_per_offering")
        ]

    def __str__(self) -> str:
        return self.alias


class ModelAlias(models.Model):
    """An id under which a source lists this model ("anthropic/claude-sonnet-5",
    "global.anthropic.claude-sonnet-5"), stored as its identity key
    (catalog.importers.identity.model_key) so every import finds the same model."""

    model = models.ForeignKey(LanguageModel, on_delete=models.CASCADE, related_name="aliases")
    key = models.CharField(max_length=200, unique=True)
    source = models.CharField(max_length=40, blank=True, help_text="Where the id was seen.")

    class Meta:
        ordering = ["key"]
        verbose_name_plural = "model aliases"

    def __str__(self) -> str:
        return self.key


class ModelEvidence(models.Model):
    """What one source said about a model, as of the source's date. The review queue
    shows these side by side with the proposed record."""

    model = models.ForeignKey(LanguageModel, on_delete=models.CASCADE, related_name="evidence")
    source = models.CharField(max_length=40)
    source_ref = models.CharField(max_length=300, blank=True)
    as_of = models.DateField(null=True, blank=True)
    facts = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["source"]
        verbose_name_plural = "model evidence"
        constraints = [
            models.UniqueConstraint(fields=["model", "source"], name="evidence_one_per_source")
        ]

    def __str__(self) -> str:
        return f"{self.model} per {self.source}"


class RejectedModel(models.Model):
    """A model an editor chose not to carry; imports do not propose it again."""

    key = models.CharField(max_length=200, unique=True, help_text="Identity key of its id.")
    name = models.CharField(max_length=160, blank=True)
    source = models.CharField(max_length=40, blank=True)
    note = models.TextField(blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rejected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.name or self.key


# Price dimensions besides text tokens: field -> (label, what one price is for), as pages
# write them: "Audio input $0.50 / 1M tokens", "Web search $10 / 1K searches".
EXTRA_PRICE_DIMENSIONS = {
    "audio_input": ("Audio input", "1M tokens"),
    "audio_output": ("Audio output", "1M tokens"),
    "image_input": ("Image input", "1M tokens"),
    "image_input_per_image": ("Image input", "image"),
    "web_search": ("Web search", "1K searches"),
    "reasoning": ("Reasoning", "1M tokens"),
}


def optional_price(help_text: str) -> models.DecimalField:
    """A price column no source need state: MONEY places, empty when unknown, never
    negative."""
    return models.DecimalField(
        **MONEY, null=True, blank=True, validators=NON_NEGATIVE, help_text=help_text
    )


class Price(models.Model):
    """One dated price record. New prices are appended; old ones are never rewritten."""

    class Tier(models.TextChoices):
        STANDARD = "standard", "Standard"
        BATCH = "batch", "Batch"
        FLEX = "flex", "Flex"
        PRIORITY = "priority", "Priority"

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="prices")
    effective_date = models.DateField(default=date.today)
    tier = models.CharField(max_length=10, choices=Tier.choices, default=Tier.STANDARD)
    context_threshold = models.PositiveIntegerField(
        default=0,
        help_text=(
            "0 for the base price. Otherwise the prompt size in tokens above which the whole "
            "request is billed at this price."
        ),
    )
    input = models.DecimalField(
        **MONEY, validators=NON_NEGATIVE, help_text="USD per 1M input tokens."
    )
    output = models.DecimalField(
        **MONEY, validators=NON_NEGATIVE, help_text="USD per 1M output tokens."
    )
    cache_read = models.DecimalField(
        **MONEY, null=True, blank=True, validators=NON_NEGATIVE, help_text="USD per 1M cached."
    )
    cache_write = models.DecimalField(
        **MONEY, null=True, blank=True, validators=NON_NEGATIVE, help_text="USD per 1M written."
    )
    # What some providers bill besides text tokens (EXTRA_PRICE_DIMENSIONS); empty when no
    # source states it.
    audio_input = optional_price("USD per 1M audio input tokens.")
    audio_output = optional_price("USD per 1M audio output tokens.")
    image_input = optional_price("USD per 1M image input tokens.")
    image_input_per_image = optional_price("USD per input image.")
    web_search = optional_price("USD per 1K web searches (requests with search).")
    reasoning = optional_price("USD per 1M reasoning tokens, where billed at a rate of their own.")
    source_url = models.URLField(max_length=500, blank=True)
    checked_on = models.DateField(null=True, blank=True, help_text="When the source was checked.")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["offering_id", "tier", "context_threshold", "-effective_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["offering", "tier", "context_threshold", "effective_date"],
                name="price_one_per_offering_tier_date",
                violation_error_message=(
                    "This offering already has a price for that tier and date; "
                    "edit it or choose another date."
                ),
            ),
            models.CheckConstraint(condition=Q(input__gte=0), name="price_input_non_negative"),
            models.CheckConstraint(condition=Q(output__gte=0), name="price_output_non_negative"),
            models.CheckConstraint(
                condition=Q(cache_read__isnull=True) | Q(cache_read__gte=0),
                name="price_cache_read_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(cache_write__isnull=True) | Q(cache_write__gte=0),
                name="price_cache_write_non_negative",
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 0}),
                    name=f"price_{name}_non_negative",
                )
                for name in EXTRA_PRICE_DIMENSIONS
            ),
        ]

    def __str__(self) -> str:
        return f"${self.input} / ${self.output} per 1M ({self.tier}, from {self.effective_date})"

    @property
    def is_base(self) -> bool:
        return self.tier == self.Tier.STANDARD and self.context_threshold == 0


class Benchmark(models.Model):
    class Scale(models.TextChoices):
        FRACTION = "0-1", "0 to 1"
        PERCENT = "0-100", "0 to 100"

    name = models.CharField(max_length=120)
    variant = models.CharField(max_length=120, blank=True)
    slug = models.SlugField(max_length=160, unique=True)
    metric = models.CharField(max_length=80, default="accuracy")
    scale = models.CharField(max_length=6, choices=Scale.choices, default=Scale.PERCENT)
    higher_is_better = models.BooleanField(default=True)
    url = models.URLField(blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "variant"]
        constraints = [
            models.UniqueConstraint(fields=["name", "variant"], name="benchmark_unique_variant")
        ]

    def __str__(self) -> str:
        return benchmark_name(self.name, self.variant)

    @property
    def scale_max(self) -> Decimal:
        return Decimal("1") if self.scale == self.Scale.FRACTION else Decimal("100")


def benchmark_name(name: str, variant: str) -> str:
    """ "SWE-bench (Verified)": how a benchmark and its variant are named on pages."""
    return f"{name} ({variant})" if variant else name


def recorded_before_release(measured_on: date | None, release: date | None) -> bool:
    """A score measured before its model's release: a preview build's result."""
    return bool(measured_on and release and measured_on < release)


class BenchmarkScore(models.Model):
    class ReportedBy(models.TextChoices):
        MAKER = "maker", "The model's maker (self-reported)"
        COMPETITOR = "competitor", "Another maker's announcement"
        INDEPENDENT = "independent", "Independent measurement"

    benchmark = models.ForeignKey(Benchmark, on_delete=models.CASCADE, related_name="scores")
    model = models.ForeignKey(LanguageModel, on_delete=models.CASCADE, related_name="scores")
    score = models.DecimalField(max_digits=9, decimal_places=4)
    self_reported = models.BooleanField(
        default=True, help_text="Reported by the model's maker rather than measured independently."
    )
    reported_by = models.CharField(
        max_length=12,
        choices=ReportedBy.choices,
        default=ReportedBy.MAKER,
        help_text="Who published the figure: its maker, a competitor, or an independent lab.",
    )
    # The credit a licence asks for wherever the figure is shown (LLM Stats: CC BY 4.0).
    attribution = models.CharField(max_length=200, blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    measured_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["benchmark__name", "model__name"]
        constraints = [
            models.UniqueConstraint(fields=["benchmark", "model"], name="score_one_per_model"),
            models.CheckConstraint(condition=Q(score__gte=0), name="score_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.benchmark}: {self.score}"

    def save(self, *args, **kwargs):
        # One truth: self_reported is "published by the maker".
        self.self_reported = self.reported_by == self.ReportedBy.MAKER
        super().save(*args, **kwargs)

    @property
    def is_preview_result(self) -> bool:
        """Recorded before the model's release: a preview build's result."""
        return recorded_before_release(self.measured_on, self.model.release_date)

    def clean(self) -> None:
        if (
            self.score is not None
            and self.benchmark_id
            and not 0 <= self.score <= self.benchmark.scale_max
        ):
            raise ValidationError(
                {"score": f"The score must lie between 0 and {self.benchmark.scale_max}."}
            )


class ChangeEvent(models.Model):
    """One change partners can see in the API, in the order it was committed: the change
    log they sync from (/api/v1/changes/). Written by catalog.changelog in the
    transaction that makes the change; the id is the partners' watermark.

    A deleted, unpublished or renamed record's last event is also its tombstone: its old
    API URL answers 410 or 301 from it."""

    class Resource(models.TextChoices):
        MODEL = "model", "Model"
        ORGANIZATION = "organization", "Organization"
        PROVIDER = "provider", "Provider"
        OFFERING = "offering", "Offering"
        BENCHMARK = "benchmark", "Benchmark"

    class Action(models.TextChoices):
        CREATED = "created", "Created"
        UPDATED = "updated", "Updated"
        DELETED = "deleted", "Deleted"
        UNPUBLISHED = "unpublished", "Unpublished"
        RENAMED = "renamed", "Renamed (new slug)"

    id = models.BigAutoField(primary_key=True)
    resource = models.CharField(max_length=12, choices=Resource.choices)
    action = models.CharField(max_length=12, choices=Action.choices)
    # What the record's API URL holds: a slug, or an offering's id; for `renamed`, the
    # new slug, with the old one in `old_key`.
    key = models.CharField(max_length=160)
    old_key = models.CharField(max_length=160, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["resource", "key"], name="change_resource_key"),
            models.Index(fields=["resource", "old_key"], name="change_resource_old_key"),
        ]

    def __str__(self) -> str:
        text = f"{self.resource} {self.key} {self.action}"
        return f"{text} from {self.old_key}" if self.old_key else text


class ImportJob(models.Model):
    """An admin import of one staged upload (catalog.importers.staging): its preview, then
    its apply, each run as a task by a worker (catalog.tasks). The job page polls it for
    progress and shows the stored preview or report; the staged file is read again by
    each phase, never kept here."""

    # Only the admin reads jobs: their progress writes keep cached pages (sitecache.signals).
    shown_on_pages = False

    class Phase(models.TextChoices):
        PREVIEW = "preview", "Preview"
        APPLY = "apply", "Apply"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for a worker"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    token = models.CharField(max_length=32)
    format = models.CharField(max_length=20)
    file_name = models.CharField(max_length=255, blank=True)
    add_new = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    phase = models.CharField(max_length=8, choices=Phase.choices, default=Phase.PREVIEW)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    # Progress while running: what the task is doing, rows done of rows in the file
    # (rows_total is unknown until the file has been read once).
    step = models.CharField(max_length=100, blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    # The preview as shown: counts and the first rows of each outcome, as display text.
    preview = models.JSONField(default=dict, blank=True)
    # The apply's report: {"offerings_created": n, "prices_recorded": n, "additions": str}.
    report = models.JSONField(default=dict, blank=True)
    # Why the last phase wrote nothing, naming the row where there is one.
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_phase_display()} of {self.file_name or self.format} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
