"""The audit trail: one append-only row per change to a person's records and per staff view of them.

Rows are only ever inserted, by ``apps.audit.services.record`` inside the transaction of the change
(so the change and its row commit or roll back together). Append-only is enforced three times
(docs/audit.md): ``AuditEvent.save``/``delete`` refuse to change or remove a stored row, the
manager's ``update()``/``delete()`` refuse, and database triggers (migration 0002) reject UPDATE and
DELETE on the table whatever the client.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnly(Exception):
    """An attempt to change or delete audit events through the application."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Reads and inserts only: bulk ``update()`` and ``delete()`` bypass ``save()``/``delete()``,
    so they refuse here too."""

    def update(self, **kwargs: Any) -> int:
        raise AppendOnly("audit events cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnly("audit events cannot be deleted")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise AppendOnly("audit events cannot be changed")

    def update_or_create(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnly("audit events cannot be changed")


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        # changes to a person's records
        CREATE = "create", _("Created")
        UPDATE = "update", _("Updated")
        SUBMIT = "submit", _("Submitted")
        STATUS_CHANGE = "status_change", _("Status changed")
        # accounts
        SIGN_UP = "sign_up", _("Account created")
        EMAIL_ADDED = "email_added", _("Email address added")
        EMAIL_CONFIRMED = "email_confirmed", _("Email address confirmed")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        PASSWORD_RESET = "password_reset", _("Password reset")
        # staff reads of a person's record
        VIEW_FULL_RECORD = "view_full_record", _("Full record viewed")
        VIEW_SSN = "view_ssn", _("Social Security number viewed")

    class ObjectType(models.TextChoices):
        APPLICATION = "application", _("Application")
        DETERMINATION = "determination", _("Eligibility determination")
        ENROLLMENT = "enrollment", _("Enrollment")
        USER = "user", _("Account")
        MEMBER = "member", _("Household member")

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    # PROTECT: an account that acted cannot be deleted from under its audit trail (a deletion
    # would also have to null this column, which the triggers refuse).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="who acted; empty for the system (the rules engine, jobs)",
    )
    actor_label = models.CharField(
        max_length=160, help_text='"system", "resident" or "staff:<username>" at the time'
    )
    action = models.CharField(max_length=32, choices=Action.choices)
    object_type = models.CharField(max_length=32, choices=ObjectType.choices)
    object_id = models.CharField(
        max_length=64, help_text="the object's public id where it has one, else its primary key"
    )
    related_id = models.CharField(
        max_length=64,
        blank=True,
        db_index=True,
        help_text="the application's public id for an event about one of its parts",
    )
    changes = models.JSONField(
        default=dict,
        blank=True,
        help_text='{field or JSON path: {"old": ..., "new": ...}}; secrets are masked',
    )
    request_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects: ClassVar[AuditEventQuerySet] = AuditEventQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ("-occurred_at", "-id")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert only: a row already stored cannot be saved again."""
        if not self._state.adding or self.pk is not None:
            raise AppendOnly("audit events cannot be changed")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnly("audit events cannot be deleted")
