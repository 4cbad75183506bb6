"""The admin index's price-watch box: open findings by kind, each linking to its list."""

from decimal import Decimal

from django import template
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.http import urlencode

from pricewatch.models import Finding

register = template.Library()

TENFOLD = Decimal("9")  # a relative difference of 9 or more: one value 10x the other


def open_finding_counts(request) -> dict:
    """Open findings by kind, and those 10x apart, counted once per request: the start
    panel and the price-watch box both show them."""
    counts = getattr(request, "_open_finding_counts", None)
    if counts is None:
        open_findings = Q(status=Finding.Status.OPEN)
        counts = Finding.objects.aggregate(
            **{
                kind: Count("pk", filter=open_findings & Q(kind=kind))
                for kind in Finding.Kind.values
            },
            tenfold=Count("pk", filter=open_findings & Q(relative_difference__gte=TENFOLD)),
        )
        request._open_finding_counts = counts
    return counts


@register.inclusion_tag("admin/pricewatch/summary.html", takes_context=True)
def price_watch_summary(context):
    if not context["request"].user.has_perm("pricewatch.view_finding"):
        return {"rows": []}
    counts = open_finding_counts(context["request"])
    changelist = reverse("admin:pricewatch_finding_changelist")

    def link(**filters) -> str:
        return f"{changelist}?{urlencode({'status': Finding.Status.OPEN, **filters})}"

    rows = [
        {"label": label, "count": counts[kind], "url": link(kind=kind)}
        for kind, label in Finding.Kind.choices
    ]
    rows.insert(
        1, {"label": "Disagree by 10x or more", "count": counts["tenfold"], "url": link(size="10x")}
    )
    return {"rows": rows, "total": sum(counts[kind] for kind in Finding.Kind.values)}


@register.simple_tag(takes_context=True)
def open_findings_row(context):
    """The editor's start panel's row for price watch: open findings, linking to them;
    None for staff who may not see findings."""
    request = context["request"]
    if not request.user.has_perm("pricewatch.view_finding"):
        return None
    counts = open_finding_counts(request)
    changelist = reverse("admin:pricewatch_finding_changelist")
    return {
        "label": "Open price-watch findings",
        "count": sum(counts[kind] for kind in Finding.Kind.values),
        "url": f"{changelist}?{urlencode({'status': Finding.Status.OPEN})}",
        "kind": "finding-open",
    }
