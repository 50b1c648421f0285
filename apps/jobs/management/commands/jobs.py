"""``exchange jobs status``: queue depth and the latest failed jobs; ``exchange jobs recover``:
put back jobs left running by a worker that died."""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from apps.jobs import selectors, services


class Command(BaseCommand):
    help = "Background jobs: 'status' (queue depth, failed jobs) or 'recover' (stale running jobs)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        status = actions.add_parser("status", help="queue depth per queue and the latest failures")
        status.add_argument(
            "--failures", type=int, default=10, help="how many failed jobs to list (default 10)"
        )
        recover = actions.add_parser("recover", help="put back jobs left running by a dead worker")
        recover.add_argument(
            "--older-than",
            type=int,
            default=3600,
            help="seconds a job must have been running (default 3600)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "status":
            self.status(max(0, int(options["failures"])))
        elif options["action"] == "recover":
            seconds = int(options["older_than"])
            if seconds < 0:
                raise CommandError("--older-than must be zero or more seconds")
            count = services.requeue_stale(dt.timedelta(seconds=seconds))
            self.stdout.write(f"put back {count} job(s) left running")

    def status(self, failures: int) -> None:
        header = ("queue", "ready", "running", "scheduled", "failed", "retried", "done", "oldest")
        rows = [
            (
                q.name,
                str(q.ready),
                str(q.running),
                str(q.scheduled),
                str(q.failed),
                str(q.retried),
                str(q.successful),
                selectors.format_age(q.oldest_ready),
            )
            for q in selectors.queue_depths()
        ]
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
        for row in [header, *rows]:
            self.stdout.write(
                "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            )
        self.stdout.write(
            "ready: may run now; scheduled: waiting for a retry's backoff or a later time; "
            "failed: failed for good; retried: attempts that failed and were enqueued again; "
            "oldest: how long the oldest ready job has waited."
        )
        failed = selectors.latest_failures(failures) if failures else []
        self.stdout.write("")
        if not failed:
            self.stdout.write("No failed jobs.")
            return
        self.stdout.write(f"Latest failed jobs ({len(failed)}):")
        for job in failed:
            when = job.finished_at.isoformat(timespec="seconds") if job.finished_at else "-"
            self.stdout.write(
                f"  {when}  {job.task}  id={job.id}  queue={job.queue}  attempt={job.attempt}"
            )
            self.stdout.write(f"    {job.error}")
