"""Read-only admin for applications: staff can look, but every change goes through the services
(statuses only move through ``services.set_status``)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from apps.applications.models import Application, StatusChange


class StatusChangeInline(admin.TabularInline):  # type: ignore[type-arg]
    model = StatusChange
    extra = 0
    can_delete = False
    fields = ("old_status", "new_status", "changed_at", "changed_by")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "public_id",
        "owner",
        "coverage_year",
        "status",
        "current_step",
        "confirmation_number",
        "submitted_at",
    )
    list_filter = ("status", "coverage_year")
    search_fields = ("confirmation_number", "public_id", "owner__email")
    inlines = (StatusChangeInline,)
    readonly_fields = (
        "public_id",
        "owner",
        "coverage_year",
        "status",
        "current_step",
        "data",
        "language",
        "version",
        "confirmation_number",
        "submit_key",
        "signature",
        "created_at",
        "updated_at",
        "submitted_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
