"""The eligibility and subsidy determination: one pure function over a household application.

Order of evaluation, for each member applying:
1. MassHealth (MAGI Medicaid) by category, else CHIP (42 CFR 435.603, 130 CMR 505).
2. Eligibility for a marketplace plan: residency, incarceration, lawful presence (45 CFR 155.305(a)).
3. Premium tax credit: a filing tax household, no other minimum essential coverage (Medicaid,
   Medicare, other coverage, an affordable employer offer), income within the year's band
   (26 USC 36B, 26 CFR 1.36B-2).
4. Cost-sharing reductions (45 CFR 155.305(g), 155.350) and ConnectorCare (956 CMR 12).
Per tax household: the credit from the benchmark premium and the expected contribution, rounded as
the Form 8962 instructions say (FPL percent truncated, applicable figure to 4 places, contributions
in whole dollars).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from rules.benchmark import BenchmarkSource
from rules.determination import (
    RULES_VERSION,
    Determination,
    MedicaidHousehold,
    MemberResult,
    Program,
    TaxHouseholdResult,
)
from rules.household import Household, ImmigrationStatus, Member
from rules.households import (
    Relations,
    TaxUnit,
    build_relations,
    medicaid_household,
    tax_units,
)
from rules.income import ZERO, MemberIncome, member_income, required_to_file_as_dependent
from rules.parameters import Guideline, ParameterSet, YearParameters
from rules.parameters.year import CsrBand, PlanTypeBand
from rules.reasons import Code, Reason, reason

_new_tuple = tuple.__new__
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
FOUR_PLACES = Decimal("0.0001")
ONE = Decimal(1)
TWELVE = Decimal(12)
CITIZEN = ImmigrationStatus.CITIZEN
NOT_LAWFULLY_PRESENT = ImmigrationStatus.NOT_LAWFULLY_PRESENT

# Medicaid categories, in the order they are tried (the best coverage first).
MEDICAID_CODES = {
    "pregnant": Code.MEDICAID_PREGNANT,
    "infant": Code.MEDICAID_INFANT,
    "child": Code.MEDICAID_CHILD,
    "young_adult": Code.MEDICAID_YOUNG_ADULT,
    "parent_caretaker": Code.MEDICAID_PARENT_CARETAKER,
    "adult": Code.MEDICAID_ADULT,
}
GROUP_LABEL = {
    "pregnant": "pregnant people",
    "infant": "infants",
    "child": "children",
    "young_adult": "young adults aged 19 and 20",
    "parent_caretaker": "parents and caretaker relatives",
    "adult": "adults",
    "chip_child": "children (CHIP)",
}


def fpl_percent(income: Decimal, guideline: Decimal) -> int:
    """Household income as a whole percent of the guideline, truncated (Form 8962 line 5)."""
    if income <= 0:
        return 0
    return int(income * HUNDRED // guideline)  # // truncates a positive quotient


def applicable_figure(params: YearParameters, fpl: int) -> Decimal:
    """The applicable percentage as a fraction rounded to 4 places (Form 8962 line 7 table)."""
    key = ("applicable_figure", fpl)
    found: Decimal | None = params.memo.get(key)
    if found is None:
        found = params.memo[key] = _applicable_figure(params, fpl)
    return found


def _applicable_figure(params: YearParameters, fpl: int) -> Decimal:
    pct = Decimal(fpl)
    bands = params.applicable_bands
    band = bands[0]
    for candidate in bands:
        if pct >= candidate.from_fpl:
            band = candidate
    if band.to_fpl is None or band.initial == band.final:
        value = band.initial
    else:
        position = min(max(pct - band.from_fpl, ZERO), band.to_fpl - band.from_fpl)
        value = band.initial + (band.final - band.initial) * position / (
            band.to_fpl - band.from_fpl
        )
    return (value / HUNDRED).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)


def whole_dollars(amount: Decimal) -> Decimal:
    return amount.quantize(ONE, rounding=ROUND_HALF_UP)


@dataclass(slots=True)
class _TaxHousehold:
    index: int
    unit: TaxUnit
    income: Decimal
    guideline: Guideline
    fpl: int
    csr_fpl: int
    cc_fpl: int
    has_offer: bool  # a member of the tax household has an offer of employer coverage
    above_ptc_limit: bool  # household income above the credit's upper limit (where there is one)
    below_ptc_limit: bool  # household income below the credit's lower limit


class _MemberWork:
    """One member's working state while the determination is built (class attributes are the
    defaults, so a new member sets only what it knows)."""

    medicaid_category: str | None = None
    medicaid_household: MedicaidHousehold | None = None
    medicaid_status_barred: bool = False
    emergency_only: bool = False
    chip: bool = False
    qhp_eligible: bool = False
    aptc_eligible: bool = False
    tax_household: _TaxHousehold | None = None
    csr: str | None = None
    csr_variant: str | None = None
    plan_type: str | None = None
    contribution: Decimal | None = None
    chip_premium: Decimal | None = None

    def __init__(
        self, member: Member, name: str, age: int, income: MemberIncome, must_file: bool
    ) -> None:
        self.member = member
        self.name = name
        self.age = age
        self.income = income
        self.must_file = (
            must_file  # would have to file a return (dependents' and children's income)
        )
        self.reasons: list[Reason] = []


def determine(
    household: Household, parameters: ParameterSet, benchmark: BenchmarkSource
) -> Determination:
    """Determine every member's program and every tax household's credit."""
    start = household.start
    params = parameters.for_year(household.coverage_year, start)
    state = household.address.state
    rel = build_relations(household)
    work: dict[str, _MemberWork] = {}
    child_max = params.age_groups.dependent_child_max
    for m in household.members:
        member_money = member_income(m)
        age = m.age_on(start)
        work[m.id] = _MemberWork(
            member=m,
            name=m.name or m.id,
            age=age,
            income=member_money,
            # Only a dependent's or a child's filing requirement matters (36B(d)(2), 435.603(d)(2)).
            must_file=required_to_file_as_dependent(member_money, params)
            if m.tax.claimed_by is not None or age <= child_max
            else True,
        )
    ages = {mid: w.age for mid, w in work.items()}
    ctx = _Context(household, rel, {}, work, params, ages, {m.id: m for m in household.members})

    # Tax households and their income (26 USC 36B(d)).
    units = tax_units(household)
    units_by_member = ctx.units_by_member
    ptc_guideline = params.guideline("premium_tax_credit", state)
    csr_guideline = _same_or(ptc_guideline, params.guideline("cost_sharing_reductions", state))
    cc_guideline = _same_or(ptc_guideline, params.guideline("connectorcare", state))
    upper, lower = params.ptc_upper_limit, params.ptc_lower_limit
    tax_households: list[_TaxHousehold] = []
    for index, unit in enumerate(units):
        for mid in unit.members:
            units_by_member[mid] = unit
        income = sum((work[f].income.magi for f in unit.filers), ZERO)
        for d in unit.dependents:
            if work[d].must_file:
                income += work[d].income.magi
        size = len(unit.members)
        fpl = fpl_percent(income, ptc_guideline.for_size(size))
        th = _TaxHousehold(
            index=index,
            unit=unit,
            income=income,
            guideline=ptc_guideline,
            fpl=fpl,
            csr_fpl=fpl
            if csr_guideline is ptc_guideline
            else fpl_percent(income, csr_guideline.for_size(size)),
            cc_fpl=fpl
            if cc_guideline is ptc_guideline
            else fpl_percent(income, cc_guideline.for_size(size)),
            has_offer=any(work[mid].member.employer_offer is not None for mid in unit.members),
            above_ptc_limit=upper is not None and fpl > upper,
            below_ptc_limit=fpl < lower,
        )
        tax_households.append(th)
        for mid in unit.members:
            work[mid].tax_household = th

    for w in work.values():
        if not w.member.seeking_coverage:
            w.reasons.append(reason(Code.NOT_SEEKING_COVERAGE, name=w.name))
            continue
        _medicaid(w, ctx)
        _marketplace(w, params)

    for w in work.values():
        if w.member.seeking_coverage and w.qhp_eligible and w.medicaid_category is None:
            _premium_tax_credit(w, work, params)

    th_results = [_credit(th, work, params, household, benchmark) for th in tax_households]

    for w in work.values():
        if w.qhp_eligible and w.medicaid_category is None:
            _cost_sharing(w, params)
            if w.aptc_eligible:
                _connectorcare(w, params)
    _chip_premiums(work, params)

    members = tuple(_member_result(w) for w in work.values())
    return Determination(
        coverage_year=household.coverage_year,
        coverage_start=start,
        rules_version=RULES_VERSION,
        parameters_version=params.version,
        provisional=params.provisional,
        members=members,
        tax_households=tuple(th_results),
    )


def _same_or(base: Guideline, other: Guideline) -> Guideline:
    """``base`` when ``other`` is the same year's guideline (saves computing a percent twice)."""
    return base if other.guideline_year == base.guideline_year else other


