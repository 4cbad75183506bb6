"""An admin import's preview and apply as background work, in bounded memory.

The task functions (catalog.tasks) call `run_preview` and `run_apply` with an ImportJob's
id; both read the staged upload again (catalog.importers.staging) and plan it with
`build_plan`, reporting progress on the job as they go. Memory does not grow with the
file's length:

- our CSV is read a row at a time from disk (`csv_format.stream`), on each of the passes
  `build_plan` makes (once for the providers the rows name, once to match them); the JSON
  formats are parsed whole, as their parsers need, within IMPORT_MAX_BYTES;
- the outcomes a file can repeat without limit (unmatched rows, errors, warnings,
  unchanged prices...) are counted, and only their first PREVIEW_LIMIT kept (`FirstN`);
- what applying writes (new offerings, changed prices) is kept whole: it is bounded by
  the prices the catalog can hold, not by the file, since a file naming one offering
  and tier twice has its second row reported, not planned.

The job stores the preview as display text (`summarise`), so the job page and its status
endpoint read one row. Apply plans again and writes only if the plan is still the one the
editor saw (its fingerprint), in one transaction: a failure anywhere leaves the catalog
as it was, and the job names the row. Once written, the job stores what was (its report,
`applied_report`: each price's old and new figures, the ids to link to), so the result
page reads one row too.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from catalog.changes import change_lines
from catalog.formatting import plain_decimal, pluralize
from catalog.importers import PARSERS, csv_format
from catalog.importers.additions import Additions, apply_additions, build_additions
from catalog.importers.apply import ApplyResult, ImportRefused, apply_plan
from catalog.importers.plan import ImportPlan, PlannedPrice, build_plan
from catalog.importers.report import change_text, price_label
from catalog.importers.source import ImportFormatError, ParsedSource
from catalog.importers.staging import StagedFileMissing, discard, source_path
from catalog.models import ImportJob, LanguageModel

PREVIEW_LIMIT = 200
# An apply's result page lists this many prices recorded (and drafts created), and counts
# the rest: the job's stored report stays a few hundred KB at most.
REPORT_LIMIT = 500
# The job's progress is written at most this often (one UPDATE), so a long file costs a
# few hundred writes, not one per row.
PROGRESS_EVERY_SECONDS = 0.5
PROGRESS_CHECK_ROWS = 500
# What each pass over the rows is for: build_plan reads them twice (the providers they
# name, then matching), build_additions once more when new models are proposed.
PASS_STEPS = (
    "Reading the file",
    "Matching rows to the catalog",
    "Looking for models we do not carry",
)
EXPIRED = (
    "The uploaded file is no longer on the server: uploads are kept for 24 hours, and an "
    "applied one is removed. Upload it again. Nothing was imported."
)
Status = ImportJob.Status
Phase = ImportJob.Phase


class FirstN:
    """A plan's list that keeps its first `limit` items and counts the rest: `len()` is
    how many were added, iteration and indexing see the kept ones."""

    def __init__(self, limit: int = PREVIEW_LIMIT):
        self.limit = limit
        self.items: list = []
        self.total = 0

    def append(self, item) -> None:
        self.total += 1
        if len(self.items) < self.limit:
            self.items.append(item)

    def extend(self, items: Iterable) -> None:
        for item in items:
            self.append(item)

    def __len__(self) -> int:
        return self.total

    def __iter__(self) -> Iterator:
        return iter(self.items)

    def __getitem__(self, index):
        return self.items[index]


def sampled_plan(parsed: ParsedSource) -> ImportPlan:
    """An empty plan whose lists of repeatable outcomes keep only a sample."""
    return ImportPlan(
        format=parsed.format,
        as_of=parsed.as_of,
        unchanged=FirstN(),
        unmatched=FirstN(),
        errors=FirstN(),
        warnings=FirstN(),
        skipped=FirstN(),
        plausibility=FirstN(),
        regressions=FirstN(),
    )


class JobProgress:
    """Writes a running job's step and row counts, at most every PROGRESS_EVERY_SECONDS."""

    def __init__(self, job: ImportJob):
        self.job = job
        self.step = job.step
        self.rows_read = 0
        self.rows_total: int | None = None
        self.saved_at = time.monotonic()

    def advance(self, step: str, rows_read: int) -> None:
        self.step, self.rows_read = step, rows_read
        if time.monotonic() - self.saved_at >= PROGRESS_EVERY_SECONDS:
            self.save()

    def save(self) -> None:
        ImportJob.objects.filter(pk=self.job.pk).update(
            step=self.step,
            rows_read=self.rows_read,
            rows_total=self.rows_total,
            updated_at=timezone.now(),
        )
        self.saved_at = time.monotonic()


