from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.db.models import Exists, OuterRef
from django.template.response import TemplateResponse

from catalog.admin import workbench
from catalog.admin.lists import BoundedListMixin
from catalog.formatting import format_tokens, format_usd_exact
from pricewatch.models import PRICE_FIELD_NAMES, Finding, OfferingCheck
from pricewatch.services import FindingRefused, dismiss, take_theirs


class DisagreementSize(admin.SimpleListFilter):
    title = "size of disagreement"
    parameter_name = "size"
    BANDS = {
        "small": ("under 10%", None, Decimal("0.1")),
        "medium": ("10% to 100%", Decimal("0.1"), Decimal("1")),
        "large": ("over 100%", Decimal("1"), Decimal("9")),
        "10x": ("10x or more", Decimal("9"), None),
    }

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _lo, _hi) in self.BANDS.items()]

    def queryset(self, request, queryset):
        band = self.BANDS.get(self.value())
        if band is None:
            return queryset
        _label, low, high = band
        if low is not None:
            queryset = queryset.filter(relative_difference__gte=low)
        if high is not None:
            queryset = queryset.filter(relative_difference__lt=high)
        return queryset


def figure_text(field: str, value) -> str:
    """A finding's figure as the rest of the admin shows it: a price "$1.25" (per 1M
    tokens), a limit "128K", never the stored "1.250000"."""
    if value is None:
        return "-"
    if field in PRICE_FIELD_NAMES:
        return format_usd_exact(value)
    return format_tokens(int(value))


class NoteForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Why ours is right")


@admin.register(Finding)
class FindingAdmin(BoundedListMixin, admin.ModelAdmin):
    # One line at 1280 px; the source, kind and dates are filters or on the finding's page.
    list_display = ("subject", "field", "ours", "theirs", "difference", "status")
    list_filter = (
        "status",
        "kind",
        "source",
        "field",
        ("provider", admin.RelatedOnlyFieldListFilter),
        DisagreementSize,
    )
    search_fields = ("offering__model__name", "model__name", "provider_model_id")
    list_select_related = ("offering__model", "offering__provider", "model", "provider")
    readonly_fields = [f.name for f in Finding._meta.fields if f.name != "note"]
    actions = ("ours_is_right", "take_theirs_action")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="offering", ordering="provider__name")
    def subject(self, finding):
        return finding.subject

    @admin.display(description="our value", ordering="our_value")
    def ours(self, finding):
        return figure_text(finding.field, finding.our_value)

    @admin.display(description="their value", ordering="their_value")
    def theirs(self, finding):
        if finding.their_value is not None:
            return figure_text(finding.field, finding.their_value)
        return finding.their_figures_text or "-"

    @admin.display(description="difference", ordering="relative_difference")
    def difference(self, finding):
        if finding.relative_difference is None:
            return "-"
        return f"{finding.relative_difference * 100:.1f}%"

    @admin.action(description="Ours is right (dismiss, with a note)", permissions=["change"])
    def ours_is_right(self, request, queryset):
        form = NoteForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            for finding in queryset:
                dismiss(finding, user=request.user, note=form.cleaned_data["note"])
            self.message_user(request, f"Dismissed {queryset.count()} finding(s).")
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Ours is right",
            "findings": queryset,
            "form": form,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/pricewatch/finding/dismiss.html", context)

    @admin.action(description="Take theirs (record their value)", permissions=["change"])
    def take_theirs_action(self, request, queryset):
        done = 0
        for finding in queryset.select_related("offering__model", "model", "provider"):
            try:
                take_theirs(finding, user=request.user)
                done += 1
            except FindingRefused as exc:
                self.message_user(request, str(exc), messages.ERROR)
        if done:
            self.message_user(request, f"Took the source's value for {done} finding(s).")


@admin.register(OfferingCheck)
class OfferingCheckAdmin(BoundedListMixin, admin.ModelAdmin):
    list_display = ("offering", "source", "agrees", "checked_on")
    list_filter = ("source", "agrees")
    list_select_related = ("offering__model", "offering__provider")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OpenFindingFilter(admin.SimpleListFilter):
    """The price workbench's "open price-watch finding" filter: offerings a source
    disagrees with, to check and correct in place."""

    title = "price watch"
    parameter_name = "finding"

    def lookups(self, request, model_admin):
        return [("open", "Has an open finding"), ("none", "No open finding")]

    def queryset(self, request, queryset):
        open_findings = Finding.objects.filter(offering=OuterRef("pk"), status=Finding.Status.OPEN)
        if self.value() == "open":
            return queryset.filter(Exists(open_findings))
        if self.value() == "none":
            return queryset.exclude(Exists(open_findings))
        return queryset


workbench.extra_filters.append(OpenFindingFilter)
