"""LLM Stats (JonathanChavezTamales/LLMStats, data behind llm-stats.com): one
`models/<maker>/<id>/model.json` per model with `qualitative_metrics` (benchmark scores as
0..1 fractions, `is_self_reported`, `date_recorded`, `source_link`).

The data is CC BY 4.0: every figure shown must credit LLM Stats (`ATTRIBUTION`)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from catalog.importers.source import ImportFormatError, check_size

ATTRIBUTION = "LLM Stats (llm-stats.com), CC BY 4.0"


@dataclass(frozen=True)
class StatsScore:
    benchmark: str
    score: Decimal  # on a 0-100 scale (the file's fraction x 100)
    self_reported: bool
    date: str
    source_url: str


@dataclass
class StatsModel:
    key: str  # "anthropic/claude-3-5-haiku-20241022"
    name: str
    canonical_id: str = ""
    scores: list[StatsScore] = field(default_factory=list)


def parse(path: str | Path) -> list[StatsModel]:
    root = Path(path) / "models"
    if not root.is_dir():
        raise ImportFormatError(f"{path} is not an LLM Stats checkout: no models/ folder.")
    check_size(root)
    models = []
    for file in sorted(root.glob("*/*/model.json")):
        try:
            data = json.loads(file.read_text(encoding="utf-8"), parse_float=Decimal)
        except (json.JSONDecodeError, UnicodeDecodeError):
            continue  # one unreadable file does not hide the others' credits
        if not isinstance(data, dict):
            continue
        model = StatsModel(
            key=f"{file.parent.parent.name}/{file.parent.name}",
            name=str(data.get("name") or file.parent.name),
            canonical_id=str(data.get("canonical_model_id") or ""),
        )
        for metric in data.get("qualitative_metrics") or []:
            score = _score(metric)
            if score is not None:
                model.scores.append(score)
        models.append(model)
    return models


def _score(metric) -> StatsScore | None:
    if not isinstance(metric, dict) or not metric.get("dataset_name"):
        return None
    try:
        value = Decimal(str(metric.get("score")))
    except InvalidOperation:
        return None
    if not value.is_finite() or not 0 <= value <= 1:
        return None
    return StatsScore(
        benchmark=str(metric["dataset_name"]),
        score=(value * 100).quantize(Decimal("0.01")).normalize(),
        self_reported=metric.get("is_self_reported") is not False,
        date=str(metric.get("date_recorded") or "")[:10],
        source_url=str(metric.get("source_link") or "")[:500],
    )
