"""models.dev: a tree of TOML files.

    providers/<provider>/provider.toml           name, doc, api
    providers/<provider>/models/**/<id>.toml     one offering: [cost], [limit], base_model
    models/<lab>/<id>.toml                       canonical models with [[benchmarks]]

Costs are USD per 1M tokens, audio and reasoning tokens included. Upstream's cost schema
is lax, so keys we do not know (`cache_input`, `cached_input`, ...) are reported as row
errors instead of being dropped.
Upstream symlinks may be checked out as small text files holding the target path; both
forms are followed, and broken ones (target missing) are skipped.
"""

from __future__ import annotations

import tomllib
from datetime import date
from decimal import Decimal
from pathlib import Path

from catalog.importers.source import (
    BenchmarkRow,
    CanonicalModel,
    FileProblem,
    ImportFormatError,
    ModelFacts,
    ParsedSource,
    PriceValueError,
    SourceRow,
    TierPrice,
    check_size,
    max_import_bytes,
    positive_int,
    price_per_million,
    relative_ref,
    without_maker_prefix,
)

FORMAT = "models-dev"
COST_PRICE_KEYS = ("input", "output", "cache_read", "cache_write")
# Known keys for the extra price dimensions, all USD per 1M tokens -> our Price field.
COST_EXTRA_KEYS = {
    "reasoning": "reasoning",
    "input_audio": "audio_input",
    "output_audio": "audio_output",
}
KNOWN_COST_KEYS = set(COST_PRICE_KEYS) | set(COST_EXTRA_KEYS) | {"tiers"}


def parse(path: str | Path) -> ParsedSource:
    """Read a models.dev checkout (the folder holding providers/ and models/)."""
    root = Path(path)
    if not root.is_dir() or not (root / "providers").is_dir():
        raise ImportFormatError(
            f"{root} is not a models.dev tree: expected a folder with a providers/ folder."
        )
    check_size(root)
    parsed = ParsedSource(format=FORMAT)
    canonical: dict[str, CanonicalModel] = {}
    models_dir = root / "models"
    if models_dir.is_dir():
        for file in sorted(models_dir.rglob("*.toml")):
            ref = relative_ref(file, root)
            data = _load(file, root, parsed, ref)
            if data is None:
                continue
            key = file.relative_to(models_dir).with_suffix("").as_posix()
            canonical[key] = _canonical(ref, key, data, parsed)
    parsed.canonical_models = list(canonical.values())
    newest: list[str] = []

    for provider_dir in sorted(p for p in (root / "providers").iterdir() if p.is_dir()):
        provider = provider_dir.name
        info_file = provider_dir / "provider.toml"
        if info_file.exists():
            info = _load(info_file, root, parsed, relative_ref(info_file, root))
            if info is not None:
                parsed.provider_names[provider] = str(info.get("name") or provider)
                url = info.get("doc") or info.get("api")
                if isinstance(url, str) and url.startswith(("https://", "http://")):
                    parsed.provider_urls[provider] = url
        offerings_dir = provider_dir / "models"
        if not offerings_dir.is_dir():
            continue
        for file in sorted(offerings_dir.rglob("*.toml")):
            ref = relative_ref(file, root)
            model_id = file.relative_to(offerings_dir).with_suffix("").as_posix()
            row = SourceRow(ref=ref, provider=provider, provider_model_id=model_id)
            data = _load(file, root, parsed, ref, row=row)
            if data is not None:
                _fill_offering(row, data, canonical)
                if isinstance(data.get("last_updated"), str):
                    newest.append(data["last_updated"])
            if data is not None or row.errors:
                parsed.rows.append(row)
    newest.extend(c.facts.release_date for c in parsed.canonical_models if c.facts)
    parsed.as_of = _newest_date(newest)
    return parsed


def _newest_date(values: list[str]) -> date | None:
    """The tree's as-of date: its newest `last_updated` (a tree is at least that new)."""
    days = []
    for value in values:
        try:
            days.append(date.fromisoformat(str(value)[:10]))
        except ValueError:
            continue
    return max(days, default=None)


