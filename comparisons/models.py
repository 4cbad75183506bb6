"""The editorial layer over a pair of models. Every published pair has a page whether or
not a row exists here; a row only adds what an editor chose to say."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from catalog.models import LanguageModel
from catalog.pairs import canonical_pair


def canonical_lineup(slugs: Iterable[str]) -> tuple[str, ...]:
    """The one URL order of several models, as for a pair: alphabetical by slug."""
    return tuple(sorted(slugs))


class Comparison(models.Model):
    model_a = models.ForeignKey(LanguageModel, on_delete=models.CASCADE, related_name="+")
    model_b = models.ForeignKey(LanguageModel, on_delete=models.CASCADE, related_name="+")
    featured = models.BooleanField(default=False, help_text="Show on the home page.")
    editor_note = models.TextField(
        blank=True, help_text="Shown on the page as written (plain text, escaped)."
    )
    verdict_override = models.TextField(
        blank=True, help_text="Replaces the generated verdict when set (plain text)."
    )
    noindex = models.BooleanField(default=False, help_text="Ask search engines not to index.")
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["model_a__name", "model_b__name"]
        constraints = [
            models.UniqueConstraint(fields=["model_a", "model_b"], name="comparison_unique_pair"),
            models.CheckConstraint(
                condition=~Q(model_a=F("model_b")),
                name="comparison_not_self",
                violation_error_message="A model cannot be compared with itself.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.model_a} vs {self.model_b}"

    def clean(self) -> None:
        if self.model_a_id and self.model_a_id == self.model_b_id:
            raise ValidationError({"model_b": "A model cannot be compared with itself."})

    def save(self, *args, **kwargs):
        # Store the pair in canonical order so (a, b) and (b, a) are one row.
        if self.model_a_id and self.model_b_id and self.model_a.slug > self.model_b.slug:
            self.model_a, self.model_b = self.model_b, self.model_a
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        a, b = canonical_pair(self.model_a.slug, self.model_b.slug)
        return reverse("comparisons:detail", kwargs={"pair": f"{a}-vs-{b}"})
