"""The engine's answer: per member the program and reasons, per tax household the credit figures.

Results are immutable: named tuples for the many small records (cheap to build, and a determination
is built tens of thousands of times a second), a frozen dataclass for the whole."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any, NamedTuple

from rules.parameters import UsedParameter
from rules.reasons import Reason

#: Version of the rules code; stored with every determination beside the parameter version.
RULES_VERSION = "1.0.0"


class Program(StrEnum):
    MEDICAID = "medicaid"
    CHIP = "chip"
    MEDICAID_EMERGENCY = "medicaid_emergency"
    CONNECTORCARE = "connectorcare"
    QHP_WITH_APTC = "qhp_with_aptc"
    QHP = "qhp"
    NOT_ELIGIBLE = "not_eligible"
    NOT_APPLYING = "not_applying"


CSR_CMS_LABEL = {
    "73": "73% AV Level Silver Plan CSR",
    "87": "87% AV Level Silver Plan CSR",
    "94": "94% AV Level Silver Plan CSR",
    "zero": "Zero Cost Sharing",
    "limited": "Limited Cost Sharing",
}


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


class MedicaidHousehold(NamedTuple):
    """The member's Medicaid household (42 CFR 435.603(f)) and its income against the guideline."""

    member_ids: tuple[str, ...]
    size: int
    income: Decimal
    guideline: Decimal
    guideline_year: int
    fpl_percent: int  # truncated to a whole percent, for display


class MemberResult(NamedTuple):
    member_id: str
    age: int
    seeking_coverage: bool
    program: Program
    medicaid_category: str | None
    medicaid_household: MedicaidHousehold | None
    qhp_eligible: bool
    aptc_eligible: bool
    csr: str | None  # "94" | "87" | "73" | "zero" | "limited"
    csr_variant: str | None  # plan variant suffix: "06", "05", "04", "02", "03"
    connectorcare_plan_type: str | None
    connectorcare_contribution: Decimal | None  # per month, lowest-cost ConnectorCare plan
    chip_premium: Decimal | None  # per month for this child (family cap applied to the household)
    tax_household: int | None
    reasons: tuple[Reason, ...]

    @property
    def is_medicaid_chip(self) -> bool:
        return self.program in (Program.MEDICAID, Program.CHIP)

    def as_dict(self) -> dict[str, Any]:
        mh = self.medicaid_household
        return {
            "id": self.member_id,
            "age": self.age,
            "seeking_coverage": self.seeking_coverage,
            "program": self.program.value,
            "medicaid_category": self.medicaid_category,
            "medicaid_household": None
            if mh is None
            else {
                "members": list(mh.member_ids),
                "size": mh.size,
                "income": float(mh.income),
                "guideline": float(mh.guideline),
                "guideline_year": mh.guideline_year,
                "fpl_percent": mh.fpl_percent,
            },
            "qhp_eligible": self.qhp_eligible,
            "aptc_eligible": self.aptc_eligible,
            "csr": self.csr,
            "csr_variant": self.csr_variant,
            "connectorcare_plan_type": self.connectorcare_plan_type,
            "connectorcare_contribution": _num(self.connectorcare_contribution),
            "chip_premium": _num(self.chip_premium),
            "tax_household": self.tax_household,
            "reasons": [r.as_dict() for r in self.reasons],
        }


class TaxHouseholdResult(NamedTuple):
    number: int  # position in Determination.tax_households
    member_ids: tuple[str, ...]
    filer_ids: tuple[str, ...]
    size: int
    income: Decimal  # household income, 26 USC 36B(d)(2)
    guideline: Decimal
    guideline_year: int
    fpl_percent: int  # truncated to a whole percent (Form 8962 line 5)
    applicable_percentage: Decimal | None  # fraction, rounded to 4 places (Form 8962 line 7)
    expected_contribution_annual: Decimal | None  # whole dollars (line 8a)
    expected_contribution_monthly: Decimal | None  # whole dollars (line 8b)
    benchmark_monthly: Decimal | None  # second-lowest-cost silver plan for the APTC members
    max_aptc_monthly: Decimal  # benchmark - contribution, not below zero, cents
    aptc_member_ids: tuple[str, ...]
    reasons: tuple[Reason, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "index": self.number,
            "members": list(self.member_ids),
            "filers": list(self.filer_ids),
            "size": self.size,
            "income": float(self.income),
            "guideline": float(self.guideline),
            "guideline_year": self.guideline_year,
            "fpl_percent": self.fpl_percent,
            "applicable_percentage": _num(self.applicable_percentage),
            "expected_contribution_annual": _num(self.expected_contribution_annual),
            "expected_contribution_monthly": _num(self.expected_contribution_monthly),
            "benchmark_monthly": _num(self.benchmark_monthly),
            "max_aptc_monthly": float(self.max_aptc_monthly),
            "aptc_members": list(self.aptc_member_ids),
            "reasons": [r.as_dict() for r in self.reasons],
        }


@dataclass(frozen=True, slots=True)
class Determination:
    coverage_year: int
    coverage_start: dt.date
    rules_version: str
    parameters_version: str
    provisional: tuple[UsedParameter, ...]  # parameters used that are not yet confirmed
    members: tuple[MemberResult, ...]
    tax_households: tuple[TaxHouseholdResult, ...]

    def member(self, member_id: str) -> MemberResult:
        for m in self.members:
            if m.member_id == member_id:
                return m
        raise KeyError(member_id)

    def tax_household_of(self, member_id: str) -> TaxHouseholdResult | None:
        index = self.member(member_id).tax_household
        return None if index is None else self.tax_households[index]

    def as_dict(self) -> dict[str, Any]:
        return {
            "coverage_year": self.coverage_year,
            "coverage_start": self.coverage_start.isoformat(),
            "rules_version": self.rules_version,
            "parameters": {
                "coverage_year": self.coverage_year,
                "version": self.parameters_version,
                "provisional": [
                    {"name": p.name, "since": p.start.isoformat(), "note": p.provisional}
                    for p in self.provisional
                ],
            },
            "members": [m.as_dict() for m in self.members],
            "tax_households": [t.as_dict() for t in self.tax_households],
        }

    def as_cms_estimates(self, member_ids: list[str] | None = None) -> dict[str, Any]:
        """``{"estimates": [...]}`` as the CMS Marketplace API answers an eligibility estimate:
        per person ``aptc`` (the household's maximum monthly credit), ``csr`` and
        ``is_medicaid_chip``."""
        ids = member_ids or [m.member_id for m in self.members]
        estimates = []
        for member_id in ids:
            m = self.member(member_id)
            th = self.tax_household_of(member_id)
            aptc = float(th.max_aptc_monthly) if th is not None and m.aptc_eligible else 0.0
            estimates.append(
                {
                    "aptc": aptc,
                    "csr": CSR_CMS_LABEL.get(m.csr) if m.csr else None,
                    "hardship_exemption": False,
                    "is_medicaid_chip": m.is_medicaid_chip,
                }
            )
        return {"estimates": estimates}
