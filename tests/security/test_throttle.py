"""Sign-in throttling (django-axes with allauth): 5 wrong passwords for one email from one address
lock that pair out for 15 minutes, even with the right password; others are unaffected; a
success resets the count; the lockout page is clear and translated."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pytest
from axes.models import AccessAttempt  # type: ignore[import-untyped]
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from apps.accounts.throttle import client_ip, username_for_axes
from tests.accounts.factories import PASSWORD, make_person

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """allauth's per-address limit lives in the cache, which outlives a test."""
    cache.clear()


def sign_in(client: Client, email: str, password: str, **extra: Any) -> Any:
    return client.post(LOGIN, {"login": email, "password": password}, **extra)


def signed_in(client: Client) -> bool:
    return client.get("/my/").status_code == 200


def fail(client: Client, email: str, times: int, **extra: Any) -> list[int]:
    return [sign_in(client, email, "wrong password", **extra).status_code for _ in range(times)]


def test_five_failures_lock_out_even_the_right_password(client: Client) -> None:
    make_person("ana@example.com")
    assert fail(client, "ana@example.com", 4) == [200] * 4  # the form, with its error
    response = sign_in(client, "ana@example.com", "wrong password")
    assert response.status_code == 429
    page = html.unescape(response.content.decode())
    assert "Sign-in paused for 15 minutes" in page
    assert "wrong 5 times in a row" in page
    response = sign_in(client, "ana@example.com", PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)
    # the same email typed differently is the same person
    assert sign_in(client, "  ANA@Example.com ", PASSWORD).status_code == 429


def test_another_account_and_another_address_are_unaffected(client: Client) -> None:
    make_person("ana@example.com")
    make_person("ben@example.com")
    fail(client, "ana@example.com", 5)
    response = sign_in(client, "ben@example.com", PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert sign_in(elsewhere, "ana@example.com", PASSWORD).status_code == 302


def test_a_success_resets_the_count(client: Client) -> None:
    make_person("ana@example.com")
    fail(client, "ana@example.com", 4)
    assert sign_in(client, "ana@example.com", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    assert fail(client, "ana@example.com", 4) == [200] * 4  # counting starts again
    assert sign_in(client, "ana@example.com", PASSWORD).status_code == 302


def test_the_lock_ends_after_15_minutes(client: Client) -> None:
    make_person("ana@example.com")
    fail(client, "ana@example.com", 5)
    assert sign_in(client, "ana@example.com", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    assert sign_in(client, "ana@example.com", PASSWORD).status_code == 302


def test_lockout_page_in_spanish(client: Client) -> None:
    make_person("carla@example.com")
    statuses = fail(client, "carla@example.com", 5, HTTP_ACCEPT_LANGUAGE="es")
    assert statuses[-1] == 429
    response = sign_in(client, "carla@example.com", PASSWORD, HTTP_ACCEPT_LANGUAGE="es")
    page = html.unescape(response.content.decode())
    assert response.status_code == 429
    assert "Inicio de sesión en pausa por 15 minutos" in page
    assert "Restablecer mi contraseña" in page


def test_username_and_address_helpers(rf: Any, settings: Any) -> None:
    request = rf.post(LOGIN, {"login": " Ana@Example.COM"})
    assert username_for_axes(request, {"email": "other@example.com"}) == "ana@example.com"
    assert username_for_axes(rf.get("/"), {"email": "B@x.org"}) == "b@x.org"
    assert username_for_axes(None, {"username": "c"}) == "c"
    assert username_for_axes(None, None) == ""
    forwarded = rf.get("/", HTTP_X_FORWARDED_FOR="203.0.113.9, 10.0.0.2", REMOTE_ADDR="10.0.0.1")
    assert client_ip(forwarded) == "10.0.0.1"  # no trusted proxy: the header is ignored
    settings.EXCHANGE_PROXY_COUNT = 1
    assert client_ip(forwarded) == "10.0.0.2"
    settings.EXCHANGE_PROXY_COUNT = 2
    assert client_ip(forwarded) == "203.0.113.9"
