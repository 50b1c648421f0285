"""Users and signed-in clients for the application tests."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.applications import factories


@pytest.fixture
def user(db: None) -> Any:
    return factories.make_user("ana@example.com")


@pytest.fixture
def other_user(db: None) -> Any:
    return factories.make_user("eve@example.com")


@pytest.fixture
def signed_in(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client