def _medicaid_status_ok(m: Member, age: int, params: YearParameters) -> bool:
    status = m.immigration.status
    if status is CITIZEN:
        return True
    if status in params.medicaid_statuses and (
        status not in params.medicaid_five_year_bar_statuses or m.immigration.five_year_bar_met
    ):
        return True
    return (
        params.lawfully_present_children_pregnant_covered
        and status is not NOT_LAWFULLY_PRESENT
        and (age <= params.lawfully_present_child_max_age or m.pregnant)
    )


@dataclass(slots=True)
class _Context:
    household: Household
    rel: Relations
    units_by_member: dict[str, TaxUnit]
    work: dict[str, _MemberWork]
    params: YearParameters
    ages: dict[str, int]
    by_id: dict[str, Member]
    medicaid_households: dict[tuple[object, str | None], MedicaidHousehold] = field(
        default_factory=dict
    )


def _household_ids(w: _MemberWork, ctx: _Context) -> tuple[tuple[str, ...], object]:
    """Member ids of the member's Medicaid household, and a key to cache it by. A filer and the
    dependents they claim share one household (435.603(f)(1)-(2)): computed once per tax unit."""
    m = w.member
    unit = w.tax_household.unit if w.tax_household is not None else None
    if unit is not None:
        claimer = m.tax.claimed_by
        spouses = ctx.rel.spouse_of(m.id)
        if (
            (claimer is None or (claimer in ctx.rel.parents_of(m.id) and claimer in unit.filers))
            and (not spouses or spouses.issubset(unit.member_set))
            and (claimer is None or not _both_parents_not_joint(m, unit, ctx))
        ):
            return unit.sorted_members, id(unit)  # the unit lives as long as this determination
    ids = medicaid_household(
        m,
        ctx.by_id,
        ctx.rel,
        ctx.units_by_member,
        ctx.ages,
        ctx.params.age_groups.dependent_child_max,
    )
    return ids, ids


