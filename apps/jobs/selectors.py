"""Reads about the job queue: depth per queue and the jobs that failed for good (for
``exchange jobs status`` and the staff page /staff/jobs/)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Min, Q
from django.utils import timezone
from django_tasks import DEFAULT_TASK_QUEUE_NAME, TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from apps.jobs.retry import ATTEMPT_KWARG, RETRIED_CLASS_PATH


@dataclass(frozen=True, slots=True)
class QueueDepth:
    name: str
    ready: int  # may run now
    running: int
    scheduled: int  # waiting for a later time (a retry's backoff, or a deferred job)
    failed: int  # failed for good (retried attempts are not counted)
    retried: int  # attempts that failed and were enqueued again
    successful: int
    oldest_ready: dt.timedelta | None  # how long the oldest job that may run has waited


@dataclass(frozen=True, slots=True)
class FailedJob:
    id: str
    task: str
    queue: str
    attempt: int
    finished_at: dt.datetime | None
    error: str  # the exception's class and message (the traceback's last line)
    traceback: str


def _for_good() -> Q:
    return Q(status=TaskResultStatus.FAILED) & ~Q(exception_class_path=RETRIED_CLASS_PATH)


def queue_depths(now: dt.datetime | None = None) -> list[QueueDepth]:
    """One row per queue that has jobs (the default queue always), sorted by name."""
    now = now or timezone.now()
    never = get_date_max()
    jobs = DBTaskResult.objects.all()
    names = set(jobs.values_list("queue_name", flat=True).distinct()) | {DEFAULT_TASK_QUEUE_NAME}
    out = []
    for name in sorted(names):
        q = jobs.filter(queue_name=name)
        ready = q.filter(status=TaskResultStatus.READY).filter(
            Q(run_after=never) | Q(run_after__lte=now)
        )
        oldest = ready.aggregate(
            queued=Min("enqueued_at", filter=Q(run_after=never)),
            due=Min("run_after", filter=~Q(run_after=never)),
        )
        waiting_since = min((t for t in oldest.values() if t is not None), default=None)
        out.append(
            QueueDepth(
                name=name,
                ready=ready.count(),
                running=q.filter(status=TaskResultStatus.RUNNING).count(),
                scheduled=q.filter(
                    status=TaskResultStatus.READY, run_after__gt=now, run_after__lt=never
                ).count(),
                failed=q.filter(_for_good()).count(),
                retried=q.filter(exception_class_path=RETRIED_CLASS_PATH).count(),
                successful=q.filter(status=TaskResultStatus.SUCCESSFUL).count(),
                oldest_ready=(now - waiting_since) if waiting_since else None,
            )
        )
    return out


def _last_line(traceback: str) -> str:
    lines = [line for line in traceback.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


def latest_failures(limit: int = 10) -> list[FailedJob]:
    """The latest jobs that failed for good, newest first."""
    rows = DBTaskResult.objects.filter(_for_good()).order_by("-finished_at")[:limit]
    return [
        FailedJob(
            id=str(row.id),
            task=row.task_path,
            queue=row.queue_name,
            attempt=int((row.args_kwargs.get("kwargs") or {}).get(ATTEMPT_KWARG, 1)),
            finished_at=row.finished_at,
            error=_last_line(row.traceback) or row.exception_class_path,
            traceback=row.traceback,
        )
        for row in rows
    ]


def format_age(age: dt.timedelta | None) -> str:
    """``1h 02m 03s``-style age, or ``-`` for none."""
    if age is None:
        return "-"
    seconds = max(0, int(age.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes:02d}m {seconds:02d}s"
    if minutes:
        return f"{minutes}m {seconds:02d}s"
    return f"{seconds}s"
