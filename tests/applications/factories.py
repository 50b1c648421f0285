"""Households as application answers, step by step, for the service, view and browser tests.

Each ``*_answers()`` returns ``{step: answers}`` in the shape ``Application.data[step]`` holds
(each step form's ``answers()``); ``make_application`` saves them through the services, and
``post_data(step, answers, application)`` gives the form fields a browser would post for them.

Households (coverage year 2026; PTC guideline 2025: $15,650 + $5,500 a person; MassHealth guideline
2026: $15,960 + $5,680):

- ``family_180``: married couple filing jointly with two children, $58,000 (180% FPL): children on
  CHIP, parents ConnectorCare Plan Type 2B.
- ``single_220``: one adult, $34,500 (220% FPL): premium tax credit and 73% CSR (ConnectorCare 3A).
- ``couple_above_400``: married couple, $100,000 (472% FPL): no credit in 2026, a plan at full
  price.
- ``employer_employee_only``: a couple and a child, $60,000; the first spouse's job offers
  employee-only coverage at $100 a month (affordable) and family coverage at $900 a month (not):
  the employee gets no credit, the spouse does, the child gets CHIP.
- ``masshealth_120``: a parent and two children, $32,000 (117% of the MassHealth guideline): all
  MassHealth.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model

from apps.applications import services
from apps.applications.forms import context_from
from apps.applications.models import Application
from apps.applications.steps import STEP_FORMS, STEPS

Answers = dict[str, dict[str, Any]]
YEAR = 2026
BOSTON: dict[str, Any] = {
    "home": {
        "street": "1 Washington Street",
        "street2": "",
        "city": "Boston",
        "state": "MA",
        "zip": "02118",
        "county_fips": "25025",
        "county_name": "Suffolk County",
    },
    "mailing_same": True,
    "mailing": None,
}


def person(
    mid: str,
    first: str,
    last: str,
    born: str,
    sex: str,
    seeking: bool = True,
) -> dict[str, Any]:
    return {
        "id": mid,
        "first_name": first,
        "last_name": last,
        "date_of_birth": born,
        "sex": sex,
        "seeking_coverage": seeking,
    }


def people(
    members: list[dict[str, Any]], relations: Mapping[tuple[str, str], str]
) -> dict[str, Any]:
    """The people step: ``relations[(a, b)]`` = "b is a's ___" for every pair, a listed first."""
    ids = [m["id"] for m in members]
    rels = []
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            rels.append({"from": b, "to": a, "relation": relations[(a, b)]})
    return {"members": members, "relationships": rels}


def tax(**members: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for mid, t in members.items():
        out[mid] = {
            "filer": t.get("filer", False),
            "filing_status": t.get("filing_status"),
            "joint_with": t.get("joint_with"),
            "mfs_exception": t.get("mfs_exception", False),
            "claimed_by": t.get("claimed_by"),
        }
    return {"members": out}


def filer(status: str = "single", joint_with: str | None = None) -> dict[str, Any]:
    return {"filer": True, "filing_status": status, "joint_with": joint_with}


def dependent(of: str) -> dict[str, Any]:
    return {"filer": False, "claimed_by": of}


def citizens(*ids: str) -> dict[str, Any]:
    return {"members": {m: {"status": "citizen", "five_year_bar_met": True} for m in ids}}


def no_circumstances() -> dict[str, Any]:
    return {
        "american_indian_alaska_native": [],
        "incarcerated": [],
        "pending_disposition": [],
        "pregnant": [],
        "blind_or_disabled": [],
        "expected_children": {},
    }


def income(ids: list[str], **wages: str) -> dict[str, Any]:
    """Yearly wages by member id (others no income)."""
    return {
        "members": {
            m: {
                "incomes": [{"type": "wages", "amount": wages[m], "frequency": "yearly"}]
                if m in wages
                else [],
                "deductions": [],
            }
            for m in ids
        }
    }


def no_coverage() -> dict[str, Any]:
    return {"medicare": [], "other_coverage": [], "offers": {}}


def family_180() -> Answers:
    ids = ["m1", "m2", "m3", "m4"]
    return {
        "people": people(
            [
                person("m1", "Ana", "Silva", "1986-03-01", "female"),
                person("m2", "Ben", "Silva", "1984-07-15", "male"),
                person("m3", "Carla", "Silva", "2014-05-20", "female"),
                person("m4", "Davi", "Silva", "2017-09-02", "male"),
            ],
            {
                ("m1", "m2"): "spouse",
                ("m1", "m3"): "child",
                ("m1", "m4"): "child",
                ("m2", "m3"): "child",
                ("m2", "m4"): "child",
                ("m3", "m4"): "sibling",
            },
        ),
        "tax": tax(
            m1=filer("married_filing_jointly", "m2"),
            m2=filer("married_filing_jointly", "m1"),
            m3=dependent("m1"),
            m4=dependent("m1"),
        ),
        "address": copy.deepcopy(BOSTON),
        "immigration": citizens(*ids),
        "circumstances": no_circumstances(),
        "income": income(ids, m1="58000"),
        "coverage": no_coverage(),
    }


def single_220() -> Answers:
    return {
        "people": people([person("m1", "Rosa", "Lima", "1990-05-01", "female")], {}),
        "tax": tax(m1=filer()),
        "address": copy.deepcopy(BOSTON),
        "immigration": citizens("m1"),
        "circumstances": no_circumstances(),
        "income": income(["m1"], m1="34500"),
        "coverage": no_coverage(),
    }


def couple_above_400() -> Answers:
    ids = ["m1", "m2"]
    return {
        "people": people(
            [
                person("m1", "Joan", "Park", "1972-02-10", "female"),
                person("m2", "Sam", "Park", "1970-11-30", "male"),
            ],
            {("m1", "m2"): "spouse"},
        ),
        "tax": tax(
            m1=filer("married_filing_jointly", "m2"), m2=filer("married_filing_jointly", "m1")
        ),
        "address": copy.deepcopy(BOSTON),
        "immigration": citizens(*ids),
        "circumstances": no_circumstances(),
        "income": income(ids, m1="60000", m2="40000"),
        "coverage": no_coverage(),
    }


def employer_employee_only() -> Answers:
    ids = ["m1", "m2", "m3"]
    return {
        "people": people(
            [
                person("m1", "Luis", "Ortiz", "1985-01-20", "male"),
                person("m2", "Marta", "Ortiz", "1987-06-11", "female"),
                person("m3", "Nico", "Ortiz", "2016-03-03", "male"),
            ],
            {("m1", "m2"): "spouse", ("m1", "m3"): "child", ("m2", "m3"): "child"},
        ),
        "tax": tax(
            m1=filer("married_filing_jointly", "m2"),
            m2=filer("married_filing_jointly", "m1"),
            m3=dependent("m1"),
        ),
        "address": copy.deepcopy(BOSTON),
        "immigration": citizens(*ids),
        "circumstances": no_circumstances(),
        "income": income(ids, m1="60000"),
        "coverage": {
            "medicare": [],
            "other_coverage": [],
            "offers": {
                "m1": {
                    "employee_only_premium": "100",
                    "family_premium": "900",
                    "frequency": "monthly",
                    "minimum_value": True,
                    "minimum_value_answer": "yes",
                }
            },
        },
    }


def masshealth_120() -> Answers:
    ids = ["m1", "m2", "m3"]
    return {
        "people": people(
            [
                person("m1", "Dana", "Reyes", "1992-08-08", "female"),
                person("m2", "Eli", "Reyes", "2015-04-04", "male"),
                person("m3", "Fay", "Reyes", "2019-10-10", "female"),
            ],
            {("m1", "m2"): "child", ("m1", "m3"): "child", ("m2", "m3"): "sibling"},
        ),
        "tax": tax(m1=filer("head_of_household"), m2=dependent("m1"), m3=dependent("m1")),
        "address": copy.deepcopy(BOSTON),
        "immigration": citizens(*ids),
        "circumstances": no_circumstances(),
        "income": income(ids, m1="32000"),
        "coverage": no_coverage(),
    }


HOUSEHOLDS = {
    "family_180": family_180,
    "single_220": single_220,
    "couple_above_400": couple_above_400,
    "employer_employee_only": employer_employee_only,
    "masshealth_120": masshealth_120,
}


def make_user(email: str = "ana@example.com", password: str = "a-long-test-password") -> Any:
    return get_user_model().objects.create_user(username=email, email=email, password=password)


def make_application(
    user: Any, answers: Answers | None = None, year: int = YEAR, steps: tuple[str, ...] = STEPS
) -> Application:
    """A draft with ``steps`` answered through ``services.save_step``."""
    application = services.start_application(user, year)
    for step in steps:
        if answers is not None and step in answers:
            services.save_step(application, step, answers[step], user)
    return application


def signature_of(answers: Answers) -> str:
    first = answers["people"]["members"][0]
    return f"{first['first_name']} {first['last_name']}"


def post_data(step: str, answers: Mapping[str, Any], application: Application) -> dict[str, Any]:
    """The form fields that a browser posts for ``answers`` on ``step`` of ``application``
    (checkbox groups as lists; booleans as "on" or absent)."""
    context = context_from(application.data, application.coverage_year)
    if step == "people":
        context = context_from({"people": answers}, application.coverage_year)
    data = STEP_FORMS[step].to_data(answers, context)
    out: dict[str, Any] = {}
    for name, value in data.items():
        if value is True:
            out[name] = "on"
        elif value is False or value is None:
            continue
        else:
            out[name] = value
    return out
