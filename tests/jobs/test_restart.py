"""Jobs survive restarts: a job enqueued by one process is run by a worker started afterwards in
another (`exchange db_worker`), against a database file; and a worker stopped with SIGKILL while
idle loses nothing that was queued."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXCHANGE = Path(sys.executable).parent / "exchange"


def _env(database: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    env["DATABASE_URL"] = f"sqlite:///{database}"
    env["PYTHONPATH"] = str(ROOT)  # the test jobs live in tests/jobs/tasks.py
    return env


def _exchange(database: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(EXCHANGE), *args],
        cwd=ROOT,
        env=_env(database),
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )


def _statuses(database: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(database) as db:
        rows = db.execute(
            "SELECT task_path, status FROM django_tasks_database_dbtaskresult ORDER BY enqueued_at"
        ).fetchall()
    return [(str(a), str(b)) for a, b in rows]


@pytest.mark.skipif(not EXCHANGE.exists(), reason="the exchange command is not installed")
def test_a_job_enqueued_before_a_restart_is_run_by_a_new_worker(tmp_path: Path) -> None:
    database = tmp_path / "exchange.sqlite3"
    out = tmp_path / "out.txt"
    _exchange(database, "migrate", "--noinput", "-v", "0")
    enqueue = (
        "from tests.jobs.tasks import append_line; "
        f"append_line.enqueue({str(out)!r}, 'first'); append_line.enqueue({str(out)!r}, 'second')"
    )
    _exchange(database, "shell", "-c", enqueue)  # this process exits: the "web server" is gone
    assert _statuses(database) == [("tests.jobs.tasks.append_line", "READY")] * 2

    # A worker that is killed (SIGKILL) before it takes any job: nothing is lost.
    worker = subprocess.Popen(
        [str(EXCHANGE), "db_worker", "--interval", "60", "--queue-name", "nothing-here"],
        cwd=ROOT,
        env=_env(database),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    assert _statuses(database) == [("tests.jobs.tasks.append_line", "READY")] * 2
    assert not out.exists()

    # A fresh worker picks them up.
    _exchange(database, "db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    assert out.read_text().split() == ["first", "second"]
    assert _statuses(database) == [("tests.jobs.tasks.append_line", "SUCCESSFUL")] * 2
    status = _exchange(database, "jobs", "status")
    assert status.returncode == 0
    assert status.stdout.splitlines()[1].split()[:6] == ["default", "0", "0", "0", "0", "0"]
