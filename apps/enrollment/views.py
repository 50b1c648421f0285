"""The shop (plans at net price, filter, sort, compare, how much credit to use), the plan selection
and the enrollment confirmation. Views load objects of the signed-in owner only (404 otherwise) and
leave the work to selectors.py and services.py."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.applications.models import Application
from apps.enrollment import selectors, services
from apps.enrollment.forms import METAL_LABELS, EnrollForm, ShopForm
from apps.plans.catalog import CatalogPlan
from apps.plans.selectors import CatalogNotLoaded, PlaceError, QuotedPlan
from apps.web.views import filter_plans

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Row:
    """A plan in the list: its price with the credit chosen, and the change from the full credit."""

    quote: QuotedPlan
    change: Decimal  # what the person pays more a month than with the full credit
    compared: bool

    @property
    def plan(self) -> CatalogPlan:
        return self.quote.plan

    @property
    def name(self) -> str:
        return self.quote.plan.variant_name or self.quote.plan.name

    @property
    def metal_label(self) -> str:
        return str(METAL_LABELS.get(self.quote.plan.metal_level, self.quote.plan.metal_level))


@dataclass(frozen=True, slots=True)
class Review:
    """The plan chosen, before the person confirms: the server's price and coverage start."""

    row: Row
    coverage_start: dt.date | None  # None outside open enrollment
    problem: str | None
    idempotency_key: str
    aptc: Decimal | None  # the credit asked for (None: all of it)


@login_required
@require_GET
def shop(request: HttpRequest, public_id: UUID) -> HttpResponse:
    app = selectors.owned_application(request.user, public_id)
    return _shop_page(request, app, request.GET)


@login_required
@require_POST
def enroll(request: HttpRequest, public_id: UUID) -> HttpResponse:
    app = selectors.owned_application(request.user, public_id)
    form = EnrollForm(request.POST)
    if not form.is_valid():
        return _shop_page(
            request,
            app,
            QueryDict(),
            error=_(
                "We could not read your choice. Please choose a plan again, and enter the tax "
                "credit to use as an amount of $0 or more."
            ),
            status=400,
        )
    data = form.cleaned_data
    try:
        enrollment = services.enroll(
            app,
            request.user,
            data["plan_id"],
            data["aptc"],
            data["idempotency_key"],
            group=data["group"],
        )
    except services.EnrollmentError as exc:
        if exc.code in (services.ErrorCode.NOT_FOUND, services.ErrorCode.NOT_DETERMINED):
            raise Http404 from None
        query = QueryDict(mutable=True)
        query["choose"] = data["plan_id"]
        if data["group"] is not None:
            query["group"] = str(data["group"])
        if data["aptc"] is not None:
            query["aptc"] = f"{data['aptc']:.2f}"
        return _shop_page(request, app, query, error=exc.message, status=409)
    return redirect("enrollment:detail", public_id=enrollment.public_id)


@login_required
@require_GET
def detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    enrollment = selectors.owned_enrollment(request.user, public_id)
    return render(
        request,
        "enrollment/detail.html",
        {
            "enrollment": enrollment,
            "application": enrollment.application,
            "members": selectors.member_names(enrollment),
            "metal_label": METAL_LABELS.get(enrollment.metal_level, enrollment.metal_level),
        },
    )


# --- the shop page ---------------------------------------------------------------------------


def _shop_page(
    request: HttpRequest,
    app: Application,
    query: QueryDict,
    *,
    error: str | None = None,
    status: int = 200,
) -> HttpResponse:
    try:
        shop = selectors.shop_for(app, _group_number(query))
    except selectors.NoDetermination:
        raise Http404 from None
    except PlaceError:
        return render(
            request,
            "enrollment/shop.html",
            {"application": app, "place_problem": True, "error": error},
            status=status,
        )
    starts, closed = _coverage_start(shop)
    context: dict[str, Any] = {
        "application": app,
        "shop": shop,
        "enrollment_closed": closed,
        "result": shop.result,
        "error": error,
        "catalog_loaded": True,
        "active": selectors.active_enrollments(app, shop.member_ids) if shop.buyers else [],
        "group_choices": [
            (g, bool(selectors.active_enrollments(app, g.member_ids))) for g in shop.groups
        ]
        if len(shop.groups) > 1
        else [],
    }
    try:
        full = selectors.quotes(shop)
    except CatalogNotLoaded:
        context["catalog_loaded"] = False
        return render(request, "enrollment/shop.html", context, status=status)

    data = query.copy()
    if not str(data.get("aptc", "")).strip():
        data["aptc"] = f"{shop.aptc_max:.2f}"
    form = ShopForm(
        data,
        aptc_max=shop.aptc_max,
        metals=sorted({q.plan.metal_level for q in full}),
        plan_types=sorted({q.plan.plan_type for q in full}),
        issuers=sorted({(q.plan.issuer_id, q.plan.issuer_name) for q in full}),
        plan_ids=[q.plan.plan_id for q in full],
    )
    form.is_valid()
    cd = form.cleaned_data  # the fields that are valid (filters with errors are left out)
    requested: Decimal | None = cd.get("aptc")
    if requested is not None and requested >= shop.aptc_max:
        requested = None  # all of it
    priced = full if requested is None else selectors.quotes(shop, requested)
    full_pays = {q.plan.plan_id: q.net.enrollee_pays for q in full}
    compare_ids: list[str] = list(cd.get("compare") or [])
    rows = {
        q.plan.plan_id: Row(
            quote=q,
            change=q.net.enrollee_pays - full_pays.get(q.plan.plan_id, q.net.enrollee_pays),
            compared=q.plan.plan_id in compare_ids,
        )
        for q in priced
    }
    filters = {
        k: cd.get(k) for k in ("metal", "plan_type", "issuer", "max_price", "sort") if k in cd
    }
    shown = [rows[q.plan.plan_id] for q in filter_plans(list(priced), filters)]
    shown_ids = {r.plan.plan_id for r in shown}
    compared = [rows[i] for i in compare_ids if i in rows]
    applied = requested if requested is not None else shop.aptc_max
    context.update(
        {
            "form": form,
            "rows": shown,
            "plan_count": len(priced),
            "compared": compared,
            "compare_hidden": [r.plan.plan_id for r in compared if r.plan.plan_id not in shown_ids],
            "aptc_applied": applied,
            "aptc_unused": shop.aptc_max - applied,
            "partial_credit": requested is not None,
            "capped": form.capped,
            "max_change": max((r.change for r in rows.values()), default=ZERO),
            "review": _review(rows.get(str(cd.get("choose") or "")), requested, starts, closed),
        }
    )
    return render(request, "enrollment/shop.html", context, status=status)


def _group_number(query: QueryDict) -> int | None:
    """The enrollment group asked for (``?group=2``); None when missing or not a number."""
    raw = str(query.get("group", "")).strip()
    return int(raw) if raw.isdigit() and len(raw) <= 2 else None


def _coverage_start(shop: selectors.Shop) -> tuple[dt.date | None, str | None]:
    """When coverage would start for a plan chosen today, or why a plan cannot be chosen today."""
    try:
        return services.coverage_start(shop.result.coverage_year, services.current_date()), None
    except services.EnrollmentError as exc:
        return None, exc.message


def _review(
    row: Row | None, requested: Decimal | None, starts: dt.date | None, closed: str | None
) -> Review | None:
    if row is None:
        return None
    return Review(
        row=row,
        coverage_start=starts,
        problem=closed,
        idempotency_key=uuid.uuid4().hex,
        aptc=requested,
    )