def _both_parents_not_joint(m: Member, unit: TaxUnit, ctx: _Context) -> bool:
    """(f)(2)(ii): a child living with two parents who do not file jointly."""
    if ctx.ages[m.id] > ctx.params.age_groups.dependent_child_max:
        return False
    parents = ctx.rel.parents_of(m.id)
    return len(parents) >= 2 and not all(p in unit.filers for p in parents)


def _medicaid_household(w: _MemberWork, ctx: _Context) -> MedicaidHousehold:
    """The member's Medicaid household, its size (counting expected children) and income."""
    params = ctx.params
    groups = params.age_groups
    ids, ids_key = _household_ids(w, ctx)
    # Households differ by member only through the pregnant member's own count.
    key = (ids_key, w.member.id if w.member.pregnant else None)
    found = ctx.medicaid_households.get(key)
    if found is not None:
        return found
    size = len(ids)
    income = ZERO
    members = set(ids)
    for mid in ids:
        x = ctx.work[mid]
        if x.member.pregnant and (
            params.pregnancy_counted_others if mid != w.member.id else params.pregnancy_counted_own
        ):
            size += max(x.member.expected_children, 1)
        # 435.603(d)(2): income of a member not required to file a return does not count when the
        # member is (i) a child in a household with a parent, or (ii) a tax dependent in the
        # household of the taxpayer who claims them.
        if not x.must_file and (
            (x.member.tax.claimed_by is not None and x.member.tax.claimed_by in members)
            or (
                x.age <= groups.dependent_child_max
                and not ctx.rel.parents_of(mid).isdisjoint(members)
            )
        ):
            continue
        income += x.income.magi
    guideline = params.guideline("medicaid", ctx.household.address.state)
    amount = guideline.for_size(size)
    found = MedicaidHousehold(
        member_ids=ids,
        size=size,
        income=income,
        guideline=amount,
        guideline_year=guideline.guideline_year,
        fpl_percent=fpl_percent(income, amount),
    )
    ctx.medicaid_households[key] = found
    return found


