"""The back office's audited reads: each view of a person's full record and each reveal of a
Social Security number writes an audit row in the same transaction as the read (docs/audit.md)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest

from apps.applications import ssn
from apps.audit import services as audit
from apps.backoffice import selectors
from apps.backoffice.selectors import PersonRecord


class UnknownMember(LookupError):
    """No household member with that id on the application."""


def view_full_record(
    staff: Any, public_id: Any, language: str, request: HttpRequest | None = None
) -> PersonRecord:
    """The full record of an application for ``staff``, with its ``view_full_record`` audit
    row. ``Application.DoesNotExist`` if there is no such application."""
    with transaction.atomic():
        app = selectors.application(public_id)
        record = selectors.person_record(app, language)
        audit.record(
            audit.Action.VIEW_FULL_RECORD,
            audit.ObjectType.APPLICATION,
            app.public_id,
            actor=staff,
            request=request,
        )
    return record


def reveal_member_ssn(
    staff: Any, public_id: Any, member_id: str, request: HttpRequest | None = None
) -> tuple[selectors.Member, str | None]:
    """A member's full Social Security number (None when none is stored) for ``staff``, with
    its ``view_ssn`` audit row (object: the member; related: the application).
    ``Application.DoesNotExist`` or :class:`UnknownMember` if there is no such member."""
    with transaction.atomic():
        app = selectors.application(public_id)
        member = selectors.member(app, member_id)
        if member is None:
            raise UnknownMember(member_id)
        number = ssn.reveal_ssn(app, member_id)
        audit.record(
            audit.Action.VIEW_SSN,
            audit.ObjectType.MEMBER,
            member_id,
            actor=staff,
            related_id=app.public_id,
            changes={"number_on_file": {"old": None, "new": number is not None}},
            request=request,
        )
    return member, number