class CountedRows:
    """A source's rows, iterated as often as the planners need, counting each pass for the
    job's progress. After the first pass the file's row count is known."""

    def __init__(self, rows: Iterable, progress: JobProgress):
        self.rows = rows
        self.progress = progress
        self.passes = 0

    def __iter__(self) -> Iterator:
        step = PASS_STEPS[min(self.passes, len(PASS_STEPS) - 1)]
        self.passes += 1
        count = 0
        for row in self.rows:
            count += 1
            if count % PROGRESS_CHECK_ROWS == 0:
                self.progress.advance(step, count)
            yield row
        self.progress.step, self.progress.rows_read = step, count
        if self.progress.rows_total is None:
            self.progress.rows_total = count
            self.progress.save()


def read_source(path: Path, source_format: str) -> ParsedSource:
    if source_format == "csv":
        return csv_format.stream(path)
    return PARSERS[source_format](path)


def plan_job(job: ImportJob) -> tuple[ImportPlan, Additions | None, dict]:
    """The job's staged file, parsed and planned again (and its drafts with add_new), and
    the progress fields to save with the result. Raises StagedFileMissing or
    ImportFormatError."""
    parsed = read_source(source_path(job.token, job.format), job.format)
    progress = JobProgress(job)
    parsed.rows = CountedRows(parsed.rows, progress)
    plan = build_plan(parsed, plan=sampled_plan(parsed))
    additions = build_additions(parsed) if job.add_new else None
    # The last pass's count, which the throttled updates may not have written yet.
    return plan, additions, {"step": progress.step, "rows_read": progress.rows_read}


def additions_fingerprint(additions: Additions | None) -> str:
    if additions is None:
        return ""
    slugs = "\n".join(sorted(m["slug"] for m in additions.models))
    return hashlib.sha256(slugs.encode()).hexdigest()


def summarise(plan: ImportPlan, additions: Additions | None) -> dict:
    """The preview as the job page shows it: every count, the first PREVIEW_LIMIT rows of
    each outcome as display text, and the fingerprints the apply step checks."""

    def first(items) -> list:
        return list(items[:PREVIEW_LIMIT])

    def problems(items) -> list[dict]:
        return [{"ref": p.ref, "message": p.message} for p in first(items)]

    return {
        "format": plan.format,
        "counts": {
            **plan.counts(),
            "warnings": len(plan.warnings),
            "quiet_warnings": plan.quiet_warnings,
            "skipped": len(plan.skipped),
            "plausibility": len(plan.plausibility),
            "regressions": len(plan.regressions),
        },
        "can_apply": plan.can_apply,
        "has_changes": plan.has_changes,
        "fingerprint": plan.fingerprint(),
        "additions_fingerprint": additions_fingerprint(additions),
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
        "unmatched": [
            {
                "ref": u.ref,
                "provider": u.provider,
                "provider_model_id": u.provider_model_id,
                "reason": u.reason,
            }
            for u in first(plan.unmatched)
        ],
        "errors": problems(plan.errors),
        "warnings": problems(plan.warnings),
        "skipped": problems(plan.skipped),
        "plausibility": problems(plan.plausibility),
        "regressions": problems(plan.regressions),
        "additions": None
        if additions is None
        else {
            "summary": additions.summary(),
            "count": len(additions.models),
            "models": [
                {
                    "name": m["name"],
                    "organization": m["organization"],
                    "providers": ", ".join(o["provider"] for o in m["offerings"]),
                }
                for m in first(additions.models)
            ],
        },
        "left_alone": left_alone_text(plan),
        "moved": False,
    }


def left_alone_text(plan: ImportPlan) -> str:
    """One line for the rows the import leaves alone, which get no warnings: "412 rows for
    models or providers the site does not track were skipped; 3 prices already match
    ours. Warnings are shown only for rows this import would create or change." """
    parts = []
    if plan.unmatched:
        parts.append(
            f"{pluralize(len(plan.unmatched), 'row')} for models or providers the site does "
            "not track were skipped"
        )
    if plan.unchanged:
        matches = "already matches" if len(plan.unchanged) == 1 else "already match"
        parts.append(f"{pluralize(len(plan.unchanged), 'price')} {matches} ours")
    if plan.regressions:
        parts.append(
            f"{pluralize(len(plan.regressions), 'price')} older than our evidence "
            "will not be imported"
        )
    if not parts and not plan.quiet_warnings:
        return ""
    text = "; ".join(parts) + ". " if parts else ""
    text += "Warnings are shown only for rows this import would create or change"
    if plan.quiet_warnings:
        text += f" ({pluralize(plan.quiet_warnings, 'warning')} about other rows not shown)"
    return text + "."


