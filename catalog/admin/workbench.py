"""The price workbench (/admin/catalog/offering/workbench/): offerings with their current
prices editable in place, one small form per row, so an editor updates a price in
seconds. Tab moves through the cells and Enter saves the row: without JavaScript the
form posts and the page comes back with a message; with it (static/js/workbench.js) the
row is saved by fetch and redrawn where it stands.

Every save goes through `record_price` (dated, in the history, caches refreshed) and the
same plausibility check as the price form, confirmed with the same checkbox."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect, JsonResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone

from catalog.admin.confirmation import confirm_warnings_field, hold_implausible
from catalog.admin.lists import BoundedListMixin, ChosenModelFilter
from catalog.admin.money import money_field
from catalog.admin.staleness import BehindMakerFilter, StaleFilter
from catalog.admin.widgets import TemplateFreeInput
from catalog.changes import FIELD_LABELS
from catalog.formatting import format_date, format_usd_exact
from catalog.models import Offering
from catalog.plausibility import check_price
from catalog.services import PriceInput, price_in_force, record_price

PRICE_FIELDS = ("input", "output", "cache_read", "cache_write")
PER_PAGE = 50
# The rows saved by the last post, shown old -> new once the page comes back.
SAVED_SESSION_KEY = "price_workbench_saved"
# Filters other apps add (price watch: "open finding"); they register from their admin
# module, since catalog does not import the apps built on it.
extra_filters: list = []


def can_use(request) -> bool:
    user = request.user
    return user.has_perm("catalog.change_offering") or user.has_perm("catalog.change_price")


class DateCell(TemplateFreeInput, forms.DateInput):
    pass


class RowForm(forms.Form):
    """One offering's current standard price, as the editor retypes it."""

    input = money_field("Input", required=True)
    output = money_field("Output", required=True)
    cache_read = money_field("Cached input")
    cache_write = money_field("Cache write")
    effective_date = forms.DateField(
        label="From",
        widget=DateCell(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text="The day the price takes effect (today unless you choose another).",
    )
    confirm_warnings = confirm_warnings_field()

    def __init__(self, *args, offering: Offering, **kwargs):
        price = offering.current_price
        initial = {name: getattr(price, name) if price else None for name in PRICE_FIELDS}
        initial["effective_date"] = timezone.localdate()
        super().__init__(*args, initial=initial, prefix=f"o{offering.pk}", **kwargs)
        self.offering = offering
        self.warnings = []
        # The cells sit in table cells apart from their <form>; the attribute ties them.
        for form_field in self.fields.values():
            form_field.widget.attrs["form"] = form_id(offering)
            form_field.widget.attrs["aria-label"] = f"{form_field.label} for {offering}"
        for name in PRICE_FIELDS:
            self.fields[name].widget.attrs["size"] = 8

    def clean(self):
        cleaned = super().clean()
        if any(cleaned.get(name) is None for name in ("input", "output", "effective_date")):
            return cleaned
        previous = price_in_force(self.offering, on=cleaned["effective_date"])
        self.warnings = check_price(
            cleaned, previous=previous, provider_model_id=self.offering.provider_model_id
        )
        hold_implausible(self, self.warnings)
        return cleaned

    def price(self) -> PriceInput:
        data = self.cleaned_data
        return PriceInput(
            input=data["input"],
            output=data["output"],
            cache_read=data.get("cache_read"),
            cache_write=data.get("cache_write"),
        )


def form_id(offering: Offering) -> str:
    return f"row-{offering.pk}"


def row_id(offering: Offering) -> str:
    return f"offering-{offering.pk}"


@dataclass
class Row:
    offering: Offering
    form: RowForm
    saved: dict = field(default_factory=dict)

    @property
    def form_id(self) -> str:
        return form_id(self.offering)

    @property
    def row_id(self) -> str:
        return row_id(self.offering)


class WorkbenchAdmin(BoundedListMixin, admin.ModelAdmin):
    """The changelist machinery (filters, search, paging) for the workbench's rows; not
    registered: OfferingAdmin serves its page."""

    list_display = ["__str__"]
    list_display_links = None
    actions = None
    list_per_page = PER_PAGE
    list_select_related = ["model__organization", "provider", "current_price"]
    search_fields = ["model__name", "provider__name", "provider_model_id", "aliases__alias"]
    search_help_text = "Model, provider or the provider's model id"

    def get_list_filter(self, request):
        return [
            StaleFilter,
            BehindMakerFilter,
            *extra_filters,
            "provider",
            "model__organization",
            ("model", ChosenModelFilter),
        ]


def workbench_view(model_admin, request):
    """The workbench page (GET), or one row's save (POST)."""
    if not can_use(request):
        raise PermissionDenied
    workbench = WorkbenchAdmin(Offering, model_admin.admin_site)
    wants_json = "application/json" in request.headers.get("Accept", "")
    if request.method == "POST":
        return _save_row(workbench, request, wants_json=wants_json)
    return _page(workbench, request)


def _page(workbench, request, *, bound: RowForm | None = None):
    try:
        changelist = workbench.get_changelist_instance(request)
    except IncorrectLookupParameters:
        return HttpResponseRedirect(request.path)
    saved = request.session.pop(SAVED_SESSION_KEY, {}) if request.method == "GET" else {}
    rows = []
    for offering in changelist.result_list:
        if bound is not None and bound.offering.pk == offering.pk:
            form = bound
        else:
            form = RowForm(offering=offering)
        rows.append(Row(offering, form, saved.get(str(offering.pk), {})))
    context = {
        **workbench.admin_site.each_context(request),
        "title": "Price workbench",
        "opts": Offering._meta,
        "cl": changelist,
        "rows": rows,
        "today": timezone.localdate(),
    }
    return TemplateResponse(request, "admin/catalog/offering/workbench.html", context)


def _save_row(workbench, request, *, wants_json: bool):
    offering = _posted_offering(request)
    if offering is None:
        message = "That offering no longer exists; reload the workbench."
        if wants_json:
            return JsonResponse({"ok": False, "message": message}, status=400)
        messages.error(request, message)
        return HttpResponseRedirect(request.get_full_path())
    form = RowForm(request.POST, offering=offering)
    saved = _record(form) if form.is_valid() else None
    if saved is None:
        if wants_json:
            return JsonResponse(
                {"ok": False, "row": _row_html(request, Row(offering, form))}, status=400
            )
        return _page(workbench, request, bound=form)
    message = _saved_message(offering, saved)
    if wants_json:
        row = Row(offering, RowForm(offering=offering), saved)
        return JsonResponse({"ok": True, "row": _row_html(request, row), "message": message})
    messages.add_message(request, messages.SUCCESS if saved["changed"] else messages.INFO, message)
    request.session[SAVED_SESSION_KEY] = {str(offering.pk): saved}
    return HttpResponseRedirect(f"{request.get_full_path()}#{row_id(offering)}")


def _posted_offering(request) -> Offering | None:
    key = request.POST.get("offering", "")
    if not key.isdigit():
        return None
    return (
        Offering.objects.select_related("model", "provider", "current_price")
        .filter(pk=int(key))
        .first()
    )


def _record(form: RowForm) -> dict | None:
    """Record the row's price; what changed, as display text, or None when the price
    service refused it (its message is then on the form)."""
    offering = form.offering
    effective: date = form.cleaned_data["effective_date"]
    before = price_in_force(offering, on=effective)
    try:
        _price, changed = record_price(
            offering=offering, price=form.price(), effective_date=effective
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return None
    new = form.price()
    lines = [
        {
            "field": FIELD_LABELS[name],
            "old": format_usd_exact(getattr(before, name) if before else None),
            "new": format_usd_exact(getattr(new, name)),
        }
        for name in PRICE_FIELDS
        if (getattr(before, name) if before else None) != getattr(new, name)
    ]
    return {
        "changed": changed,
        "lines": lines,
        "effective": format_date(effective),
        "scheduled": effective > timezone.localdate(),
    }


def _saved_message(offering: Offering, saved: dict) -> str:
    if not saved["changed"]:
        return f"{offering}: no change, the price from {saved['effective']} is the same."
    changes = "; ".join(f"{line['field']} {line['old']} → {line['new']}" for line in saved["lines"])
    return f"{offering}: {changes} (from {saved['effective']})."


def _row_html(request, row: Row) -> str:
    return render_to_string(
        "admin/catalog/offering/workbench_row.html", {"row": row}, request=request
    )
