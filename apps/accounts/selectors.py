"""Reads for the signed-in person's own pages (see docs/adr/0003-portal.md).

Every query is filtered by the owner: a person only ever sees their own household's
applications and enrollments."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser

from apps.applications.models import Application
from apps.enrollment.models import Enrollment


@dataclass(frozen=True, slots=True)
class Dashboard:
    """What "My applications and enrollments" shows, newest first. Statuses are as stored."""

    applications: list[Application]
    enrollments: list[Enrollment]

    @property
    def is_empty(self) -> bool:
        return not self.applications and not self.enrollments


def applications_for(user: AbstractBaseUser) -> list[Application]:
    """The person's own applications, newest first."""
    return list(Application.objects.filter(owner_id=user.pk).order_by("-created_at", "-pk"))


def enrollments_for(user: AbstractBaseUser) -> list[Enrollment]:
    """The person's own enrollments, newest first. The application must be theirs too
    (never true otherwise, but a person's page must not depend on that)."""
    return list(
        Enrollment.objects.filter(owner_id=user.pk, application__owner_id=user.pk)
        .select_related("application")
        .order_by("-created_at", "-pk")
    )


def dashboard(user: AbstractBaseUser) -> Dashboard:
    return Dashboard(applications=applications_for(user), enrollments=enrollments_for(user))
