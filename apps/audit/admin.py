"""The audit trail in the admin: read-only (no add, change or delete) for staff with
``audit.view_auditevent``."""

from __future__ import annotations

from django.contrib import admin

from apps.admin_readonly import ReadOnlyAdmin
from apps.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("occurred_at", "actor_label", "action", "object_type", "object_id")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "related_id", "actor_label", "request_id")
    date_hierarchy = "occurred_at"
    readonly_fields = (
        "occurred_at",
        "actor",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "related_id",
        "changes",
        "request_id",
        "ip_address",
    )
    actions = None
