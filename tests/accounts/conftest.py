"""Fixtures of the accounts tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.utils import translation

from tests.accounts.factories import make_person


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """allauth counts emails and attempts in the cache (its rate limits and cool-downs)."""
    cache.clear()


@pytest.fixture
def person(db: None) -> User:
    return make_person("ana@example.org")


@pytest.fixture
def other_person(db: None) -> User:
    return make_person("ben@example.org")


@pytest.fixture(autouse=True)
def _english_after_each_test() -> Iterator[None]:
    """LocaleMiddleware activates a request's language in the thread and never resets it: after
    a Spanish request, code called directly by a later test would speak Spanish."""
    yield
    translation.deactivate()