@dataclass(frozen=True, slots=True)
class _MedicaidLimits:
    """Dollar income limits for one household size (limit plus the 5-point disregard, times the
    guideline), computed once per size and year."""

    pregnant: Decimal
    infant: Decimal
    child: Decimal
    young_adult: Decimal
    parent_caretaker: Decimal
    adult: Decimal
    chip: Decimal
    chip_guideline: Decimal


def _medicaid_limits(params: YearParameters, state: str, size: int) -> _MedicaidLimits:
    key = ("medicaid_limits", state, size)
    found: _MedicaidLimits | None = params.memo.get(key)
    if found is None:
        guideline = params.guideline("medicaid", state).for_size(size)
        chip_guideline = params.guideline("chip", state).for_size(size)
        lim, d = params.masshealth_limits, params.magi_disregard
        found = params.memo[key] = _MedicaidLimits(
            pregnant=guideline * (lim.pregnant + d) / HUNDRED,
            infant=guideline * (lim.infant + d) / HUNDRED,
            child=guideline * (lim.child + d) / HUNDRED,
            young_adult=guideline * (lim.young_adult + d) / HUNDRED,
            parent_caretaker=guideline * (lim.parent_caretaker + d) / HUNDRED,
            adult=guideline * (lim.adult + d) / HUNDRED,
            chip=chip_guideline * (lim.chip_child + d) / HUNDRED,
            chip_guideline=chip_guideline,
        )
    return found


def _medicaid(w: _MemberWork, ctx: _Context) -> None:
    """MassHealth MAGI categories, then CHIP (42 CFR 435.116-119, 435.603; 130 CMR 505)."""
    m = w.member
    params = ctx.params
    state = ctx.household.address.state
    if not m.state_resident or state != params.exchange_state:
        return
    mh = w.medicaid_household = _medicaid_household(w, ctx)
    income = mh.income
    fpl = mh.fpl_percent
    age = w.age
    groups = params.age_groups
    limits = params.masshealth_limits
    disregard = params.magi_disregard
    dollars = _medicaid_limits(params, state, mh.size)
    # Candidate groups in order of preference: (category, limit before disregard, dollar limit).
    candidates: list[tuple[str, Decimal, Decimal]] = []
    if m.medicare:
        # MAGI rules do not apply to people with Medicare (435.603(j)); MassHealth decides on other rules.
        w.reasons.append(reason(Code.MEDICAID_NO_MAGI_GROUP, name=w.name, age=age))
    else:
        if m.pregnant:
            candidates.append(("pregnant", limits.pregnant, dollars.pregnant))
        if age <= groups.infant_max:
            candidates.append(("infant", limits.infant, dollars.infant))
        elif age <= groups.child_max:
            candidates.append(("child", limits.child, dollars.child))
        else:
            if age <= groups.young_adult_max:
                candidates.append(("young_adult", limits.young_adult, dollars.young_adult))
            cared = ctx.rel.cared_for_by(m.id)
            if cared and any(ctx.ages[c] <= groups.dependent_child_max for c in cared):
                candidates.append(
                    ("parent_caretaker", limits.parent_caretaker, dollars.parent_caretaker)
                )
            if age <= groups.adult_max:
                candidates.append(("adult", limits.adult, dollars.adult))
        if not candidates:
            # Aged 65 and over: age-based groups use non-MAGI rules (435.603(j)(2)).
            w.reasons.append(reason(Code.MEDICAID_NO_MAGI_GROUP, name=w.name, age=age))
    status_ok = m.immigration.status is CITIZEN or _medicaid_status_ok(m, age, params)
    eligible = None
    highest = None
    for candidate in candidates:
        if income <= candidate[2]:
            eligible = candidate
            break
        if highest is None or candidate[1] > highest[1]:
            highest = candidate
    if eligible is not None:
        category, base, _ = eligible
        if status_ok:
            w.medicaid_category = category
            w.reasons.insert(
                0,
                reason(
                    MEDICAID_CODES[category],
                    name=w.name,
                    limit=base + disregard,
                    base=base,
                    fpl=fpl,
                    expected=_expected_label(m.expected_children),
                ),
            )
            if m.incarcerated and not m.incarceration_pending_disposition:
                w.reasons.append(reason(Code.MEDICAID_INCARCERATED))
        else:
            w.medicaid_status_barred = True
            w.emergency_only = True
            w.reasons.append(
                reason(
                    Code.MEDICAID_IMMIGRATION_STATUS, name=w.name, status=_status(m), bar=_bar(m)
                )
            )
            w.reasons.append(
                reason(Code.MEDICAID_EMERGENCY_ONLY, name=w.name, fpl=fpl, limit=base + disregard)
            )
    elif highest is not None:
        w.reasons.append(
            reason(
                Code.MEDICAID_INCOME_ABOVE_LIMIT,
                name=w.name,
                fpl=fpl,
                limit=highest[1] + disregard,
                group=GROUP_LABEL[highest[0]],
            )
        )
    # CHIP (MassHealth Family Assistance) for children not eligible for Medicaid.
    if (
        w.medicaid_category is None
        and not m.medicare
        and age <= groups.chip_max
        and income <= dollars.chip
    ):
        if m.other_mec:
            w.reasons.append(reason(Code.CHIP_HAS_OTHER_COVERAGE, name=w.name))
        elif status_ok:
            w.medicaid_category = "chip_child"
            w.chip = True
            w.emergency_only = False
            w.reasons.insert(
                0,
                reason(
                    Code.CHIP_CHILD,
                    name=w.name,
                    limit=limits.chip_child + disregard,
                    fpl=fpl_percent(income, dollars.chip_guideline),
                ),
            )
        else:
            w.medicaid_status_barred = True
    if m.blind_or_disabled:
        w.reasons.append(reason(Code.REFER_NON_MAGI, name=w.name))
    w.reasons.append(
        reason(
            Code.MEDICAID_HOUSEHOLD_INCOME,
            name=w.name,
            size=mh.size,
            people="person" if mh.size == 1 else "people",
            income=income,
            fpl=fpl,
            guideline=mh.guideline,
            guideline_year=mh.guideline_year,
        )
    )


