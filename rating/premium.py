"""Premium rating: pure functions over the frozen dataclasses of rating/types.py.

Money is ``Decimal``, rounded to cents half-up (ADR 0002): each member's premium is a cent amount, a
household total is a sum of cents, and the parts of a net premium add up to the premium exactly.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from rating.types import (
    AgeRate,
    ConnectorCareShare,
    Enrollee,
    HouseholdPremium,
    MemberPremium,
    NetPremium,
    PlanRates,
    RatingRules,
)

__all__ = [
    "ehb_premium",
    "household_premium",
    "lowest",
    "net_premium",
    "rate_for",
    "second_lowest",
]

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
ONE = Decimal(1)


def cents(amount: Decimal) -> Decimal:
    """``amount`` rounded to cents, half-up."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _row_for(rates: PlanRates, age: int) -> AgeRate:
    if 0 <= age < len(rates.by_age):
        found = rates.by_age[age]
        if found is not None:
            return found
    if age < 0:
        raise ValueError(
            f"plan {rates.plan_id}, rating area {rates.rating_area}: age {age} is negative"
        )
    for row in rates.rates:
        if row.age_min <= age <= row.age_max:
            return row
    if rates.rates:
        last = max(rates.rates, key=lambda r: (r.age_max, r.age_min))
        if age > last.age_max:
            return last  # the last band is open-ended ("64 and over")
    raise ValueError(
        f"plan {rates.plan_id}, rating area {rates.rating_area}: no rate covers age {age}"
    )


def rate_for(rates: PlanRates, age: int, tobacco: bool = False) -> Decimal:
    """A member's monthly rate from a plan's rate table in one rating area, in cents.

    The row with ``age_min <= age <= age_max`` applies; an age above the last band takes the last
    band (the Rate PUF's "64 and over"). The tobacco rate applies only when ``tobacco`` is true and
    the row has one. Raises ``ValueError`` naming the plan, the rating area and the age when no row
    covers the age (a negative age, a gap in the table, an empty table).
    """
    row = _row_for(rates, age)
    if tobacco and row.tobacco is not None:
        return cents(row.tobacco)
    return cents(row.individual)


def _charged_children(enrollees: Sequence[Enrollee], rules: RatingRules) -> set[int]:
    """Indexes of the children (aged ``child_max_age`` or younger) whose premium counts: the
    ``max_children`` oldest, a tie in age going to the one listed first (45 CFR 147.102(c)(1))."""
    children = [i for i, e in enumerate(enrollees) if e.age <= rules.child_max_age]
    oldest_first = sorted(children, key=lambda i: (-enrollees[i].age, i))
    return set(oldest_first[: max(rules.max_children, 0)])


def household_premium(
    rates: PlanRates, enrollees: Sequence[Enrollee], rules: RatingRules
) -> HouseholdPremium:
    """Each member's monthly premium under one plan's rate table, and their sum.

    Per-member rating (45 CFR 147.102(c)(1)): members are rated by age; among family members aged
    ``rules.child_max_age`` or younger only the ``rules.max_children`` oldest are charged, the
    others are listed with premium 0 and ``charged=False``; children of the same age are taken in
    the order given. Tobacco rates apply only where ``rules.tobacco_rating`` allows them. Members
    come back in the order given; the total is the sum of the members' cent amounts.
    """
    for e in enrollees:
        if e.age < 0:
            raise ValueError(f"member {e.member_id}: age {e.age} is negative")
    charged_children = _charged_children(enrollees, rules)
    members: list[MemberPremium] = []
    for i, e in enumerate(enrollees):
        if e.age <= rules.child_max_age and i not in charged_children:
            members.append(MemberPremium(member_id=e.member_id, premium=ZERO, charged=False))
            continue
        premium = rate_for(rates, e.age, tobacco=e.tobacco and rules.tobacco_rating)
        members.append(MemberPremium(member_id=e.member_id, premium=premium, charged=True))
    total = sum((m.premium for m in members), ZERO)
    return HouseholdPremium(total=total, members=tuple(members))


def ehb_premium(total: Decimal, ehb_percent: Decimal) -> Decimal:
    """The essential-health-benefits portion of a premium, the most the credit may pay (26 USC
    36B(b)(3)(D), 26 CFR 1.36B-3(j)): ``total`` x the plan's ``EHBPercentTotalPremium`` from the
    Plan Attributes PUF, in cents half-up. ``ehb_percent`` is a fraction between 0 and 1."""
    if total < 0:
        raise ValueError(f"premium {total} is negative")
    if not ZERO <= ehb_percent <= ONE:
        raise ValueError(f"EHB percent {ehb_percent} is not a fraction between 0 and 1")
    return cents(total * ehb_percent)


