"""Sessions end after 30 minutes without activity; the warning's keep-alive; the message after a
session ends by itself; the language switch."""

from __future__ import annotations

import datetime
import time

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from apps.accounts.middleware import MARKER_COOKIE, SessionExpiryMiddleware, ended_message
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_sessions_end_after_30_minutes_without_activity() -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_accounts_settings_are_wired() -> None:
    """The app's templates must win over allauth's (INSTALLED_APPS order) and the middleware
    must sit after authentication, messages and allauth's middleware."""
    apps = settings.INSTALLED_APPS
    assert apps.index("apps.accounts") < apps.index("allauth"), "apps.accounts before allauth"
    mw = settings.MIDDLEWARE
    path = f"{SessionExpiryMiddleware.__module__}.{SessionExpiryMiddleware.__name__}"
    assert path in mw
    for before in (
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "allauth.account.middleware.AccountMiddleware",
    ):
        assert mw.index(before) < mw.index(path)


def sign_in(client: Client, user: User) -> None:
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response["Location"] == "/my/"


def test_keepalive_needs_sign_in_and_refreshes_the_session(client: Client, person: User) -> None:
    response = client.get("/my/keepalive/")
    assert response.status_code == 401
    assert response.content == b""

    sign_in(client, person)
    key = client.session.session_key
    soon = timezone.now() + datetime.timedelta(seconds=60)
    Session.objects.filter(session_key=key).update(expire_date=soon)
    response = client.get("/my/keepalive/")
    assert response.status_code == 204
    assert "no-cache" in response["Cache-Control"]
    refreshed = Session.objects.get(session_key=key).expire_date
    assert refreshed > timezone.now() + datetime.timedelta(minutes=29)
    assert client.post("/my/keepalive/").status_code == 405


def test_the_warning_is_on_signed_in_pages_only(client: Client, person: User) -> None:
    page = client.get("/").content.decode()
    assert "session-warning" not in page
    assert "accounts/session.js" not in page
    sign_in(client, person)
    page = client.get("/").content.decode()
    assert 'data-session-seconds="1800"' in page
    assert 'data-warn-seconds="120"' in page
    assert 'data-keepalive-url="/my/keepalive/"' in page
    assert 'data-expired-url="/accounts/login/?next=/"' in page
    assert "we sign you out after 30 minutes without activity" in page
    assert '<script src="/static/accounts/session.js" defer></script>' in page
    assert "<script>" not in page  # no inline script (a Content-Security-Policy will forbid it)


def expire(client: Client, seconds_ago: int = 1) -> None:
    """What 30 minutes without activity leave: a session past its end, and the browser's
    marker cookie from the last signed-in page, 30 minutes old."""
    past = timezone.now() - datetime.timedelta(seconds=seconds_ago)
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=past)
    client.cookies[MARKER_COOKIE] = str(int(time.time()) - settings.SESSION_COOKIE_AGE)


def test_after_the_session_ends_the_sign_in_page_says_why(client: Client, person: User) -> None:
    sign_in(client, person)
    assert MARKER_COOKIE in client.cookies
    expire(client)
    response = client.get("/my/")
    assert response["Location"] == "/accounts/login/?next=/my/"
    page = client.get(response["Location"]).content.decode()
    assert 'id="session-ended"' in page
    assert (
        "You were signed out after 30 minutes without activity. Nothing you saved was lost. "
        "Sign in again to continue."
    ) in page
    assert client.cookies[MARKER_COOKIE].value == ""  # removed: said once
    assert "session-ended" not in client.get("/accounts/login/").content.decode()


def test_the_message_in_spanish(client: Client, person: User) -> None:
    sign_in(client, person)
    expire(client)
    response = client.get("/my/", headers={"accept-language": "es"}, follow=True)
    page = response.content.decode()
    assert "Cerramos su sesión después de 30 minutos sin actividad" in page
    assert "No se perdió nada de lo que guardó" in page


def test_no_message_after_signing_out(client: Client, person: User) -> None:
    sign_in(client, person)
    client.post("/accounts/logout/")
    assert client.cookies[MARKER_COOKIE].value == ""
    page = client.get("/accounts/login/").content.decode()
    assert "session-ended" not in page


def test_ended_message_tells_a_timeout_from_other_ends() -> None:
    now = 1_000_000.0
    timed_out = ended_message(str(int(now) - 1800), now=now)
    assert timed_out.startswith("You were signed out after 30 minutes without activity.")
    assert ended_message(str(int(now) - 60), now=now).startswith("You were signed out. ")
    assert ended_message("garbage", now=now) == timed_out


def test_language_switch_keeps_the_page(client: Client, person: User) -> None:
    page = client.get("/accounts/login/?next=/my/").content.decode()
    assert '<form id="language-form" method="post" action="/i18n/setlang/" hidden>' in page
    assert '<input type="hidden" name="next" value="/accounts/login/?next=/my/">' in page
    assert 'form="language-form" name="language" value="es" lang="es">Español</button>' in page
    response = client.post(
        "/i18n/setlang/", {"language": "es", "next": "/accounts/login/?next=/my/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/my/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    page = client.get(response["Location"]).content.decode()
    assert '<html lang="es">' in page
    assert '<h1 class="margin-top-4">Iniciar sesión</h1>' in page
    assert 'value="es" lang="es" aria-current="true">Español</button>' in page

    # signed in, on the dashboard, and back to English
    sign_in(client, person)
    assert "Mis solicitudes e inscripciones" in client.get("/my/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/my/"})
    assert response["Location"] == "/my/"
    assert "My applications and enrollments" in client.get("/my/").content.decode()


def test_public_pages_are_in_spanish_too(client: Client) -> None:
    page = client.get("/window-shopping/", headers={"accept-language": "es"}).content.decode()
    assert '<html lang="es">' in page
    assert "Vea qué ayuda puede recibir y compare planes" in page
    assert "Compare planes y precios" in page
    home = client.get("/", headers={"accept-language": "es"}).content.decode()
    assert "Años de cobertura disponibles:" in home
    assert "Cree una cuenta" in home
