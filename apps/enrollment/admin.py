"""Enrollments in the admin: read-only (an enrollment changes only through services.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from apps.enrollment.models import Enrollment


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "public_id",
        "coverage_year",
        "plan_name",
        "issuer_name",
        "net_premium",
        "coverage_start",
        "status",
        "created_at",
    )
    list_filter = ("coverage_year", "status", "metal_level")
    search_fields = ("public_id", "plan_id", "application__confirmation_number")
    raw_id_fields = ("application", "owner")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
