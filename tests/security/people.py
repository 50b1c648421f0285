"""Two residents, each with a draft and a determined application (with a stored Social Security
number) and an enrollment, for the ownership and page-walk tests."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User

from apps.applications import ssn
from apps.applications.models import Application
from apps.enrollment.models import Enrollment
from tests.accounts.factories import make_enrollment, make_person
from tests.applications import factories as answers
from tests.enrollment.conftest import SINGLE, household, make_application


@dataclass
class Resident:
    user: User
    first_name: str
    last_name: str
    ssn: str
    draft: Application
    determined: Application
    enrollment: Enrollment

    @property
    def secrets(self) -> list[str]:
        """Strings that must never appear on a page someone else sees."""
        digits = self.ssn.replace("-", "")
        return [
            self.first_name,
            self.last_name,
            self.user.email,
            str(self.determined.confirmation_number),
            self.ssn,
            digits,
            ssn.mask(self.ssn[-4:]),
        ]


def make_resident(email: str, first: str, last: str, number: str) -> Resident:
    user = make_person(email)
    data = copy.deepcopy(answers.single_220())
    member = data["people"]["members"][0]
    member["first_name"], member["last_name"] = first, last
    engine_household = household(SINGLE)
    engine_household["members"][0]["name"] = f"{first} {last}"
    determined = make_application(user, engine_household)
    determined.data = data
    determined.save(update_fields=["data"])
    ssn.store_ssn(determined, "m1", number)
    draft = Application.objects.create(
        owner=user, coverage_year=2026, data=copy.deepcopy(data), current_step="tax"
    )
    ssn.store_ssn(draft, "m1", number)
    enrollment = make_enrollment(determined, member_ids=["m1"])
    return Resident(user, first, last, number, draft, determined, enrollment)


def values_for(resident: Resident, plan_id: str) -> dict[str, list[str]]:
    """Values for every parameter urlwalk knows, taken from ``resident``'s records."""
    from django.utils.http import int_to_base36

    from apps.applications.steps import REVIEW, STEPS

    apps = [resident.draft, resident.determined]
    uuids = [str(a.public_id) for a in apps] + [str(resident.enrollment.public_id)]
    pks = [str(a.pk) for a in apps] + [str(resident.enrollment.pk)]
    return {
        "public_id": uuids,
        "application_id": [str(a.public_id) for a in apps] + [str(a.pk) for a in apps],
        "enrollment_id": [str(resident.enrollment.public_id), str(resident.enrollment.pk)],
        "member_id": ["m1"],
        "step": [*STEPS, REVIEW],
        "pk": pks,
        "object_id": [str(resident.determined.pk), str(resident.user.pk)],
        "content_type_id": ["1"],
        "app_label": ["applications"],
        "id": [str(resident.user.pk)],
        "url": ["applications/application/"],
        "job_id": ["1"],
        "task_id": ["1"],
        "key": ["not-a-real-key"],
        "uidb36": [int_to_base36(resident.user.pk)],
        "plan_id": [plan_id],
        "zipcode": ["02118"],
        "abbrev": ["MA"],
    }


def body(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return str(response.content.decode("utf-8", "replace"))
