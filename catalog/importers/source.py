"""What every price file becomes: plain dataclasses, no ORM.

Parsers (one module per format) turn a file into a `ParsedSource`; `plan.py` matches its
rows to the catalog. Keeping the two apart lets other features (price reconciliation)
reuse the parsers without a database.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings

from catalog.formatting import quantize_half_up
from catalog.models import EXTRA_PRICE_DIMENSIONS, PARAMETER_NAME, parameter_list

PRICE_FIELDS = ("input", "output", "cache_read", "cache_write")
# Billed dimensions besides text tokens (audio, images, web search, reasoning), each in
# the unit catalog.models.EXTRA_PRICE_DIMENSIONS names. A source that does not state one says
# nothing about it: compared and recorded only where stated.
EXTRA_PRICE_FIELDS = tuple(EXTRA_PRICE_DIMENSIONS)
TIERS = ("standard", "batch", "flex", "priority")
# Price columns hold USD per 1M tokens with at most six decimals (catalog.models.MONEY).
PRICE_PLACES = 6
PRICE_MAX = Decimal("999999.999999")
ONE_MILLION = Decimal(1_000_000)
ONE_THOUSAND = Decimal(1_000)


class ImportFormatError(ValueError):
    """The file as a whole cannot be read in this format; nothing was imported."""


class PriceValueError(ValueError):
    """One price figure is not a usable price (negative, not a number, too precise)."""


class ParameterListError(ValueError):
    """A row's list of supported parameters is not a list of parameter names."""


@dataclass(frozen=True)
class TierPrice:
    """A price for a service tier and/or above a prompt-size threshold (cliff)."""

    tier: str
    context_threshold: int
    input: Decimal | None
    output: Decimal | None
    cache_read: Decimal | None = None
    cache_write: Decimal | None = None
    audio_input: Decimal | None = None
    audio_output: Decimal | None = None
    image_input: Decimal | None = None
    image_input_per_image: Decimal | None = None
    web_search: Decimal | None = None
    reasoning: Decimal | None = None

    @property
    def extras(self) -> dict[str, Decimal]:
        """The extra dimensions this price states."""
        return {
            name: getattr(self, name)
            for name in EXTRA_PRICE_FIELDS
            if getattr(self, name) is not None
        }


@dataclass
class ModelFacts:
    """What a source states about a model itself (not its price on one provider).

    Every field is optional: None (or empty) means the source does not say. Dates are ISO
    strings as the source writes them ("2026-06-30", knowledge "2025-01"); capabilities
    hold only the flags the source states, by our names (catalog.models.CAPABILITIES).
    """

    name: str = ""
    # The maker as this source names it ("anthropic", "meta-llama", "Mistral").
    organization: str = ""
    release_date: str = ""
    knowledge: str = ""
    open_weights: bool | None = None
    license: str = ""
    context_window: int | None = None
    max_output_tokens: int | None = None
    input_modalities: tuple[str, ...] = ()
    output_modalities: tuple[str, ...] = ()
    capabilities: dict[str, bool] = field(default_factory=dict)
    parameter_count: int | None = None
    # "preview", "deprecated" or "" (nothing said: generally available as far as we know).
    lifecycle: str = ""
    deprecation_date: str = ""


