"""Fixtures of the audit tests: the demo catalog (for enrolling) from the enrollment tests."""

from __future__ import annotations

from tests.enrollment.conftest import demo_catalog  # noqa: F401 - a fixture, used by name
