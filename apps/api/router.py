"""The public JSON API, version 1 (django-ninja; OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from apps.api.problems import problem
from apps.api.schemas import EstimateRequest, EstimateResponse, Problem
from apps.eligibility import selectors
from rules import InputError, ParameterError, parse_cms_estimate

api = NinjaAPI(
    title="Massachusetts Health Exchange API",
    version="1",
    description="Anonymous shopping and eligibility estimates, shaped like the CMS Marketplace API.",
    urls_namespace="api-v1",
)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    first: dict[str, Any] = exc.errors[0] if exc.errors else {}
    loc = [str(p) for p in first.get("loc", []) if p not in ("body", "estimate", "query")]
    field = ".".join(loc) or None
    return problem(
        request,
        422,
        "Invalid request",
        f"{field}: {first.get('msg', 'invalid')}" if field else str(first.get("msg", "invalid")),
        field=field,
        errors=[
            {"field": ".".join(str(p) for p in e.get("loc", [])), "message": e.get("msg")}
            for e in exc.errors
        ],
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem(request, exc.status_code, "Request failed", str(exc))


@api.post(
    "/households/eligibility/estimates",
    response={200: EstimateResponse, 400: Problem, 422: Problem},
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
    try:
        household = parse_cms_estimate(body, year if year is not None else body.get("year"))
        determination = selectors.estimate(household)
    except InputError as exc:
        return problem(request, 400, "Invalid household", str(exc), field=exc.path)
    except (ParameterError, LookupError) as exc:
        return problem(request, 400, "Cannot estimate", str(exc.args[0] if exc.args else exc))
    return determination.as_cms_estimates()
