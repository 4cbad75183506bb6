"""Background tasks (django-tasks; settings.TASKS chooses where they run). The admin's
import preview and apply run here, outside the request, so a large file outlives no
worker timeout; catalog.importers.jobs does the work and records progress on the job.

Task arguments are ids, stored as JSON with the queued task; the job row holds the rest.
"""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from catalog.importers import jobs
from catalog.models import ImportJob


@task()
def preview_import(job_id: int) -> None:
    jobs.run_preview(job_id)


@task()
def apply_import(job_id: int, user_id: int | None, confirm_warnings: bool) -> None:
    jobs.run_apply(job_id, user_id=user_id, confirm_warnings=confirm_warnings)


def start_preview(*, token: str, source_format: str, add_new: bool, file_name: str, user):
    """A job for a staged upload, its preview queued. The task row is written in the same
    database as the job, so a worker never sees the task before the job."""
    job = ImportJob.objects.create(
        token=token,
        format=source_format,
        add_new=add_new,
        file_name=file_name[:255],
        created_by=user,
    )
    preview_import.enqueue(job.pk)
    return job


def start_apply(job: ImportJob, *, user, confirm_warnings: bool) -> bool:
    """Queue the apply of a finished preview; False when it is not one any more (already
    applied or applying: a second click queues nothing)."""
    claimed = ImportJob.objects.filter(
        pk=job.pk, phase=ImportJob.Phase.PREVIEW, status=ImportJob.Status.DONE
    ).update(
        phase=ImportJob.Phase.APPLY,
        status=ImportJob.Status.QUEUED,
        step="",
        error="",
        updated_at=timezone.now(),
    )
    if claimed:
        apply_import.enqueue(job.pk, user.pk, confirm_warnings)
    return bool(claimed)
