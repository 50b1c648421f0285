"""Property-based run over the whole public API (schemathesis, from the app's own OpenAPI schema):
generated requests, valid and invalid, must never produce a server error, and every error must be a
problem document.

The requests go straight to the WSGI application, not through Django's test client, so the
``request_started``/``request_finished`` signals would close the test's database connection (inside the test's
transaction) after the first request; like the test client, the module keeps the connection.
On in-memory SQLite closing is a no-op, which is why only PostgreSQL showed it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from config.wsgi import application

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_catalog")]
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def _keep_test_connection() -> Iterator[None]:
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: Any) -> None:
    response = case.call()
    assert response.status_code < 500, (
        f"{case.method} {case.path}: {response.status_code} {response.text[:500]}"
    )
    if response.status_code >= 400:
        content_type = {k.lower(): v for k, v in response.headers.items()}.get("content-type", [""])
        assert str(content_type[0] if isinstance(content_type, list) else content_type).startswith(
            "application/problem+json"
        ), response.text