def _expected_label(n: int) -> str:
    return "child" if n <= 1 else f"{n} children"


def _status(m: Member) -> str:
    return m.immigration.status.value.replace("_", " ")


def _bar(m: Member) -> str:
    return "" if m.immigration.five_year_bar_met else " until the five-year waiting period is met"


def _marketplace(w: _MemberWork, params: YearParameters) -> None:
    m = w.member
    if not m.state_resident:
        w.reasons.append(reason(Code.NOT_STATE_RESIDENT, name=w.name))
        return
    if m.incarcerated and not m.incarceration_pending_disposition:
        w.reasons.append(reason(Code.INCARCERATED, name=w.name))
        return
    if m.immigration.status is not CITIZEN and m.immigration.status not in params.qhp_statuses:
        w.reasons.append(reason(Code.NOT_LAWFULLY_PRESENT, name=w.name))
        return
    w.qhp_eligible = True


def _premium_tax_credit(
    w: _MemberWork, work: dict[str, _MemberWork], params: YearParameters
) -> None:
    """Whether the member may get the credit (26 USC 36B(c); 26 CFR 1.36B-2)."""
    m = w.member
    year = params.coverage_year
    th = w.tax_household
    if th is None:
        w.reasons.append(reason(Code.NOT_TAX_FILER, name=w.name, year=year))
        return
    if th.unit.filing_separately:
        w.reasons.append(reason(Code.MARRIED_FILING_SEPARATELY))
        return
    if m.immigration.status is not CITIZEN and m.immigration.status not in params.ptc_statuses:
        w.reasons.append(
            reason(Code.PTC_IMMIGRATION_STATUS, name=w.name, status=_status(m), year=year)
        )
        return
    if m.medicare:
        w.reasons.append(reason(Code.HAS_MEDICARE, name=w.name))
        return
    if m.other_mec:
        w.reasons.append(reason(Code.HAS_OTHER_MEC, name=w.name))
        return
    if _affordable_offer(w, work, params):
        return
    income_reason = _ptc_income_band(w, th, work, params)
    if income_reason is not None:
        w.reasons.append(income_reason)
        return
    w.aptc_eligible = True
    w.reasons.insert(0, reason(Code.PTC_ELIGIBLE, name=w.name, fpl=th.fpl, year=year))


