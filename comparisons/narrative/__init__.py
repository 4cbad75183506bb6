"""Pure text generation for comparison pages and the partner API."""

from comparisons.narrative.builder import build_comparison_document, faq_json_ld
from comparisons.narrative.document import ComparisonDocument, FaqItem, Link, Row
from comparisons.narrative.prices import cheapest_offering

__all__ = [
    "ComparisonDocument",
    "FaqItem",
    "Link",
    "Row",
    "build_comparison_document",
    "cheapest_offering",
    "faq_json_ld",
]
