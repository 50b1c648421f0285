"""Reads for applications: the owner's application, the steps' progress, the review of all
answers, and the results of a determination in the person's language. No writes here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from apps.applications.forms import FREQUENCIES, context_from
from apps.applications.models import Application
from apps.applications.steps import (
    DEDUCTION_TYPES,
    FILING_STATUSES,
    FIVE_YEAR_BAR,
    IMMIGRATION_STATUSES,
    INCOME_TYPES,
    RELATIONS,
    REVIEW,
    STEP_TITLES,
    STEPS,
    checked_answers,
)
from apps.eligibility.models import EligibilityDetermination
from rules.reasons import MONEY_KEYS, NUMBER_KEYS, Code, Reason, money


def applications_of(user: Any) -> QuerySet[Application]:
    """The person's applications, newest first."""
    return Application.objects.filter(owner=user).order_by("-created_at")


def application_for(user: Any, public_id: Any) -> Application:
    """The application with this id if ``user`` owns it; 404 otherwise (whether or not it
    exists: the id's existence is not revealed)."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    try:
        return Application.objects.get(public_id=public_id, owner=user)
    except Application.DoesNotExist:
        raise Http404 from None


def optional_url(name: str, *args: Any) -> str | None:
    """The URL of a page another app may not have wired yet (None until it is)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


# --- progress -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StepLink:
    step: str
    number: int
    title: str
    url: str
    complete: bool
    current: bool


def step_links(application: Application, current: str) -> list[StepLink]:
    """Every step with its state, for the step indicator and the list of steps."""
    answers = checked_answers(application.data, application.coverage_year)
    links = []
    for number, step in enumerate((*STEPS, REVIEW), start=1):
        url = (
            reverse("applications:review", args=[application.public_id])
            if step == REVIEW
            else reverse("applications:step", args=[application.public_id, step])
        )
        links.append(
            StepLink(
                step=step,
                number=number,
                title=str(STEP_TITLES[step]),
                url=url,
                complete=step != REVIEW and answers.get(step) is not None,
                current=step == current,
            )
        )
    return links


# --- review ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    value: str


@dataclass(slots=True)
class Section:
    step: str
    title: str
    url: str
    complete: bool
    rows: list[Row] = field(default_factory=list)


def _label(choices: Any, value: Any) -> str:
    return str(dict(choices).get(value, value or ""))


def _yes(value: bool) -> str:
    return _("Yes") if value else _("No")


def _date(iso: str) -> str:
    try:
        return str(formats.date_format(dt.date.fromisoformat(iso), "DATE_FORMAT"))
    except ValueError:
        return iso


def _names(ids: list[str], names: dict[str, str]) -> str:
    return ", ".join(names.get(i, i) for i in ids) or pgettext("nobody", "No one")


def _amount(value: Any) -> str:
    return money(Decimal(str(value)))


def review_sections(application: Application) -> list[Section]:
    """All answers, step by step, as label/value rows with a link to change each step; a step
    whose answers are missing or no longer fit the household is marked incomplete."""
    year = application.coverage_year
    answers = checked_answers(application.data, year)
    context = context_from(application.data, year)
    names = {p.id: p.name for p in context.people}
    sections = []
    for step in STEPS:
        a = answers.get(step)
        section = Section(
            step=step,
            title=str(STEP_TITLES[step]),
            url=reverse("applications:step", args=[application.public_id, step]) + "?return=review",
            complete=a is not None,
        )
        if a is not None:
            section.rows = _ROWS[step](a, names, year)
        sections.append(section)
    return sections


