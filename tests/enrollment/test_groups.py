"""Enrollment groups: people who may buy a plan but get different help (the employee with an
affordable offer at full price, the spouse with ConnectorCare 3A) shop and enroll as separate
groups, each priced with its own help; the tax household's credit is shared across its groups."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import pytest

from apps.applications import services as application_services
from apps.applications.models import Application
from apps.enrollment import selectors, services
from apps.enrollment.services import EnrollmentError, ErrorCode
from tests.applications.factories import HOUSEHOLDS, signature_of
from tests.applications.factories import make_application as draft_with_answers
from tests.enrollment.conftest import DEC_15, FAMILY, household, make_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed_app(demo_catalog: None, alice: Any) -> Application:
    """Household (d): Luis (affordable employer offer: a plan at full price), Marta (ConnectorCare
    3A) and Nico (CHIP)."""
    answers = HOUSEHOLDS["employer_employee_only"]()
    app = draft_with_answers(alice, answers)
    application_services.submit(app, alice, uuid.uuid4().hex, signature_of(answers), language="en")
    app.refresh_from_db()
    return app


def test_a_mixed_household_is_two_groups(mixed_app: Application) -> None:
    shop = selectors.shop_for(mixed_app)
    groups = shop.groups
    assert [g.member_ids for g in groups] == [("m2",), ("m1",)]  # the group with help first
    assert shop.group == groups[0]
    assert shop.help.connectorcare_plan_type == "3A"
    assert shop.help.csr == "73"
    assert shop.aptc_max > 0
    luis = selectors.shop_for(mixed_app, 2)
    assert luis.member_ids == ("m1",)
    assert luis.aptc_max == 0
    assert luis.help.csr is None and luis.help.connectorcare_plan_type is None


def test_a_household_with_the_same_help_is_one_group(family_app: Application) -> None:
    shop = selectors.shop_for(family_app)
    assert len(shop.groups) == 1
    assert shop.help.connectorcare_plan_type is not None


def test_the_connectorcare_member_sees_connectorcare_plans(mixed_app: Application) -> None:
    quotes = selectors.quotes(selectors.shop_for(mixed_app))
    connectorcare = [q for q in quotes if q.plan.connectorcare_plan_type == "3A"]
    assert connectorcare
    lowest = min(connectorcare, key=lambda q: q.net.premium)
    assert lowest.net.enrollee_pays == Decimal("103.00")
    # the full-price member is offered no ConnectorCare plan
    luis = selectors.quotes(selectors.shop_for(mixed_app, 2))
    assert luis and not any(q.plan.connectorcare_plan_type for q in luis)
    assert all(q.net.aptc_applied == 0 for q in luis)


def test_each_group_enrolls_separately(mixed_app: Application, alice: Any) -> None:
    marta_plan = selectors.quotes(selectors.shop_for(mixed_app, 1))[0]
    luis_plan = selectors.quotes(selectors.shop_for(mixed_app, 2))[0]
    marta = services.enroll(
        mixed_app, alice, marta_plan.plan.plan_id, None, "k-marta", group=1, today=DEC_15
    )
    luis = services.enroll(
        mixed_app, alice, luis_plan.plan.plan_id, None, "k-luis", group=2, today=DEC_15
    )
    assert marta.member_ids == ["m2"] and luis.member_ids == ["m1"]
    assert marta.net_premium == marta_plan.net.enrollee_pays
    assert luis.aptc_applied == 0 and luis.net_premium == luis.premium
    assert selectors.active_enrollments(mixed_app, ["m1", "m2"]) == [marta, luis]


def test_an_overlapping_enrollment_is_refused(mixed_app: Application, alice: Any) -> None:
    plan = selectors.quotes(selectors.shop_for(mixed_app, 1))[0]
    first = services.enroll(mixed_app, alice, plan.plan.plan_id, None, "k-1", group=1, today=DEC_15)
    with pytest.raises(EnrollmentError) as exc:
        services.enroll(mixed_app, alice, plan.plan.plan_id, None, "k-2", group=1, today=DEC_15)
    assert exc.value.code == ErrorCode.ALREADY_ENROLLED
    assert exc.value.enrollment == first


def _split_family(app: Application) -> None:
    """The family's two ConnectorCare parents with different plan types (as if the engine had
    said so): the same tax household's credit, in two groups."""
    determination = selectors.determination_of(app)
    for m in determination.result["members"]:
        if m["id"] == "p2":
            m["connectorcare_plan_type"] = "3B" if m["connectorcare_plan_type"] != "3B" else "3A"
    determination.save()


def test_the_credit_across_groups_never_exceeds_the_household_maximum(
    family_app: Application, alice: Any
) -> None:
    _split_family(family_app)
    first = selectors.shop_for(family_app, 1)
    assert len(first.groups) == 2
    maximum = first.aptc_max
    assert maximum > 0 and first.aptc_household_max == maximum
    # the first group uses all of the credit it can on its plan
    plan = max(selectors.quotes(first), key=lambda q: q.net.premium)
    one = services.enroll(family_app, alice, plan.plan.plan_id, None, "k-a", group=1, today=DEC_15)
    second = selectors.shop_for(family_app, 2)
    assert second.aptc_used == one.aptc_applied
    assert second.aptc_max == maximum - one.aptc_applied
    other = max(selectors.quotes(second), key=lambda q: q.net.premium)
    two = services.enroll(
        family_app, alice, other.plan.plan_id, Decimal("99999"), "k-b", group=2, today=DEC_15
    )
    assert one.aptc_applied + two.aptc_applied <= maximum
    assert two.aptc_applied <= second.aptc_max


def test_a_second_group_gets_the_rest_of_a_partly_used_credit(
    demo_catalog: None, alice: Any
) -> None:
    app = make_application(alice, household(FAMILY))
    _split_family(app)
    first = selectors.shop_for(app, 1)
    plan = selectors.quotes(first)[0]
    part = (first.aptc_max / 4).quantize(Decimal("0.01"))
    one = services.enroll(app, alice, plan.plan.plan_id, part, "k-c", group=1, today=DEC_15)
    assert one.aptc_applied <= part
    second = selectors.shop_for(app, 2)
    assert second.aptc_max == first.aptc_max - one.aptc_applied


def test_the_shop_shows_a_group_chooser(client: Any, mixed_app: Application, alice: Any) -> None:
    client.force_login(alice)
    url = f"/applications/{mixed_app.public_id}/shop/"
    page = client.get(url).content.decode()
    assert 'id="groups"' in page and "?group=2" in page
    assert 'id="summary-connectorcare"' in page
    second = client.get(url, {"group": "2"}).content.decode()
    assert 'id="summary-connectorcare"' not in second
    assert 'name="group" value="2"' in second
