"""Reads of the plan catalog: which plans a household can buy where it lives, at what price.

Everything here works on the in-memory catalog (apps/plans/catalog.py) and the pure rating package;
no writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from apps.plans.catalog import CatalogPlan, YearCatalog, catalog_for
from rating.geography import counties_for_zip, rating_area_for
from rating.premium import ehb_premium, household_premium, lowest, net_premium, second_lowest
from rating.types import (
    ConnectorCareShare,
    Enrollee,
    HouseholdPremium,
    NetPremium,
    PlanRates,
    RatingRules,
)
from rules.parameters import YearParameters

STANDARD_VARIANT = "01"
ZERO = Decimal(0)


class CatalogNotLoaded(LookupError):
    """No plan catalog is loaded for the year and state."""


class PlaceError(LookupError):
    """The place cannot be rated: unknown county, ZIP outside the state, no rating area."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class Place:
    state: str
    county_fips: str
    zip_code: str | None
    rating_area: int


@dataclass(frozen=True, slots=True)
class QuotedPlan:
    plan: CatalogPlan
    premium: HouseholdPremium
    net: NetPremium


@dataclass(frozen=True, slots=True)
class Help:
    """The help a household gets when shopping (from its determination or an estimate)."""

    aptc: Decimal = ZERO  # maximum monthly credit
    aptc_requested: Decimal | None = None  # how much of it to apply (None: all)
    csr: str | None = None  # "94" | "87" | "73" | "zero" | "limited"
    connectorcare_plan_type: str | None = None
    connectorcare_contribution: Decimal | None = None  # per person per month


def rating_rules(params: YearParameters) -> RatingRules:
    return RatingRules(
        max_children=params.rating_children_max,
        child_max_age=params.rating_child_max_age,
        tobacco_rating=params.tobacco_rating,
    )


def resolve_place(
    params: YearParameters, state: str, county_fips: str | None, zip_code: str | None
) -> Place:
    """Check a place and find its rating area; a ZIP alone must lie in exactly one county."""
    state = state.upper()
    if zip_code is not None and (len(zip_code) != 5 or not zip_code.isdigit()):
        raise PlaceError("zipcode", f"must be five digits, got {zip_code!r}")
    if county_fips is None:
        if zip_code is None:
            raise PlaceError("countyfips", "a county FIPS code or a ZIP code is required")
        counties = tuple(c for c in counties_for_zip(zip_code) if c.state == state)
        if not counties:
            raise PlaceError("zipcode", f"ZIP code {zip_code} is not in {state}")
        if len(counties) > 1:
            names = ", ".join(f"{c.fips} ({c.name})" for c in counties)
            raise PlaceError(
                "countyfips", f"ZIP code {zip_code} spans counties {names}: choose one"
            )
        county_fips = counties[0].fips
    elif zip_code is not None:
        counties = counties_for_zip(zip_code)
        if counties and county_fips not in {c.fips for c in counties}:
            raise PlaceError("countyfips", f"county {county_fips} does not contain ZIP {zip_code}")
    try:
        area = rating_area_for(params, county_fips, zip_code)
    except LookupError as exc:
        raise PlaceError("countyfips", str(exc.args[0] if exc.args else exc)) from None
    return Place(state=state, county_fips=county_fips, zip_code=zip_code, rating_area=area)


def year_catalog(year: int, state: str) -> YearCatalog:
    catalog = catalog_for(year, state)
    if catalog is None:
        raise CatalogNotLoaded(f"no plan catalog is loaded for {state} {year}")
    return catalog


def wanted_variant(plan: CatalogPlan, help: Help, params: YearParameters) -> bool:
    """Whether this variant is the one the household would enroll in (45 CFR 155.305(g),
    155.350): CSR silver variants, AI/AN variants at every metal, ConnectorCare variants for the
    household's plan type; the standard variant otherwise."""
    if plan.connectorcare_plan_type:
        return plan.connectorcare_plan_type == help.connectorcare_plan_type
    csr_variant = _csr_variant(plan.metal_level, help.csr, params)
    return plan.variant == (csr_variant or STANDARD_VARIANT)


