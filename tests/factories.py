"""Factories for test data: each test builds exactly the catalog it talks about."""

from datetime import date
from decimal import Decimal
from importlib import import_module

import factory
from django.apps import apps as django_apps
from django.contrib.auth.models import Group

from catalog.models import (
    Benchmark,
    BenchmarkScore,
    LanguageModel,
    Offering,
    Organization,
    Price,
    Provider,
    Source,
)
from catalog.services import refresh_current_price


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Lab {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Provider {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))
    url = factory.LazyAttribute(lambda o: f"https://{o.slug}.example.com/")


class LanguageModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LanguageModel

    name = factory.Sequence(lambda n: f"Model {n}")
    slug = ""  # derived from the name on save
    organization = factory.SubFactory(OrganizationFactory)
    status = LanguageModel.Status.PUBLISHED
    release_date = date(2026, 1, 15)
    context_window = 128_000
    max_output_tokens = 8_192
    license = "Proprietary"
    architecture = "Decoder-only transformer"
    last_reviewed = factory.LazyFunction(date.today)


class OfferingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offering

    model = factory.SubFactory(LanguageModelFactory)
    provider = factory.SubFactory(ProviderFactory)
    provider_model_id = factory.LazyAttribute(lambda o: o.model.slug)
    last_reviewed = factory.LazyFunction(date.today)


class PriceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Price
        skip_postgeneration_save = True

    offering = factory.SubFactory(OfferingFactory)
    effective_date = date(2026, 1, 15)
    input = Decimal("1.00")
    output = Decimal("4.00")
    source_url = "https://example.com/pricing"
    checked_on = date(2026, 1, 15)

    @factory.post_generation
    def refresh(obj, create, extracted, **kwargs):
        if create:
            refresh_current_price(obj.offering)


class BenchmarkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Benchmark

    name = factory.Sequence(lambda n: f"Bench {n}")
    slug = factory.Sequence(lambda n: f"bench-{n}")


class BenchmarkScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BenchmarkScore

    benchmark = factory.SubFactory(BenchmarkFactory)
    model = factory.SubFactory(LanguageModelFactory)
    score = Decimal("50.0")
    source_url = "https://example.com/scores"


def offer(model, provider, *, input="1.00", output="4.00", **price_kwargs) -> Offering:
    """A model on a provider with one current standard price."""
    offering = OfferingFactory(model=model, provider=provider)
    PriceFactory(offering=offering, input=Decimal(input), output=Decimal(output), **price_kwargs)
    offering.refresh_from_db()
    return offering


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    url = factory.Sequence(lambda n: f"https://example.com/source/{n}")
    title = factory.Sequence(lambda n: f"Source {n}")


def gemini_seed_pair():
    """A factory-built replica of the seed page's pair (Gemini 2.5 Flash Live API and
    Gemini 3.1 Flash-Lite), independent of the seed JSON. Returns (live, lite)."""
    google = OrganizationFactory(name="Google DeepMind", slug="google-deepmind")
    studio = ProviderFactory(
        name="Google AI Studio", slug="google-ai-studio", url="https://aistudio.google.com/"
    )
    openrouter = ProviderFactory(name="OpenRouter", slug="openrouter", url="https://openrouter.ai/")
    shared = {
        "organization": google,
        "architecture": "Decoder-only transformer",
        "license": "Proprietary",
        "open_weights": False,
        "vision": True,
        "multimodal": True,
        "reasoning": False,
        "function_calling": True,
        "tool_use": True,
        "input_modalities": "text,image,audio,video",
    }
    live = LanguageModelFactory(
        name="Gemini 2.5 Flash Live API",
        release_date=date(2025, 12, 1),
        context_window=128_000,
        max_output_tokens=8_192,
        structured_outputs=False,
        code_execution=False,
        **shared,
    )
    lite = LanguageModelFactory(
        name="Gemini 3.1 Flash-Lite",
        release_date=date(2026, 5, 7),
        context_window=1_000_000,
        max_output_tokens=65_536,
        knowledge_cutoff=date(2025, 1, 1),
        structured_outputs=True,
        code_execution=True,
        **shared,
    )
    offer(live, studio, input="0.5", output="2")
    offer(lite, studio, input="0.25", output="1.5")
    offer(lite, openrouter, input="0.25", output="1.5")
    return live, lite