def _ptc_income_band(
    w: _MemberWork, th: _TaxHousehold, work: dict[str, _MemberWork], params: YearParameters
) -> Reason | None:
    year = params.coverage_year
    if th.above_ptc_limit:
        return reason(
            Code.PTC_INCOME_ABOVE_LIMIT,
            income=th.income,
            fpl=th.fpl,
            limit=params.ptc_upper_limit,
            year=year,
        )
    if th.below_ptc_limit:
        # 36B(c)(1)(B), 26 CFR 1.36B-2(b)(5): below 100% FPL, the taxpayer is still an applicable
        # taxpayer when the taxpayer or spouse is a lawfully present noncitizen who cannot get
        # Medicaid because of immigration status; the whole tax family then may get the credit.
        if params.below_100_lawfully_present_exception:
            for filer_id in sorted(th.unit.filers):
                filer = work[filer_id]
                if filer.member.immigration.status is not CITIZEN and filer.medicaid_status_barred:
                    w.reasons.append(
                        reason(Code.PTC_BELOW_100_EXCEPTION, name=filer.name, year=year)
                    )
                    return None
        return reason(
            Code.PTC_INCOME_BELOW_LIMIT, income=th.income, fpl=th.fpl, limit=params.ptc_lower_limit
        )
    return None


def _affordable_offer(w: _MemberWork, work: dict[str, _MemberWork], params: YearParameters) -> bool:
    """Employer coverage that is affordable and of minimum value blocks the credit
    (26 USC 36B(c)(2)(C); 26 CFR 1.36B-2(c)(3)(v): employee-only premium for the employee, family
    premium for related individuals)."""
    th = w.tax_household
    assert th is not None
    if not th.has_offer:
        return False
    limit = params.affordability_percentage
    year = params.coverage_year
    income = th.income
    offer = w.member.employer_offer
    if offer is not None:
        premium = offer.employee_only_annual
        if not offer.minimum_value:
            w.reasons.append(reason(Code.EMPLOYER_NOT_MINIMUM_VALUE, name=w.name))
        elif premium * HUNDRED <= income * limit:
            w.reasons.append(
                reason(
                    Code.EMPLOYER_AFFORDABLE_EMPLOYEE,
                    name=w.name,
                    premium=premium,
                    share=_share(premium, income),
                    limit=limit,
                    year=year,
                )
            )
            return True
        else:
            w.reasons.append(
                reason(
                    Code.EMPLOYER_UNAFFORDABLE,
                    name=w.name,
                    premium=premium,
                    share=_share(premium, income),
                    limit=limit,
                    year=year,
                )
            )
    for employee_id in sorted(th.unit.members):  # a stable order, whatever the input order
        if employee_id == w.member.id:
            continue
        employee = work[employee_id]
        e_offer = employee.member.employer_offer
        if e_offer is None or not e_offer.covers_family or not e_offer.minimum_value:
            continue
        family = e_offer.family_annual
        if family is None:
            continue
        if employee_id not in th.unit.filers and w.member.id not in th.unit.filers:
            continue  # a dependent's offer does not extend to siblings or parents
        if family * HUNDRED <= income * limit:
            w.reasons.append(
                reason(
                    Code.EMPLOYER_AFFORDABLE_FAMILY,
                    name=w.name,
                    employee=employee.name,
                    premium=family,
                    share=_share(family, income),
                    limit=limit,
                    year=year,
                )
            )
            return True
        w.reasons.append(
            reason(
                Code.EMPLOYER_UNAFFORDABLE,
                name=w.name,
                premium=family,
                share=_share(family, income),
                limit=limit,
                year=year,
            )
        )
    return False


def _share(premium: Decimal, income: Decimal) -> Decimal:
    if income <= 0:
        return Decimal("100")
    return (premium * HUNDRED / income).quantize(CENT, rounding=ROUND_HALF_UP)


