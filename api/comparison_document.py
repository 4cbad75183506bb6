"""The body of `/api/v1/comparisons/<a>-vs-<b>/`: the page's own document.

The API and the page share one generator (comparisons.narrative) over one snapshot
(comparisons.snapshot), so what a partner shows is exactly what our page says.
"""

from __future__ import annotations

from django.http import Http404

from comparisons.narrative import build_comparison_document
from comparisons.pricing import BlendRatio
from comparisons.selectors import compare_url, related_pairs
from comparisons.snapshot import build_pair_snapshot


def comparison_payload(slug_a: str, slug_b: str, models: dict, blend: BlendRatio) -> dict:
    """The comparison document for a canonical pair, plus the related pairs and the blend
    used. The document's fields are kept as they are (rows as dataclasses, Decimals,
    dates): api.renderers.DocumentJSONRenderer writes them as `to_dict` would give them
    (decimal strings, ISO dates). Documented by api.serializers.ComparisonSerializer."""
    snapshot = build_pair_snapshot(slug_a, slug_b, models=models)
    if snapshot is None:
        raise Http404("No such comparison.")
    document = build_comparison_document(snapshot, blend=blend)
    return {
        "pair": f"{slug_a}-vs-{slug_b}",
        "page_url": compare_url(slug_a, slug_b),
        "blend_ratio": {
            "input_parts": blend.input_parts,
            "output_parts": blend.output_parts,
            "label": blend.label,
        },
        **document.field_values(),
        "related": [
            {"reason": r.reason, "title": r.title, "url": r.url} for r in related_pairs(snapshot)
        ],
    }