@dataclass
class SourceRow:
    """One offering's prices as a source states them, in USD per 1M tokens.

    `ref` names the row for people ("line 7", "providers/openai/models/gpt-4o.toml").
    The main figures are for `tier`/`context_threshold` (standard, 0 unless the format
    says otherwise, as CSV lines do); `tiers` holds the source's other prices.
    """

    ref: str
    provider: str
    provider_model_id: str
    model_name: str = ""
    input: Decimal | None = None
    output: Decimal | None = None
    cache_read: Decimal | None = None
    cache_write: Decimal | None = None
    tier: str = "standard"
    context_threshold: int = 0
    # The extra dimensions of the main price (EXTRA_PRICE_FIELDS), by field name.
    extra_prices: dict[str, Decimal] = field(default_factory=dict)
    tiers: list[TierPrice] = field(default_factory=list)
    context_window: int | None = None
    # Request parameters this provider accepts for the model (parameter_names), and the
    # tokenizer it names; empty when the source does not say.
    supported_parameters: list[str] = field(default_factory=list)
    tokenizer: str = ""
    max_output_tokens: int | None = None
    # Our model slug, when the source knows it (CSV) - used to create a new offering.
    model_slug: str = ""
    # Other spellings of the id in the same source (LiteLLM's "gemini/..." keys).
    alternate_ids: tuple[str, ...] = ()
    source_url: str = ""
    effective_date: str = ""
    extras: dict = field(default_factory=dict)
    # Problems found while reading this row; a row with errors is never applied.
    errors: list[str] = field(default_factory=list)
    # Things an editor should see but that do not stop the import (rounding).
    warnings: list[str] = field(default_factory=list)
    # Why the row carries no usable price (e.g. OpenRouter's variable-priced routers).
    no_price_reason: str = ""
    # What the row says about the model it serves (name, dates, limits, capabilities).
    facts: ModelFacts | None = None
    # Dated price changes the source records for this offering, oldest first:
    # (effective date "YYYY-MM-DD", price). genai-prices `constraint: {start_date}`.
    dated_prices: list[tuple[str, TierPrice]] = field(default_factory=list)

    @property
    def main_price(self) -> TierPrice | None:
        if self.input is None and self.output is None:
            return None
        return TierPrice(
            tier=self.tier,
            context_threshold=self.context_threshold,
            input=self.input,
            output=self.output,
            cache_read=self.cache_read,
            cache_write=self.cache_write,
            **self.extra_prices,
        )

    @property
    def prices(self) -> list[TierPrice]:
        main = self.main_price
        return ([main] if main else []) + list(self.tiers)


@dataclass(frozen=True)
class BenchmarkRow:
    name: str
    score: Decimal
    metric: str = ""
    source_url: str = ""
    date: str = ""


@dataclass
class CanonicalModel:
    """A model as models.dev describes it, independent of where it runs."""

    ref: str
    key: str  # "openai/gpt-4o"
    name: str
    release_date: str = ""
    knowledge: str = ""
    open_weights: bool | None = None
    context_window: int | None = None
    max_output_tokens: int | None = None
    benchmarks: list[BenchmarkRow] = field(default_factory=list)
    facts: ModelFacts | None = None


@dataclass(frozen=True)
class FileProblem:
    ref: str
    message: str


@dataclass
class ParsedSource:
    format: str
    rows: list[SourceRow] = field(default_factory=list)
    # Problems not tied to one provider's row; any of them blocks an import.
    errors: list[FileProblem] = field(default_factory=list)
    # Entries deliberately left out, with why (broken symlinks, non-chat models).
    skipped: list[FileProblem] = field(default_factory=list)
    canonical_models: list[CanonicalModel] = field(default_factory=list)
    provider_names: dict[str, str] = field(default_factory=dict)
    # A provider's own page or API base, when the source gives it ({name: url}).
    provider_urls: dict[str, str] = field(default_factory=dict)
    # Bytes of files read so far (a tree's links followed), held to IMPORT_MAX_BYTES.
    bytes_read: int = 0
    # The date the file's figures are evidence of ("as of"): models.dev's commit date,
    # LiteLLM's `last_updated`, the newest OpenRouter `created`, genai-prices' newest
    # `prices_checked`. None when the file does not say; see `evidence_date`.
    as_of: date | None = None


def without_maker_prefix(name: str) -> str:
    """OpenRouter's display names, "Anthropic: Claude Opus 4.7", put the vendor before the
    model's name; gateways' models.dev files (Helicone's, Kilo's, NVIDIA's) copy them.
    The name is what follows: "Claude Opus 4.7"."""
    return name.split(": ", 1)[1] if ": " in name else name


def max_import_bytes() -> int:
    return settings.IMPORT_MAX_BYTES


def check_size(path: Path) -> None:
    """Refuse a file (or a tree's .toml files together) over IMPORT_MAX_BYTES, before
    anything is read."""
    limit = max_import_bytes()
    if path.is_dir():
        size = sum(p.stat().st_size for p in path.rglob("*.toml") if p.is_file())
    elif path.exists():
        size = path.stat().st_size
    else:
        raise ImportFormatError(f"{path} does not exist.")
    if size > limit:
        raise ImportFormatError(
            f"The file is {size / 1_000_000:.1f} MB; imports are limited to "
            f"{limit / 1_000_000:.1f} MB (setting IMPORT_MAX_BYTES)."
        )


