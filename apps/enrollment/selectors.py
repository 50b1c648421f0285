"""Reads for shopping and enrolling: the stored determination of an application, the help the people
who may enroll get from it, and the plans at their net price.

The shop is priced from the *stored* determination (what the person was told), never from a new
run of the rules: the credit is the tax household's ``max_aptc_monthly``, the cost-sharing level and
the ConnectorCare plan type are the stored ones. Nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.http import Http404
from django.shortcuts import get_object_or_404

from apps.applications.models import Application
from apps.eligibility import selectors as eligibility
from apps.eligibility.models import EligibilityDetermination
from apps.enrollment.models import Enrollment
from apps.plans.selectors import Help, Place, QuotedPlan, quote, resolve_place
from rating.types import Enrollee
from rules.parameters import YearParameters

ZERO = Decimal(0)
#: Enrollment statuses that hold coverage (a second selection for the same people is refused).
ACTIVE_STATUSES = (Enrollment.Status.PENDING_PAYMENT,)
MEDICAID_CHIP = frozenset({"medicaid", "chip"})


class NoDetermination(LookupError):
    """The application has no stored determination to shop with."""


def _money(value: Any) -> Decimal | None:
    """A stored amount (JSON number) as Decimal, to the cent as the engine gave it."""
    if value is None:
        return None
    return Decimal(str(value))


@dataclass(frozen=True, slots=True)
class StoredReason:
    code: str
    text: str  # the English sentence the person was shown
    # the figures of the sentence, as apps.eligibility.services stores them (None: not stored)
    figures: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class StoredMember:
    member_id: str
    name: str
    age: int
    seeking_coverage: bool
    program: str
    medicaid_category: str | None
    qhp_eligible: bool
    aptc_eligible: bool
    csr: str | None
    connectorcare_plan_type: str | None
    connectorcare_contribution: Decimal | None
    chip_premium: Decimal | None
    tax_household: int | None
    reasons: tuple[StoredReason, ...]

    @property
    def is_medicaid_chip(self) -> bool:
        return self.program in MEDICAID_CHIP

    @property
    def may_enroll(self) -> bool:
        """May buy a plan here: eligible for a plan and not for MassHealth or CHIP."""
        return self.seeking_coverage and self.qhp_eligible and not self.is_medicaid_chip


@dataclass(frozen=True, slots=True)
class StoredTaxHousehold:
    index: int
    member_ids: tuple[str, ...]
    filer_ids: tuple[str, ...]
    size: int
    income: Decimal
    guideline: Decimal
    guideline_year: int
    fpl_percent: int
    applicable_percentage: Decimal | None  # a fraction: 0.0667
    expected_contribution_annual: Decimal | None
    expected_contribution_monthly: Decimal | None
    benchmark_monthly: Decimal | None
    max_aptc_monthly: Decimal
    aptc_member_ids: tuple[str, ...]
    reasons: tuple[StoredReason, ...]

    @property
    def applicable_percent(self) -> Decimal | None:
        """The applicable percentage as a percent (6.67)."""
        if self.applicable_percentage is None:
            return None
        return (self.applicable_percentage * 100).normalize()


@dataclass(frozen=True, slots=True)
class EnrollmentGroup:
    """People who may buy a plan together because they get the same help."""

    number: int  # 1, 2, ... (the shop's ``?group=``)
    members: tuple[StoredMember, ...]
    tax_household: int | None  # the tax household whose credit they share (None: no credit)

    @property
    def member_ids(self) -> tuple[str, ...]:
        return tuple(m.member_id for m in self.members)

    @property
    def names(self) -> list[str]:
        return [m.name for m in self.members]


@dataclass(frozen=True, slots=True)
class StoredResult:
    """An ``EligibilityDetermination`` read back: the engine's answer and the household's names and
    address."""

    coverage_year: int
    coverage_start: dt.date
    state: str
    county_fips: str | None
    zip_code: str | None
    members: tuple[StoredMember, ...]
    tax_households: tuple[StoredTaxHousehold, ...]

    def member(self, member_id: str) -> StoredMember:
        for m in self.members:
            if m.member_id == member_id:
                return m
        raise KeyError(member_id)

    def names(self, member_ids: Iterable[str]) -> list[str]:
        known = {m.member_id: m.name for m in self.members}
        return [known.get(i, i) for i in member_ids]

    @property
    def buyers(self) -> tuple[StoredMember, ...]:
        """The people who may buy a plan (not those who may get MassHealth or CHIP)."""
        return tuple(m for m in self.members if m.may_enroll)

    @property
    def masshealth(self) -> tuple[StoredMember, ...]:
        return tuple(m for m in self.members if m.seeking_coverage and m.is_medicaid_chip)

    @property
    def chip_premium(self) -> Decimal:
        return sum((m.chip_premium or ZERO for m in self.members), ZERO)

    def groups(self) -> tuple[EnrollmentGroup, ...]:
        """The buyers split into enrollment groups of people who get the same help: the same tax
        household's credit (or none), the same cost-sharing level and the same ConnectorCare plan
        type. Groups with help come first (then in the order of the application), numbered from 1.
        """
        keyed: dict[tuple[int | None, str | None, str | None], list[StoredMember]] = {}
        for m in self.buyers:
            credit = m.tax_household if m.aptc_eligible else None
            keyed.setdefault((credit, m.csr, m.connectorcare_plan_type), []).append(m)
        ordered = sorted(
            keyed.items(), key=lambda kv: (kv[0] == (None, None, None),)
        )  # stable: the application's order within each kind
        return tuple(
            EnrollmentGroup(number=n, members=tuple(ms), tax_household=key[0])
            for n, (key, ms) in enumerate(ordered, start=1)
        )

    def help_for(self, member_ids: Sequence[str]) -> Help:
        """The help these people get when they enroll together, as
        ``apps.api.shopping.household_help`` works it out from a live determination: the credit of
        their tax households, the cost-sharing level and ConnectorCare plan type they share."""
        results = [self.member(i) for i in member_ids]
        households = {
            m.tax_household for m in results if m.aptc_eligible and m.tax_household is not None
        }
        by_index = {t.index: t for t in self.tax_households}
        aptc = sum((by_index[i].max_aptc_monthly for i in households if i in by_index), ZERO)
        csr_levels = {m.csr for m in results if m.program != "not_applying"}
        csr = csr_levels.pop() if len(csr_levels) == 1 else None
        cc_types = {m.connectorcare_plan_type for m in results}
        cc_type = cc_types.pop() if len(cc_types) == 1 else None
        contribution = None
        if cc_type is not None:
            contribution = next(
                (
                    m.connectorcare_contribution
                    for m in results
                    if m.connectorcare_contribution is not None
                ),
                None,
            )
        return Help(
            aptc=aptc,
            csr=csr,
            connectorcare_plan_type=cc_type,
            connectorcare_contribution=contribution,
        )


def _reasons(raw: Iterable[dict[str, Any]]) -> tuple[StoredReason, ...]:
    return tuple(
        StoredReason(
            code=str(r["code"]),
            text=str(r["text"]),
            figures=r["figures"] if isinstance(r.get("figures"), dict) else None,
        )
        for r in raw
    )


def read_determination(determination: EligibilityDetermination) -> StoredResult:
    """The stored result JSON (``Determination.as_dict()``) and household JSON as typed values."""
    result: dict[str, Any] = determination.result
    household: dict[str, Any] = determination.household
    names = {
        str(m.get("id")): str(m.get("name") or m.get("id"))
        for m in household.get("members", [])
        if isinstance(m, dict)
    }
    members = tuple(
        StoredMember(
            member_id=str(m["id"]),
            name=names.get(str(m["id"]), str(m["id"])),
            age=int(m["age"]),
            seeking_coverage=bool(m.get("seeking_coverage", True)),
            program=str(m["program"]),
            medicaid_category=m.get("medicaid_category"),
            qhp_eligible=bool(m["qhp_eligible"]),
            aptc_eligible=bool(m["aptc_eligible"]),
            csr=m.get("csr"),
            connectorcare_plan_type=m.get("connectorcare_plan_type"),
            connectorcare_contribution=_money(m.get("connectorcare_contribution")),
            chip_premium=_money(m.get("chip_premium")),
            tax_household=m.get("tax_household"),
            reasons=_reasons(m.get("reasons", [])),
        )
        for m in result["members"]
    )
    tax_households = tuple(
        StoredTaxHousehold(
            index=int(t["index"]),
            member_ids=tuple(t["members"]),
            filer_ids=tuple(t["filers"]),
            size=int(t["size"]),
            income=_money(t["income"]) or ZERO,
            guideline=_money(t["guideline"]) or ZERO,
            guideline_year=int(t["guideline_year"]),
            fpl_percent=int(t["fpl_percent"]),
            applicable_percentage=_money(t.get("applicable_percentage")),
            expected_contribution_annual=_money(t.get("expected_contribution_annual")),
            expected_contribution_monthly=_money(t.get("expected_contribution_monthly")),
            benchmark_monthly=_money(t.get("benchmark_monthly")),
            max_aptc_monthly=_money(t["max_aptc_monthly"]) or ZERO,
            aptc_member_ids=tuple(t.get("aptc_members", [])),
            reasons=_reasons(t.get("reasons", [])),
        )
        for t in result["tax_households"]
    )
    address = household.get("address") or {}
    return StoredResult(
        coverage_year=int(result["coverage_year"]),
        coverage_start=dt.date.fromisoformat(str(result["coverage_start"])),
        state=str(address.get("state", "")).upper(),
        county_fips=address.get("county_fips"),
        zip_code=address.get("zip"),
        members=members,
        tax_households=tax_households,
    )


# --- ownership -------------------------------------------------------------------------------


def owned_application(user: Any, public_id: UUID) -> Application:
    """The user's application, else 404 (never 403: the id's existence is not revealed)."""
    if not getattr(user, "is_authenticated", False):
        raise Http404  # the views require sign-in first; be safe
    return get_object_or_404(Application, public_id=public_id, owner=user)


def owned_enrollment(user: Any, public_id: UUID) -> Enrollment:
    if not getattr(user, "is_authenticated", False):
        raise Http404
    return get_object_or_404(
        Enrollment.objects.select_related("application"), public_id=public_id, owner=user
    )


def determination_of(application: Application) -> EligibilityDetermination:
    """The stored determination of a determined application. Raises NoDetermination."""
    if application.status != Application.Status.DETERMINED:
        raise NoDetermination(f"application {application.public_id} is {application.status}")
    try:
        return EligibilityDetermination.objects.get(application=application)
    except EligibilityDetermination.DoesNotExist:
        raise NoDetermination(f"application {application.public_id} has no determination") from None


def active_enrollments(application: Application, member_ids: Iterable[str]) -> list[Enrollment]:
    """The application's enrollments that hold coverage for any of these people in its year."""
    wanted = set(member_ids)
    return [
        e
        for e in Enrollment.objects.filter(
            application=application,
            coverage_year=application.coverage_year,
            status__in=ACTIVE_STATUSES,
        ).order_by("created_at")
        if wanted & set(e.member_ids)
    ]


