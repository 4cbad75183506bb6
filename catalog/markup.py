"""Escaping for markup written in Python rather than in a template (the comparison
page's pair tables, the price charts' SVG)."""

from __future__ import annotations

import html


def escape_html(value: object) -> str:
    """What django.utils.html.conditional_escape gives: markup marked safe as it is,
    anything else as escaped text. Without its checks for lazy strings (keep_lazy), which
    made it 2.8 us a call against 0.4 here, and a comparison page escapes about 300
    values this way (docs/benchmarks.md)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))
