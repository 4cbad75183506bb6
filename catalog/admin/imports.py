"""The admin's import screens: upload -> job page (preview) -> apply, and CSV export.

The upload is staged (catalog.importers.staging) in the request; its preview and its
apply run as tasks (catalog.tasks) and the job page follows them: it refreshes itself
while one runs (a <meta> refresh, so no JavaScript is needed; scripts can poll the JSON
status endpoint instead), then shows the preview or, once applied, the result: each price
recorded and each draft created, linked (`applied_result`). Apply plans the file again
and writes only if the plan is still the one the editor saw.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from catalog import tasks
from catalog.formatting import format_date, format_tokens, pluralize
from catalog.importers import FORMAT_CHOICES, csv_format
from catalog.importers.detect import FORMAT_NAMES, detect_format, read_head
from catalog.importers.export import price_lines
from catalog.importers.jobs import PREVIEW_LIMIT
from catalog.importers.report import recorded_figure_text
from catalog.importers.source import ImportFormatError
from catalog.importers.staging import stage
from catalog.models import ImportJob, LanguageModel, Offering, Price

IMPORT_PERMISSION = "catalog.can_import_prices"
# How often the job page reloads itself while its task runs.
REFRESH_SECONDS = 2


DETECT = "detect"


class ImportUploadForm(forms.Form):
    format = forms.ChoiceField(
        choices=[(DETECT, "Detect from the file's content"), *FORMAT_CHOICES],
        initial=DETECT,
    )
    file = forms.FileField(
        help_text="CSV or JSON file; for models.dev a .zip of the tree (providers/, models/)."
    )
    add_new = forms.BooleanField(
        required=False,
        label="Also propose models we do not carry",
        help_text=(
            "New models, makers and providers arrive as drafts in Catalog › New from "
            "sources, for you to publish, merge or reject."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is {upload.size / 1_000_000:.1f} MB; imports are limited to "
                f"{limit / 1_000_000:.1f} MB. Nothing was imported."
            )
        return upload

    def clean(self):
        """The format the file is read as: the detected one, or the editor's choice when
        the content does not contradict it."""
        cleaned = super().clean()
        upload, chosen = cleaned.get("file"), cleaned.get("format")
        if upload is None or chosen is None:
            return cleaned
        detected = detect_format(read_head(upload))
        if chosen == DETECT:
            if detected is None:
                self.add_error(
                    "format",
                    "The format could not be told from the file's content: choose it. "
                    "Nothing was imported.",
                )
            else:
                cleaned["format"] = detected
        elif detected is not None and detected != chosen:
            self.add_error(
                "format",
                f"The file looks like {FORMAT_NAMES[detected]}, not "
                f"{FORMAT_NAMES[chosen]}: choose that format, or let the page detect it. "
                "Nothing was imported.",
            )
        return cleaned


def _require_import_permission(request) -> None:
    if not request.user.has_perm(IMPORT_PERMISSION):
        raise PermissionDenied


def _context(model_admin, request, title: str) -> dict:
    _require_import_permission(request)
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": title,
    }


def import_view(model_admin, request):
    """Upload: stage the file, queue its preview and go to the job page."""
    context = _context(model_admin, request, "Import a price list")
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        source_format = form.cleaned_data["format"]
        upload = form.cleaned_data["file"]
        try:
            token, _ = stage(upload, source_format)
        except ImportFormatError as exc:
            form.add_error("file", f"{exc} Nothing was imported.")
        else:
            job = tasks.start_preview(
                token=token,
                source_format=source_format,
                add_new=form.cleaned_data["add_new"],
                file_name=upload.name,
                user=request.user,
            )
            return redirect("admin:catalog_offering_import_job", job.pk)
    return TemplateResponse(
        request,
        "admin/catalog/import_upload.html",
        {
            **context,
            "form": form,
            "max_mb": f"{settings.IMPORT_MAX_BYTES / 1_000_000:.0f}",
            "csv_columns": [
                (name, name in csv_format.REQUIRED, help_text)
                for name, help_text in csv_format.COLUMN_HELP.items()
            ],
        },
    )


def _job(job_id: int, *, summary: bool) -> ImportJob:
    if summary:
        jobs = ImportJob.objects.select_related("created_by")
    else:  # the status endpoint: not the stored preview, which can be large
        jobs = ImportJob.objects.defer("preview", "report")
    job = jobs.filter(pk=job_id).first()
    if job is None:
        raise Http404("No such import.")
    return job


def progress(job: ImportJob) -> dict:
    """What a job is doing, for the page and the status endpoint alike."""
    text = f"{job.get_status_display()}."
    if job.finished:
        if job.rows_total:
            text += f" {job.rows_total:,} rows read."
    elif job.step:
        if job.rows_total:
            text += f" {job.step}: {job.rows_read:,} of {job.rows_total:,} rows."
        elif job.rows_read:
            text += f" {job.step}: {job.rows_read:,} rows."
        else:
            text += f" {job.step}."
    return {
        "phase": job.phase,
        "status": job.status,
        "finished": job.finished,
        "step": job.step,
        "rows_read": job.rows_read,
        "rows_total": job.rows_total,
        "percent": (job.rows_read * 100 // job.rows_total) if job.rows_total else None,
        "text": text,
        "error": job.error,
    }


def job_view(model_admin, request, job_id: int):
    """A job's progress while it runs, then its preview (POST applies it) or report."""
    context = _context(model_admin, request, "Import")
    job = _job(job_id, summary=True)
    if request.method == "POST":
        return _apply(request, job)
    preview = job.preview
    applied = job.phase == ImportJob.Phase.APPLY and job.status == ImportJob.Status.DONE
    if applied:
        title = "Import result"
    else:
        title = "Import preview" if job.phase == ImportJob.Phase.PREVIEW else "Import"
    return TemplateResponse(
        request,
        "admin/catalog/import_job.html",
        {
            **context,
            "title": title,
            "job": job,
            "progress": progress(job),
            "refresh_seconds": REFRESH_SECONDS,
            "status_url": reverse("admin:catalog_offering_import_job_status", args=[job.pk]),
            "preview": preview,
            "counts": preview.get("counts", {}),
            "limit": PREVIEW_LIMIT,
            "waited": (timezone.now() - job.updated_at).total_seconds(),
            "result": applied_result(job.report) if applied else None,
        },
    )


