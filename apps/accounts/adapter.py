"""django-allauth hooks that write the audit trail of accounts (docs/audit.md).

allauth (65.x) calls its adapter for each change to an account: ``save_user`` (sign-up),
``confirm_email`` (the emailed link is followed), ``set_password`` (password change, set and
reset); an email address added later goes through the add-email form. Each hook here runs allauth's
own code and writes the audit row in one ``transaction.atomic()``, so the change and its row commit
or roll back together. Passwords and hashes are never written: the row says that the password
changed, not what it is.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter  # type: ignore[import-untyped]
from allauth.account.forms import AddEmailForm  # type: ignore[import-untyped]
from django.db import transaction
from django.http import HttpRequest

from apps.audit import services as audit

#: allauth's URL names of the views that reset a forgotten password (the others change or set it).
RESET_VIEWS = frozenset({"account_reset_password_from_key"})


def _request_or_none(adapter: Any) -> HttpRequest | None:
    try:
        request = adapter.request
    except Exception:  # allauth's context has no request outside a view (a command, a job)
        return None
    return request if isinstance(request, HttpRequest) else None


class AuditedAccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        """Sign-up: the new account and its ``sign_up`` row (the email address row that allauth
        adds just after is recorded with the account's email here)."""
        if not commit:
            return super().save_user(request, user, form, commit=False)
        with transaction.atomic():
            saved = super().save_user(request, user, form, commit=True)
            audit.record(
                audit.Action.SIGN_UP,
                audit.ObjectType.USER,
                saved.pk,
                actor=saved,
                changes=audit.field_changes(
                    {
                        "email": (None, saved.email),
                        "username": (None, saved.get_username()),
                        "password": (None, "set"),
                    }
                ),
                request=request,
            )
        return saved

    def confirm_email(self, request: HttpRequest, email_address: Any) -> bool:
        with transaction.atomic():
            confirmed = bool(super().confirm_email(request, email_address))
            if confirmed:
                audit.record(
                    audit.Action.EMAIL_CONFIRMED,
                    audit.ObjectType.USER,
                    email_address.user_id,
                    actor=email_address.user,
                    changes={"verified_email": {"old": None, "new": email_address.email}},
                    request=request,
                )
        return confirmed

    def set_password(self, user: Any, password: str) -> None:
        """A password change, set or reset (allauth uses this one hook for all three; the view
        tells which)."""
        request = _request_or_none(self)
        match = getattr(request, "resolver_match", None)
        reset = getattr(match, "url_name", None) in RESET_VIEWS
        with transaction.atomic():
            super().set_password(user, password)
            audit.record(
                audit.Action.PASSWORD_RESET if reset else audit.Action.PASSWORD_CHANGED,
                audit.ObjectType.USER,
                user.pk,
                actor=user,
                changes={"password": {"old": "set", "new": "set"}},
                request=request,
            )


class AuditedAddEmailForm(AddEmailForm):  # type: ignore[misc]
    """Adding an email address to an account (/accounts/email/), with its ``email_added`` row."""

    def save(self, request: HttpRequest) -> Any:
        with transaction.atomic():
            address = super().save(request)
            if getattr(address, "pk", None):
                audit.record(
                    audit.Action.EMAIL_ADDED,
                    audit.ObjectType.USER,
                    address.user_id,
                    actor=request.user,
                    changes=audit.field_changes({"email": (None, address.email)}),
                    request=request,
                )
        return address
