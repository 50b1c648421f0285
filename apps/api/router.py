"""The public JSON API, version 1 (django-ninja; OpenAPI at /api/v1/openapi.json, docs at
/api/v1/docs). Routes parse, call a selector or service, and render; errors are RFC 9457 problem
details that name the field."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from apps.api import shopping
from apps.api.problems import ApiProblem, problem
from apps.api.schemas import (
    EstimateRequest,
    EstimateResponse,
    LowestCostPlanRequest,
    LowestCostPlanResponse,
    PlanRequest,
    PlanSearchRequest,
    Problem,
)
from apps.eligibility import selectors as eligibility
from apps.plans import selectors as plans
from apps.plans.catalog import CatalogPlan
from apps.plans.models import Crosswalk
from rating.geography import counties_for_zip
from rating.types import Enrollee
from rules import InputError, ParameterError, parse_cms_estimate

api = NinjaAPI(
    title="Massachusetts Health Exchange API",
    version="1",
    description=(
        "Anonymous shopping and eligibility estimates, shaped like the CMS Marketplace API. "
        "`year` defaults to the coverage year people shop for today. No API key is needed."
    ),
    urls_namespace="api-v1",
)
ERRORS: dict[int, Any] = {400: Problem, 404: Problem, 422: Problem}


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    first: dict[str, Any] = exc.errors[0] if exc.errors else {}
    loc = [str(p) for p in first.get("loc", []) if p not in ("body", "query", "path")]
    if loc and loc[0] in ("estimate", "request", "search", "lcp"):
        loc = loc[1:]
    field = ".".join(loc) or None
    message = str(first.get("msg", "invalid"))
    return problem(
        request,
        422,
        "Invalid request",
        f"{field}: {message}" if field else message,
        field=field,
        errors=[
            {"field": ".".join(str(p) for p in e.get("loc", [])), "message": e.get("msg")}
            for e in exc.errors
        ],
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem(request, exc.status_code, "Request failed", str(exc))


@api.exception_handler(ApiProblem)
def on_api_problem(request: HttpRequest, exc: ApiProblem) -> HttpResponse:
    return problem(request, exc.status, exc.title, exc.detail, field=exc.field)


@api.exception_handler(InputError)
def on_input_error(request: HttpRequest, exc: InputError) -> HttpResponse:
    return problem(request, 400, "Invalid household", str(exc), field=exc.path)


@api.exception_handler(plans.PlaceError)
def on_place_error(request: HttpRequest, exc: plans.PlaceError) -> HttpResponse:
    return problem(request, 400, "Invalid place", str(exc), field=f"place.{exc.field}")


@api.exception_handler(plans.CatalogNotLoaded)
def on_no_catalog(request: HttpRequest, exc: plans.CatalogNotLoaded) -> HttpResponse:
    return problem(request, 404, "No plans for that year", str(exc), field="year")


@api.exception_handler(ParameterError)
def on_parameter_error(request: HttpRequest, exc: ParameterError) -> HttpResponse:
    return problem(request, 400, "Unsupported year", str(exc), field="year")


def _money(value: Decimal) -> float:
    return float(value)


def plan_json(
    q: plans.QuotedPlan | None, p: CatalogPlan, rating_area: int | None = None
) -> dict[str, Any]:
    """A plan in the CMS Plan shape (with a few exchange-specific fields)."""
    body: dict[str, Any] = {
        "id": p.standard_component_id,
        "plan_variant_id": p.plan_id,
        "name": p.name,
        "variant_name": p.variant_name,
        "issuer": {"id": p.issuer_id, "name": p.issuer_name, "state": settings.EXCHANGE_STATE},
        # CMS's MetalLevelEnum has no "Expanded Bronze": it is a bronze plan (detail kept apart).
        "metal_level": "Bronze" if p.metal_level == "Expanded Bronze" else p.metal_level,
        "metal_level_detail": p.metal_level,
        "type": p.plan_type,
        "market": "Individual",
        "insurance_market": "QHP",
        "state": settings.EXCHANGE_STATE,
        "hsa_eligible": p.hsa_eligible,
        "has_national_network": p.national_network,
        "csr_variation": p.csr_variation_type,
        "connectorcare_plan_type": p.connectorcare_plan_type or None,
        "deductibles": _amounts("deductible", p.deductible_individual, p.deductible_family),
        "moops": _amounts("moop", p.moop_individual, p.moop_family),
        "benefits_url": p.benefits_url,
        "brochure_url": p.brochure_url,
        "formulary_url": p.formulary_url,
    }
    if q is not None:
        body.update(
            premium=_money(q.premium.total),
            ehb_premium=_money(q.net.ehb_premium),
            aptc_eligible_premium=_money(q.net.ehb_premium),
            premium_w_credit=_money(q.premium.total - q.net.aptc_applied),
            aptc_applied=_money(q.net.aptc_applied),
            state_subsidy=_money(q.net.state_subsidy),
            net_premium=_money(q.net.enrollee_pays),
        )
    if rating_area is not None:
        body["rate_area"] = {"state": settings.EXCHANGE_STATE, "area": rating_area}
    return body


def _amounts(kind: str, individual: int | None, family: int | None) -> list[dict[str, Any]]:
    label = (
        "Combined Medical and Drug EHB Deductible"
        if kind == "deductible"
        else "Maximum Out of Pocket for Medical and Drug EHB Benefits (Total)"
    )
    out = []
    if individual is not None:
        out.append(
            {
                "type": label,
                "amount": individual,
                "family_cost": "Individual",
                "individual": True,
                "family": False,
                "network_tier": "In-Network",
            }
        )
    if family is not None:
        out.append(
            {
                "type": label,
                "amount": family,
                "family_cost": "Family",
                "individual": False,
                "family": True,
                "network_tier": "In-Network",
            }
        )
    return out


def _filter(quoted: list[plans.QuotedPlan], f: Any) -> list[plans.QuotedPlan]:
    if f is None:
        return quoted
    metals = set(f.metal_levels or []) | ({f.metal_level} if f.metal_level else set())
    types = set(f.types or []) | ({f.type} if f.type else set())
    issuers = {i.lower() for i in (f.issuers or [])} | ({f.issuer.lower()} if f.issuer else set())
    out = []
    for q in quoted:
        p = q.plan
        price = q.premium.total - q.net.aptc_applied
        deductible = p.deductible_individual or 0
        metal = "Bronze" if p.metal_level == "Expanded Bronze" else p.metal_level
        if metals and metal not in metals and p.metal_level not in metals:
            continue
        if types and p.plan_type not in types:
            continue
        if issuers and p.issuer_name.lower() not in issuers and p.issuer_id not in issuers:
            continue
        if f.premium is not None and price > Decimal(str(f.premium)):
            continue
        if f.premium_min is not None and price < Decimal(str(f.premium_min)):
            continue
        if f.deductible is not None and deductible > f.deductible:
            continue
        if f.deductible_min is not None and deductible < f.deductible_min:
            continue
        if f.hsa is not None and p.hsa_eligible != f.hsa:
            continue
        out.append(q)
    return out


SORT_KEYS = {
    "premium": lambda q: (q.net.enrollee_pays, q.plan.plan_id),
    "deductible": lambda q: (
        q.plan.deductible_individual or 0,
        q.net.enrollee_pays,
        q.plan.plan_id,
    ),
    "moop": lambda q: (q.plan.moop_individual or 0, q.net.enrollee_pays, q.plan.plan_id),
    "total_costs": lambda q: (
        q.net.enrollee_pays * 12 + (q.plan.moop_individual or 0),
        q.plan.plan_id,
    ),
}


@api.post(
    "/plans/search",
    response={200: dict[str, Any], **ERRORS},
    tags=["Plans"],
    summary="Search plans",
)
def search_plans(request: HttpRequest, search: PlanSearchRequest, year: int | None = None) -> Any:
    """Plans for a household at a place, with `premium`, `premium_w_credit` and `ehb_premium` per
    plan; filters, sort, offset pagination and facet counts."""
    body = search.model_dump(exclude_none=True)
    s = shopping.prepare(body, year)
    quoted = shopping.quotes(s)
    facets = {
        "metalLevels": Counter(
            "Bronze" if q.plan.metal_level == "Expanded Bronze" else q.plan.metal_level
            for q in quoted
        ),
        "issuers": Counter(q.plan.issuer_name for q in quoted),
        "types": Counter(q.plan.plan_type for q in quoted),
    }
    selected = _filter(quoted, search.filter)
    selected.sort(key=SORT_KEYS[search.sort], reverse=search.order == "desc")
    page = selected[search.offset : search.offset + search.limit]
    prices = [q.premium.total - q.net.aptc_applied for q in selected]
    deductibles = [q.plan.deductible_individual or 0 for q in selected]
    return {
        "plans": [plan_json(q, q.plan) for q in page],
        "total": len(selected),
        "facet_groups": [
            {"name": name, "facets": [{"value": v, "count": c} for v, c in sorted(counts.items())]}
            for name, counts in facets.items()
        ],
        "rate_area": {"state": s.place.state, "area": s.place.rating_area},
        "ranges": {
            "premiums": {"min": float(min(prices)), "max": float(max(prices))} if prices else None,
            "deductibles": {"min": min(deductibles), "max": max(deductibles)}
            if deductibles
            else None,
        },
        "aptc": float(s.help.aptc),
        "csr": s.help.csr,
        "connectorcare_plan_type": s.help.connectorcare_plan_type,
        "year": s.params.coverage_year,
    }


def _find_plan(plan_id: str, year: int) -> CatalogPlan:
    if len(plan_id) not in (14, 17):
        raise ApiProblem(404, "plan_id", f"plan_id: {plan_id!r} is not a 14-character plan id")
    catalog = plans.year_catalog(year, settings.EXCHANGE_STATE)
    for p in catalog.plans.values():
        if p.plan_id == plan_id or (
            p.standard_component_id == plan_id and p.variant == plans.STANDARD_VARIANT
        ):
            return p
    raise ApiProblem(404, "plan_id", f"plan_id: no plan {plan_id} in {year}")


@api.get(
    "/plans/{plan_id}",
    response={200: dict[str, Any], **ERRORS},
    tags=["Plans"],
    summary="Plan details",
)
def get_plan(request: HttpRequest, plan_id: str, year: int | None = None) -> Any:
    chosen = shopping.coverage_year(year)
    eligibility.parameters().for_year(chosen)
    return {"plan": plan_json(None, _find_plan(plan_id, chosen))}


@api.post(
    "/plans/{plan_id}",
    response={200: dict[str, Any], **ERRORS},
    tags=["Plans"],
    summary="Plan details with a household's price",
)
def price_plan(
    request: HttpRequest, plan_id: str, body: PlanRequest, year: int | None = None
) -> Any:
    s = shopping.prepare(body.model_dump(exclude_none=True), year)
    target = _find_plan(plan_id, s.params.coverage_year)
    for q in shopping.quotes(s):
        if (
            q.plan.standard_component_id == target.standard_component_id
            and not q.plan.connectorcare_plan_type
        ):
            return {
                "plan": plan_json(q, q.plan),
                "rate_area": {"state": s.place.state, "area": s.place.rating_area},
            }
    raise ApiProblem(404, "plan_id", f"plan_id: plan {plan_id} is not offered at this place")


@api.post(
    "/households/eligibility/estimates",
    response={200: EstimateResponse, **ERRORS},
    tags=["Households & Eligibility"],
    summary="Eligibility estimates",
)
def eligibility_estimates(
    request: HttpRequest, estimate: EstimateRequest, year: int | None = None
) -> Any:
    """One estimate per person in ``household.people``: ``aptc`` is the household's maximum monthly
    premium tax credit, ``csr`` the cost-sharing reduction, ``is_medicaid_chip`` whether the person
    may qualify for MassHealth or CHIP."""
    body = estimate.model_dump(exclude_none=True)
    chosen = shopping.coverage_year(year if year is not None else body.get("year"))
    household = parse_cms_estimate(body, chosen)
    return eligibility.estimate(household).as_cms_estimates()


def _lowest_cost(request_body: LowestCostPlanRequest, year: int | None, metal: str) -> Any:
    body = request_body.model_dump(exclude_none=True)
    chosen = shopping.coverage_year(year if year is not None else body.get("year"))
    params = eligibility.parameters().for_year(chosen)
    place_raw = body["place"]
    place = plans.resolve_place(
        params, place_raw["state"], place_raw.get("countyfips"), place_raw.get("zipcode")
    )
    people = (body.get("household") or {}).get("people") or [{"age": 40}]
    estimate = parse_cms_estimate({"household": {"people": people}, "place": place_raw}, chosen)
    enrollees = [Enrollee(m.id, m.age_on(estimate.start)) for m in estimate.members]
    if metal == "Silver":
        found = plans.benchmark(params, place, enrollees)
    else:
        found = plans.lowest_cost_bronze(params, place, enrollees)
    if found is None:
        raise ApiProblem(
            404, "place", f"place: no {metal.lower()} plan is offered in county {place.county_fips}"
        )
    plan, premium = found
    return {
        "id": plan.standard_component_id,
        "name": plan.name,
        "premium": float(premium),
        "metal_level": plan.metal_level,
    }


@api.post(
    "/households/slcsp",
    response={200: LowestCostPlanResponse, **ERRORS},
    tags=["Households & Eligibility"],
    summary="Second-lowest-cost silver plan",
)
def slcsp(request: HttpRequest, lcp: LowestCostPlanRequest, year: int | None = None) -> Any:
    return _lowest_cost(lcp, year, "Silver")


@api.post(
    "/households/lcbp",
    response={200: LowestCostPlanResponse, **ERRORS},
    tags=["Households & Eligibility"],
    summary="Lowest-cost bronze plan",
)
def lcbp(request: HttpRequest, lcp: LowestCostPlanRequest, year: int | None = None) -> Any:
    return _lowest_cost(lcp, year, "Bronze")


@api.get(
    "/households/pcfpl",
    response={200: dict[str, Any], **ERRORS},
    tags=["Households & Eligibility"],
    summary="Income as a percentage of the poverty guideline",
)
def pcfpl(request: HttpRequest, year: int, state: str, size: int, income: float) -> Any:
    """Household income as a percentage of the poverty guideline used for the premium tax credit in
    that coverage year (the prior year's guideline)."""
    if size < 1 or size > 50:
        raise ApiProblem(400, "size", f"size: must be 1 to 50, got {size}")
    if income < 0:
        raise ApiProblem(400, "income", f"income: must not be negative, got {income}")
    params = eligibility.parameters().for_year(year)
    guideline = params.guideline("premium_tax_credit", _state(state)).for_size(size)
    return {"pc_fpl": round(income / float(guideline) * 100, 2)}


def _state(abbrev: str) -> str:
    value = abbrev.upper()
    if len(value) != 2 or not value.isalpha():
        raise ApiProblem(400, "state", f"state: {abbrev!r} is not a two-letter state code")
    if not counties_in_state_known(value):
        raise ApiProblem(404, "state", f"state: unknown state {abbrev!r}")
    return value


def counties_in_state_known(state: str) -> bool:
    from rating.geography import counties_in_state

    try:
        return bool(counties_in_state(state))
    except ValueError:
        return False


@api.get(
    "/counties/by/zip/{zipcode}",
    response={200: dict[str, Any], **ERRORS},
    tags=["Geography"],
    summary="Counties of a ZIP code",
)
def counties_by_zip(request: HttpRequest, zipcode: str, year: int | None = None) -> Any:
    if len(zipcode) != 5 or not zipcode.isdigit():
        raise ApiProblem(400, "zipcode", f"zipcode: must be five digits, got {zipcode!r}")
    counties = counties_for_zip(zipcode)
    if not counties:
        raise ApiProblem(404, "zipcode", f"zipcode: no county found for ZIP {zipcode}")
    return {
        "counties": [
            {"fips": c.fips, "name": c.name, "state": c.state, "zipcode": zipcode} for c in counties
        ]
    }


@api.get(
    "/states/{abbrev}/poverty-guidelines",
    response={200: dict[str, Any], **ERRORS},
    tags=["States"],
    summary="Poverty guidelines",
)
def poverty_guidelines(request: HttpRequest, abbrev: str, year: int) -> Any:
    """The HHS poverty guidelines of guideline year ``year`` for the state's region."""
    state = _state(abbrev)
    params = eligibility.parameters()
    coverage = year + 1 if year + 1 in params.coverage_years else year
    g = params.for_year(coverage).guideline(
        "premium_tax_credit" if coverage == year + 1 else "medicaid", state
    )
    if g.guideline_year != year:
        raise ApiProblem(404, "year", f"year: no poverty guidelines for {year}")
    return {
        "guidelines": [
            {"household_size": n, "guideline": float(g.for_size(n))} for n in range(1, 9)
        ],
        "add_per_person_after_eight": float(g.additional),
        "year": year,
        "provisional": g.provisional,
    }


@api.get(
    "/states/{abbrev}/medicaid",
    response={200: dict[str, Any], **ERRORS},
    tags=["States"],
    summary="Medicaid and CHIP income limits",
)
def state_medicaid(request: HttpRequest, abbrev: str, year: int | None = None) -> Any:
    """MassHealth MAGI income limits in percent of poverty, including the 5-point disregard."""
    state = _state(abbrev)
    if state != settings.EXCHANGE_STATE:
        raise ApiProblem(404, "abbrev", f"abbrev: this exchange serves Massachusetts, not {state}")
    chosen = shopping.coverage_year(year)
    params = eligibility.parameters().for_year(chosen)
    lim, d = params.masshealth_limits, params.magi_disregard
    return {
        "name": "MASSACHUSETTS",
        "abbrev": state,
        "fiscal_year": chosen,
        "pc_fpl_parent": float(lim.parent_caretaker + d),
        "pc_fpl_pregnant": float(lim.pregnant + d),
        "pc_fpl_adult": float(lim.adult + d),
        "pc_fpl_child_newborn": float(lim.infant + d),
        "pc_fpl_child_1_5": float(lim.child + d),
        "pc_fpl_child_6_18": float(lim.child + d),
        "chip": [
            {
                "min_age": 0,
                "max_age": params.age_groups.chip_max,
                "pc_fpl": float(lim.chip_child + d),
            }
        ],
    }


@api.get(
    "/crosswalk",
    response={200: dict[str, Any], **ERRORS},
    tags=["Plans"],
    summary="Plan crosswalk to the next year",
)
def crosswalk(
    request: HttpRequest, year: int, plan_id: str, state: str, zipcode: str, fips: str
) -> Any:
    """Where a ``year`` plan's enrollees are re-enrolled in ``year + 1``."""
    rows = Crosswalk.objects.filter(
        year=year + 1, state=state.upper(), old_plan_id=plan_id[:14], county_fips=fips
    )
    row = rows.filter(zip_code=zipcode).first() or rows.filter(zip_code="00000").first()
    if row is None:
        raise ApiProblem(
            404, "plan_id", f"plan_id: no crosswalk for plan {plan_id} in county {fips} from {year}"
        )
    return {
        "new_plan_id": row.new_plan_id,
        "level": str(row.crosswalk_level),
        "reason": str(row.reason),
    }