def figures_pair() -> str:
    """Quill 7 and Nimbus 2 (names the seed does not use): prices with six decimals, a
    cached price on another provider at the same price, a provider's own window, an
    undisclosed max output and knowledge cutoff, scores on both scales. Returns the
    pair's canonical `<a>-vs-<b>`."""
    org = OrganizationFactory(name="Figures Lab", slug="figures-lab")
    cloud = ProviderFactory(name="Figures Cloud", slug="figures-cloud")
    host = ProviderFactory(name="Figures Host", slug="figures-host")
    quill = LanguageModelFactory(
        name="Quill 7",
        organization=org,
        release_date=date(2026, 3, 9),
        context_window=1_048_576,
        max_output_tokens=None,
        parameter_count=70_000_000_000,
        knowledge_cutoff=None,
    )
    nimbus = LanguageModelFactory(
        name="Nimbus 2",
        organization=org,
        release_date=date(2025, 11, 24),
        context_window=128_000,
        max_output_tokens=16_384,
        knowledge_cutoff=date(2025, 4, 1),
    )
    offer(quill, cloud, input="0.123456", output="0.987654", checked_on=date(2026, 5, 2))
    offer(quill, host, input="0.123456", output="0.987654", cache_read="0.012345")
    narrow = offer(nimbus, cloud, input="0.30", output="2.50", cache_read="0.075")
    narrow.context_window = 32_000
    narrow.save()
    percent = BenchmarkFactory(name="Figures QA", slug="figures-qa", scale="0-100")
    fraction = BenchmarkFactory(name="Figures Code", slug="figures-code", scale="0-1")
    for model, first, second in ((quill, "71.3", "0.8125"), (nimbus, "64.25", "0.9")):
        BenchmarkScoreFactory(model=model, benchmark=percent, score=Decimal(first))
        BenchmarkScoreFactory(model=model, benchmark=fraction, score=Decimal(second))
    return "nimbus-2-vs-quill-7"


def catalog_of(*, models: int, providers: int, offerings_per_model: int, benchmarks: int = 0):
    """A catalog of a given size around no particular pair, for query-count tests that
    must not grow with the catalog. Returns the list of models."""
    provider_list = [ProviderFactory() for _ in range(providers)]
    bench_list = [BenchmarkFactory() for _ in range(benchmarks)]
    orgs = [OrganizationFactory() for _ in range(3)]
    built = []
    for index in range(models):
        model = LanguageModelFactory(organization=orgs[index % 3], vision=index % 2 == 0)
        for offset in range(offerings_per_model):
            provider = provider_list[(index + offset) % providers]
            offer(model, provider, input=f"{1 + index % 7}", output=f"{4 + index % 5}")
        for bench in bench_list:
            BenchmarkScoreFactory(model=model, benchmark=bench, score=Decimal(40 + index % 50))
        built.append(model)
    return built


def fading_and_steady():
    """Two models for "cheapest means buyable". `Fading` is cheapest on a retired (Cloud,
    $0.01 / $0.02) and a deprecated (Host, $0.05 / $0.10) offering and dearer on its GA one
    (Third, $1 / $2); `Steady` has one preview offering in between (Cloud, $0.50 / $1).
    Returns (fading, steady)."""
    cloud, host, third = (
        ProviderFactory(name=name, slug=name.lower()) for name in ("Cloud", "Host", "Third")
    )
    fading = LanguageModelFactory(name="Fading", slug="fading")
    steady = LanguageModelFactory(name="Steady", slug="steady")
    for model, provider, lifecycle, input, output in (
        (fading, cloud, "retired", "0.01", "0.02"),
        (fading, host, "deprecated", "0.05", "0.10"),
        (fading, third, "ga", "1.00", "2.00"),
        (steady, cloud, "preview", "0.50", "1.00"),
    ):
        offering = offer(model, provider, input=input, output=output)
        offering.lifecycle = lifecycle
        offering.save()
    return fading, steady


# The data migrations that build the Editor group, in order.
EDITOR_GROUP_MIGRATIONS = (
    ("catalog.migrations.0002_editor_group", "sync_editor_group"),
    ("catalog.migrations.0003_import_permission", "grant_import"),
    ("catalog.migrations.0006_review_queue", "grant"),
    ("pricewatch.migrations.0002_editor_group", "extend_editor_group"),
)


def editor_group() -> Group:
    """The Editor group as the migrations build it. A transactional test's flush empties
    what data migrations wrote, and tests that run after it on the same worker would
    find no group: then it is built again by the migrations' own functions."""
    group = Group.objects.filter(name="Editor").first()
    if group is None:
        for module, function in EDITOR_GROUP_MIGRATIONS:
            getattr(import_module(module), function)(django_apps, None)
        group = Group.objects.get(name="Editor")
    return group
