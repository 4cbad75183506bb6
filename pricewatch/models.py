"""What other published sources say about our offerings, and where they disagree."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from catalog.models import LanguageModel, Offering, Provider

SOURCES = ("models-dev", "openrouter", "litellm", "genai-prices")
FIELDS = ("input", "output", "cache_read", "cache_write", "context_window", "max_output_tokens")
PRICE_FIELD_NAMES = FIELDS[:4]
# The `field` of a finding about a whole offering rather than one of its figures.
WHOLE_OFFERING = "offering"


class Finding(models.Model):
    """Where a source and we differ: one field of one offering, or a whole offering that
    one side lists and the other does not."""

    class Kind(models.TextChoices):
        DISAGREE = "disagree", "Disagree"
        MISSING_HERE = "missing_here", "Missing here (they state a value, we have none)"
        NOT_IN_SOURCE = "not_in_source", "Missing there (the source lacks our offering)"
        NOT_IN_CATALOG = "not_in_catalog", "Missing here (we lack the source's offering)"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DISMISSED = "dismissed", "Dismissed (ours is right)"
        ACCEPTED = "accepted", "Accepted (took theirs)"
        RESOLVED = "resolved", "Resolved (values agree)"

    source = models.CharField(max_length=20, choices=[(s, s) for s in SOURCES])
    offering = models.ForeignKey(
        Offering,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="findings",
        help_text="Empty when the source lists an offering we do not carry.",
    )
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="+")
    model = models.ForeignKey(
        LanguageModel,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Our model the source's offering runs, when we do not carry the offering.",
    )
    provider_model_id = models.CharField(max_length=200, help_text="The id the source uses.")
    field = models.CharField(max_length=20, choices=[(f, f) for f in (*FIELDS, WHOLE_OFFERING)])
    kind = models.CharField(max_length=14, choices=Kind.choices, default=Kind.DISAGREE)
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
    # For a whole offering we lack: the source's figures (strings, USD per 1M tokens),
    # so "take theirs" can add it: {"input": "1.25", "output": "10", ...}.
    their_figures = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-last_seen", "source", "field"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "offering", "field"], name="finding_unique_per_field"
            ),
            models.UniqueConstraint(
                fields=["source", "provider", "model"],
                condition=models.Q(kind="not_in_catalog"),
                name="finding_unique_missing_offering",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="not_in_catalog", offering__isnull=True, model__isnull=False)
                    | (~models.Q(kind="not_in_catalog") & models.Q(offering__isnull=False))
                ),
                name="finding_names_offering_or_model",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source}: {self.subject} {self.field}"

    @property
    def subject(self) -> str:
        if self.offering_id is not None:
            return str(self.offering)
        if self.status == self.Status.ACCEPTED:
            return f"{self.model} on {self.provider} (added from {self.source})"
        return f"{self.model} on {self.provider} (not in our catalog)"

    @property
    def their_figures_text(self) -> str:
        """A source's price for an offering we lack: "$0.50 in / $1.50 out per 1M"."""
        figures = self.their_figures or {}
        if not figures.get("input") or not figures.get("output"):
            return ""
        return f"${figures['input']} in / ${figures['output']} out per 1M"


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
