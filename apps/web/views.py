"""Public pages: the home page and window shopping (anonymous estimates and plans)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from apps.api.shopping import coverage_year
from apps.eligibility import selectors
from apps.plans.selectors import PlaceError, QuotedPlan
from apps.web import chart, window
from apps.web.forms import SORTS, PlanFilterForm, WindowShoppingForm, county_label
from rating.geography import counties_for_zip
from rules import InputError, ParameterError

#: The household's answers, carried along when the plan list is filtered or sorted.
HOUSEHOLD_FIELDS = ("zip", "county", "age", "spouse_age", "dependents", "income", "year")


def home(request: HttpRequest) -> HttpResponse:
    params = selectors.parameters()
    return render(
        request,
        "web/home.html",
        {"coverage_years": params.coverage_years, "parameters_version": params.version},
    )


@dataclass(frozen=True, slots=True)
class FieldError:
    field_id: str
    message: str


def window_shopping(request: HttpRequest) -> HttpResponse:
    """The window-shopping page: the form, then (with answers) the household's help, the plans
    at their net price, and what changes with income. Everything is in the GET query, so a result
    can be bookmarked and the page works without JavaScript."""
    params = selectors.parameters()
    submitted = "zip" in request.GET or "age" in request.GET
    form = WindowShoppingForm(
        request.GET if submitted else None,
        years=params.coverage_years,
        default_year=coverage_year(None),
    )
    context: dict[str, Any] = {"form": form, "submitted": submitted, "problem": None}
    if submitted and form.is_valid():
        context.update(_results(request.GET, form))
    if submitted and not form.is_valid():
        context["errors"] = [
            FieldError(_field_id(form, name), message) for name, message in form.error_list()
        ]
    return render(request, "web/window_shopping.html", context)


def _field_id(form: WindowShoppingForm, name: str) -> str:
    if name == "county":  # a group of radio buttons: link to the first
        return f"{form[name].auto_id}_0"
    if name in form.fields:
        return str(form[name].auto_id)
    return "window-shopping-form"


def _results(query: QueryDict, form: WindowShoppingForm) -> dict[str, Any]:
    inputs = form.inputs()
    try:
        est = window.estimate(inputs)
    except PlaceError as exc:
        return {"problem": _place_problem(inputs.zip_code, exc)}
    except window.NoPlans:
        return {
            "problem": _(
                "We could not find the plans sold in ZIP code %(zip)s for %(year)s, so we cannot "
                "estimate your help there. Please try again later or call us."
            )
            % {"zip": inputs.zip_code, "year": inputs.year}
        }
    except (InputError, ParameterError) as exc:  # the form checks these first; be safe
        return {"problem": _("We could not work out an estimate: %(problem)s") % {"problem": exc}}
    rng = window.income_range(est)
    line_chart = window.chart_for(rng)
    filters = PlanFilterForm(
        query,
        metals=sorted({q.plan.metal_level for q in est.quotes}),
        plan_types=sorted({q.plan.plan_type for q in est.quotes}),
        issuers=sorted({(q.plan.issuer_id, q.plan.issuer_name) for q in est.quotes}),
    )
    plans = list(est.quotes)
    if filters.is_valid():
        plans = filter_plans(plans, filters.cleaned_data)
    tax_households = [
        th
        for th in est.determination.tax_households
        if set(th.member_ids) & {p.person.member_id for p in est.people}
    ]
    return {
        "estimate": est,
        "county_name": next(
            (
                county_label(c)
                for c in counties_for_zip(inputs.zip_code)
                if c.fips == inputs.county_fips
            ),
            "",
        ),
        "tax_households": tax_households,
        "filters": filters,
        "plans": plans,
        "plan_count": len(est.quotes),
        "hidden": [
            (name, query.get(name, ""))
            for name in HOUSEHOLD_FIELDS
            if name in query and name in form.fields
        ],
        "range": rng,
        "table_rows": table_rows(rng),
        "chart_svg": mark_safe(chart.render(line_chart)),  # noqa: S308 - escaped by chart.render # nosec B308
        "legend": [
            (s, mark_safe(chart.swatch(s)))  # noqa: S308 - no user text in a swatch # nosec B308
            for s in line_chart.series
        ],
        "upcoming": inputs.year >= coverage_year(None),
    }


def table_rows(rng: window.IncomeRange) -> list[tuple[window.IncomePoint, bool]]:
    """The chart's points, with the household's own income in its place (flagged)."""
    rows = [(p, False) for p in rng.points]
    rows.append((rng.you, True))
    rows.sort(key=lambda row: (row[0].income, row[1]))
    return rows


def _place_problem(zip_code: str, exc: PlaceError) -> str:
    if exc.field == "zipcode":
        return _("ZIP code %(zip)s is not in Massachusetts, so we cannot show plans for it.") % {
            "zip": zip_code
        }
    return _(
        "We could not find the premium rating area for ZIP code %(zip)s. Check the ZIP code and "
        "county, or call us."
    ) % {"zip": zip_code}


def _price(q: QuotedPlan) -> Decimal:
    return q.net.enrollee_pays


def filter_plans(plans: list[QuotedPlan], f: dict[str, Any]) -> list[QuotedPlan]:
    """The plans matching the filters, in the chosen order (cheapest after help by default)."""
    if f.get("metal"):
        plans = [q for q in plans if q.plan.metal_level == f["metal"]]
    if f.get("plan_type"):
        plans = [q for q in plans if q.plan.plan_type == f["plan_type"]]
    if f.get("issuer"):
        plans = [q for q in plans if q.plan.issuer_id == f["issuer"]]
    if f.get("max_price") is not None:
        plans = [q for q in plans if _price(q) <= f["max_price"]]
    sort = f.get("sort") or "price"
    big = 10**9
    keys = {
        "price": lambda q: (_price(q), q.premium.total, q.plan.plan_id),
        "-price": lambda q: (-_price(q), -q.premium.total, q.plan.plan_id),
        "deductible": lambda q: (
            q.plan.deductible_individual if q.plan.deductible_individual is not None else big,
            _price(q),
            q.plan.plan_id,
        ),
        "moop": lambda q: (
            q.plan.moop_individual if q.plan.moop_individual is not None else big,
            _price(q),
            q.plan.plan_id,
        ),
        "name": lambda q: (plan_name(q).lower(), q.plan.plan_id),
    }
    assert sort in SORTS
    return sorted(plans, key=keys[sort])


def plan_name(q: QuotedPlan) -> str:
    return q.plan.variant_name or q.plan.name