def _people_rows(a: dict[str, Any], names: dict[str, str], year: int) -> list[Row]:
    rows = []
    for m in a["members"]:
        name = f"{m['first_name']} {m['last_name']}"
        sex = _("Female") if m["sex"] == "female" else _("Male")
        needs = _("needs coverage") if m["seeking_coverage"] else _("does not need coverage")
        rows.append(Row(name, f"{_('Born')} {_date(m['date_of_birth'])} · {sex} · {needs}"))
    for r in a["relationships"]:
        rows.append(
            Row(
                _("How %(b)s is related to %(a)s")
                % {"b": names.get(r["from"], r["from"]), "a": names.get(r["to"], r["to"])},
                _label(RELATIONS, r["relation"]),
            )
        )
    return rows


def _tax_rows(a: dict[str, Any], names: dict[str, str], year: int) -> list[Row]:
    rows = []
    for mid, t in a["members"].items():
        if t["filer"]:
            value = _("Files a %(year)s tax return: %(status)s") % {
                "year": year,
                "status": _label(FILING_STATUSES, t["filing_status"]),
            }
            if t.get("joint_with"):
                value += " " + _("with %(name)s") % {"name": names.get(t["joint_with"], "")}
        else:
            value = _("Does not file a %(year)s tax return") % {"year": year}
        if t.get("claimed_by"):
            value += " · " + _("claimed as a dependent by %(name)s") % {
                "name": names.get(t["claimed_by"], "")
            }
        rows.append(Row(names.get(mid, mid), value))
    return rows


def _address_rows(a: dict[str, Any], names: dict[str, str], year: int) -> list[Row]:
    home = a["home"]
    lines = [
        home["street"],
        home.get("street2", ""),
        f"{home['city']}, {home['state']} {home['zip']}",
    ]
    rows = [
        Row(_("Home address"), ", ".join(x for x in lines if x)),
        Row(_("County"), home["county_name"]),
    ]
    if a["mailing_same"]:
        rows.append(Row(_("Mailing address"), _("Same as home address")))
    else:
        m = a["mailing"]
        lines = [m["street"], m.get("street2", ""), f"{m['city']}, {m['state']} {m['zip']}"]
        rows.append(Row(_("Mailing address"), ", ".join(x for x in lines if x)))
    return rows


def _immigration_rows(a: dict[str, Any], names: dict[str, str], year: int) -> list[Row]:
    rows = []
    for mid, s in a["members"].items():
        value = _label(IMMIGRATION_STATUSES, s["status"])
        if s["status"] in FIVE_YEAR_BAR:
            value += " · " + _("5 years or more: %(answer)s") % {
                "answer": _yes(s["five_year_bar_met"])
            }
        rows.append(Row(names.get(mid, mid), value))
    return rows


def _circumstances_rows(a: dict[str, Any], names: dict[str, str], year: int) -> list[Row]:
    pregnant = [f"{names.get(m, m)} ({a['expected_children'].get(m, 1)})" for m in a["pregnant"]]
    return [
        Row(
            _("American Indian or Alaska Native"),
            _names(a["american_indian_alaska_native"], names),
        ),
        Row(_("In jail or prison"), _names(a["incarcerated"], names)),
        Row(_("Waiting for charges to be decided"), _names(a["pending_disposition"], names)),
        Row(
            _("Pregnant (babies expected)"),
            ", ".join(pregnant) or pgettext("nobody", "No one"),
        ),
        Row(_("Disability or blindness"), _names(a["blind_or_disabled"], names)),
    ]


def _money_rows(rows: list[dict[str, Any]], types: Any) -> str:
    return "; ".join(
        f"{_label(types, r['type'])}: {_amount(r['amount'])} "
        f"({_label(FREQUENCIES, r['frequency']).lower()})"
        for r in rows
    )


def _income_rows(a: dict[str, Any], names: dict[str, str], year: int) -> list[Row]:
    rows = []
    for mid, person in a["members"].items():
        value = _money_rows(person["incomes"], INCOME_TYPES) or _("No income")
        if person["deductions"]:
            value += " · " + _("Deductions: %(list)s") % {
                "list": _money_rows(person["deductions"], DEDUCTION_TYPES)
            }
        rows.append(Row(names.get(mid, mid), value))
    return rows


