"""Sign-in throttling with django-axes, fitted to django-allauth (docs/security.md).

allauth's sign-in form posts the email as ``login`` and authenticates with ``email=...``; axes
counts failures per (username, address) pair, so both must name the same person the same way:
the email as typed, trimmed and lower-cased. The lockout page is ``account/lockout.html``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.http import HttpRequest


def username_for_axes(request: HttpRequest | None, credentials: Mapping[str, Any] | None) -> str:
    """The email being signed in with: the form's ``login`` field when the request is a sign-in
    post (failures and the success that resets them), else what the credentials carry."""
    typed = ""
    if request is not None and request.method == "POST":
        typed = str(request.POST.get("login") or "")
    if not typed and credentials:
        for key in ("email", "login", "username"):
            if credentials.get(key):
                typed = str(credentials[key])
                break
    return typed.strip().lower()


def client_ip(request: HttpRequest) -> str:
    """The client's address: behind ``EXCHANGE_PROXY_COUNT`` trusted proxies, the entry that many
    places from the right of X-Forwarded-For (the ones further left can be forged); else
    REMOTE_ADDR."""
    count = int(getattr(settings, "EXCHANGE_PROXY_COUNT", 0) or 0)
    if count > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= count:
            return str(hops[-count])
    return str(request.META.get("REMOTE_ADDR", ""))
