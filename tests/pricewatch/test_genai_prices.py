import json
from datetime import date
from decimal import Decimal

import pytest

from catalog.importers import PARSERS
from catalog.importers.genai_prices import parse
from catalog.importers.matching import provider_slug_candidates
from catalog.importers.source import ImportFormatError

DOCUMENT = [
    {
        "id": "anthropic",
        "name": "Anthropic",
        "models": [
            {
                "id": "claude-x",
                "name": "Claude X",
                "match": {"or": [{"equals": "claude-x-2026"}, {"starts_with": "claude-x"}]},
                "context_window": 200000,
                "prices": [
                    {
                        "prices": {
                            "input_mtok": {"base": 3, "tiers": [{"start": 200000, "price": 6}]},
                            "output_mtok": {
                                "base": 15,
                                "tiers": [{"start": 200000, "price": 22.5}],
                            },
                            "cache_read_mtok": 0.3,
                        }
                    },
                    {
                        "constraint": {"start_date": "2026-03-01"},
                        "prices": {"input_mtok": 2.5, "output_mtok": 12},
                    },
                    {
                        "constraint": {"start_date": "2027-01-01"},
                        "prices": {"input_mtok": 9, "output_mtok": 9},
                    },
                    {
                        "constraint": {"start_time": "16:30", "end_time": "00:30"},
                        "prices": {"input_mtok": 0.1, "output_mtok": 0.1},
                    },
                ],
            },
            {
                "id": "plain",
                "prices": {"input_mtok": 0.15, "output_mtok": 0.6, "cache_write_mtok": 0.1875},
            },
        ],
    }
]


def write(tmp_path, document):
    path = tmp_path / "data.json"
    path.write_text(json.dumps(document))
    return path


def test_dated_changes_off_peak_and_tiers(tmp_path):
    path = write(tmp_path, DOCUMENT)
    before = {r.provider_model_id: r for r in parse(path, today=date(2026, 2, 1)).rows}
    assert (before["claude-x"].input, before["claude-x"].output) == (Decimal(3), Decimal(15))
    assert before["claude-x"].cache_read == Decimal("0.3")
    assert before["claude-x"].tiers[0].context_threshold == 200000
    assert before["claude-x"].tiers[0].input == Decimal(6)
    assert before["claude-x"].alternate_ids == ("claude-x-2026",)
    assert before["claude-x"].context_window == 200000

    after = {r.provider_model_id: r for r in parse(path, today=date(2026, 6, 1)).rows}
    assert (after["claude-x"].input, after["claude-x"].output) == (Decimal("2.5"), Decimal(12))
    plain = after["plain"]
    assert (plain.input, plain.output, plain.cache_write) == (
        Decimal("0.15"),
        Decimal("0.6"),
        Decimal("0.1875"),
    )
    assert "genai-prices" in PARSERS


def test_not_a_genai_prices_file(tmp_path):
    with pytest.raises(ImportFormatError, match="genai-prices"):
        parse(write(tmp_path, {"data": []}))


def test_the_real_file_parses(shared_data):
    parsed = parse(shared_data / "genai-prices" / "data.json")
    rows = {(r.provider, r.provider_model_id): r for r in parsed.rows}
    assert len(rows) > 500
    assert not [r for r in parsed.rows if r.errors]


def test_claude_under_google_is_vertex_ai_not_ai_studio(tmp_path):
    """genai-prices lists Claude under its one "google" provider; only Vertex AI sells it,
    so those rows must not match (or be missing from) Google AI Studio."""
    path = tmp_path / "data.json"
    price = [{"prices": {"input_mtok": 3, "output_mtok": 15}}]
    path.write_text(
        json.dumps(
            [
                {
                    "id": "google",
                    "name": "Google",
                    "models": [
                        {"id": "gemini-x", "prices": price},
                        {"id": "claude-x", "prices": price},
                    ],
                }
            ]
        )
    )
    rows = {row.provider_model_id: row.provider for row in parse(path).rows}
    assert rows == {"gemini-x": "google", "claude-x": "google-vertex"}
    assert provider_slug_candidates("genai-prices", "google-vertex")[0] == "google-vertex-ai"
    assert provider_slug_candidates("genai-prices", "google")[0] == "google-ai-studio"