def _credit(
    th: _TaxHousehold,
    work: dict[str, _MemberWork],
    params: YearParameters,
    household: Household,
    benchmark: BenchmarkSource,
) -> TaxHouseholdResult:
    """The maximum monthly credit for the members who get it (26 USC 36B(b); Form 8962)."""
    size = len(th.unit.members)
    guideline_amount = th.guideline.for_size(size)
    reasons = [
        reason(
            Code.TAX_HOUSEHOLD_INCOME,
            income=th.income,
            fpl=th.fpl,
            size=size,
            guideline=guideline_amount,
            guideline_year=th.guideline.guideline_year,
            year=params.coverage_year,
        )
    ]
    aptc_ids = tuple(mid for mid in th.unit.members if work[mid].aptc_eligible)
    if not aptc_ids:
        return _tax_household_result(
            th, size, guideline_amount, None, None, None, None, ZERO, (), reasons
        )
    figure = applicable_figure(params, th.fpl)
    annual = whole_dollars(max(th.income, ZERO) * figure)
    monthly = whole_dollars(annual / TWELVE)
    bench = benchmark.benchmark_monthly(
        params, household.address, [work[mid].age for mid in aptc_ids], aptc_ids
    ).quantize(CENT, rounding=ROUND_HALF_UP)
    aptc = max(bench - monthly, ZERO).quantize(CENT, rounding=ROUND_HALF_UP)
    reasons.append(
        reason(
            Code.EXPECTED_CONTRIBUTION,
            figure=figure,
            annual=annual,
            monthly=monthly,
            benchmark=bench,
            covered=tuple(work[mid].name for mid in aptc_ids),
            aptc=aptc,
        )
    )
    if aptc == 0:
        reasons.append(reason(Code.PTC_ZERO_AMOUNT, benchmark=bench, monthly=monthly))
    return _tax_household_result(
        th, size, guideline_amount, figure, annual, monthly, bench, aptc, aptc_ids, reasons
    )


def _tax_household_result(
    th: _TaxHousehold,
    size: int,
    guideline: Decimal,
    figure: Decimal | None,
    annual: Decimal | None,
    monthly: Decimal | None,
    bench: Decimal | None,
    aptc: Decimal,
    aptc_ids: tuple[str, ...],
    reasons: list[Reason],
) -> TaxHouseholdResult:
    """Built positionally, in TaxHouseholdResult's field order (checked at import below)."""
    result: TaxHouseholdResult = _new_tuple(
        TaxHouseholdResult,
        (
            th.index,
            th.unit.members,
            th.unit.filers,
            size,
            th.income,
            guideline,
            th.guideline.guideline_year,
            th.fpl,
            figure,
            annual,
            monthly,
            bench,
            aptc,
            aptc_ids,
            tuple(reasons),
        ),
    )
    return result


assert TaxHouseholdResult._fields == (
    "number",
    "member_ids",
    "filer_ids",
    "size",
    "income",
    "guideline",
    "guideline_year",
    "fpl_percent",
    "applicable_percentage",
    "expected_contribution_annual",
    "expected_contribution_monthly",
    "benchmark_monthly",
    "max_aptc_monthly",
    "aptc_member_ids",
    "reasons",
), "keep _tax_household_result in step with TaxHouseholdResult"


def _cost_sharing(w: _MemberWork, params: YearParameters) -> None:
    """CSR silver variants for credit-eligible members (45 CFR 155.305(g)); AI/AN zero or limited
    cost sharing (45 CFR 155.350)."""
    th = w.tax_household
    fpl = th.csr_fpl if th is not None else None
    if w.member.american_indian_alaska_native:
        if w.aptc_eligible and fpl is not None and fpl <= params.aian_zero_max_fpl:
            w.csr, w.csr_variant = "zero", params.aian_zero_variant
            w.reasons.append(reason(Code.CSR_AIAN_ZERO, name=w.name, max=params.aian_zero_max_fpl))
        else:
            w.csr, w.csr_variant = "limited", params.aian_limited_variant
            w.reasons.append(reason(Code.CSR_AIAN_LIMITED, name=w.name))
        return
    if not w.aptc_eligible or fpl is None:
        return
    band = _csr_band(params, fpl)
    if band is not None:
        w.csr, w.csr_variant = band.level, band.variant
        w.reasons.append(reason(Code.CSR, name=w.name, fpl=fpl, max=band.max_fpl, level=band.level))


def _csr_band(params: YearParameters, fpl: int) -> CsrBand | None:
    """The CSR band for a whole percent of poverty (looked up once per percent and year)."""
    key = ("csr_band", fpl)
    if key not in params.memo:
        params.memo[key] = next((b for b in params.csr_bands if fpl <= b.max_fpl), None)
    band: CsrBand | None = params.memo[key]
    return band


