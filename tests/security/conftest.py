"""Users and signed-in clients for the security tests (the application tests' fixtures)."""

from __future__ import annotations

from tests.applications.conftest import other_user, signed_in, user

__all__ = ["other_user", "signed_in", "user"]