def applied_result(report: dict) -> dict:
    """An apply's result page from the job's stored report (jobs.applied_report): a
    one-line summary, each price recorded with links to its offering and the offering's
    price history, each draft with a link to it in the review queue. Two queries, for
    what still exists: an offering may have been deleted since, a draft published."""
    changes, drafts = report.get("changes", []), report.get("drafts", [])
    offerings = set()
    if changes:
        wanted = {c["offering"] for c in changes}
        offerings = set(Offering.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    statuses = {}
    if drafts:
        wanted = [d["id"] for d in drafts]
        statuses = dict(LanguageModel.objects.filter(pk__in=wanted).values_list("pk", "status"))
    recorded, created = report.get("prices_recorded", 0), report.get("offerings_created", 0)
    if recorded or report.get("additions"):
        summary = (
            f"Imported: {pluralize(created, 'offering')} created, "
            f"{pluralize(recorded, 'price')} recorded."
        )
    else:
        summary = (
            "Nothing changed: no price in the file differed from the catalog's, "
            "so nothing was written."
        )
    changes_total = report.get("changes_total", len(changes))
    drafts_total = report.get("drafts_total", len(drafts))
    return {
        "summary": summary,
        "changes": [_recorded_row(c, exists=c["offering"] in offerings) for c in changes],
        "changes_total": changes_total,
        "changes_rest": changes_total - len(changes),
        "drafts": [_draft_row(d, status=statuses.get(d["id"])) for d in drafts],
        "drafts_total": drafts_total,
        "drafts_rest": drafts_total - len(drafts),
    }


def _recorded_row(change: dict, *, exists: bool) -> dict:
    if change["created"]:
        what = "New offering"
    elif all(f["old"] is None for f in change["fields"]):
        what = "New price"
    else:
        what = "Price change"
    tier = []
    if change["tier"] != Price.Tier.STANDARD:
        tier.append(f"{Price.Tier(change['tier']).label} tier")
    if change["context_threshold"]:
        tier.append(f"above {format_tokens(change['context_threshold'])} tokens")
    pk = change["offering"]
    return {
        "model": change["model"],
        "provider": change["provider"],
        "provider_model_id": change["provider_model_id"],
        "what": what,
        "tier": ", ".join(tier),
        "effective": format_date(date.fromisoformat(change["effective_date"])),
        "figures": [recorded_figure_text(f["field"], f["old"], f["new"]) for f in change["fields"]],
        "offering_url": reverse("admin:catalog_offering_change", args=[pk]) if exists else "",
        "history_url": reverse("admin:catalog_offering_history", args=[pk]) if exists else "",
    }


def _draft_row(draft: dict, *, status: str | None) -> dict:
    """A draft created, linked where it is now: the review queue while it waits, the
    model's page once published; merged or rejected, it is gone."""
    url = ""
    if status == LanguageModel.Status.DRAFT:
        url = reverse("admin:catalog_draftmodel_change", args=[draft["id"]])
    elif status is not None:
        url = reverse("admin:catalog_languagemodel_change", args=[draft["id"]])
    return {**draft, "url": url, "waiting": status == LanguageModel.Status.DRAFT}


def job_status_view(model_admin, request, job_id: int):
    """The job's progress as JSON, for scripts polling it."""
    _require_import_permission(request)
    job = _job(job_id, summary=False)
    return JsonResponse(
        {
            "id": job.pk,
            **progress(job),
            "url": reverse("admin:catalog_offering_import_job", args=[job.pk]),
        }
    )


def _apply(request, job: ImportJob):
    if request.POST.get("fingerprint") != job.preview.get("fingerprint"):
        messages.warning(request, "This preview changed since you saw it. Review it again.")
    elif not tasks.start_apply(
        job, user=request.user, confirm_warnings=request.POST.get("confirm_warnings") == "on"
    ):
        messages.error(request, "This import is already being applied, or was applied.")
    return redirect("admin:catalog_offering_import_job", job.pk)


def csv_response(offerings, *, name: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    csv_format.write(price_lines(offerings), response)
    return response


def export_view(model_admin, request):
    """The whole catalog's prices in force today, as our CSV."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    return csv_response(model_admin.model.objects.all(), name="prices")
