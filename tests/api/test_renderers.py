"""api.renderers.DocumentJSONRenderer writes the API comparison with orjson: the same
bytes DRF's JSONRenderer writes for the document converted to plain data."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

import pytest
from rest_framework.renderers import JSONRenderer

from api.comparison_document import comparison_payload
from api.renderers import DocumentJSONRenderer
from comparisons.narrative.document import plain
from comparisons.pricing import parse_blend
from comparisons.selectors import split_pair
from tests.factories import gemini_seed_pair


@dataclass(frozen=True)
class Row:
    label: str
    price: Decimal | None
    seen: date
    parts: tuple


def drf(data, media_type="application/json") -> bytes:
    return JSONRenderer().render(plain(data), media_type, {})


@pytest.mark.django_db
def test_a_comparison_answer_is_byte_for_byte_what_drfs_renderer_writes(catalog):
    live, lite = gemini_seed_pair()
    for pair in (f"{live.slug}-vs-{lite.slug}", "alpha-1-vs-beta-2"):
        slug_a, slug_b, models = split_pair(pair, include_drafts=False)
        data = comparison_payload(slug_a, slug_b, models, parse_blend(None))
        assert not isinstance(data["spec_rows"][0], dict)  # rows reach the renderer as they are
        body = DocumentJSONRenderer().render(data, "application/json", {})
        assert body == drf(data)
        assert json.loads(body)["pair"] == pair


@pytest.mark.parametrize(
    "value",
    [
        Decimal("0E-6"),  # six places of zero: "0.000000", never "0E-6"
        Decimal("12.50"),
        date(2026, 12, 3),
        datetime(2026, 12, 3, 9, 30, 0, 123456, tzinfo=UTC),
        'tab\tquote" back\\slash é ∞ \u2028 \u2029 \x00',
        {1: "int key", "nested": [Row("a", None, date(2026, 1, 2), (1, 2.5, True))]},
        UUID("12345678-1234-5678-1234-567812345678"),
        [0.1, 88.4, 1234.5, 123456789.0, -0.0, 2.0],
    ],
    ids=repr,
)
def test_each_kind_of_value_is_written_as_drf_writes_its_plain_form(value):
    data = {"value": value, "rows": [Row("x", Decimal("0.25"), date(2025, 5, 1), ())]}
    assert DocumentJSONRenderer().render(data, "application/json", {}) == drf(data)


def test_a_float_in_exponent_form_is_the_same_number_in_shorter_form():
    # json writes 1e-07 and 2.5e-05, orjson 1e-7 and 0.000025: a score or a multiple is
    # never that small, and either way a JSON parser reads the same number.
    data = {"values": [1e-7, 2.5e-5, 1e16]}
    body = DocumentJSONRenderer().render(data, "application/json", {})
    assert body == b'{"values":[1e-7,0.000025,1e+16]}'
    assert json.loads(body) == json.loads(drf(data)) == data


def test_an_indented_answer_takes_drfs_own_path():
    data = {"row": Row("x", Decimal("1.5"), date(2026, 1, 1), ("a",))}
    media_type = "application/json; indent=2"
    body = DocumentJSONRenderer().render(data, media_type, {})
    assert body == drf(data, media_type)
    assert body.startswith(b'{\n  "row": {\n    "label": "x"')


def test_what_json_cannot_hold_is_an_error_not_a_guess():
    with pytest.raises(TypeError):
        DocumentJSONRenderer().render({"x": object()}, "application/json", {})


@pytest.mark.django_db
def test_the_api_comparison_answers_with_the_renderer(api, catalog):
    compact = api.get("/api/v1/comparisons/alpha-1-vs-beta-2/")
    indented = api.get(
        "/api/v1/comparisons/alpha-1-vs-beta-2/", HTTP_ACCEPT="application/json; indent=4"
    )
    assert compact.status_code == indented.status_code == 200
    assert b"\n" not in compact.content and b'\n    "pair"' in indented.content
    assert json.loads(compact.content) == json.loads(indented.content)
