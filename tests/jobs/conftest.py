"""Fixtures of the job tests."""

from __future__ import annotations

from typing import Any

import pytest

from tests.applications import factories


@pytest.fixture
def user(db: None) -> Any:
    return factories.make_user("ana@example.com")
