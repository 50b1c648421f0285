"""Inputs and outputs of premium rating: frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class AgeRate:
    """One row of a plan's rate table in one rating area: ages age_min..age_max (inclusive)."""

    age_min: int
    age_max: int
    individual: Decimal  # monthly, non-tobacco
    # monthly, tobacco user; None when the plan does not rate tobacco
    tobacco: Decimal | None = None


@dataclass(frozen=True, slots=True)
class PlanRates:
    """A plan's rate table in one rating area (the Rate PUF rows of one StandardComponentId)."""

    plan_id: str  # 14-character standard component id
    rating_area: int
    rates: tuple[AgeRate, ...]  # sorted by age_min, covering ages 0 and up
    #: The row for each age 0..AGE_INDEX_MAX, built once so a lookup is an index (None: no row).
    by_age: tuple[AgeRate | None, ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        index = tuple(
            next((r for r in self.rates if r.age_min <= age <= r.age_max), None)
            for age in range(AGE_INDEX_MAX + 1)
        )
        object.__setattr__(self, "by_age", index)


AGE_INDEX_MAX = 120


@dataclass(frozen=True, slots=True)
class Enrollee:
    member_id: str
    age: int
    tobacco: bool = False


@dataclass(frozen=True, slots=True)
class RatingRules:
    """State rating rules for the plan year (from the rules parameters)."""

    max_children: int  # at most this many children under the age limit are charged (3)
    child_max_age: int  # a child is someone this age or younger (20)
    tobacco_rating: bool  # whether the state allows tobacco rating (Massachusetts: no)


@dataclass(frozen=True, slots=True)
class MemberPremium:
    member_id: str
    premium: Decimal  # monthly; 0 for a child beyond the charged ones
    charged: bool


@dataclass(frozen=True, slots=True)
class HouseholdPremium:
    total: Decimal
    members: tuple[MemberPremium, ...]


@dataclass(frozen=True, slots=True)
class ConnectorCareShare:
    """What a ConnectorCare enrollee pays before the state subsidy: the contribution for the
    lowest-cost ConnectorCare plan (per person, summed over the enrollees) plus any difference
    between this plan's premium and the lowest-cost ConnectorCare plan's premium."""

    contribution: Decimal  # monthly, summed over the enrollees
    # monthly premium of the lowest-cost ConnectorCare plan, for the same members
    lowest_cost_premium: Decimal


@dataclass(frozen=True, slots=True)
class NetPremium:
    premium: Decimal  # monthly, before any help
    ehb_premium: Decimal  # the EHB portion (the most APTC can pay)
    aptc_applied: Decimal
    state_subsidy: Decimal  # ConnectorCare premium subsidy (0 for other plans)
    enrollee_pays: Decimal  # premium - aptc_applied - state_subsidy, never below zero
