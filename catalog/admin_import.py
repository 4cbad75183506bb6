"""The admin's import screens: upload -> preview -> confirm, and CSV export.

The uploaded file is kept in a staging folder between preview and confirm; confirm parses
it again and plans again, and applies only if the plan is still the one the editor saw.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
import time
import uuid
import zipfile
from pathlib import Path, PurePosixPath

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from catalog.changes import change_lines
from catalog.importers import FORMAT_CHOICES, PARSERS, csv_format
from catalog.importers.additions import apply_additions, build_additions
from catalog.importers.apply import ImportRefused, apply_plan
from catalog.importers.export import price_lines
from catalog.importers.plan import build_plan
from catalog.importers.report import change_text, price_label
from catalog.importers.source import ImportFormatError

IMPORT_PERMISSION = "catalog.can_import_prices"
TOKEN = re.compile(r"^[0-9a-f]{32}$")
PREVIEW_LIMIT = 200
STAGING_TTL_SECONDS = 24 * 3600


def staging_root() -> Path:
    return Path(settings.IMPORT_STAGING_DIR or tempfile.gettempdir()) / "catalog-imports"


class ImportUploadForm(forms.Form):
    format = forms.ChoiceField(choices=FORMAT_CHOICES)
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


def _stage(upload, source_format: str) -> tuple[str, Path]:
    """Keep an upload for the confirm step; returns its token and the path to parse."""
    _discard_expired()
    token = uuid.uuid4().hex
    folder = staging_root() / token
    folder.mkdir(parents=True)
    suffix = ".zip" if source_format == "models-dev" else ".upload"
    stored = folder / f"source{suffix}"
    with stored.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return token, _source_path(folder, source_format)


def _source_path(folder: Path, source_format: str) -> Path:
    if source_format != "models-dev":
        return folder / "source.upload"
    tree = folder / "tree"
    if not tree.exists():
        _unzip_tree(folder / "source.zip", tree)
    # A zip of the checkout folder itself holds one top folder around providers/.
    if not (tree / "providers").is_dir():
        inner = [p for p in tree.iterdir() if (p / "providers").is_dir()]
        if len(inner) == 1:
            return inner[0]
    return tree


def _unzip_tree(archive: Path, target: Path) -> None:
    """Extract the .toml files of a models.dev zip, refusing what could harm the server:
    paths outside the folder, and more than IMPORT_MAX_BYTES once unpacked."""
    try:
        with zipfile.ZipFile(archive) as bundle:
            members = [m for m in bundle.infolist() if m.filename.endswith(".toml")]
            total = sum(m.file_size for m in members)
            if total > settings.IMPORT_MAX_BYTES:
                raise ImportFormatError(
                    f"The zip unpacks to {total / 1_000_000:.1f} MB of TOML; imports are "
                    f"limited to {settings.IMPORT_MAX_BYTES / 1_000_000:.1f} MB."
                )
            target.mkdir()
            for member in members:
                name = PurePosixPath(member.filename)
                if name.is_absolute() or ".." in name.parts:
                    raise ImportFormatError(f"Unsafe path in the zip: {member.filename}")
                destination = target.joinpath(*name.parts)
                destination.parent.mkdir(parents=True, exist_ok=True)
                destination.write_bytes(bundle.read(member))
    except zipfile.BadZipFile:
        raise ImportFormatError("A models.dev import must be a .zip of the tree.") from None
    except OSError as exc:  # a file and a folder of one name, a name the disk refuses
        raise ImportFormatError(f"The zip cannot be unpacked: {exc.strerror}.") from None


def _discard_expired() -> None:
    """Previews nobody confirmed: drop their files after a day."""
    root = staging_root()
    if not root.is_dir():
        return
    cutoff = time.time() - STAGING_TTL_SECONDS
    for folder in root.iterdir():
        if TOKEN.match(folder.name) and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)


def _plan_for(path: Path, source_format: str, *, add_new: bool = False):
    """The price plan for the file and, with `add_new`, the drafts it would propose."""
    parsed = PARSERS[source_format](path)
    return build_plan(parsed), (build_additions(parsed) if add_new else None)


def _additions_fingerprint(additions) -> str:
    if additions is None:
        return ""
    slugs = "\n".join(sorted(m["slug"] for m in additions.models))
    return hashlib.sha256(slugs.encode()).hexdigest()


def _discard(token: str) -> None:
    if TOKEN.match(token or ""):
        shutil.rmtree(staging_root() / token, ignore_errors=True)


def import_view(model_admin, request):
    """Upload (GET/POST without a token), then preview; POST with `confirm` applies."""
    if not request.user.has_perm(IMPORT_PERMISSION):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Import a price list",
        "max_mb": f"{settings.IMPORT_MAX_BYTES / 1_000_000:.0f}",
    }
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(model_admin, request, context)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        source_format = form.cleaned_data["format"]
        add_new = form.cleaned_data["add_new"]
        token, path = None, None
        try:
            token, path = _stage(form.cleaned_data["file"], source_format)
            plan, additions = _plan_for(path, source_format, add_new=add_new)
        except ImportFormatError as exc:
            if token:
                _discard(token)
            form.add_error("file", f"{exc} Nothing was imported.")
        else:
            return _preview(request, context, plan, token, source_format, additions=additions)
    return TemplateResponse(request, "admin/catalog/import_upload.html", {**context, "form": form})


def _preview(request, context, plan, token, source_format, *, moved=False, additions=None):
    def first(items):
        return items[:PREVIEW_LIMIT]

    return TemplateResponse(
        request,
        "admin/catalog/import_preview.html",
        {
            **context,
            "title": "Import preview",
            "plan": plan,
            "counts": plan.counts(),
            "token": token,
            "format": source_format,
            "fingerprint": plan.fingerprint(),
            "moved": moved,
            "limit": PREVIEW_LIMIT,
            "new_offerings": [
                {
                    "ref": n.ref,
                    "label": f"{n.model} on {n.provider} as {n.provider_model_id}",
                    "prices": "; ".join(f"{p.tier}: {change_text(p)}" for p in n.prices),
                }
                for n in first(plan.new_offerings)
            ],
            "changed": [
                {"ref": p.ref, "label": price_label(p), "lines": change_lines(p.changes)}
                for p in first(plan.changed)
            ],
            "unchanged": [{"ref": p.ref, "label": price_label(p)} for p in first(plan.unchanged)],
            "unmatched": first(plan.unmatched),
            "errors": first(plan.errors),
            "warnings": first(plan.warnings),
            "skipped": first(plan.skipped),
            "regressions": first(plan.regressions),
            "additions": additions,
            "new_models": first(additions.models) if additions else [],
            "additions_fingerprint": _additions_fingerprint(additions),
        },
    )


def _confirm(model_admin, request, context):
    token = request.POST.get("token", "")
    source_format = request.POST.get("format", "")
    folder = staging_root() / token
    if not TOKEN.match(token) or source_format not in PARSERS or not folder.is_dir():
        messages.error(request, "That import has expired or was already applied; upload again.")
        return redirect("admin:catalog_offering_import")
    add_new = request.POST.get("add_new") == "1"
    try:
        plan, additions = _plan_for(
            _source_path(folder, source_format), source_format, add_new=add_new
        )
    except ImportFormatError as exc:
        _discard(token)
        messages.error(request, f"{exc} Nothing was imported.")
        return redirect("admin:catalog_offering_import")
    moved = plan.fingerprint() != request.POST.get("fingerprint") or _additions_fingerprint(
        additions
    ) != request.POST.get("additions_fingerprint", "")
    if moved:
        messages.warning(request, "The catalog changed since this preview. Review the new preview.")
        return _preview(
            request, context, plan, token, source_format, moved=True, additions=additions
        )
    try:
        with transaction.atomic():
            result = apply_plan(
                plan,
                user=request.user,
                confirm_warnings=request.POST.get("confirm_warnings") == "on",
            )
            if additions is not None:
                apply_additions(additions, user=request.user)
    except ImportRefused as exc:
        messages.error(request, str(exc))
        return _preview(request, context, plan, token, source_format, additions=additions)
    _discard(token)
    messages.success(
        request,
        f"Imported: {result.offerings_created} offerings created, "
        f"{result.prices_recorded} prices recorded.",
    )
    if additions is not None and additions.models:
        messages.success(
            request, f"New from sources: {additions.summary()}, waiting for your review."
        )
        return redirect("admin:catalog_draftmodel_changelist")
    return redirect("admin:catalog_offering_changelist")


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