def _finish(job: ImportJob, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    # Only these fields: the row counts JobProgress wrote stay as they are.
    job.save(update_fields=[*fields, "updated_at"])


@contextmanager
def _running(job: ImportJob, step: str):
    """Marks the job running; an unexpected error marks it failed (nothing was written:
    apply's transaction has rolled back by then) and goes on to the task's log."""
    _finish(job, status=Status.RUNNING, step=step, rows_read=0, rows_total=None, error="")
    try:
        yield
    except Exception as exc:
        ImportJob.objects.filter(pk=job.pk).update(
            status=Status.FAILED,
            error=(
                f"The import stopped on an unexpected error ({type(exc).__name__}). "
                "Nothing was imported; the details are in the task worker's log."
            ),
            updated_at=timezone.now(),
        )
        raise


def run_preview(job_id: int) -> None:
    """Plan the job's file and store the preview on the job."""
    job = ImportJob.objects.get(pk=job_id)
    with _running(job, PASS_STEPS[0]):
        try:
            plan, additions, progress = plan_job(job)
        except StagedFileMissing:
            _finish(job, status=Status.FAILED, error=EXPIRED)
            return
        except ImportFormatError as exc:
            discard(job.token)
            _finish(job, status=Status.FAILED, error=f"{exc} Nothing was imported.")
            return
        _finish(job, status=Status.DONE, preview=summarise(plan, additions), **progress)


def run_apply(job_id: int, *, user_id: int | None, confirm_warnings: bool) -> None:
    """Plan the job's file again and, if the plan is still the one previewed, write it in
    one transaction. A moved catalog gives a fresh preview; a refused row (an error, an
    unconfirmed plausibility warning) returns to the preview naming it."""
    job = ImportJob.objects.get(pk=job_id)
    user = get_user_model().objects.filter(pk=user_id).first()
    with _running(job, PASS_STEPS[0]):
        try:
            plan, additions, progress = plan_job(job)
        except StagedFileMissing:
            _finish(job, status=Status.FAILED, error=EXPIRED)
            return
        except ImportFormatError as exc:
            _finish(job, status=Status.FAILED, error=f"{exc} Nothing was imported.")
            return
        preview = summarise(plan, additions)
        seen = job.preview
        if (preview["fingerprint"], preview["additions_fingerprint"]) != (
            seen.get("fingerprint"),
            seen.get("additions_fingerprint"),
        ):
            preview["moved"] = True
            _finish(job, phase=Phase.PREVIEW, status=Status.DONE, preview=preview)
            return
        writes = sum(len(n.prices) for n in plan.new_offerings) + len(plan.changed)
        _finish(job, step=f"Writing {writes} prices", rows_read=progress["rows_read"])
        try:
            with transaction.atomic():
                result = apply_plan(plan, user=user, confirm_warnings=confirm_warnings)
                if additions is not None:
                    apply_additions(additions, user=user)
        except ImportRefused as exc:
            _finish(job, phase=Phase.PREVIEW, status=Status.DONE, preview=preview, error=str(exc))
            return
        discard(job.token)
        _finish(job, status=Status.DONE, report=applied_report(plan, result, additions))


def applied_report(plan: ImportPlan, result: ApplyResult, additions: Additions | None) -> dict:
    """What an apply wrote, as its job stores it for the result page: the counts, then
    each price recorded (the offering's id, names, and every figure's old and new value
    as text, exact) and each draft created (its id), the first REPORT_LIMIT of each. Read
    from the plan just written, so the page says what happened then, however the catalog
    moves later. Called after the writes: a new offering has its id by then (one query
    for the drafts' ids)."""
    recorded = [(p, True) for n in plan.new_offerings for p in n.prices]
    recorded += [(p, False) for p in plan.changed]
    drafts = additions.models if additions is not None else []
    draft_rows = (
        LanguageModel.objects.filter(slug__in=[m["slug"] for m in drafts[:REPORT_LIMIT]])
        .values("pk", "slug", "name", "organization__name")
        .order_by("name")
        if drafts
        else []
    )
    providers = {m["slug"]: ", ".join(o["provider"] for o in m["offerings"]) for m in drafts}
    return {
        "offerings_created": result.offerings_created,
        "prices_recorded": result.prices_recorded,
        "additions": additions.summary() if drafts else "",
        "changes": [
            _recorded_price(planned, created=created)
            for planned, created in recorded[:REPORT_LIMIT]
        ],
        "changes_total": len(recorded),
        "drafts": [
            {
                "id": row["pk"],
                "name": row["name"],
                "organization": row["organization__name"] or "",
                "providers": providers.get(row["slug"], ""),
            }
            for row in draft_rows
        ],
        "drafts_total": len(drafts),
    }


def _recorded_price(planned: PlannedPrice, *, created: bool) -> dict:
    def text(value):
        return None if value is None else plain_decimal(value)

    return {
        "offering": planned.offering.pk,
        "model": str(planned.model),
        "provider": str(planned.provider),
        "provider_model_id": planned.provider_model_id,
        "created": created,
        "tier": planned.tier,
        "context_threshold": planned.context_threshold,
        "effective_date": planned.effective_date.isoformat(),
        "fields": [
            {"field": c.field, "old": text(c.old), "new": text(c.new)}
            for c in planned.changes
            if c.old is not None or c.new is not None
        ],
    }
