"""The admin index's review summary: how many records nobody has checked lately."""

from datetime import timedelta

from django import template
from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from catalog.models import LanguageModel, Offering

register = template.Library()


def stale_q() -> Q:
    cutoff = timezone.localdate() - timedelta(days=settings.CATALOG_STALE_AFTER_DAYS)
    return Q(last_reviewed__isnull=True) | Q(last_reviewed__lt=cutoff)


@register.inclusion_tag("admin/catalog/stale_summary.html", takes_context=True)
def stale_summary(context):
    """Counts of stale models and offerings, each linking to its filtered list."""
    user = context["request"].user
    rows = []
    for model, name in ((LanguageModel, "models"), (Offering, "offerings")):
        opts = model._meta
        if not user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            continue
        count = model.objects.filter(stale_q()).count()
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist") + "?stale=yes"
        rows.append({"name": name, "count": count, "url": url})
    return {
        "rows": rows,
        "days": settings.CATALOG_STALE_AFTER_DAYS,
        "can_see_changes": user.has_perm("catalog.view_price"),
        "can_import": user.has_perm("catalog.can_import_prices"),
    }
