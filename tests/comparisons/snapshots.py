"""Plain snapshots for pure tests of the generator (no database)."""

from datetime import date
from decimal import Decimal

from catalog.models import CAPABILITIES
from comparisons.snapshot import ModelSnapshot, OfferingSnapshot, PairSnapshot, ScoreSnapshot


def offering(provider="Provider A", input="1", output="4", cache_read=None, **extra):
    return OfferingSnapshot(
        provider_name=provider,
        provider_slug=provider.lower().replace(" ", "-"),
        provider_url=f"https://{provider.lower().replace(' ', '-')}.example.com/",
        input=None if input is None else Decimal(input),
        output=None if output is None else Decimal(output),
        cache_read=None if cache_read is None else Decimal(cache_read),
        **extra,
    )


def capabilities(**values):
    return tuple((key, label, values.get(key)) for key, label in CAPABILITIES)


def model(name="Alpha", *, caps=None, offerings=None, **extra):
    defaults = {
        "slug": name.lower().replace(" ", "-"),
        "name": name,
        "organization_name": "Lab",
        "organization_slug": "lab",
        "release_date": date(2026, 1, 1),
        "context_window": 128_000,
        "max_output_tokens": 8_000,
        "license": "Proprietary",
        "open_weights": False,
        "last_reviewed": date(2026, 5, 1),
        "capabilities": capabilities(**(caps or {})),
        "offerings": tuple(offerings if offerings is not None else [offering()]),
    }
    defaults.update(extra)
    return ModelSnapshot(**defaults)


def score(slug, value, *, higher_is_better=True, self_reported=True):
    return ScoreSnapshot(
        benchmark_slug=slug,
        benchmark_name=slug.upper(),
        score=Decimal(value),
        higher_is_better=higher_is_better,
        self_reported=self_reported,
    )


def pair(a, b, **extra):
    return PairSnapshot(a=a, b=b, **extra)
