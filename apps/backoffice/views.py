"""The back office: staff find an application and read a person's full record.

Only staff (``is_staff``) holding ``backoffice.view_person_record`` get in; anyone else signed in
gets a 404 (the pages' existence is not revealed) and an anonymous visitor the sign-in page.
Revealing a Social Security number takes ``backoffice.reveal_ssn`` too and a POST (with its CSRF
token); the audit log takes ``audit.view_auditevent``. Every full-record view and every reveal
writes an audit row (``services``). Nothing is cached by the browser.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from apps.applications.models import Application
from apps.backoffice import selectors, services

VIEW_RECORD = "backoffice.view_person_record"
REVEAL_SSN = "backoffice.reveal_ssn"
VIEW_AUDIT = "audit.view_auditevent"

View = Callable[..., HttpResponse]


def staff_with(*permissions: str) -> Callable[[View], View]:
    """Sign-in page for an anonymous visitor; 404 for anyone who is not staff with every one of
    ``permissions``; the view otherwise. Never cached."""

    def decorate(view: View) -> View:
        @wraps(view)
        @never_cache
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not (user.is_active and user.is_staff and user.has_perms(permissions)):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


@require_safe
@staff_with(VIEW_RECORD)
def find(request: HttpRequest) -> HttpResponse:
    """Find an application by confirmation number or the person's email address."""
    query = request.GET.get("q", "").strip()[:254]
    found = list(selectors.find_applications(query)) if query else []
    return render(
        request,
        "backoffice/find.html",
        {"query": query, "found": found, "searched": bool(query)},
    )


@require_safe
@staff_with(VIEW_RECORD)
def record(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Everything about one application, with SSNs masked; writes ``view_full_record``."""
    try:
        person = services.view_full_record(
            request.user, public_id, get_language() or "en", request=request
        )
    except Application.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "backoffice/record.html",
        {
            "record": person,
            "application": person.application,
            "can_reveal": request.user.has_perm(REVEAL_SSN),
            "can_audit": request.user.has_perm(VIEW_AUDIT),
        },
    )


@require_POST
@staff_with(VIEW_RECORD, REVEAL_SSN)
def reveal_ssn(request: HttpRequest, public_id: uuid.UUID, member_id: str) -> HttpResponse:
    """One member's full Social Security number; writes ``view_ssn``."""
    try:
        member, number = services.reveal_member_ssn(
            request.user, public_id, member_id, request=request
        )
    except (Application.DoesNotExist, services.UnknownMember):
        raise Http404 from None
    return render(
        request,
        "backoffice/ssn.html",
        {"public_id": public_id, "member": member, "number": number},
    )


@require_safe
@staff_with(VIEW_AUDIT)
def audit_log(request: HttpRequest) -> HttpResponse:
    """The newest audit events, or those about one object (its id or its application's)."""
    object_id = request.GET.get("object_id", "").strip()[:64]
    return render(
        request,
        "backoffice/audit.html",
        {"object_id": object_id, "events": selectors.audit_events(object_id)},
    )
