"""Shared set-up of the enrollment and notice tests: the demo catalog (loaded once per module),
users, and determined applications made with the ORM and the rules engine (not through the
applications app's services)."""

from __future__ import annotations

import copy
import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from apps.applications.models import Application
from apps.eligibility import selectors as eligibility
from apps.eligibility.models import EligibilityDetermination
from apps.plans.catalog import clear_cache
from apps.plans.models import CatalogImport, Crosswalk, Issuer, Plan, Rate, ServiceArea
from rules import RULES_VERSION, Determination, determine, parse_household
from rules.reasons import Reason

ROOT = Path(__file__).resolve().parents[2]

#: Two parents (ConnectorCare Plan Type 3A) and two children (MassHealth / CHIP) in Boston.
FAMILY: dict[str, Any] = {
    "coverage_year": 2026,
    "address": {"state": "MA", "county_fips": "25025", "zip": "02118"},
    "members": [
        {
            "id": "p1",
            "name": "Ana",
            "date_of_birth": "1985-06-01",
            "sex": "female",
            "tax": {"filer": True, "filing_status": "married_filing_jointly", "spouse_id": "p2"},
            "incomes": [{"type": "wages", "amount": 65000, "frequency": "yearly"}],
        },
        {
            "id": "p2",
            "name": "Ben",
            "date_of_birth": "1987-06-01",
            "sex": "male",
            "tax": {"filer": True, "filing_status": "married_filing_jointly", "spouse_id": "p1"},
        },
        {"id": "p3", "name": "Caro", "date_of_birth": "2015-06-01", "tax": {"claimed_by": "p1"}},
        {"id": "p4", "name": "Dani", "date_of_birth": "2018-06-01", "tax": {"claimed_by": "p1"}},
    ],
    "relationships": [
        {"from": "p1", "to": "p2", "type": "spouse"},
        {"from": "p1", "to": "p3", "type": "parent"},
        {"from": "p1", "to": "p4", "type": "parent"},
        {"from": "p2", "to": "p3", "type": "parent"},
        {"from": "p2", "to": "p4", "type": "parent"},
    ],
}

#: One adult of 58 in Worcester with income above the ConnectorCare limit: a plan with the credit.
SINGLE: dict[str, Any] = {
    "coverage_year": 2026,
    "address": {"state": "MA", "county_fips": "25027", "zip": "01608"},
    "members": [
        {
            "id": "p1",
            "name": "Rosa",
            "date_of_birth": "1967-09-15",
            "sex": "female",
            "tax": {"filer": True, "filing_status": "single"},
            "incomes": [{"type": "wages", "amount": 52000, "frequency": "yearly"}],
        }
    ],
    "relationships": [],
}

_numbers = itertools.count(1)


@pytest.fixture(scope="module")
def demo_catalog(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The demo catalog of 2026 and 2027, loaded once for the module and removed afterwards."""
    with django_db_blocker.unblock():
        for year in (2026, 2027):
            call_command(
                "plans",
                "import",
                str(ROOT / f"data/catalog/ma/{year}"),
                "--year",
                str(year),
                verbosity=0,
            )
        clear_cache()
        yield
        for model in (Rate, Crosswalk, Plan, ServiceArea, Issuer, CatalogImport):
            model.objects.all().delete()
        clear_cache()


def household(base: dict[str, Any], year: int = 2026) -> dict[str, Any]:
    data = copy.deepcopy(base)
    data["coverage_year"] = year
    return data


def make_user(email: str) -> Any:
    return get_user_model().objects.create_user(
        username=email.split("@")[0], email=email, password="a-long-test-password"
    )


def make_application(
    owner: Any,
    data: dict[str, Any],
    *,
    language: str = "en",
    status: str = Application.Status.DETERMINED,
    figures: bool = True,
) -> Application:
    """A submitted application with its stored determination, as the submit would leave it
    (``figures``: each reason's figures stored beside its text, as apps.eligibility.services
    stores them)."""
    year = int(data["coverage_year"])
    number = next(_numbers)
    app = Application.objects.create(
        owner=owner,
        coverage_year=year,
        status=status,
        current_step="review",
        language=language,
        confirmation_number=f"MA-TEST-{number:05d}" if status != "draft" else None,
        submitted_at=timezone.now() if status != "draft" else None,
        signature="Test Signer",
    )
    if status == Application.Status.DETERMINED:
        params = eligibility.parameters()
        d = determine(parse_household(data), params, eligibility.benchmark_source())
        EligibilityDetermination.objects.create(
            application=app,
            coverage_year=year,
            rules_version=RULES_VERSION,
            parameters_version=params.version,
            household=data,
            result=stored_result(d) if figures else d.as_dict(),
        )
    return app


def stored_result(d: Determination) -> dict[str, Any]:
    """``d.as_dict()`` with each reason's figures beside its text (Decimal as an exact string, a
    tuple as a list)."""
    stored = d.as_dict()
    reasons: list[tuple[list[dict[str, Any]], tuple[Reason, ...]]] = [
        (m_json["reasons"], m.reasons)
        for m_json, m in zip(stored["members"], d.members, strict=True)
    ]
    reasons += [
        (t_json["reasons"], t.reasons)
        for t_json, t in zip(stored["tax_households"], d.tax_households, strict=True)
    ]
    for as_json, objects in reasons:
        for reason_json, reason in zip(as_json, objects, strict=True):
            reason_json["figures"] = {k: _json(v) for k, v in reason.figures.items()}
    return stored


def _json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (tuple, list)):
        return [_json(v) for v in value]
    return value


@pytest.fixture
def alice(db: None) -> Any:
    return make_user("alice@example.org")


@pytest.fixture
def mallory(db: None) -> Any:
    return make_user("mallory@example.org")


@pytest.fixture
def family_app(demo_catalog: None, alice: Any) -> Application:
    return make_application(alice, household(FAMILY))


@pytest.fixture
def single_app(demo_catalog: None, alice: Any) -> Application:
    return make_application(alice, household(SINGLE))


@pytest.fixture
def application_factory(demo_catalog: None) -> Callable[..., Application]:
    return make_application


DEC_15 = dt.date(2025, 12, 15)
JAN_10 = dt.date(2026, 1, 10)
