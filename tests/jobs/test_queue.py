"""The database job queue: enqueued in the caller's transaction, run by the worker, retried with
exponential backoff, failed for good after the last attempt, stale running jobs put back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from apps.jobs import selectors, services
from apps.jobs.retry import ATTEMPT_KWARG, RETRIED_CLASS_PATH, backoff_delay
from tests.jobs import tasks
from tests.jobs.runner import jobs, run_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_calls() -> Iterator[None]:
    tasks.CALLS.clear()
    yield
    tasks.CALLS.clear()


@pytest.fixture
def slow_backoff(settings: Any) -> None:
    settings.JOBS_MAX_ATTEMPTS = 4
    settings.JOBS_RETRY_BASE_SECONDS = 60
    settings.JOBS_RETRY_MAX_DELAY_SECONDS = 3600
    settings.JOBS_RETRY_JITTER = 0


def _wait_out_the_backoff() -> None:
    """What time does for a job scheduled for later: it becomes due."""
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(
        run_after=timezone.now() - dt.timedelta(seconds=1)
    )


def test_a_job_enqueued_in_a_transaction_that_rolls_back_does_not_exist(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"

    def change_that_fails() -> None:
        with transaction.atomic():
            tasks.append_line.enqueue(str(target), "never")
            assert len(jobs()) == 1  # inside the transaction it is there
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert jobs() == []
    assert run_jobs() == 0
    assert not target.exists()


def test_the_worker_runs_a_job_enqueued_in_a_committed_transaction(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    with transaction.atomic():
        result = tasks.append_line.enqueue(str(target), "hello")
    assert not target.exists()  # nothing runs until a worker picks it up
    assert run_jobs() == 1
    assert target.read_text() == "hello\n"
    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.return_value == "hello"
    assert row.worker_ids == ["test-worker"]
    assert run_jobs() == 0  # done once


def test_higher_priority_jobs_run_first(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    tasks.append_line.enqueue(str(target), "normal")
    tasks.append_line.using(priority=10).enqueue(str(target), "urgent")
    run_jobs()
    assert target.read_text().split() == ["urgent", "normal"]


def test_backoff_doubles_from_the_base_up_to_the_cap(slow_backoff: None, settings: Any) -> None:
    assert [backoff_delay(n, rng=lambda: 0.0) for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    settings.JOBS_RETRY_MAX_DELAY_SECONDS = 200
    assert backoff_delay(3, rng=lambda: 0.0) == 200
    settings.JOBS_RETRY_JITTER = 0.2
    assert backoff_delay(1, rng=lambda: 1.0) == pytest.approx(72)
    assert 60 <= backoff_delay(1) <= 72


def test_a_failing_job_is_retried_with_backoff_then_succeeds(slow_backoff: None) -> None:
    first = tasks.flaky.enqueue("mail", 2)
    before = timezone.now()
    assert run_jobs() == 1
    assert tasks.CALLS == ["mail"]
    failed_attempt = DBTaskResult.objects.get(id=first.id)
    assert failed_attempt.status == TaskResultStatus.FAILED
    assert failed_attempt.exception_class_path == RETRIED_CLASS_PATH
    assert "ConnectionError: the mail server hung up (mail, call 1)" in failed_attempt.traceback
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.args_kwargs == {"args": ["mail", 2], "kwargs": {ATTEMPT_KWARG: 2}}
    assert before + dt.timedelta(seconds=60) <= retry.run_after
    assert retry.run_after <= timezone.now() + dt.timedelta(seconds=60)

    # Scheduled for later: a worker leaves it alone until then.
    assert run_jobs() == 0
    [queue] = selectors.queue_depths()
    assert (queue.ready, queue.scheduled, queue.failed, queue.retried) == (0, 1, 0, 1)

    _wait_out_the_backoff()
    assert run_jobs() == 1
    second_retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert second_retry.args_kwargs["kwargs"] == {ATTEMPT_KWARG: 3}
    delay = second_retry.run_after - second_retry.enqueued_at
    assert dt.timedelta(seconds=119) <= delay <= dt.timedelta(seconds=121)  # twice the first

    _wait_out_the_backoff()
    assert run_jobs() == 1
    assert tasks.CALLS == ["mail", "mail", "mail"]
    done = DBTaskResult.objects.get(status=TaskResultStatus.SUCCESSFUL)
    assert done.return_value == "done after 3 calls"
    [queue] = selectors.queue_depths()
    assert (queue.ready, queue.scheduled, queue.failed, queue.retried, queue.successful) == (
        0,
        0,
        0,
        2,
        1,
    )


def test_after_the_last_attempt_the_job_fails_for_good(slow_backoff: None, settings: Any) -> None:
    settings.JOBS_MAX_ATTEMPTS = 3
    tasks.broken.enqueue("report")
    for _ in range(3):
        _wait_out_the_backoff()
        assert run_jobs() == 1
    assert tasks.CALLS == ["report"] * 3
    assert run_jobs() == 0
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()
    last = DBTaskResult.objects.exclude(exception_class_path=RETRIED_CLASS_PATH).get()
    assert last.status == TaskResultStatus.FAILED
    assert last.exception_class_path == "builtins.ValueError"
    [failure] = selectors.latest_failures()
    assert failure.task == "tests.jobs.tasks.broken"
    assert failure.attempt == 3
    assert failure.error == "ValueError: the printer is on fire (report)"


def test_a_permanent_error_is_not_retried() -> None:
    tasks.refused.enqueue("gone")
    assert run_jobs() == 1
    assert tasks.CALLS == ["gone"]
    [row] = jobs()
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == "apps.jobs.retry.PermanentJobError"
    assert [f.attempt for f in selectors.latest_failures()] == [1]


def test_a_job_left_running_by_a_dead_worker_is_put_back_and_runs(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    result = tasks.append_line.enqueue(str(target), "again")
    row = DBTaskResult.objects.get(id=result.id)
    row.claim("worker-killed-by-sigkill")
    DBTaskResult.objects.filter(id=row.id).update(started_at=timezone.now() - dt.timedelta(hours=2))
    assert run_jobs() == 0  # a running job is not picked up
    assert services.requeue_stale(dt.timedelta(hours=3)) == 0  # not old enough
    assert services.requeue_stale(dt.timedelta(hours=1)) == 1
    assert run_jobs() == 1
    assert target.read_text() == "again\n"
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.worker_ids == ["worker-killed-by-sigkill", "test-worker"]


def test_the_oldest_ready_age() -> None:
    tasks.flaky.enqueue("a", 0)
    DBTaskResult.objects.update(enqueued_at=timezone.now() - dt.timedelta(minutes=5))
    [queue] = selectors.queue_depths()
    assert queue.ready == 1
    assert queue.oldest_ready is not None
    assert dt.timedelta(minutes=5) <= queue.oldest_ready < dt.timedelta(minutes=6)
    assert selectors.format_age(queue.oldest_ready).startswith("5m ")
    assert selectors.format_age(dt.timedelta(hours=1, seconds=3)) == "1h 00m 03s"
    assert selectors.format_age(None) == "-"
