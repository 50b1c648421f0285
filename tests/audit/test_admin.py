"""The admin shows audit events and offers no way to add, change or delete them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client

from apps.audit import services as audit
from apps.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_admin_is_read_only(client: Client) -> None:
    admin = User.objects.create_superuser("root", "root@exchange.example", "root-password-1")
    with transaction.atomic():
        event = audit.record(
            audit.Action.STATUS_CHANGE,
            audit.ObjectType.APPLICATION,
            "app-1",
            actor=admin,
            changes={"status": {"old": "draft", "new": "submitted"}},
        )
    client.force_login(admin)
    base = "/admin/audit/auditevent/"
    listing = client.get(base).content.decode()
    assert "app-1" in listing
    assert 'name="action"' not in listing  # no bulk actions (no "delete selected")
    assert client.get(f"{base}add/").status_code == 403
    page = client.get(f"{base}{event.pk}/change/")
    assert page.status_code == 200
    assert 'name="actor_label"' not in page.content.decode()  # shown, not editable
    response = client.post(f"{base}{event.pk}/change/", {"actor_label": "forged"})
    assert response.status_code == 403
    assert client.post(f"{base}{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).actor_label == "staff:root"


def test_an_application_page_in_the_admin_is_an_audited_look_at_the_full_record(
    client: Client,
) -> None:
    """The admin's application page shows every answer, so it is audited like /staff/."""
    from tests.applications import factories as f

    resident = f.make_user()
    application = f.make_application(resident, f.single_220())
    admin = User.objects.create_superuser("root", "root@exchange.example", "root-password-1")
    client.force_login(admin)
    views = AuditEvent.objects.filter(action=audit.Action.VIEW_FULL_RECORD)
    assert client.get("/admin/applications/application/").status_code == 200
    assert views.count() == 0  # the list shows no answers
    page = client.get(f"/admin/applications/application/{application.pk}/change/")
    assert page.status_code == 200
    assert "Rosa" in page.content.decode()
    event = views.get()
    assert event.object_id == str(application.public_id)
    assert event.actor == admin
    assert client.get("/admin/applications/application/999999/change/").status_code == 302
    assert views.count() == 1