def facts_from(data: dict, organization: str = "") -> ModelFacts:
    """What a models.dev model or offering file states about the model."""
    limit = data.get("limit") if isinstance(data.get("limit"), dict) else {}
    modalities = data.get("modalities") if isinstance(data.get("modalities"), dict) else {}
    inputs = _modalities(modalities.get("input"))
    outputs = _modalities(modalities.get("output"))
    capabilities: dict[str, bool] = {}
    if isinstance(data.get("reasoning"), bool):
        capabilities["reasoning"] = data["reasoning"]
    if isinstance(data.get("tool_call"), bool):
        capabilities["function_calling"] = capabilities["tool_use"] = data["tool_call"]
    if isinstance(data.get("structured_output"), bool):
        capabilities["structured_outputs"] = data["structured_output"]
    if inputs:
        capabilities["vision"] = "image" in inputs or "video" in inputs
        capabilities["multimodal"] = any(m != "text" for m in inputs)
    status = str(data.get("status") or "")
    return ModelFacts(
        name=without_maker_prefix(str(data.get("name") or "")),
        organization=organization,
        release_date=_text(data.get("release_date")),
        knowledge=_text(data.get("knowledge"))[:7],
        open_weights=data["open_weights"] if isinstance(data.get("open_weights"), bool) else None,
        license=_text(data.get("license")),
        context_window=positive_int(limit.get("context")),
        max_output_tokens=positive_int(limit.get("output")),
        input_modalities=inputs,
        output_modalities=outputs,
        capabilities=capabilities,
        lifecycle={"deprecated": "deprecated", "beta": "preview", "alpha": "preview"}.get(
            status, ""
        ),
    )


def _text(value) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value or "")


def _modalities(value) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(dict.fromkeys(str(m).lower() for m in value if isinstance(m, str)))


def _link_target(file: Path) -> Path | None:
    """The target of a symlink, whether the checkout kept it as a link or as a text file
    holding the relative path."""
    if file.is_symlink():
        return file.resolve()
    if not file.is_file():
        return None
    if file.stat().st_size > 300:
        return None
    text = file.read_text(encoding="utf-8", errors="replace").strip()
    if "\n" in text or "=" in text or not text.endswith(".toml"):
        return None
    return (file.parent / text).resolve()


def _load(file: Path, root: Path, parsed: ParsedSource, ref: str, row=None) -> dict | None:
    if not file.is_symlink() and not file.is_file():
        # A folder named x.toml, a FIFO (reading it would wait forever), a device.
        parsed.skipped.append(FileProblem(ref, "not a regular file"))
        return None
    target = _link_target(file)
    if target is not None:
        if not target.is_relative_to(root.resolve()):
            # Never follow a link out of the tree: nothing outside it is read or named.
            parsed.skipped.append(FileProblem(ref, "a link that leads outside the tree"))
            return None
        if not target.is_file():
            parsed.skipped.append(FileProblem(ref, "broken symlink (its target is missing)"))
            return None
        file = target
    parsed.bytes_read += file.stat().st_size
    if parsed.bytes_read > max_import_bytes():
        raise ImportFormatError(
            f"The tree's files come to more than {max_import_bytes() / 1_000_000:.1f} MB "
            "once links are followed (setting IMPORT_MAX_BYTES)."
        )
    try:
        return tomllib.loads(file.read_text(encoding="utf-8"), parse_float=Decimal)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        message = f"not valid TOML: {exc}"
        if row is not None:
            row.errors.append(message)
        else:
            parsed.errors.append(FileProblem(ref, message))
        return None


