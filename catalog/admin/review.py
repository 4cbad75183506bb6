"""The review queue, "New from sources": drafts an import proposed, each beside what
every source said of it, to publish (one or many), merge into a model we carry (its ids
become aliases) or reject (remembered, so no rerun proposes it again)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from catalog.admin.lists import BoundedListMixin, EvidenceSourceFilter
from catalog.formatting import format_tokens
from catalog.models import CAPABILITIES, DraftModel, LanguageModel, RejectedModel
from catalog.services import merge_draft, publish, reject_draft

# The facts compared side by side: (label, attribute on the draft, key in the evidence).
COMPARED = [
    ("Name", "name", "name"),
    ("Maker", "organization", "organization"),
    ("Released", "release_date", "release_date"),
    ("Context window", "context_window", "context_window"),
    ("Max output", "max_output_tokens", "max_output_tokens"),
    ("Knowledge cutoff", "knowledge_cutoff", "knowledge"),
    ("Open weights", "open_weights", "open_weights"),
    ("Licence", "license", "license"),
    ("Input", "input_modalities", "input_modalities"),
    ("Output", "output_modalities", "output_modalities"),
    ("Lifecycle", "lifecycle", "lifecycle"),
]


def _shown(value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


@admin.register(DraftModel)
class DraftModelAdmin(BoundedListMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "organization",
        "release_date",
        "context_display",
        "offering_count",
        "source_list",
    ]
    list_filter = ["organization", EvidenceSourceFilter]
    list_select_related = ["organization"]
    search_fields = ["name", "slug", "aliases__key", "offerings__provider_model_id"]
    actions = ["publish_selected", "reject_selected", "merge_selected"]
    readonly_fields = ["what_the_sources_said", "offerings_proposed"]
    fields = [
        "what_the_sources_said",
        "offerings_proposed",
        ("name", "slug"),
        "organization",
        "release_date",
        ("context_window", "max_output_tokens"),
        ("license", "open_weights"),
        "knowledge_cutoff",
        ("input_modalities", "output_modalities"),
        "lifecycle",
    ]
    autocomplete_fields = ["organization"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(status=LanguageModel.Status.DRAFT)
            .annotate(offering_total=Count("offerings", distinct=True))
            .prefetch_related("evidence")
        )

    def has_add_permission(self, request):
        return False  # drafts come from imports; a hand-made model is added as a model

    @admin.display(description="Context", ordering="context_window")
    def context_display(self, obj):
        return format_tokens(obj.context_window)

    @admin.display(description="Offerings", ordering="offering_total")
    def offering_count(self, obj):
        return obj.offering_total

    @admin.display(description="Sources")
    def source_list(self, obj):
        return ", ".join(sorted(e.source for e in obj.evidence.all())) or "—"

    @admin.display(description="What each source said")
    def what_the_sources_said(self, obj):
        evidence = sorted(obj.evidence.all(), key=lambda e: e.source)
        if not evidence:
            return "No source evidence is stored for this draft."
        head = format_html(
            "<tr><th scope='col'>Field</th><th scope='col'>Proposed</th>{}</tr>",
            format_html_join(
                "",
                "<th scope='col'>{} <small>(as of {})</small></th>",
                ((e.source, e.as_of or "undated") for e in evidence),
            ),
        )
        rows = []
        for label, attribute, key in COMPARED:
            proposed = getattr(obj, attribute)
            if attribute.endswith("_modalities"):
                proposed = proposed.replace(",", ", ")
            said = [_shown(e.facts.get(key)) for e in evidence]
            rows.append((label, _shown(proposed), said))
        for key, label in CAPABILITIES:
            said = [_shown((e.facts.get("capabilities") or {}).get(key)) for e in evidence]
            rows.append((label, _shown(getattr(obj, key)), said))
        body = format_html_join(
            "",
            "<tr><th scope='row'>{}</th><td>{}</td>{}</tr>",
            (
                (label, proposed, format_html_join("", "<td>{}</td>", ((v,) for v in said)))
                for label, proposed, said in rows
            ),
        )
        return format_html(
            "<table class='source-comparison'><caption>{}</caption><thead>{}</thead>"
            "<tbody>{}</tbody></table>",
            "The proposed record beside each source's statement",
            head,
            body,
        )

    @admin.display(description="Offerings")
    def offerings_proposed(self, obj):
        offerings = obj.offerings.select_related("provider", "current_price")
        return (
            format_html_join(
                "",
                "<div>{} — <code>{}</code>: {}</div>",
                (
                    (
                        o.provider.name,
                        o.provider_model_id,
                        f"${o.current_price.input} in / ${o.current_price.output} out per 1M"
                        if o.current_price
                        else "no current price",
                    )
                    for o in offerings
                ),
            )
            or "None"
        )

    @admin.action(description="Publish selected models", permissions=["change"])
    def publish_selected(self, request, queryset):
        count = 0
        for model in queryset:
            publish(model)
            count += 1
        self.message_user(request, f"Published {count} models; their pages are live.")

    @admin.action(description="Reject selected (not proposed again)", permissions=["delete"])
    def reject_selected(self, request, queryset):
        names = []
        for model in queryset:
            reject_draft(model, user=request.user, note="Rejected in the review queue.")
            names.append(model.name)
        self.message_user(
            request,
            f"Rejected {len(names)}: {', '.join(names)}. Imports will not propose them again.",
        )

    @admin.action(description="Merge selected into a model we carry…", permissions=["delete"])
    def merge_selected(self, request, queryset):
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        return redirect(f"{reverse('admin:catalog_draftmodel_merge')}?ids={ids}")

    def get_urls(self):
        urls = [
            path(
                "merge/",
                self.admin_site.admin_view(self.merge_view),
                name="catalog_draftmodel_merge",
            )
        ]
        return urls + super().get_urls()

    def merge_view(self, request):
        if not self.has_delete_permission(request):
            raise PermissionDenied
        raw = request.POST.get("ids") or request.GET.get("ids") or ""
        ids = [int(part) for part in raw.split(",") if part.strip().isdigit()]
        drafts = list(self.get_queryset(request).filter(pk__in=ids))
        if not drafts:
            self.message_user(request, "Choose the drafts to merge first.", messages.WARNING)
            return redirect("admin:catalog_draftmodel_changelist")
        form = MergeForm(request.POST or None, exclude=[d.pk for d in drafts])
        if request.method == "POST" and form.is_valid():
            target = form.cleaned_data["into"]
            for draft in drafts:
                merge_draft(draft, into=target)
            self.message_user(
                request,
                f"Merged {', '.join(d.name for d in drafts)} into {target}: their ids are "
                "now its aliases.",
            )
            return redirect("admin:catalog_draftmodel_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge into a model we carry",
            "drafts": drafts,
            "form": form,
            "ids": ",".join(str(d.pk) for d in drafts),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/catalog/draftmodel/merge.html", context)


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(
        queryset=LanguageModel.objects.none(),
        label="The model these drafts are",
        help_text="Their ids become its aliases; their offerings join it.",
    )

    def __init__(self, *args, exclude=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = (
            LanguageModel.objects.exclude(pk__in=exclude)
            .select_related("organization")
            .order_by("name")
        )


@admin.register(RejectedModel)
class RejectedModelAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "source", "rejected_by", "rejected_at"]
    search_fields = ["key", "name"]
    readonly_fields = ["rejected_by", "rejected_at"]
