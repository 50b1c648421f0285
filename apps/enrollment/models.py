"""Plan selections: an enrollment in a plan for some members of an application."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from apps.applications.models import Application


class Enrollment(models.Model):
    class Status(models.TextChoices):
        PENDING_PAYMENT = "pending_payment"
        CANCELLED = "cancelled"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="enrollments"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrollments"
    )
    coverage_year = models.PositiveSmallIntegerField()
    plan_id = models.CharField(max_length=17, help_text="the plan variant enrolled in")
    standard_component_id = models.CharField(max_length=14)
    plan_name = models.CharField(max_length=300)
    issuer_id = models.CharField(max_length=5)
    issuer_name = models.CharField(max_length=200)
    metal_level = models.CharField(max_length=20)
    member_ids = models.JSONField(help_text="application member ids covered")
    premium = models.DecimalField(max_digits=10, decimal_places=2)
    aptc_applied = models.DecimalField(max_digits=10, decimal_places=2)
    state_subsidy = models.DecimalField(max_digits=10, decimal_places=2)
    net_premium = models.DecimalField(max_digits=10, decimal_places=2)
    coverage_start = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING_PAYMENT)
    idempotency_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.plan_id} from {self.coverage_start} ({self.status})"