def _csr_variant(metal: str, csr: str | None, params: YearParameters) -> str | None:
    if csr == "zero":
        return params.aian_zero_variant
    if csr == "limited":
        return params.aian_limited_variant
    if csr and metal == "Silver":
        for band in params.csr_bands:
            if band.level == csr:
                return band.variant
    return None


def quote(
    params: YearParameters,
    place: Place,
    enrollees: Sequence[Enrollee],
    help: Help | None = None,
) -> list[QuotedPlan]:
    """Every plan the household can buy at the place, at its net price, cheapest first."""
    help = help or Help()
    catalog = year_catalog(params.coverage_year, place.state)
    rules = rating_rules(params)
    offered = catalog.offered(place.county_fips, place.zip_code)
    under_catastrophic_age = all(e.age < params.catastrophic_max_age for e in enrollees)
    candidates = [
        p
        for p in offered
        if wanted_variant(p, help, params)
        and (p.metal_level != "Catastrophic" or under_catastrophic_age)
    ]
    premiums: dict[str, HouseholdPremium] = {}
    for p in candidates:
        rates = catalog.rates.get((p.standard_component_id, place.rating_area))
        if rates is not None:
            premiums[p.plan_id] = household_premium(rates, enrollees, rules)
    cc_lowest = lowest(
        premiums[p.plan_id].total
        for p in candidates
        if p.connectorcare_plan_type and p.plan_id in premiums
    )
    quoted = []
    for p in candidates:
        premium = premiums.get(p.plan_id)
        if premium is None:
            continue
        share = None
        if p.connectorcare_plan_type and cc_lowest is not None:
            per_person = help.connectorcare_contribution or ZERO
            charged = sum(1 for m in premium.members if m.charged) or 1
            share = ConnectorCareShare(
                contribution=per_person * charged, lowest_cost_premium=cc_lowest
            )
        ehb = ehb_premium(premium.total, p.ehb_percent)
        net = net_premium(premium.total, ehb, help.aptc, help.aptc_requested, share)
        quoted.append(QuotedPlan(plan=p, premium=premium, net=net))
    quoted.sort(key=lambda q: (q.net.enrollee_pays, q.premium.total, q.plan.plan_id))
    return quoted


def standard_premiums(
    params: YearParameters, place: Place, enrollees: Sequence[Enrollee], metal: str
) -> list[tuple[CatalogPlan, Decimal]]:
    """Standard on-exchange variants of a metal level offered at the place, with the household
    premium for these enrollees (ConnectorCare and CSR variants excluded)."""
    catalog = year_catalog(params.coverage_year, place.state)
    rules = rating_rules(params)
    out = []
    for p in catalog.offered(place.county_fips, place.zip_code):
        if p.metal_level != metal or p.variant != STANDARD_VARIANT or p.connectorcare_plan_type:
            continue
        rates: PlanRates | None = catalog.rates.get((p.standard_component_id, place.rating_area))
        if rates is not None:
            out.append((p, household_premium(rates, enrollees, rules).total))
    out.sort(key=lambda x: (x[1], x[0].plan_id))
    return out


def benchmark(
    params: YearParameters, place: Place, enrollees: Sequence[Enrollee]
) -> tuple[CatalogPlan, Decimal] | None:
    """The second-lowest-cost silver plan (26 CFR 1.36B-3(f)) for these enrollees, and its premium."""
    silver = standard_premiums(params, place, enrollees, "Silver")
    amount = second_lowest(p for _, p in silver)
    if amount is None:
        return None
    plan = next(plan for plan, premium in silver if premium == amount)
    return plan, amount


def lowest_cost_bronze(
    params: YearParameters, place: Place, enrollees: Sequence[Enrollee]
) -> tuple[CatalogPlan, Decimal] | None:
    bronze = standard_premiums(params, place, enrollees, "Bronze")
    if not bronze:
        return None
    return bronze[0]
