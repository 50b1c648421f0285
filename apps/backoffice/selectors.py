"""Reads of the back office: finding an application and gathering a person's full record.

These reads are not scoped to an owner (staff look at anyone's record): only the back office's
views call them, after checking the staff member's permissions, and the full record is only read
through ``services.view_full_record``, which writes the audit row in the same transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from apps.applications import selectors as application_selectors
from apps.applications import ssn
from apps.applications.models import Application, StatusChange
from apps.audit.models import AuditEvent
from apps.enrollment.models import Enrollment

#: A confirmation number as typed: letters, digits and dashes (MA-2026-7KQ2-XH4P).
CONFIRMATION = re.compile(r"[A-Za-z]{2}-?\d{4}-?[A-Za-z0-9]{4}-?[A-Za-z0-9]{4}")
MAX_RESULTS = 50


def find_applications(query: str) -> QuerySet[Application]:
    """Applications whose confirmation number is ``query`` (any case, dashes optional) or whose
    owner's email address is ``query`` (any case), newest first. An empty or unrecognised query
    finds nothing (never every application)."""
    text = query.strip()
    found = Application.objects.none()
    if "@" in text:
        found = Application.objects.filter(owner__email__iexact=text)
    elif CONFIRMATION.fullmatch(text):
        compact = text.replace("-", "").upper()
        number = f"{compact[:2]}-{compact[2:6]}-{compact[6:10]}-{compact[10:]}"
        found = Application.objects.filter(confirmation_number=number)
    return found.select_related("owner").order_by("-created_at")[:MAX_RESULTS]


@dataclass(frozen=True, slots=True)
class Member:
    member_id: str
    name: str
    date_of_birth: str
    masked_ssn: str | None


@dataclass(frozen=True, slots=True)
class PersonRecord:
    application: Application
    members: list[Member]
    sections: list[application_selectors.Section]
    results: application_selectors.Results
    enrollments: list[Enrollment]
    history: list[StatusChange]


def application(public_id: Any) -> Application:
    """Any person's application by its public id (``Application.DoesNotExist`` if none)."""
    return Application.objects.select_related("owner").get(public_id=public_id)


def members(app: Application) -> list[Member]:
    """The household's people with their Social Security numbers masked."""
    masked = ssn.masked_ssns(app)
    return [
        Member(
            member_id=str(m["id"]),
            name=" ".join(p for p in (m.get("first_name"), m.get("last_name")) if p),
            date_of_birth=str(m.get("date_of_birth") or ""),
            masked_ssn=masked.get(str(m["id"])),
        )
        for m in (app.data.get("people") or {}).get("members", [])
    ]


def member(app: Application, member_id: str) -> Member | None:
    return next((m for m in members(app) if m.member_id == member_id), None)


def person_record(app: Application, language: str) -> PersonRecord:
    """Everything the exchange holds about an application: every answer, the determination,
    enrollments and status history (SSNs masked)."""
    return PersonRecord(
        application=app,
        members=members(app),
        sections=application_selectors.review_sections(app),
        results=application_selectors.results(app, language),
        enrollments=list(app.enrollments.order_by("created_at")),
        history=list(app.history.select_related("changed_by").order_by("changed_at", "id")),
    )


def audit_events(object_id: str = "", limit: int = 200) -> list[AuditEvent]:
    """The newest audit events, or those about ``object_id`` (as the object or as the
    application it belongs to)."""
    events = AuditEvent.objects.select_related("actor")
    text = object_id.strip()
    if text:
        events = events.filter(object_id=text) | events.filter(related_id=text)
    return list(events.order_by("-occurred_at", "-id")[:limit])