def credit_used(application: Application, result: StoredResult, group: EnrollmentGroup) -> Decimal:
    """The monthly credit of the group's tax household already applied by the application's other
    active enrollments (of people of that tax household outside the group)."""
    if group.tax_household is None:
        return ZERO
    household = next((t for t in result.tax_households if t.index == group.tax_household), None)
    if household is None:
        return ZERO
    sharing = set(household.aptc_member_ids or household.member_ids) - set(group.member_ids)
    used = ZERO
    for e in Enrollment.objects.filter(
        application=application,
        coverage_year=application.coverage_year,
        status__in=ACTIVE_STATUSES,
    ):
        ids = set(e.member_ids)
        if ids & sharing and not ids & set(group.member_ids):
            used += e.aptc_applied
    return used


def member_names(enrollment: Enrollment) -> list[str]:
    """The names of the people an enrollment covers (their ids where no name is stored)."""
    determination = EligibilityDetermination.objects.filter(
        application_id=enrollment.application_id
    ).first()
    if determination is None:
        return [str(i) for i in enrollment.member_ids]
    return read_determination(determination).names(enrollment.member_ids)


# --- the shop --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Shop:
    """Everything needed to price plans for the people of an application who may enroll."""

    application: Application
    determination: EligibilityDetermination
    result: StoredResult
    params: YearParameters
    place: Place
    buyers: tuple[StoredMember, ...]  # the people of the group priced
    enrollees: tuple[Enrollee, ...]
    help: Help  # with all the credit this group can still use
    groups: tuple[EnrollmentGroup, ...] = ()
    group: EnrollmentGroup | None = None  # None: nobody may buy a plan
    aptc_household_max: Decimal = ZERO  # the tax household's maximum credit
    aptc_used: Decimal = ZERO  # of it, already applied by another enrollment of the application

    @property
    def aptc_max(self) -> Decimal:
        return self.help.aptc

    @property
    def member_ids(self) -> tuple[str, ...]:
        return tuple(m.member_id for m in self.buyers)

    def help_with(self, aptc_requested: Decimal | None) -> Help:
        """The help with only part of the credit applied (None: all of it)."""
        return Help(
            aptc=self.help.aptc,
            aptc_requested=aptc_requested,
            csr=self.help.csr,
            connectorcare_plan_type=self.help.connectorcare_plan_type,
            connectorcare_contribution=self.help.connectorcare_contribution,
        )


