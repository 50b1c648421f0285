"""Enrollments in the admin: read-only (an enrollment changes only through services.py)."""

from __future__ import annotations

from django.contrib import admin

from apps.admin_readonly import ReadOnlyAdmin
from apps.enrollment.models import Enrollment


@admin.register(Enrollment)
class EnrollmentAdmin(ReadOnlyAdmin):
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
