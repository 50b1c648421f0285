"""Enrolling: a plan selection for the people of a determined application who may buy a plan.

``enroll`` is one transaction (the application row locked): it re-prices the plan on the server from
the stored determination (a price sent by the browser is never read), works out when coverage starts
from the plan-year rules, refuses a selection outside open enrollment or a second one for any of the
same people and year (people with different help enroll as separate groups), and queues the confirmation email for after the commit. The idempotency key makes a
double click or a retried request return the first enrollment (docs/adr/0003-portal.md).
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.applications.models import Application
from apps.audit import services as audit
from apps.eligibility import selectors as eligibility
from apps.enrollment import selectors
from apps.enrollment.models import Enrollment
from apps.enrollment.templatetags.enrollment_format import long_date
from apps.jobs.mail import EMAIL_PRIORITY, deliver_once
from apps.jobs.retry import PermanentJobError, durable_task
from apps.plans.selectors import CatalogNotLoaded, PlaceError

log = logging.getLogger(__name__)

MAX_KEY_LENGTH = 64
#: Fields of a new enrollment written to the audit trail (not the idempotency key).
AUDITED_FIELDS = [
    "coverage_year",
    "plan_id",
    "plan_name",
    "issuer_id",
    "metal_level",
    "member_ids",
    "premium",
    "aptc_applied",
    "state_subsidy",
    "net_premium",
    "coverage_start",
    "status",
]
#: Coverage effective-date rules of gov/aca/coverage_effective_date.yaml.
JANUARY_1 = "january_1"
FIRST_OF_FOLLOWING_MONTH = "first_of_following_month"


class ErrorCode(StrEnum):
    NOT_FOUND = "not_found"
    NOT_DETERMINED = "not_determined"
    NOBODY_TO_ENROLL = "nobody_to_enroll"
    BEFORE_OPEN_ENROLLMENT = "before_open_enrollment"
    AFTER_OPEN_ENROLLMENT = "after_open_enrollment"
    PLANS_NOT_AVAILABLE = "plans_not_available"
    PLAN_NOT_OFFERED = "plan_not_offered"
    ALREADY_ENROLLED = "already_enrolled"
    INVALID_CREDIT = "invalid_credit"
    INVALID_KEY = "invalid_key"
    KEY_REUSED = "key_reused"


class EnrollmentError(Exception):
    """A selection the exchange refuses, with a plain-language message for the person."""

    def __init__(self, code: ErrorCode, message: str, enrollment: Enrollment | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.enrollment = enrollment  # the existing enrollment, for ALREADY_ENROLLED


# --- when coverage starts --------------------------------------------------------------------


def current_date() -> dt.date:
    """Today in the exchange's time zone (the one place the views read the clock)."""
    return timezone.localdate()


def _long_date(day: dt.date) -> str:
    return long_date(day)


def open_enrollment(year: int) -> tuple[dt.date, dt.date]:
    """First and last day of the coverage year's open enrollment."""
    p = eligibility.parameters().for_year(year)
    return p.open_enrollment_start, p.open_enrollment_end


def effective_date_rules(year: int) -> tuple[str, str]:
    """(rule for a selection before January 1 of the coverage year, rule for one on or after it),
    from gov/aca/coverage_effective_date.yaml."""
    # TODO(rules): read typed YearParameters fields once rules/parameters/year.py has them.
    path = "gov/aca/coverage_effective_date"
    value = eligibility.parameters().files.get(path).at(dt.date(year, 1, 1)).value
    if not isinstance(value, dict):
        raise ValueError(f"rules/parameters/{path}.yaml: expected a mapping for {year}")
    before, during = value.get("before_year_start"), value.get("during_year")
    for rule in (before, during):
        if rule not in (JANUARY_1, FIRST_OF_FOLLOWING_MONTH):
            raise ValueError(f"rules/parameters/{path}.yaml: unknown rule {rule!r} for {year}")
    return str(before), str(during)


