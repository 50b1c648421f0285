"""Retries with exponential backoff for Django tasks (django-tasks has none of its own).

``@durable_task`` makes a task whose function, when it raises, enqueues the same job again to run
after ``base * 2 ** (attempt - 1)`` seconds (capped, plus up to ``JOBS_RETRY_JITTER`` of random
extra so that jobs failing together do not come back together), and then raises
:class:`RetryScheduled` from the error: the attempt is recorded as failed with the original
traceback, and the status page does not count it as failed for good. After
``JOBS_MAX_ATTEMPTS`` attempts, or on a :class:`PermanentJobError`, the error is raised as it is:
the job is failed for good (status FAILED) and shows in ``exchange jobs status``.

The attempt number travels with the job as the keyword argument ``job_attempt`` (a new row per
attempt: the database backend marks a row finished after the function returns, so a row cannot be
put back in the queue from inside it). Every job must be idempotent: it may run again after a
crash between its effect and the worker marking it done, and a retried job repeats its whole body.
See docs/adr/0004-background-jobs.md.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import random
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.utils import timezone
from django_tasks import DEFAULT_TASK_QUEUE_NAME, task
from django_tasks.base import DEFAULT_TASK_PRIORITY, Task

log = logging.getLogger(__name__)

T = TypeVar("T")

#: The keyword argument that carries the attempt number (1 for the first run).
ATTEMPT_KWARG = "job_attempt"

DEFAULT_MAX_ATTEMPTS = 5
DEFAULT_BASE_SECONDS = 30.0
DEFAULT_MAX_DELAY_SECONDS = 3600.0
DEFAULT_JITTER = 0.2


class PermanentJobError(Exception):
    """An error that running the job again cannot fix (the job fails at once, without retries)."""


class RetryScheduled(Exception):
    """This attempt failed and the job was enqueued again (its ``__cause__`` is the error)."""

    def __init__(self, next_id: str, attempt: int, delay: float) -> None:
        super().__init__(f"attempt {attempt} failed; retry {next_id} in {delay:.0f} s")
        self.next_id = next_id
        self.attempt = attempt
        self.delay = delay


#: The exception class path recorded on an attempt that was retried.
RETRIED_CLASS_PATH = f"{RetryScheduled.__module__}.{RetryScheduled.__qualname__}"


def max_attempts() -> int:
    return max(1, int(getattr(settings, "JOBS_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS)))


def backoff_delay(attempt: int, *, rng: Callable[[], float] = random.random) -> float:
    """Seconds to wait before attempt ``attempt + 1``: ``base * 2 ** (attempt - 1)``, capped at
    ``JOBS_RETRY_MAX_DELAY_SECONDS``, times ``1 + jitter * rng()``."""
    base = float(getattr(settings, "JOBS_RETRY_BASE_SECONDS", DEFAULT_BASE_SECONDS))
    cap = float(getattr(settings, "JOBS_RETRY_MAX_DELAY_SECONDS", DEFAULT_MAX_DELAY_SECONDS))
    jitter = float(getattr(settings, "JOBS_RETRY_JITTER", DEFAULT_JITTER))
    delay = min(cap, base * 2.0 ** max(0, attempt - 1))
    return delay * (1 + jitter * rng())


def durable_task(
    *,
    queue_name: str = DEFAULT_TASK_QUEUE_NAME,
    priority: int = DEFAULT_TASK_PRIORITY,
) -> Callable[[Callable[..., T]], Task[..., T | None]]:
    """A ``django_tasks`` task that retries with exponential backoff (see the module's docstring).
    Enqueue it as any task: ``my_job.enqueue(pk)``; it is stored as ``module.function_name``."""

    def decorate(func: Callable[..., T]) -> Task[..., T | None]:
        job: Task[..., T | None]

        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> T | None:
            attempt = int(kwargs.pop(ATTEMPT_KWARG, 1))
            try:
                return func(*args, **kwargs)
            except PermanentJobError:
                log.exception("job %s failed for good (not retryable)", job.module_path)
                raise
            except Exception as exc:
                if attempt >= max_attempts():
                    log.exception(
                        "job %s failed for good after %s attempts", job.module_path, attempt
                    )
                    raise
                delay = backoff_delay(attempt)
                again = job.using(run_after=timezone.now() + dt.timedelta(seconds=delay))
                retry = again.enqueue(*args, **kwargs, **{ATTEMPT_KWARG: attempt + 1})
                log.warning(
                    "job %s attempt %s failed (%s); retry %s in %.0f s",
                    job.module_path,
                    attempt,
                    exc,
                    retry.id,
                    delay,
                )
                raise RetryScheduled(retry.id, attempt, delay) from exc

        job = task(run, queue_name=queue_name, priority=priority)
        return job

    return decorate
