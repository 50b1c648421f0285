"""Read-only admin for applications: staff can look, but every change goes through the services
(statuses only move through ``services.set_status``)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from apps.admin_readonly import ReadOnlyAdmin
from apps.applications.models import Application, StatusChange
from apps.audit import services as audit


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
class ApplicationAdmin(ReadOnlyAdmin):
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

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """An application's page shows every answer: a staff view of a person's full record,
        audited like the back office's (apps/backoffice/services.view_full_record)."""
        with transaction.atomic():
            response = super().change_view(request, object_id, form_url, extra_context)
            application = self.get_object(request, object_id)
            if response.status_code == 200 and application is not None:
                audit.record(
                    audit.Action.VIEW_FULL_RECORD,
                    audit.ObjectType.APPLICATION,
                    application.public_id,
                    actor=request.user,
                    request=request,
                )
        return response
