"""Queue depth and failed jobs: `exchange jobs status` and the staff page /staff/jobs/."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.jobs import tasks
from tests.jobs.runner import run_jobs

pytestmark = pytest.mark.django_db
URL = "/staff/jobs/"


@pytest.fixture
def queue_with_a_failure(settings: Any) -> None:
    """One job failed for good (after 2 attempts), one ready, one scheduled for later."""
    settings.JOBS_MAX_ATTEMPTS = 2
    settings.JOBS_RETRY_BASE_SECONDS = 0
    tasks.broken.enqueue("status-report")
    run_jobs()  # both attempts (no backoff here)
    tasks.append_line.enqueue("/dev/null", "ready")
    tasks.append_line.using(run_after=timezone.now() + dt.timedelta(hours=1)).enqueue(
        "/dev/null", "later"
    )


def _status() -> str:
    out = io.StringIO()
    call_command("jobs", "status", stdout=out)
    return out.getvalue()


def test_the_status_command_shows_depth_and_failures(queue_with_a_failure: None) -> None:
    text = _status()
    lines = text.splitlines()
    assert lines[0].split() == [
        "queue",
        "ready",
        "running",
        "scheduled",
        "failed",
        "retried",
        "done",
        "oldest",
    ]
    assert lines[1].split()[:7] == ["default", "1", "0", "1", "1", "1", "0"]
    assert "Latest failed jobs (1):" in text
    assert "tests.jobs.tasks.broken" in text and "attempt=2" in text
    assert "ValueError: the printer is on fire (status-report)" in text


def test_the_status_command_with_an_empty_queue() -> None:
    text = _status()
    assert text.splitlines()[1].split() == ["default", "0", "0", "0", "0", "0", "0", "-"]
    assert "No failed jobs." in text


def test_the_recover_command_puts_back_stale_jobs(tmp_path: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    result = tasks.append_line.enqueue(str(tmp_path / "x.txt"), "x")
    DBTaskResult.objects.filter(id=result.id).update(
        status="RUNNING", started_at=timezone.now() - dt.timedelta(hours=2)
    )
    out = io.StringIO()
    call_command("jobs", "recover", "--older-than", "3600", stdout=out)
    assert "put back 1 job(s)" in out.getvalue()
    assert DBTaskResult.objects.get(id=result.id).status == "READY"


def _person(email: str, *, staff: bool) -> Any:
    return get_user_model().objects.create_user(
        username=email, email=email, password="a long Passphrase 42", is_staff=staff
    )


def test_the_staff_page_is_for_staff_only() -> None:
    anonymous = Client().get(URL)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    resident = Client()
    resident.force_login(_person("resident@example.org", staff=False))
    assert resident.get(URL).status_code == 404
    staff = Client()
    staff.force_login(_person("staff@example.org", staff=True))
    assert staff.get(URL).status_code == 200


def test_the_staff_page_shows_depth_and_failures(queue_with_a_failure: None) -> None:
    staff = Client()
    staff.force_login(_person("staff@example.org", staff=True))
    page = staff.get(URL).content.decode()
    assert '<h1 class="margin-top-4">Background jobs</h1>' in page
    row = page[page.index('data-queue="default"') :]
    assert "<td data-ready>1</td>" in row and "<td data-scheduled>1</td>" in row
    assert "<td data-failed>1</td>" in row and "<td data-retried>1</td>" in row
    assert "tests.jobs.tasks.broken" in page
    assert "ValueError: the printer is on fire (status-report)" in page
    spanish = staff.get(URL, headers={"accept-language": "es"}).content.decode()
    assert '<html lang="es">' in spanish
    assert "Trabajos en segundo plano" in spanish
    assert "Últimos trabajos fallidos" in spanish


def test_the_staff_page_with_no_failures() -> None:
    staff = Client()
    staff.force_login(_person("staff@example.org", staff=True))
    page = staff.get(URL).content.decode()
    assert 'id="no-failed-jobs"' in page
