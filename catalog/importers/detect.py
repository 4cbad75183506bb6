"""Which import format an uploaded file is, from its first bytes: the admin's import
page detects it so an editor need not choose (the choice is still offered).

    detect_format(b'{"data": [{"id": "openai/gpt-5", "pricing": ...') -> "openrouter"

Reads at most SNIFF_BYTES; returns None when the content matches no format."""

from __future__ import annotations

import re

from catalog.importers import csv_format

SNIFF_BYTES = 64 * 1024
ZIP_MAGIC = b"PK\x03\x04"
# OpenRouter's /api/v1/models: {"data": [{"id": ..., "pricing": {...}}, ...]}
OPENROUTER = re.compile(rb'^\{\s*"data"\s*:\s*\[')
# LiteLLM's model_prices_and_context_window.json: {"sample_spec": ...} or model names
# mapping to objects with litellm's key names.
LITELLM_KEYS = (b'"litellm_provider"', b'"input_cost_per_token"', b'"sample_spec"')

FORMAT_NAMES = {
    "csv": "our price CSV",
    "openrouter": "OpenRouter's models JSON",
    "litellm": "LiteLLM's model prices JSON",
    "models-dev": "a models.dev zip",
}


def detect_format(head: bytes) -> str | None:
    """The format of a file whose first bytes are `head`, or None."""
    head = head[:SNIFF_BYTES]
    if head.startswith(ZIP_MAGIC):
        return "models-dev"
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"{"):
        if OPENROUTER.match(text):
            return "openrouter"
        if any(key in text for key in LITELLM_KEYS):
            return "litellm"
        return None
    first_line = text.split(b"\n", 1)[0].decode("utf-8", errors="replace").strip()
    columns = {cell.strip().lower() for cell in first_line.split(",")}
    if columns >= csv_format.REQUIRED:
        return "csv"
    return None


def read_head(upload) -> bytes:
    """The first bytes of an uploaded file, leaving it to be read again from the start."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    return head
