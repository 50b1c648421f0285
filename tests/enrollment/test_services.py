"""services.enroll and the coverage start rules: when coverage starts, refusals outside open
enrollment, idempotency, prices worked out on the server, how much of the credit to apply, one
active enrollment per person and year, and the confirmation email after the commit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail

from apps.applications.models import Application
from apps.enrollment import selectors, services
from apps.enrollment.models import Enrollment
from apps.enrollment.services import EnrollmentError, ErrorCode
from apps.plans.selectors import year_catalog
from tests.enrollment.conftest import DEC_15, FAMILY, JAN_10, SINGLE, household, make_application
from tests.jobs.runner import run_jobs

pytestmark = pytest.mark.django_db

ZERO = Decimal(0)


def cheapest(app: Application, aptc: Decimal | None = None) -> Any:
    return selectors.quotes(selectors.shop_for(app), aptc)[0]


# --- when coverage starts --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "start"),
    [
        (dt.date(2025, 11, 1), dt.date(2026, 1, 1)),  # first day of open enrollment
        (dt.date(2025, 12, 15), dt.date(2026, 1, 1)),
        (dt.date(2025, 12, 31), dt.date(2026, 1, 1)),
        (dt.date(2026, 1, 1), dt.date(2026, 2, 1)),
        (dt.date(2026, 1, 10), dt.date(2026, 2, 1)),
        (dt.date(2026, 1, 23), dt.date(2026, 2, 1)),  # last day of open enrollment
    ],
)
def test_coverage_start_during_open_enrollment(today: dt.date, start: dt.date) -> None:
    assert services.coverage_start(2026, today) == start


def test_coverage_start_2027_open_enrollment_ends_december_31() -> None:
    assert services.coverage_start(2027, dt.date(2026, 11, 27)) == dt.date(2027, 1, 1)
    assert services.coverage_start(2027, dt.date(2026, 12, 31)) == dt.date(2027, 1, 1)
    with pytest.raises(EnrollmentError) as exc:
        services.coverage_start(2027, dt.date(2027, 1, 5))
    assert exc.value.code is ErrorCode.AFTER_OPEN_ENROLLMENT


@pytest.mark.parametrize(
    ("today", "code"),
    [
        (dt.date(2025, 10, 31), ErrorCode.BEFORE_OPEN_ENROLLMENT),
        (dt.date(2026, 1, 24), ErrorCode.AFTER_OPEN_ENROLLMENT),
        (dt.date(2026, 6, 1), ErrorCode.AFTER_OPEN_ENROLLMENT),
    ],
)
def test_coverage_start_outside_open_enrollment_is_refused(today: dt.date, code: ErrorCode) -> None:
    with pytest.raises(EnrollmentError) as exc:
        services.coverage_start(2026, today)
    assert exc.value.code is code
    assert "2026" in exc.value.message


def test_effective_date_rules_come_from_the_parameter() -> None:
    assert services.effective_date_rules(2026) == ("january_1", "first_of_following_month")


# --- enrolling -------------------------------------------------------------------------------


def test_enroll_in_december_starts_january_1(
    family_app: Application, alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    q = cheapest(family_app)
    with django_capture_on_commit_callbacks(execute=True):
        e = services.enroll(family_app, alice, q.plan.plan_id, None, "key-dec", today=DEC_15)
    assert mail.outbox == []  # a job, enqueued with the enrollment
    assert run_jobs() == 1
    e.refresh_from_db()
    assert e.status == Enrollment.Status.PENDING_PAYMENT
    assert e.coverage_start == dt.date(2026, 1, 1)
    assert e.coverage_year == 2026
    assert e.owner == alice and e.application == family_app
    # the children may get MassHealth/CHIP: only the parents enroll
    assert e.member_ids == ["p1", "p2"]
    assert (e.premium, e.aptc_applied, e.state_subsidy, e.net_premium) == (
        q.net.premium,
        q.net.aptc_applied,
        q.net.state_subsidy,
        q.net.enrollee_pays,
    )
    assert e.aptc_applied == Decimal("617.28")  # the tax household's maximum credit
    assert e.premium == e.aptc_applied + e.state_subsidy + e.net_premium
    assert e.plan_name and e.issuer_name and e.metal_level == q.plan.metal_level
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.org"]
    assert e.plan_name in message.subject
    assert "January 1, 2026" in message.body
    assert "Ana, Ben" in message.body


def test_enroll_in_january_starts_the_first_of_next_month(
    family_app: Application, alice: Any
) -> None:
    q = cheapest(family_app)
    e = services.enroll(family_app, alice, q.plan.plan_id, None, "key-jan", today=JAN_10)
    assert e.coverage_start == dt.date(2026, 2, 1)


def test_enroll_outside_open_enrollment_is_refused(
    family_app: Application, alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    q = cheapest(family_app)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(EnrollmentError) as exc:
        services.enroll(
            family_app, alice, q.plan.plan_id, None, "key-late", today=dt.date(2026, 3, 2)
        )
    assert exc.value.code is ErrorCode.AFTER_OPEN_ENROLLMENT
    assert "special enrollment period" in exc.value.message
    assert not Enrollment.objects.exists()
    assert run_jobs() == 0
    assert mail.outbox == []


def test_enroll_is_idempotent_on_the_key(
    family_app: Application, alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    q = cheapest(family_app)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.enroll(family_app, alice, q.plan.plan_id, None, "double", today=DEC_15)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.enroll(family_app, alice, q.plan.plan_id, None, "double", today=DEC_15)
    assert again.pk == first.pk
    assert Enrollment.objects.count() == 1
    assert run_jobs() == 1
    assert len(mail.outbox) == 1  # one confirmation


def test_a_second_enrollment_for_the_same_people_is_refused(
    family_app: Application, alice: Any
) -> None:
    quotes = selectors.quotes(selectors.shop_for(family_app))
    first = services.enroll(family_app, alice, quotes[0].plan.plan_id, None, "k1", today=DEC_15)
    with pytest.raises(EnrollmentError) as exc:
        services.enroll(family_app, alice, quotes[1].plan.plan_id, None, "k2", today=DEC_15)
    assert exc.value.code is ErrorCode.ALREADY_ENROLLED
    assert exc.value.enrollment == first
    assert first.plan_name in exc.value.message
    assert Enrollment.objects.count() == 1


def test_a_cancelled_enrollment_does_not_block_a_new_one(
    family_app: Application, alice: Any
) -> None:
    quotes = selectors.quotes(selectors.shop_for(family_app))
    first = services.enroll(family_app, alice, quotes[0].plan.plan_id, None, "k1", today=DEC_15)
    Enrollment.objects.filter(pk=first.pk).update(status=Enrollment.Status.CANCELLED)
    second = services.enroll(family_app, alice, quotes[1].plan.plan_id, None, "k2", today=DEC_15)
    assert second.pk != first.pk


def test_the_price_is_worked_out_on_the_server(single_app: Application, alice: Any) -> None:
    shop = selectors.shop_for(single_app)
    q = selectors.quotes(shop)[-1]  # the dearest plan
    e = services.enroll(single_app, alice, q.plan.plan_id, None, "srv", today=DEC_15)
    again = selectors.priced_plan(shop, q.plan.plan_id, None)
    assert again is not None
    assert e.premium == again.net.premium
    assert e.net_premium == again.net.enrollee_pays


@pytest.mark.parametrize("fraction", [Decimal(0), Decimal("0.25"), Decimal("0.5")])
def test_part_of_the_credit(single_app: Application, alice: Any, fraction: Decimal) -> None:
    shop = selectors.shop_for(single_app)
    bronze = next(q for q in selectors.quotes(shop) if q.plan.metal_level == "Bronze")
    amount = (shop.aptc_max * fraction).quantize(Decimal("0.01"))
    e = services.enroll(single_app, alice, bronze.plan.plan_id, amount, "part", today=DEC_15)
    assert e.aptc_applied == amount
    assert e.net_premium == e.premium - amount


def test_more_credit_than_the_maximum_is_capped(single_app: Application, alice: Any) -> None:
    shop = selectors.shop_for(single_app)
    bronze = next(q for q in selectors.quotes(shop) if q.plan.metal_level == "Bronze")
    e = services.enroll(
        single_app, alice, bronze.plan.plan_id, Decimal(100_000), "cap", today=DEC_15
    )
    assert e.aptc_applied == min(shop.aptc_max, bronze.net.ehb_premium) == bronze.net.aptc_applied


def test_a_negative_credit_is_refused(single_app: Application, alice: Any) -> None:
    q = cheapest(single_app)
    with pytest.raises(EnrollmentError) as exc:
        services.enroll(single_app, alice, q.plan.plan_id, Decimal(-1), "neg", today=DEC_15)
    assert exc.value.code is ErrorCode.INVALID_CREDIT


def test_connectorcare_with_less_credit_the_enrollee_pays_the_difference(
    single_app: Application, alice: Any
) -> None:
    shop = selectors.shop_for(single_app)
    assert shop.help.connectorcare_plan_type == "3C"
    full = next(q for q in selectors.quotes(shop) if q.plan.connectorcare_plan_type)
    e = services.enroll(single_app, alice, full.plan.plan_id, Decimal(0), "cc0", today=DEC_15)
    assert e.aptc_applied == ZERO
    assert e.state_subsidy == full.net.state_subsidy  # the state does not pay the declined credit
    assert e.net_premium == full.net.enrollee_pays + full.net.aptc_applied


def test_a_plan_not_offered_to_the_household_is_refused(
    single_app: Application, alice: Any
) -> None:
    shop = selectors.shop_for(single_app)
    offered = {q.plan.plan_id for q in selectors.quotes(shop)}
    catalog = year_catalog(2026, "MA")
    other = next(p for p in sorted(catalog.plans) if p not in offered)
    for plan_id in (other, "99999MA9999999-01", ""):
        with pytest.raises(EnrollmentError) as exc:
            services.enroll(single_app, alice, plan_id, None, f"no-{plan_id}", today=DEC_15)
        assert exc.value.code is ErrorCode.PLAN_NOT_OFFERED
    assert not Enrollment.objects.exists()


def test_someone_else_cannot_enroll_on_the_application(
    single_app: Application, mallory: Any
) -> None:
    q = cheapest(single_app)
    with pytest.raises(EnrollmentError) as exc:
        services.enroll(single_app, mallory, q.plan.plan_id, None, "mal", today=DEC_15)
    assert exc.value.code is ErrorCode.NOT_FOUND


def test_a_key_used_by_another_application_is_refused(
    single_app: Application, family_app: Application, alice: Any
) -> None:
    services.enroll(single_app, alice, cheapest(single_app).plan.plan_id, None, "k", today=DEC_15)
    with pytest.raises(EnrollmentError) as exc:
        services.enroll(
            family_app, alice, cheapest(family_app).plan.plan_id, None, "k", today=DEC_15
        )
    assert exc.value.code is ErrorCode.KEY_REUSED


def test_an_undetermined_application_cannot_enroll(demo_catalog: None, alice: Any) -> None:
    app = make_application(alice, household(SINGLE), status=Application.Status.DRAFT)
    with pytest.raises(EnrollmentError) as exc:
        services.enroll(app, alice, "99606MA0010001-01", None, "draft", today=DEC_15)
    assert exc.value.code is ErrorCode.NOT_DETERMINED


def test_nobody_to_enroll_when_everyone_may_get_masshealth(demo_catalog: None, alice: Any) -> None:
    data = household(SINGLE)
    data["members"][0]["incomes"] = [{"type": "wages", "amount": 9000, "frequency": "yearly"}]
    app = make_application(alice, data)
    assert selectors.shop_for(app).buyers == ()
    with pytest.raises(EnrollmentError) as exc:
        services.enroll(app, alice, "99606MA0010001-01", None, "mh", today=DEC_15)
    assert exc.value.code is ErrorCode.NOBODY_TO_ENROLL


@pytest.mark.parametrize("key", ["", " ", "x" * 65])
def test_a_bad_key_is_refused(single_app: Application, alice: Any, key: str) -> None:
    with pytest.raises(EnrollmentError) as exc:
        services.enroll(single_app, alice, "99606MA0010001-01", None, key, today=DEC_15)
    assert exc.value.code is ErrorCode.INVALID_KEY


def test_the_confirmation_email_is_in_the_application_language(
    demo_catalog: None, alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    app = make_application(alice, household(FAMILY), language="es")
    q = cheapest(app)
    with django_capture_on_commit_callbacks(execute=True):
        services.enroll(app, alice, q.plan.plan_id, None, "es", today=DEC_15)
    run_jobs()
    message = mail.outbox[0]
    assert "Eligió" in message.subject
    assert "1 de enero de 2026" in message.body
    assert "Qué hacer ahora" in message.body


def test_the_shop_uses_the_stored_figures_not_a_new_run(
    family_app: Application, alice: Any
) -> None:
    det = family_app.determination
    det.result["tax_households"][0]["max_aptc_monthly"] = 100.0
    det.save(update_fields=["result"])
    shop = selectors.shop_for(family_app)
    assert shop.aptc_max == Decimal(100)
    e = services.enroll(
        family_app, alice, cheapest(family_app).plan.plan_id, None, "s", today=DEC_15
    )
    assert e.aptc_applied == Decimal(100)
