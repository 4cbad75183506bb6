"""Review status in the lists: the stale filter, the behind-the-maker filter and the *Mark
reviewed today* action."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from catalog.models import Offering, Price
from catalog.services import mark_reviewed


class StaleFilter(admin.SimpleListFilter):
    title = "review status"
    parameter_name = "stale"

    def lookups(self, request, model_admin):
        days = settings.CATALOG_STALE_AFTER_DAYS
        return [("yes", f"Stale (not reviewed for {days} days)"), ("no", "Reviewed recently")]

    def queryset(self, request, queryset):
        cutoff = timezone.localdate() - timedelta(days=settings.CATALOG_STALE_AFTER_DAYS)
        stale = Q(last_reviewed__isnull=True) | Q(last_reviewed__lt=cutoff)
        if self.value() == "yes":
            return queryset.filter(stale)
        if self.value() == "no":
            return queryset.exclude(stale)
        return queryset


def behind_the_maker(offerings):
    """The offerings of other providers still at the price the maker has just left: their
    current input and output are the maker's own API's previous price (the one before
    its current one), and their newest evidence (the price's date, or its last check if
    later) is older than the maker's current price. Claude Sonnet 5 in the seed:
    Anthropic moved from $2/$10 to $3/$15 on 1 September, and three clouds were last seen
    at $2/$10 in July. A reseller with a price of its own (a markup, a discount, or one
    the maker charged two changes ago) is not listed. The maker's own API is a provider
    whose `maker` is the model's organisation."""
    evidence_on = Greatest(
        "current_price__effective_date",
        Coalesce("current_price__checked_on", "current_price__effective_date"),
    )
    previous = Price.objects.filter(
        offering=OuterRef("pk"),
        tier=Price.Tier.STANDARD,
        context_threshold=0,
        effective_date__lt=OuterRef("current_price__effective_date"),
    ).order_by("-effective_date")
    newer_at_the_maker = (
        Offering.objects.filter(
            model=OuterRef("model"),
            provider__maker=OuterRef("model__organization"),
            current_price__effective_date__gt=OuterRef("evidence_on"),
        )
        .exclude(
            current_price__input=OuterRef("current_price__input"),
            current_price__output=OuterRef("current_price__output"),
        )
        .annotate(
            previous_input=Subquery(previous.values("input")[:1]),
            previous_output=Subquery(previous.values("output")[:1]),
        )
        .filter(
            previous_input=OuterRef("current_price__input"),
            previous_output=OuterRef("current_price__output"),
        )
    )
    return (
        offerings.filter(current_price__isnull=False)
        .exclude(provider__maker=F("model__organization"))
        .alias(evidence_on=evidence_on)
        .filter(Exists(newer_at_the_maker))
    )


class BehindMakerFilter(admin.SimpleListFilter):
    """Offerings still at the price the maker has just left (behind_the_maker)."""

    title = "maker's price"
    parameter_name = "behind_maker"

    def lookups(self, request, model_admin):
        return [("yes", "Still at the price the maker has left")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return behind_the_maker(queryset)
        return queryset


@admin.action(description="Mark reviewed today")
def mark_reviewed_today(modeladmin, request, queryset):
    count = mark_reviewed(queryset)
    noun = "record" if count == 1 else "records"
    modeladmin.message_user(request, f"Marked {count} {noun} reviewed today.", messages.SUCCESS)
