"""The signed-in person's pages: the dashboard at /my/ and the session keep-alive.

Sign-up, sign-in, password reset and sign-out are django-allauth's views under /accounts/,
with this app's templates (templates/account/)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from apps.accounts import selectors


@never_cache
@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    """My applications and enrollments: statuses as the database holds them."""
    assert request.user.is_authenticated
    return render(
        request,
        "accounts/dashboard.html",
        {
            "dashboard": selectors.dashboard(request.user),
            "start_url": _url_or_none("applications:start"),
        },
    )


@never_cache
@require_safe
def keepalive(request: HttpRequest) -> HttpResponse:
    """Called by the session warning's "Stay signed in": answering refreshes the session
    (SESSION_SAVE_EVERY_REQUEST). 204 when signed in, 401 otherwise (no redirect: a script
    calls it)."""
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    request.session.modified = True
    return HttpResponse(status=204)


def _url_or_none(name: str) -> str | None:
    """A link that another app may not offer yet."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None
