"""People, applications and enrollments for the accounts tests, made with the ORM."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.contrib.auth.models import User
from django.utils import timezone

from apps.applications.models import Application
from apps.enrollment.models import Enrollment

PASSWORD = "a long Passphrase 42"


def make_person(email: str, *, verified: bool = True) -> User:
    """An account that signs in with its email address (verified unless said otherwise)."""
    user = User.objects.create_user(username=email, email=email, password=PASSWORD)
    email_address = apps.get_model("account", "EmailAddress")  # allauth's (untyped)
    email_address.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


def make_application(owner: User, status: str = "draft", **fields: Any) -> Application:
    values: dict[str, Any] = {"owner": owner, "coverage_year": 2026, "status": status}
    if status != "draft":
        values["confirmation_number"] = f"MA-{uuid.uuid4().hex[:8].upper()}"
        values["submitted_at"] = timezone.now()
    values.update(fields)
    return Application.objects.create(**values)


def make_enrollment(application: Application, **fields: Any) -> Enrollment:
    values: dict[str, Any] = {
        "application": application,
        "owner": application.owner,
        "coverage_year": application.coverage_year,
        "plan_id": "12345MA0010001-01",
        "standard_component_id": "12345MA0010001",
        "plan_name": "Harbor Silver HMO",
        "issuer_id": "12345",
        "issuer_name": "Harbor Health",
        "metal_level": "Silver",
        "member_ids": ["person1"],
        "premium": Decimal("512.40"),
        "aptc_applied": Decimal("400.00"),
        "state_subsidy": Decimal("0.00"),
        "net_premium": Decimal("112.40"),
        "coverage_start": datetime.date(2026, 1, 1),
        "idempotency_key": uuid.uuid4().hex,
    }
    values.update(fields)
    return Enrollment.objects.create(**values)