def choose_group(
    application: Application, groups: Sequence[EnrollmentGroup], number: int | None
) -> EnrollmentGroup | None:
    """The group numbered ``number``; else (None or unknown) the first group nobody of which has
    chosen a plan yet, else the first group. None when there is no group."""
    for g in groups:
        if g.number == number:
            return g
    for g in groups:
        if not active_enrollments(application, g.member_ids):
            return g
    return groups[0] if groups else None


def shop_for(application: Application, group: int | None = None) -> Shop:
    """The shop of a determined application for one enrollment group (``group``: its number; None
    or unknown: see ``choose_group``). Raises NoDetermination, or
    ``apps.plans.selectors.PlaceError`` when the stored address cannot be rated."""
    determination = determination_of(application)
    result = read_determination(determination)
    params = eligibility.parameters().for_year(result.coverage_year)
    place = resolve_place(params, result.state, result.county_fips, result.zip_code)
    groups = result.groups()
    chosen = choose_group(application, groups, group)
    buyers = chosen.members if chosen is not None else ()
    ids = [m.member_id for m in buyers]
    full = result.help_for(ids) if buyers else Help()
    used = credit_used(application, result, chosen) if chosen is not None else ZERO
    help = Help(
        aptc=max(full.aptc - used, ZERO),
        csr=full.csr,
        connectorcare_plan_type=full.connectorcare_plan_type,
        connectorcare_contribution=full.connectorcare_contribution,
    )
    # Ages as the determination computed them (on its coverage start): the ages the person saw.
    enrollees = tuple(Enrollee(m.member_id, m.age) for m in buyers)
    return Shop(
        application=application,
        determination=determination,
        result=result,
        params=params,
        place=place,
        buyers=buyers,
        enrollees=enrollees,
        help=help,
        groups=groups,
        group=chosen,
        aptc_household_max=full.aptc,
        aptc_used=min(used, full.aptc),
    )


def quotes(shop: Shop, aptc_requested: Decimal | None = None) -> list[QuotedPlan]:
    """The plans the buyers can enroll in at the place, at their net price with this much of the
    credit applied (None: all of it), cheapest first. Raises CatalogNotLoaded."""
    if not shop.buyers:
        return []
    return quote(shop.params, shop.place, shop.enrollees, shop.help_with(aptc_requested))


def priced_plan(shop: Shop, plan_id: str, aptc_requested: Decimal | None) -> QuotedPlan | None:
    """One plan variant the buyers can enroll in, priced; None when it is not offered to them."""
    for q in quotes(shop, aptc_requested):
        if q.plan.plan_id == plan_id:
            return q
    return None
