"""Premium rating: pure Python, no framework (issue 3). See docs/adr/0002-plan-catalog-and-rating.md.

Public API (implemented in rating/premium.py and rating/geography.py):
- ``PlanRates.for_age(age, tobacco)``: a member's monthly rate from a plan's rate table in one area.
- ``household_premium(rates, enrollees, rules)``: members' premiums, at most the N oldest children
  under the child age limit charged (45 CFR 147.102(c)(1)).
- ``ehb_premium(total, ehb_percent)``: the EHB portion of a premium, cents.
- ``net_premium(...)``: APTC applied (never more than the EHB portion), the ConnectorCare state
  subsidy applied, never below zero, cents exact.
- ``second_lowest(premiums)`` / ``lowest(premiums)``: benchmark helpers.
"""