def _first_of_following_month(day: dt.date) -> dt.date:
    return dt.date(day.year + 1, 1, 1) if day.month == 12 else dt.date(day.year, day.month + 1, 1)


def coverage_start(year: int, today: dt.date) -> dt.date:
    """When coverage starts for a plan selected on ``today`` for ``year`` during open enrollment:
    45 CFR 155.410(f). Outside open enrollment raises EnrollmentError (special enrollment periods
    are not handled yet)."""
    start, end = open_enrollment(year)
    if today < start:
        raise EnrollmentError(
            ErrorCode.BEFORE_OPEN_ENROLLMENT,
            _(
                "Open enrollment for %(year)s coverage starts on %(start)s. You can choose a plan "
                "from that day until %(end)s."
            )
            % {"year": year, "start": _long_date(start), "end": _long_date(end)},
        )
    if today > end:
        raise EnrollmentError(
            ErrorCode.AFTER_OPEN_ENROLLMENT,
            _(
                "Open enrollment for %(year)s coverage ended on %(end)s. Outside open enrollment "
                "you can choose a plan only after a life change such as losing other health "
                "coverage, moving to Massachusetts, marrying or having a baby (a special enrollment "
                "period). Please call us to ask whether you qualify."
            )
            % {"year": year, "end": _long_date(end)},
        )
    before, during = effective_date_rules(year)
    rule = before if today < dt.date(year, 1, 1) else during
    if rule == JANUARY_1:
        return dt.date(year, 1, 1)
    return _first_of_following_month(today)


# --- enrolling -------------------------------------------------------------------------------


def check_credit(aptc: Decimal | None, maximum: Decimal) -> Decimal | None:
    """How much of the credit to apply: None (all of it), else capped at the maximum."""
    if aptc is None:
        return None
    if not aptc.is_finite() or aptc < 0:
        raise EnrollmentError(
            ErrorCode.INVALID_CREDIT,
            _("Enter the tax credit to apply as an amount from $0 to the most you can get."),
        )
    return min(aptc, maximum)


