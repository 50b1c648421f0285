"""Turn CMS-shaped shopping requests into quotes: the household's help from the rules engine, then
the catalog's plans at their net price. Used by the API routers and the window-shopping page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from apps.eligibility import selectors as eligibility
from apps.plans.selectors import Help, Place, QuotedPlan, quote, resolve_place
from rating.types import Enrollee
from rules import Determination, Program, parse_cms_estimate
from rules.household import Household
from rules.parameters import YearParameters

CSR_OVERRIDE = {
    "CSR73": "73",
    "CSR87": "87",
    "CSR94": "94",
    "ZeroCSR": "zero",
    "LimitedCSR": "limited",
}


@dataclass(frozen=True, slots=True)
class Shopping:
    params: YearParameters
    place: Place
    household: Household
    determination: Determination
    enrollees: tuple[Enrollee, ...]
    help: Help


def coverage_year(requested: int | None) -> int:
    """The requested year, else the year people shop for today (next year from November 1)."""
    params = eligibility.parameters()
    if requested is None:
        return params.shopping_year(dt.date.today())
    return requested


def household_help(d: Determination, member_ids: list[str]) -> Help:
    """The help the people shopping together get: the credit of their tax household, the
    cost-sharing level they share, and the ConnectorCare plan type they share."""
    results = [d.member(mid) for mid in member_ids]
    aptc_people = [m for m in results if m.aptc_eligible]
    aptc = Decimal(0)
    households = {m.tax_household for m in aptc_people if m.tax_household is not None}
    for index in households:
        aptc += d.tax_households[index].max_aptc_monthly
    csr_levels = {m.csr for m in results if m.program is not Program.NOT_APPLYING}
    csr = csr_levels.pop() if len(csr_levels) == 1 else None
    cc_types = {m.connectorcare_plan_type for m in results}
    cc_type = cc_types.pop() if len(cc_types) == 1 else None
    contribution = None
    if cc_type is not None:
        contribution = next(
            m.connectorcare_contribution
            for m in results
            if m.connectorcare_contribution is not None
        )
    return Help(
        aptc=aptc,
        csr=csr,
        connectorcare_plan_type=cc_type,
        connectorcare_contribution=contribution,
    )


def prepare(body: dict[str, Any], year: int | None) -> Shopping:
    """Parse a CMS-shaped body (household, place, year, aptc_override, csr_override) and work out
    the household's help. Raises rules.InputError or apps.plans.selectors.PlaceError."""
    chosen = coverage_year(year if year is not None else body.get("year"))
    params = eligibility.parameters().for_year(chosen)
    place_raw = body.get("place") or {}
    place = resolve_place(
        params,
        str(place_raw.get("state", "")),
        place_raw.get("countyfips"),
        place_raw.get("zipcode"),
    )
    estimate_body = {k: v for k, v in body.items() if k in ("household", "place", "year")}
    household = parse_cms_estimate(
        {**estimate_body, "place": {**place_raw, "countyfips": place.county_fips}}, chosen
    )
    determination = eligibility.estimate(household)
    # Price the people who would buy a plan: not those who may get MassHealth or CHIP (unless
    # nobody can buy one, when everyone is priced without help, for information).
    ids = [
        m.id
        for m in household.members
        if determination.member(m.id).qhp_eligible
        and not determination.member(m.id).is_medicaid_chip
    ]
    help = household_help(determination, ids) if ids else Help()
    ids = ids or [m.id for m in household.members]
    if body.get("aptc_override") is not None:
        help = Help(
            aptc=Decimal(str(body["aptc_override"])),
            csr=help.csr,
            connectorcare_plan_type=help.connectorcare_plan_type,
            connectorcare_contribution=help.connectorcare_contribution,
        )
    if body.get("csr_override") is not None:
        help = Help(
            aptc=help.aptc,
            csr=CSR_OVERRIDE[str(body["csr_override"])],
            connectorcare_plan_type=help.connectorcare_plan_type,
            connectorcare_contribution=help.connectorcare_contribution,
        )
    start = household.start
    enrollees = tuple(Enrollee(m.id, m.age_on(start)) for m in household.members if m.id in ids)
    return Shopping(
        params=params,
        place=place,
        household=household,
        determination=determination,
        enrollees=enrollees,
        help=help,
    )


def quotes(shopping: Shopping) -> list[QuotedPlan]:
    return quote(shopping.params, shopping.place, shopping.enrollees, shopping.help)
