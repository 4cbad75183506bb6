"""Moved to `catalog.plausibility` (pure validation of catalog figures belongs to the
catalog); these names stay importable from here for code written against the old path."""

from catalog.plausibility import PlausibilityWarning, check_limits, check_price

__all__ = ["PlausibilityWarning", "check_limits", "check_price"]