def to_decimal(value, *, what: str) -> Decimal:
    """A number from a file as an exact Decimal. Floats are refused: they already lost
    precision (parse JSON with parse_float=Decimal, TOML likewise)."""
    if isinstance(value, bool | float):
        raise PriceValueError(f"{what}: {value!r} is not an exact decimal number.")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise PriceValueError(f"{what}: {value!r} is not a number.") from None
    else:
        raise PriceValueError(f"{what}: {value!r} is not a number.")
    if not number.is_finite():
        raise PriceValueError(f"{what}: {value!r} is not a number.")
    return number


def plain(number: Decimal) -> Decimal:
    """Drop exponent notation and trailing zeros: 2.50E+0 -> 2.5, 1E+1 -> 10."""
    number = number.normalize()
    if number.as_tuple().exponent > 0:
        try:
            number = number.quantize(Decimal(1))
        except InvalidOperation:  # more digits than Decimal's context holds: 1e30
            raise PriceValueError(f"{number} is too large.") from None
    return number


def load_json(path: Path):
    """A JSON document with exact decimals; any unreadable file (bad syntax, not UTF-8,
    nested past Python's recursion limit, an integer of thousands of digits) is an
    ImportFormatError naming the problem."""
    try:
        return json.loads(path.read_bytes(), parse_float=Decimal)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ImportFormatError(f"Not valid JSON: {exc}") from None
    except RecursionError:
        raise ImportFormatError("Not usable JSON: nested too deeply.") from None
    except ValueError as exc:  # e.g. an integer longer than Python converts
        raise ImportFormatError(f"Not usable JSON: {exc}") from None


def checked_price(number: Decimal, *, what: str, warnings: list[str] | None) -> Decimal:
    """A valid price per 1M tokens. Sources written through floats carry noise such as
    0.049999999999999996; the catalog stores six decimals, so such a figure is rounded
    half up and the rounding is reported in `warnings` (shown in the preview)."""
    if number < 0:
        raise PriceValueError(f"{what}: a price cannot be negative ({number}).")
    number = plain(number)
    if -number.as_tuple().exponent > PRICE_PLACES:
        rounded = plain(quantize_half_up(number, PRICE_PLACES))
        if warnings is None:
            raise PriceValueError(
                f"{what}: {number} has more than {PRICE_PLACES} decimals per 1M tokens."
            )
        warnings.append(f"{what}: {number} rounded to {rounded} (six decimals per 1M).")
        number = rounded
    if number > PRICE_MAX:
        raise PriceValueError(f"{what}: {number} is too large.")
    return number


def price_per_million(value, *, what: str, warnings: list[str] | None = None) -> Decimal:
    """A price already stated per 1M tokens. Without a `warnings` list, a figure with
    more than six decimals is an error instead of being rounded."""
    return checked_price(to_decimal(value, what=what), what=what, warnings=warnings)


def price_per_token(value, *, what: str, warnings: list[str] | None = None) -> Decimal:
    """A per-token price as a price per 1M tokens: "2.5e-07" -> Decimal("0.25")."""
    number = to_decimal(value, what=what) * ONE_MILLION
    return checked_price(number, what=what, warnings=warnings)


def price_as_stated(value, *, what: str, warnings: list[str] | None = None) -> Decimal:
    """A price in the unit the catalog stores it in (per image, say), checked."""
    return checked_price(to_decimal(value, what=what), what=what, warnings=warnings)


def price_per_request(value, *, what: str, warnings: list[str] | None = None) -> Decimal:
    """A price per request (a web search) as a price per 1K: "0.01" -> Decimal("10")."""
    number = to_decimal(value, what=what) * ONE_THOUSAND
    return checked_price(number, what=what, warnings=warnings)


def parameter_names(value, *, what: str) -> list[str]:
    """A source's list of request parameter names, sorted and de-duplicated; anything
    else (not a list, a name that is not a short lowercase word) is a ParameterListError
    naming the field."""
    if not isinstance(value, list):
        raise ParameterListError(
            f"{what}: expected a list of parameter names, got {type(value).__name__}."
        )
    bad = [name for name in value if not isinstance(name, str) or not PARAMETER_NAME.match(name)]
    if bad:
        shown = ", ".join(repr(name) for name in bad[:5])
        raise ParameterListError(
            f"{what}: not a parameter name: {shown} (lowercase letters, digits and _)."
        )
    return parameter_list(value)


def positive_int(value) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def relative_ref(path: Path, root: Path) -> str:
    try:
        return os.path.relpath(path, root)
    except ValueError:
        return str(path)