def _canonical(ref: str, key: str, data: dict, parsed: ParsedSource) -> CanonicalModel:
    limit = data.get("limit") if isinstance(data.get("limit"), dict) else {}
    model = CanonicalModel(
        ref=ref,
        key=key,
        name=str(data.get("name") or key),
        release_date=str(data.get("release_date") or ""),
        knowledge=str(data.get("knowledge") or ""),
        open_weights=data.get("open_weights"),
        context_window=positive_int(limit.get("context")),
        max_output_tokens=positive_int(limit.get("output")),
        facts=facts_from(data, organization=key.split("/", 1)[0]),
    )
    benchmarks = data.get("benchmarks") or []
    if not isinstance(benchmarks, list):
        parsed.errors.append(FileProblem(ref, "benchmarks is not a list of [[benchmarks]]"))
        benchmarks = []
    for bench in benchmarks:
        try:
            model.benchmarks.append(
                BenchmarkRow(
                    name=str(bench["name"]),
                    score=Decimal(bench["score"]),
                    metric=str(bench.get("metric") or ""),
                    source_url=str(bench.get("source") or ""),
                    date=str(bench.get("date") or ""),
                )
            )
        except (KeyError, TypeError, ArithmeticError):
            parsed.errors.append(FileProblem(ref, f"benchmark without name or score: {bench}"))
    return model


def _fill_offering(row: SourceRow, data: dict, canonical: dict[str, CanonicalModel]) -> None:
    base = canonical.get(str(data.get("base_model") or ""))
    row.model_name = without_maker_prefix(str(data.get("name") or "")) or (
        base.name if base else ""
    )
    if base:
        row.model_slug = base.key.rsplit("/", 1)[-1]
        row.extras["base_model"] = base.key
    limit = data.get("limit") if isinstance(data.get("limit"), dict) else {}
    row.context_window = positive_int(limit.get("context")) or (base and base.context_window)
    row.max_output_tokens = positive_int(limit.get("output")) or (base and base.max_output_tokens)
    if data.get("status"):
        row.extras["status"] = data["status"]
    row.facts = facts_from(data)
    cost = data.get("cost")
    if cost is None:
        row.no_price_reason = "no [cost] table"
        return
    if not isinstance(cost, dict):
        row.errors.append("[cost] is not a table")
        return
    unknown = sorted(set(cost) - KNOWN_COST_KEYS)
    for key in unknown:
        row.errors.append(f"unknown cost key {key!r} (known: {', '.join(sorted(KNOWN_COST_KEYS))})")
    try:
        for key in COST_PRICE_KEYS:
            if key in cost:
                setattr(
                    row,
                    key,
                    price_per_million(cost[key], what=f"cost.{key}", warnings=row.warnings),
                )
        for key, attr in COST_EXTRA_KEYS.items():
            if key in cost:
                row.extra_prices[attr] = price_per_million(
                    cost[key], what=f"cost.{key}", warnings=row.warnings
                )
        tiers = cost.get("tiers") or []
        if not isinstance(tiers, list):
            raise PriceValueError("cost.tiers is not a list of tiers")
        for number, tier in enumerate(tiers, start=1):
            row.tiers.append(_tier(tier, number, row.warnings))
    except PriceValueError as exc:
        row.errors.append(str(exc))


def _tier(tier: dict, number: int, warnings: list[str]) -> TierPrice:
    what = f"cost.tiers[{number}]"
    if not isinstance(tier, dict) or not isinstance(tier.get("tier") or {}, dict):
        raise PriceValueError(f"{what}: not a tier table.")
    spec = tier.get("tier") or {}
    if spec.get("type", "context") != "context" or not positive_int(spec.get("size")):
        raise PriceValueError(f"{what}: only context-size tiers are understood, got {spec}.")
    unknown = sorted(set(tier) - {"tier", "input", "output", "cache_read", "cache_write"})
    unknown = [k for k in unknown if k not in COST_EXTRA_KEYS]
    if unknown:
        raise PriceValueError(f"{what}: unknown cost key {unknown[0]!r}.")

    def figure(key):
        value = tier.get(key)
        return (
            None
            if value is None
            else price_per_million(value, what=f"{what}.{key}", warnings=warnings)
        )

    return TierPrice(
        tier="standard",
        context_threshold=positive_int(spec["size"]),
        input=figure("input"),
        output=figure("output"),
        cache_read=figure("cache_read"),
        cache_write=figure("cache_write"),
    )
