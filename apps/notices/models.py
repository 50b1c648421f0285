"""Stored notices: the PDF a resident was (or will be) given, rendered once by a background job or
on first request, then served as stored (see docs/adr/0004-background-jobs.md)."""

from __future__ import annotations

from django.db import models

from apps.applications.models import Application
from apps.eligibility.models import EligibilityDetermination


class Notice(models.Model):
    class Kind(models.TextChoices):
        ELIGIBILITY = "eligibility", "Eligibility notice"

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="notices")
    determination = models.ForeignKey(
        EligibilityDetermination, on_delete=models.PROTECT, related_name="notices"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    language = models.CharField(max_length=8)
    pdf = models.BinaryField()
    rules_version = models.CharField(max_length=20, help_text="of the determination shown")
    parameters_version = models.CharField(max_length=40, help_text="of the determination shown")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind", "language"], name="notice_once_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} notice of {self.application_id} ({self.language})"
