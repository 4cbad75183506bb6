"""Imports queued in the database for `manage.py db_worker` (django-tasks-db): a test of
its own file because it is transactional (the worker commits), and pytest runs such
files after the others, whose data migrations' rows (the Editor group) a flush would
remove."""

from decimal import Decimal

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from catalog.models import ImportJob, Price
from tests.catalog import import_fixtures
from tests.catalog.import_fixtures import HEADER
from tests.catalog.test_import_jobs import CHANGE, confirm, job_url, upload

small_catalog = import_fixtures.small_catalog


@pytest.fixture(autouse=True)
def _staging_in_tmp(settings, tmp_path):
    settings.IMPORT_STAGING_DIR = str(tmp_path / "staging")


def run_worker() -> None:
    """`manage.py db_worker --batch`: run every queued task, then stop."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


@pytest.mark.django_db(transaction=True)
def test_the_database_backend_queues_imports_for_the_db_worker(
    admin_client, admin_user, settings, small_catalog
):
    settings.TASKS = {"default": {"BACKEND": settings.DATABASE_TASK_BACKEND}}

    posted = upload(admin_client, HEADER + CHANGE, follow=False)
    job = ImportJob.objects.get()
    assert posted["Location"] == job_url(job)
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY
    waiting = admin_client.get(job_url(job)).content.decode()
    assert "Waiting for a worker" in waiting and "http-equiv" in waiting

    run_worker()
    job.refresh_from_db()
    assert (job.status, job.preview["counts"]["changed"]) == ("done", 1)

    confirm(admin_client, job)
    assert ImportJob.objects.get().status == "queued"
    assert Price.objects.count() == 1  # nothing written until the worker runs it
    run_worker()
    job.refresh_from_db()
    assert (job.phase, job.status, job.report["prices_recorded"]) == ("apply", "done", 1)
    offering = small_catalog["offering"]
    offering.refresh_from_db()
    assert offering.current_price.input == Decimal("2")
    assert Price.history.latest("history_date").history_user == admin_user
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {
        TaskResultStatus.SUCCESSFUL
    }
