"""Suite-wide fixtures."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.test import override_settings
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_after_each_test() -> Iterator[None]:
    """A request in Spanish leaves Spanish active in the thread; every test starts in English."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _audit_triggers_around_flush(request: pytest.FixtureRequest) -> Iterator[None]:
    """A transactional test ends by emptying every table (flush: DELETE on SQLite, TRUNCATE on
    PostgreSQL), which the audit table's append-only triggers refuse (apps/audit/triggers.py).
    Around such a test the triggers are in place while it runs and dropped just before the flush
    (this fixture's teardown runs before the database fixture's)."""
    marker = request.node.get_closest_marker("django_db")
    requested = "transactional_db" in request.fixturenames
    transactional = requested or bool(marker and marker.kwargs.get("transaction"))
    if not transactional:
        yield
        return
    from django.db import connection

    from apps.audit import triggers

    if requested:
        request.getfixturevalue("transactional_db")
    triggers.install(connection)
    yield
    triggers.remove(connection)


@pytest.fixture(autouse=True)
def _queued_email() -> Iterator[None]:
    """Email goes through the job queue as in production (Django's test set-up would swap in the
    in-memory backend): a test that reads ``mail.outbox`` runs the queued jobs first
    (``run_jobs``). Delivery is in-memory (EMAIL_DELIVERY_BACKEND in config/settings/test.py)."""
    with override_settings(EMAIL_BACKEND="apps.jobs.mail.QueuedEmailBackend"):
        yield


@pytest.fixture
def run_jobs() -> Callable[[], int]:
    """Run the queued jobs that may run now, as the worker would (tests/jobs/runner.py)."""
    from tests.jobs.runner import run_jobs as run

    return run
