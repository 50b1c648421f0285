"""Premium rating: pure Python, no framework (issue 3). See docs/adr/0002-plan-catalog-and-rating.md.

Public API (rating/premium.py; inputs and outputs are the frozen dataclasses of rating/types.py):
- ``rate_for(rates, age, tobacco=False)``: a member's monthly rate from a plan's rate table in one
  rating area; an age above the last band takes the last band ("64 and over").
- ``household_premium(rates, enrollees, rules)``: members' premiums, at most the N oldest children
  under the child age limit charged (45 CFR 147.102(c)(1)), and their total.
- ``ehb_premium(total, ehb_percent)``: the EHB portion of a premium, cents.
- ``net_premium(premium, ehb_premium, aptc_available, aptc_requested=None, connectorcare=None)``:
  APTC applied (never more than the EHB portion), the ConnectorCare state subsidy, what the enrollee
  pays (never below zero); the parts add up to the premium to the cent.
- ``lowest(premiums)`` / ``second_lowest(premiums)``: benchmark helpers (second-lowest counts tied
  plans separately; one plan alone is its own benchmark).

Money is ``Decimal`` rounded to cents half-up. Rating areas for a county or ZIP are looked up by
``rating.geography`` (import it from there; it is not re-exported here).
"""

from rating.premium import (
    ehb_premium,
    household_premium,
    lowest,
    net_premium,
    rate_for,
    second_lowest,
)
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
    "AgeRate",
    "ConnectorCareShare",
    "Enrollee",
    "HouseholdPremium",
    "MemberPremium",
    "NetPremium",
    "PlanRates",
    "RatingRules",
    "ehb_premium",
    "household_premium",
    "lowest",
    "net_premium",
    "rate_for",
    "second_lowest",
]