def net_premium(
    premium: Decimal,
    ehb_premium: Decimal,
    aptc_available: Decimal,
    aptc_requested: Decimal | None = None,
    connectorcare: ConnectorCareShare | None = None,
) -> NetPremium:
    """What the enrollee pays each month after the tax credit and, for a ConnectorCare plan, the
    state premium subsidy. Every amount is taken to cents (half-up) first.

    - APTC applied = min(requested, available, EHB portion); with no request, min(available, EHB
      portion). A request above the maximum is capped; a negative request is a ``ValueError``.
      The EHB portion never exceeds the premium, so neither does the credit.
    - ConnectorCare (956 CMR 12.04(3)(c), 12.12): the enrollee pays the contribution for the
      lowest-cost ConnectorCare plan plus the difference between this plan's premium and that plan's
      (never below 0), at most what is left after the credit; the state pays the rest. The share is
      set on the full credit (min(available, EHB portion)): the contributions assume the enrollee
      "elect[s] the full amount of APTC" (956 CMR 12.04(3)(c)), so credit the enrollee declines
      is paid by the enrollee, never by the state subsidy.
    - ``enrollee_pays`` is never below zero and premium = aptc_applied + state_subsidy +
      enrollee_pays, to the cent.
    """
    premium = cents(premium)
    ehb = cents(ehb_premium)
    available = cents(aptc_available)
    if premium < 0:
        raise ValueError(f"premium {premium} is negative")
    if ehb < 0 or ehb > premium:
        raise ValueError(f"EHB portion {ehb} is not between 0 and the premium {premium}")
    if available < 0:
        raise ValueError(f"APTC available {available} is negative")
    aptc_max = min(available, ehb)
    if aptc_requested is None:
        aptc = aptc_max
    else:
        requested = cents(aptc_requested)
        if requested < 0:
            raise ValueError(f"APTC requested {requested} is negative")
        aptc = min(requested, aptc_max)

    state_subsidy = ZERO
    if connectorcare is not None:
        contribution = cents(connectorcare.contribution)
        lowest_cost = cents(connectorcare.lowest_cost_premium)
        if contribution < 0:
            raise ValueError(f"ConnectorCare contribution {contribution} is negative")
        if lowest_cost < 0:
            raise ValueError(f"lowest-cost ConnectorCare premium {lowest_cost} is negative")
        after_full_credit = premium - aptc_max
        share = min(after_full_credit, contribution + max(premium - lowest_cost, ZERO))
        state_subsidy = after_full_credit - share
    enrollee_pays = premium - aptc - state_subsidy
    return NetPremium(
        premium=premium,
        ehb_premium=ehb,
        aptc_applied=aptc,
        state_subsidy=state_subsidy,
        enrollee_pays=enrollee_pays,
    )


def lowest(premiums: Iterable[Decimal]) -> Decimal | None:
    """The lowest premium, or ``None`` when there is none."""
    return min(premiums, default=None)


def second_lowest(premiums: Iterable[Decimal]) -> Decimal | None:
    """The benchmark premium: the second-lowest of the plans' premiums (26 USC 36B(b)(3)(B),
    26 CFR 1.36B-3(f)), ``None`` when there is no plan.

    Ties: each plan counts once, so premiums are ranked with duplicates kept. Two plans tied at the
    lowest premium make that premium the second-lowest: [300, 300, 320] gives 300, not 320. The
    statute names a plan, "the second lowest cost silver plan" (26 USC 36B(b)(3)(B)), not a
    premium amount, and we found no rule that merges plans costing the same. Exchange software
    ranks plans the same way: ideacrew/enroll, the open-source exchange behind DC Health Link and
    CoverME.gov, sorts every silver plan's premium and takes the second entry
    (app/domain/operations/benchmark_products/identify_slcsp.rb, ``sort_by ... .second``;
    app/domain/operations/products/fetch_slcsp.rb, ``values[1] || values[0]``). (Ad Hoc's public
    SLCSP coding exercise drops duplicate rates instead; it is an exercise, not a rule.)

    One plan only: its premium is the benchmark, as in 26 CFR 1.36B-3(f)(3) ("only one silver-level
    plan offered to the coverage family": that plan is the benchmark; cited from memory, verify the
    text) and in ideacrew/enroll (``values[1] || values[0]``). HealthCare.gov's Marketplace API
    answers error 1016 ``errTooFewPlans`` to its anonymous estimate instead
    (shared/reference/cms-marketplace-api.swagger.json); we follow the regulation.
    """
    two = heapq.nsmallest(2, premiums)
    if not two:
        return None
    return two[-1]
