"""A resident's application for coverage: answers saved step by step, then submitted once.

Statuses are a state machine (draft -> submitted -> determined); every change goes through
``services.py`` inside a transaction and writes a status-history row (see docs/adr/0003-portal.md).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft"
        SUBMITTED = "submitted"
        DETERMINED = "determined"

    ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
        "draft": frozenset({"submitted"}),
        "submitted": frozenset({"determined"}),
        "determined": frozenset(),
    }

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications"
    )
    coverage_year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    current_step = models.CharField(max_length=40, default="people")
    # The answers, by step name; `services.household_json` turns them into the rules engine's
    # household JSON (docs/rules/household-input.md).
    data = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=8, default="en")
    version = models.PositiveIntegerField(default=0, help_text="increases on every save")
    confirmation_number = models.CharField(max_length=20, unique=True, null=True, blank=True)
    submit_key = models.CharField(
        max_length=64, unique=True, null=True, blank=True, help_text="idempotency key of the submit"
    )
    signature = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self) -> str:
        return f"Application {self.public_id} ({self.status})"


class StatusChange(models.Model):
    """History of an application's statuses, written in the same transaction as the change."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="history")
    old_status = models.CharField(max_length=12, blank=True)
    new_status = models.CharField(max_length=12)
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.application_id}: {self.old_status or '-'} -> {self.new_status}"


class MemberSSN(models.Model):
    """A household member's Social Security number, encrypted (``apps/applications/ssn.py``).

    Never in ``Application.data`` (which is copied into the household JSON, determinations and
    logs): only here, as a Fernet token made with a key from the environment
    (``EXCHANGE_SSN_KEYS``). ``last4`` is kept in clear so pages can show the masked number
    ("***-**-6789") without decrypting. ``member_id`` is the people step's id ("m1", "m2", ...).
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="ssns")
    member_id = models.CharField(max_length=8)
    ciphertext = models.TextField(help_text="Fernet token (MultiFernet with EXCHANGE_SSN_KEYS)")
    last4 = models.CharField(max_length=4)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "member_id"], name="unique_ssn_per_application_member"
            )
        ]

    def __str__(self) -> str:
        # Never the number: this string may end up in logs and the admin.
        return f"SSN of {self.member_id} on application {self.application_id} (***-**-{self.last4})"
