"""Tells a person that they were signed out when their session ended without them signing out.

Sessions end after SESSION_COOKIE_AGE seconds without activity (30 minutes). A browser-session
cookie, set on every signed-in response with the time of that response, remembers that this
browser was signed in. When a request comes back without a signed-in session but with that
cookie, the session ended by itself: the next page (usually the sign-in page, where pages that
need an account send the person) shows a plain message, and the cookie is removed. Signing out
removes the cookie too, so no message follows a sign-out.

Works without JavaScript; accounts/session.js adds the warning before the end."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import gettext, ngettext

#: The cookie's name. Its value is the time (Unix seconds) of the last signed-in response.
MARKER_COOKIE = "exchange_signed_in"
#: The message's extra tag; base.html gives the message the id "session-ended".
MESSAGE_TAG = "session-ended"


class SessionExpiryMiddleware:
    """Place after AuthenticationMiddleware, MessageMiddleware and allauth's AccountMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        marker = request.COOKIES.get(MARKER_COOKIE) or None  # a deleted cookie may come back empty
        if marker is not None and not request.user.is_authenticated:
            messages.info(request, ended_message(marker), extra_tags=MESSAGE_TAG)
        response = self.get_response(request)
        # After the view: login() and logout() replace request.user.
        if request.user.is_authenticated:
            response.set_cookie(
                MARKER_COOKIE,
                str(int(time.time())),
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        elif marker is not None:
            response.delete_cookie(MARKER_COOKIE, samesite="Lax")
        return response


def ended_message(marker: str, now: float | None = None) -> str:
    """The message for a session that ended without signing out, in the active language.

    When the last signed-in page is at least SESSION_COOKIE_AGE old, the session timed out;
    otherwise it ended another way (for example the password was changed elsewhere)."""
    age = int(settings.SESSION_COOKIE_AGE)
    try:
        last = int(marker)
    except ValueError:
        last = 0
    elapsed = (time.time() if now is None else now) - last
    if elapsed >= age - 1:
        minutes = max(1, round(age / 60))
        return ngettext(
            "You were signed out after %(minutes)d minute without activity. Nothing you saved "
            "was lost. Sign in again to continue.",
            "You were signed out after %(minutes)d minutes without activity. Nothing you saved "
            "was lost. Sign in again to continue.",
            minutes,
        ) % {"minutes": minutes}
    return gettext("You were signed out. Nothing you saved was lost. Sign in again to continue.")