def _coverage_rows(a: dict[str, Any], names: dict[str, str], year: int) -> list[Row]:
    rows = [
        Row(_("Medicare"), _names(a["medicare"], names)),
        Row(
            _("Other health coverage in %(year)s") % {"year": year},
            _names(a["other_coverage"], names),
        ),
    ]
    if not a["offers"]:
        rows.append(Row(_("Offers of job-based coverage"), pgettext("nobody", "No one")))
    for mid, offer in a["offers"].items():
        how_often = _label(FREQUENCIES, offer["frequency"]).lower()
        value = _("Employee only: %(amount)s (%(often)s)") % {
            "amount": _amount(offer["employee_only_premium"]),
            "often": how_often,
        }
        if offer.get("family_premium") is not None:
            value += " · " + _("Family: %(amount)s (%(often)s)") % {
                "amount": _amount(offer["family_premium"]),
                "often": how_often,
            }
        value += " · " + _("Meets minimum value: %(answer)s") % {
            "answer": _label(
                (("yes", _("Yes")), ("no", _("No")), ("unknown", _("I don't know"))),
                offer.get("minimum_value_answer") or ("yes" if offer["minimum_value"] else "no"),
            )
        }
        rows.append(
            Row(_("Job-based coverage offered to %(name)s") % {"name": names.get(mid, mid)}, value)
        )
    return rows


_ROWS = {
    "people": _people_rows,
    "tax": _tax_rows,
    "address": _address_rows,
    "immigration": _immigration_rows,
    "circumstances": _circumstances_rows,
    "income": _income_rows,
    "coverage": _coverage_rows,
}


# --- results --------------------------------------------------------------------------------------

MASSHEALTH_PROGRAMS = frozenset({"medicaid", "chip"})
MARKETPLACE_PROGRAMS = frozenset({"connectorcare", "qhp_with_aptc", "qhp"})


def stored_reason(reason_json: dict[str, Any]) -> Reason | None:
    """A stored reason (code, text, figures) as a :class:`Reason`, to render in any language;
    None when it has no figures or an unknown code."""
    figures = reason_json.get("figures")
    try:
        code = Code(str(reason_json.get("code")))
    except ValueError:
        return None
    if not isinstance(figures, dict):
        return None
    decoded: dict[str, Any] = {}
    for key, value in figures.items():
        if isinstance(value, list):
            value = tuple(value)
        elif isinstance(value, str) and (
            key in MONEY_KEYS or key in NUMBER_KEYS or key == "figure"
        ):
            value = Decimal(value)
        decoded[key] = value
    return Reason(code, decoded)


def reason_text(reason_json: dict[str, Any], language: str) -> str:
    """A stored reason's sentence in ``language`` (the stored English text if it cannot be
    rendered again)."""
    found = stored_reason(reason_json)
    if found is None:
        return str(reason_json.get("text", ""))
    try:
        return found.text_in(language)
    except (KeyError, IndexError, ValueError):
        return str(reason_json.get("text", ""))


def program_label(member: dict[str, Any]) -> str:
    program = member.get("program")
    if program == "medicaid":
        if member.get("medicaid_category") == "adult":
            return _("MassHealth CarePlus")
        return _("MassHealth Standard")
    if program == "chip":
        return _("MassHealth Family Assistance (CHIP)")
    if program == "medicaid_emergency":
        return _("MassHealth Limited (emergency services only)")
    if program == "connectorcare":
        return _("ConnectorCare Plan Type %(type)s") % {
            "type": member.get("connectorcare_plan_type")
        }
    if program == "qhp_with_aptc":
        return _("A health plan with the premium tax credit")
    if program == "qhp":
        return _("A health plan at full price")
    if program == "not_applying":
        return _("Not applying for coverage")
    return _("Not eligible for coverage through the exchange")


