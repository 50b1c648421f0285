"""Suite-wide fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
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
