"""Fixtures of the security tests: the application tests' users, the demo catalog."""

from __future__ import annotations

from tests.applications.conftest import other_user, signed_in, user
from tests.enrollment.conftest import demo_catalog

__all__ = ["demo_catalog", "other_user", "signed_in", "user"]
