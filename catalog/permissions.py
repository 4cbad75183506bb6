"""Who may see what is not public yet."""

from __future__ import annotations


def can_preview_drafts(request) -> bool:
    """Staff may open draft models and their comparisons (shown as a preview)."""
    return bool(request.user.is_authenticated and request.user.is_staff)
