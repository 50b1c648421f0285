"""Writes on the job queue."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

log = logging.getLogger(__name__)


def requeue_stale(older_than: dt.timedelta, now: dt.datetime | None = None) -> int:
    """Put back in the queue the jobs marked running that started more than ``older_than`` ago:
    their worker died (SIGKILL, power loss) before it could mark them finished, and django-tasks-db
    would leave them running for ever. Jobs are idempotent, so running one again is safe even if
    its worker was merely slow. Returns how many were put back."""
    cutoff = (now or timezone.now()) - older_than
    with transaction.atomic():
        stale = DBTaskResult.objects.select_for_update().filter(
            status=TaskResultStatus.RUNNING, started_at__lt=cutoff
        )
        ids = list(stale.values_list("id", flat=True))
        DBTaskResult.objects.filter(id__in=ids).update(
            status=TaskResultStatus.READY, started_at=None
        )
    if ids:
        log.warning("put back %s stale running jobs: %s", len(ids), ", ".join(map(str, ids)))
    return len(ids)
