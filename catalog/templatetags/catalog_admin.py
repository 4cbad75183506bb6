"""The admin index's start panel: what needs an editor's attention, each a count linking
to the list that shows it. Other apps add rows (price watch's open findings) through the
template, since catalog does not import them."""

from datetime import timedelta

from django import template
from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from catalog.admin import workbench
from catalog.changes import OTHERS_WINDOW_DAYS, price_changes_by_others
from catalog.models import DraftModel, LanguageModel, Offering

register = template.Library()

# Counting others' price changes lists them; past this many the panel says "100+".
OTHERS_COUNT_LIMIT = 100


def stale_q() -> Q:
    cutoff = timezone.localdate() - timedelta(days=settings.CATALOG_STALE_AFTER_DAYS)
    return Q(last_reviewed__isnull=True) | Q(last_reviewed__lt=cutoff)


def _changelist(model, **params) -> str:
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def _row(label: str, count, url: str, kind: str) -> dict:
    return {"label": label, "count": count, "url": url, "kind": kind}


@register.inclusion_tag("admin/catalog/editor_start.html", takes_context=True)
def editor_start(context, *more_rows):
    """Counts of stale models and offerings, drafts in the review queue and price
    changes by others, plus `more_rows` from other apps; a fixed number of queries."""
    user = context["request"].user
    may_view = {
        model: user.has_perm(f"catalog.view_{model._meta.model_name}")
        for model in (LanguageModel, Offering, DraftModel)
    }
    # Drafts are language models: one query counts both.
    models = LanguageModel.objects.aggregate(
        stale=Count("pk", filter=stale_q()),
        drafts=Count("pk", filter=Q(status=LanguageModel.Status.DRAFT)),
    )
    rows = []
    if may_view[LanguageModel]:
        rows.append(
            _row("Stale models", models["stale"], _changelist(LanguageModel, stale="yes"), "stale")
        )
    if may_view[Offering]:
        stale_offerings = Offering.objects.filter(stale_q()).count()
        rows.append(
            _row("Stale offerings", stale_offerings, _changelist(Offering, stale="yes"), "stale")
        )
    rows.extend(row for row in more_rows if row)
    if may_view[DraftModel]:
        rows.append(
            _row(
                "New from sources (review queue)",
                models["drafts"],
                _changelist(DraftModel),
                "review",
            )
        )
    if user.has_perm("catalog.view_price"):
        changes = price_changes_by_others(user, limit=OTHERS_COUNT_LIMIT)
        count = len(changes)
        rows.append(
            _row(
                f"Price changes by others, last {OTHERS_WINDOW_DAYS} days",
                f"{count}+" if count >= OTHERS_COUNT_LIMIT else count,
                reverse("admin:catalog_price_recent_changes") + "?by=others",
                "others",
            )
        )
    return {
        "rows": rows,
        "days": settings.CATALOG_STALE_AFTER_DAYS,
        "can_use_workbench": workbench.can_use(context["request"]),
        "can_see_changes": user.has_perm("catalog.view_price"),
        "can_import": user.has_perm("catalog.can_import_prices"),
    }
