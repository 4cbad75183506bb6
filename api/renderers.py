"""JSON for answers built from the comparison document, written by orjson.

The API comparison's body is the page's document (comparisons.narrative): dataclasses of
rows holding Decimals and dates. Turning that into dicts and lists
(`ComparisonDocument.to_dict`) and then into JSON (DRF's JSONRenderer) was a fifth of an
uncached answer's time (docs/benchmarks.md). orjson writes the dataclasses as they are,
in C, and is handed what it does not know itself: Decimals as decimal strings, dates in
ISO 8601 (`comparisons.narrative.document.plain_scalar`), and anything else as DRF's
encoder would write it.

The bytes are the ones DRF's JSONRenderer writes for `plain(data)` with the project's
settings (compact, UTF-8, U+2028 and U+2029 escaped), checked by
tests/api/test_renderers.py, and were on 2,000 seed and 300 synthetic pairs. One
difference cannot arise from a document: a float in exponent form is written otherwise
(1e-7, not 1e-07; 0.000025, not 2.5e-05), the same number to any JSON parser. An
indented answer (`Accept: application/json; indent=4`) or other JSON settings take DRF's
own path, after `plain`.
"""

from __future__ import annotations

from typing import Any

import orjson
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

from comparisons.narrative.document import plain, plain_scalar

ORJSON_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME
# What json.dumps(ensure_ascii=False) leaves as it is and DRF's renderer escapes: line and
# paragraph separators end a line in JavaScript before ES2019.
LINE_SEPARATORS = ((b"\xe2\x80\xa8", b"\\u2028"), (b"\xe2\x80\xa9", b"\\u2029"))

_drf_encoder = JSONEncoder()


def _default(value: Any) -> Any:
    converted = plain_scalar(value)
    if converted is not value:
        return converted
    return _drf_encoder.default(value)  # raises TypeError for what JSON cannot hold


class DocumentJSONRenderer(JSONRenderer):
    """DRF's JSONRenderer for data that may hold the document's dataclasses, Decimals
    and dates (see the module docstring)."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        indent = self.get_indent(accepted_media_type, renderer_context or {})
        if indent is not None or self.ensure_ascii or not self.compact:
            return super().render(plain(data), accepted_media_type, renderer_context)
        body = orjson.dumps(data, default=_default, option=ORJSON_OPTIONS)
        for raw, escaped in LINE_SEPARATORS:
            if raw in body:
                body = body.replace(raw, escaped)
        return body
