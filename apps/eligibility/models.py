"""Stored determinations: the rules engine's answer for a submitted application, with the rules and
parameter versions that produced it."""

from __future__ import annotations

from django.db import models

from apps.applications.models import Application


class EligibilityDetermination(models.Model):
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="determination"
    )
    coverage_year = models.PositiveSmallIntegerField()
    rules_version = models.CharField(max_length=20)
    parameters_version = models.CharField(max_length=40)
    household = models.JSONField(help_text="the household JSON the engine was given")
    result = models.JSONField(help_text="Determination.as_dict()")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Determination of {self.application_id} ({self.coverage_year})"