def _plan_type(params: YearParameters, fpl: int) -> PlanTypeBand | None:
    """The ConnectorCare plan type for a whole percent of poverty, within the income limit."""
    key = ("plan_type", fpl)
    if key not in params.memo:
        params.memo[key] = (
            None
            if fpl > params.connectorcare_income_limit
            else next((b for b in params.connectorcare_plan_types if fpl <= b.max_fpl), None)
        )
    band: PlanTypeBand | None = params.memo[key]
    return band


def _connectorcare(w: _MemberWork, params: YearParameters) -> None:
    """ConnectorCare for credit-eligible members up to the income limit (956 CMR 12.04)."""
    th = w.tax_household
    assert th is not None
    fpl = th.cc_fpl
    band = _plan_type(params, fpl)
    if band is None:
        w.reasons.append(
            reason(
                Code.CONNECTORCARE_INCOME_ABOVE_LIMIT,
                fpl=fpl,
                limit=params.connectorcare_income_limit,
                year=params.coverage_year,
            )
        )
        return
    w.plan_type = band.plan_type
    w.contribution = params.connectorcare_contributions[band.plan_type]
    w.reasons.insert(
        1,
        reason(
            Code.CONNECTORCARE,
            name=w.name,
            plan_type=band.plan_type,
            fpl=fpl,
            max=band.max_fpl,
            contribution=w.contribution,
        ),
    )


def _chip_premiums(work: dict[str, _MemberWork], params: YearParameters) -> None:
    """MassHealth Family Assistance premiums per child, with a family cap (130 CMR 506.011)."""
    families: dict[tuple[str, ...], list[_MemberWork]] = {}
    for w in work.values():
        if w.chip and w.medicaid_household is not None:
            families.setdefault(w.medicaid_household.member_ids, []).append(w)
    for children in families.values():
        mh = children[0].medicaid_household
        assert mh is not None
        fpl = mh.fpl_percent
        band = None
        for candidate in params.chip_premium_bands:
            if fpl > candidate.above_fpl:
                band = candidate
        if band is None:
            for w in children:
                w.chip_premium = ZERO
            continue
        total = min(band.per_child * len(children), band.family_cap)
        share = (total / len(children)).quantize(CENT, rounding=ROUND_HALF_UP)
        for w in children:
            w.chip_premium = share
            w.reasons.insert(
                1,
                reason(
                    Code.CHIP_PREMIUM,
                    above=band.above_fpl,
                    per_child=band.per_child,
                    family_cap=band.family_cap,
                ),
            )


_RESULT_FIELDS = (
    "member_id",
    "age",
    "seeking_coverage",
    "program",
    "medicaid_category",
    "medicaid_household",
    "qhp_eligible",
    "aptc_eligible",
    "csr",
    "csr_variant",
    "connectorcare_plan_type",
    "connectorcare_contribution",
    "chip_premium",
    "tax_household",
    "reasons",
)
assert MemberResult._fields == _RESULT_FIELDS, "keep _member_result in step with MemberResult"


def _member_result(w: _MemberWork) -> MemberResult:
    """The member's result, built positionally in ``_RESULT_FIELDS`` order (this runs for every
    member of every determination)."""
    m = w.member
    if not m.seeking_coverage:
        program = Program.NOT_APPLYING
    elif w.chip:
        program = Program.CHIP
    elif w.medicaid_category is not None:
        program = Program.MEDICAID
    elif w.plan_type is not None:
        program = Program.CONNECTORCARE
    elif w.aptc_eligible:
        program = Program.QHP_WITH_APTC
    elif w.qhp_eligible:
        program = Program.QHP
        w.reasons.insert(0, reason(Code.QHP_ELIGIBLE, name=w.name))
    elif w.emergency_only:
        program = Program.MEDICAID_EMERGENCY
    else:
        program = Program.NOT_ELIGIBLE
    th = w.tax_household
    result: MemberResult = _new_tuple(
        MemberResult,
        (
            m.id,
            w.age,
            m.seeking_coverage,
            program,
            w.medicaid_category,
            w.medicaid_household,
            w.qhp_eligible and w.medicaid_category is None,
            w.aptc_eligible,
            w.csr,
            w.csr_variant,
            w.plan_type,
            w.contribution,
            w.chip_premium,
            th.index if th is not None else None,
            tuple(w.reasons),
        ),
    )
    return result
