"""What other published sources say about our offerings, and where they disagree."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from catalog.models import Offering

SOURCES = ("models-dev", "openrouter", "litellm", "genai-prices")
FIELDS = ("input", "output", "cache_read", "cache_write", "context_window", "max_output_tokens")
PRICE_FIELD_NAMES = FIELDS[:4]


class Finding(models.Model):
    """One field of one offering on which a source and we differ."""

    class Kind(models.TextChoices):
        DISAGREE = "disagree", "Disagree"
        MISSING_HERE = "missing_here", "Missing here"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DISMISSED = "dismissed", "Dismissed (ours is right)"
        ACCEPTED = "accepted", "Accepted (took theirs)"
        RESOLVED = "resolved", "Resolved (values agree)"

    source = models.CharField(max_length=20, choices=[(s, s) for s in SOURCES])
    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="findings")
    provider_model_id = models.CharField(max_length=200, help_text="The id the source uses.")
    field = models.CharField(max_length=20, choices=[(f, f) for f in FIELDS])
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.DISAGREE)
    our_value = models.DecimalField(max_digits=16, decimal_places=6, null=True, blank=True)
    their_value = models.DecimalField(max_digits=16, decimal_places=6, null=True, blank=True)
    relative_difference = models.DecimalField(
        max_digits=20,
        decimal_places=6,
        null=True,
        blank=True,
        help_text="|theirs - ours| / ours; empty when ours is zero or missing.",
    )
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-last_seen", "source", "field"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "offering", "field"], name="finding_unique_per_field"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source}: {self.offering} {self.field}"


class OfferingCheck(models.Model):
    """The last reconciliation of one offering against one source."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="price_checks")
    source = models.CharField(max_length=20, choices=[(s, s) for s in SOURCES])
    agrees = models.BooleanField()
    checked_on = models.DateField()
    # [{"field": ..., "ours": "2.5", "theirs": "25"}] for the fields that disagree.
    disagreements = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["source"]
        constraints = [
            models.UniqueConstraint(fields=["offering", "source"], name="check_unique_per_source")
        ]

    def __str__(self) -> str:
        return f"{self.offering} vs {self.source}: {'agrees' if self.agrees else 'disagrees'}"