def csr_label(csr: str | None) -> str:
    if csr in ("73", "87", "94"):
        return _(
            "Silver plans with lower deductibles and copays (%(level)s%% cost-sharing reduction)"
        ) % {"level": csr}
    if csr == "zero":
        return _("No deductibles or copays in any plan (zero cost sharing)")
    if csr == "limited":
        return _("No cost sharing for care from Indian health providers (limited cost sharing)")
    return ""


@dataclass(frozen=True, slots=True)
class MemberOutcome:
    member_id: str
    name: str
    age: int
    program: str
    program_label: str
    masshealth: bool
    marketplace: bool
    aptc_eligible: bool
    csr: str
    connectorcare_contribution: Decimal | None
    chip_premium: Decimal | None
    reasons: list[str]


@dataclass(frozen=True, slots=True)
class TaxHouseholdOutcome:
    names: list[str]
    size: int
    income: Decimal
    fpl_percent: int
    max_aptc_monthly: Decimal
    expected_contribution_monthly: Decimal | None
    benchmark_monthly: Decimal | None
    aptc_names: list[str]
    reasons: list[str]


@dataclass(frozen=True, slots=True)
class Results:
    application: Application
    determination: EligibilityDetermination | None
    members: list[MemberOutcome]
    tax_households: list[TaxHouseholdOutcome]
    masshealth: list[MemberOutcome]
    marketplace: list[MemberOutcome]
    shop_url: str | None
    notice_url: str | None

    @property
    def determined(self) -> bool:
        return self.determination is not None


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def results(application: Application, language: str) -> Results:
    """The stored determination of a submitted application, for the results page (and the
    notice): per member the program, the sentences in ``language`` and the figures."""
    try:
        determination: EligibilityDetermination | None = application.determination
    except EligibilityDetermination.DoesNotExist:
        determination = None
    members: list[MemberOutcome] = []
    households: list[TaxHouseholdOutcome] = []
    if determination is not None:
        names = {m["id"]: m.get("name") or m["id"] for m in determination.household["members"]}
        for m in determination.result["members"]:
            program = m["program"]
            members.append(
                MemberOutcome(
                    member_id=m["id"],
                    name=names.get(m["id"], m["id"]),
                    age=m["age"],
                    program=program,
                    program_label=program_label(m),
                    masshealth=program in MASSHEALTH_PROGRAMS,
                    marketplace=program in MARKETPLACE_PROGRAMS,
                    aptc_eligible=bool(m["aptc_eligible"]),
                    csr=csr_label(m.get("csr")),
                    connectorcare_contribution=_decimal(m.get("connectorcare_contribution")),
                    chip_premium=_decimal(m.get("chip_premium")),
                    reasons=[reason_text(r, language) for r in m["reasons"]],
                )
            )
        for t in determination.result["tax_households"]:
            households.append(
                TaxHouseholdOutcome(
                    names=[names.get(i, i) for i in t["members"]],
                    size=t["size"],
                    income=Decimal(str(t["income"])),
                    fpl_percent=t["fpl_percent"],
                    max_aptc_monthly=Decimal(str(t["max_aptc_monthly"])),
                    expected_contribution_monthly=_decimal(t.get("expected_contribution_monthly")),
                    benchmark_monthly=_decimal(t.get("benchmark_monthly")),
                    aptc_names=[names.get(i, i) for i in t["aptc_members"]],
                    reasons=[reason_text(r, language) for r in t["reasons"]],
                )
            )
    marketplace = [m for m in members if m.marketplace]
    return Results(
        application=application,
        determination=determination,
        members=members,
        tax_households=[t for t in households if t.aptc_names],
        masshealth=[m for m in members if m.masshealth],
        marketplace=marketplace,
        shop_url=optional_url("enrollment:shop", application.public_id) if marketplace else None,
        notice_url=optional_url("notices:eligibility", application.public_id)
        if determination is not None
        else None,
    )
