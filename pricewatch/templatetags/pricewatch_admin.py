"""The admin index's price-watch box: open findings by kind, each linking to its list."""

from decimal import Decimal

from django import template
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.http import urlencode

from pricewatch.models import Finding

register = template.Library()

TENFOLD = Decimal("9")  # a relative difference of 9 or more: one value 10x the other


@register.inclusion_tag("admin/pricewatch/summary.html", takes_context=True)
def price_watch_summary(context):
    if not context["request"].user.has_perm("pricewatch.view_finding"):
        return {"rows": []}
    open_findings = Q(status=Finding.Status.OPEN)
    counts = Finding.objects.aggregate(
        **{kind: Count("pk", filter=open_findings & Q(kind=kind)) for kind in Finding.Kind.values},
        tenfold=Count("pk", filter=open_findings & Q(relative_difference__gte=TENFOLD)),
    )
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
