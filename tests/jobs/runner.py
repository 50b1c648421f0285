"""Run queued jobs inside a test, the way the worker does: the ``db_worker`` command in batch mode
(every job that may run now, then exit). Tests that check an email or a notice call
:func:`run_jobs` after the change commits, then read ``django.core.mail.outbox``."""

from __future__ import annotations

import io
from typing import Any
from unittest import mock

from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult


def run_jobs() -> int:
    """Run the jobs that may run now (not those scheduled for later, e.g. a retry's backoff);
    returns how many finished (successfully or not)."""
    finished = (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)
    before = DBTaskResult.objects.filter(status__in=finished).count()
    # The worker closes "old" connections between jobs; inside a test's transaction that would
    # drop the test's connection (on PostgreSQL), so it is left alone here.
    with mock.patch.object(db_worker, "close_old_connections", return_value=None):
        call_command(
            "db_worker",
            batch=True,
            interval=0,
            startup_delay=False,
            reload=False,
            verbosity=0,
            worker_id="test-worker",
            queue_name="*",
            stdout=io.StringIO(),
        )
    return DBTaskResult.objects.filter(status__in=finished).count() - before


def jobs(task_path: str = "") -> list[DBTaskResult[Any, Any]]:
    """The stored jobs (of one task, ``module.function``, when given), oldest first."""
    rows = DBTaskResult.objects.order_by("enqueued_at")
    if task_path:
        rows = rows.filter(task_path=task_path)
    return list(rows)