def enroll(
    application: Application,
    user: Any,
    plan_id: str,
    aptc_applied: Decimal | None,
    idempotency_key: str,
    *,
    group: int | None = None,
    today: dt.date | None = None,
) -> Enrollment:
    """Select ``plan_id`` for the people of one enrollment group of the application (``group``:
    its number, see ``selectors.shop_for``), with ``aptc_applied`` of the monthly credit the group
    can still use (None: all of it; more than the maximum: the maximum).

    Returns the new enrollment, or the one already made with the same idempotency key. Raises
    EnrollmentError for a selection the exchange refuses."""
    key = (idempotency_key or "").strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise EnrollmentError(
            ErrorCode.INVALID_KEY,
            _("Something went wrong with this page. Please go back to the plans and try again."),
        )
    today = today or current_date()
    with transaction.atomic():
        app = (
            Application.objects.select_for_update()
            .filter(pk=application.pk, owner_id=getattr(user, "pk", None))
            .first()
        )
        if app is None:
            raise EnrollmentError(ErrorCode.NOT_FOUND, _("We could not find this application."))
        existing = Enrollment.objects.filter(idempotency_key=key).first()
        if existing is not None:
            if existing.application_id == app.pk and existing.owner_id == app.owner_id:
                return existing  # a double click, a refresh or a retry: the same selection
            raise EnrollmentError(
                ErrorCode.KEY_REUSED,
                _(
                    "Something went wrong with this page. Please go back to the plans and try again."
                ),
            )
        try:
            shop = selectors.shop_for(app, group)
        except selectors.NoDetermination:
            raise EnrollmentError(
                ErrorCode.NOT_DETERMINED,
                _("You can choose a plan after your application is submitted and decided."),
            ) from None
        except PlaceError:
            raise EnrollmentError(
                ErrorCode.PLANS_NOT_AVAILABLE,
                _("We could not find the plans sold where you live. Please call us."),
            ) from None
        if not shop.buyers:
            raise EnrollmentError(
                ErrorCode.NOBODY_TO_ENROLL,
                _(
                    "Nobody on this application can buy a plan through the exchange: everyone "
                    "applying may get MassHealth or CHIP, or cannot buy a plan here."
                ),
            )
        starts = coverage_start(shop.result.coverage_year, today)
        active = selectors.active_enrollments(app, shop.member_ids)
        if active:
            raise EnrollmentError(
                ErrorCode.ALREADY_ENROLLED,
                _(
                    "You have already chosen %(plan)s for %(year)s for these people. To change "
                    "plans, please call us."
                )
                % {"plan": active[0].plan_name, "year": active[0].coverage_year},
                enrollment=active[0],
            )
        requested = check_credit(aptc_applied, shop.aptc_max)
        try:
            q = selectors.priced_plan(shop, plan_id, requested)
        except CatalogNotLoaded:
            raise EnrollmentError(
                ErrorCode.PLANS_NOT_AVAILABLE,
                _("The plans for %(year)s are not available yet. Please try again later.")
                % {"year": shop.result.coverage_year},
            ) from None
        if q is None:
            raise EnrollmentError(
                ErrorCode.PLAN_NOT_OFFERED,
                _(
                    "This plan is not offered to the people on your application where you live. "
                    "Please choose a plan from the list."
                ),
            )
        enrollment = Enrollment.objects.create(
            application=app,
            owner=app.owner,
            coverage_year=shop.result.coverage_year,
            plan_id=q.plan.plan_id,
            standard_component_id=q.plan.standard_component_id,
            plan_name=q.plan.variant_name or q.plan.name,
            issuer_id=q.plan.issuer_id,
            issuer_name=q.plan.issuer_name,
            metal_level=q.plan.metal_level,
            member_ids=list(shop.member_ids),
            premium=q.net.premium,
            aptc_applied=q.net.aptc_applied,
            state_subsidy=q.net.state_subsidy,
            net_premium=q.net.enrollee_pays,
            coverage_start=starts,
            status=Enrollment.Status.PENDING_PAYMENT,
            idempotency_key=key,
        )
        audit.record(
            audit.Action.CREATE,
            audit.ObjectType.ENROLLMENT,
            enrollment.public_id,
            actor=user,
            related_id=app.public_id,
            changes=audit.created(enrollment, AUDITED_FIELDS),
        )
        log.info(
            "enrollment %s: application %s, plan %s, members %s, from %s",
            enrollment.public_id,
            app.public_id,
            enrollment.plan_id,
            ",".join(enrollment.member_ids),
            starts.isoformat(),
        )
        send_confirmation.enqueue(enrollment.pk)  # commits or rolls back with the enrollment
    return enrollment


@durable_task(priority=EMAIL_PRIORITY)
def send_confirmation(enrollment_pk: int) -> bool:
    """The confirmation email, in the application's language: a background job enqueued in the
    enrollment's transaction, sent once (key ``enrollment-confirmation:<pk>``) however often it
    runs (docs/adr/0004-background-jobs.md). True if sent by this run."""
    enrollment = (
        Enrollment.objects.select_related("application", "owner").filter(pk=enrollment_pk).first()
    )
    if enrollment is None:
        raise PermanentJobError(f"no enrollment {enrollment_pk}")
    app = enrollment.application
    to = getattr(enrollment.owner, "email", "")
    if not to:
        log.warning("enrollment %s: the owner has no email address", enrollment.public_id)
        return False
    names = selectors.member_names(enrollment)
    with translation.override(app.language or settings.LANGUAGE_CODE):
        context = {
            "enrollment": enrollment,
            "application": app,
            "members": names,
        }
        subject = render_to_string("enrollment/email/confirmation_subject.txt", context)
        body = render_to_string("enrollment/email/confirmation.txt", context)
    message = EmailMessage(" ".join(subject.split()), body, None, [to])
    return deliver_once(f"enrollment-confirmation:{enrollment_pk}", message)
