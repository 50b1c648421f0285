"""Compare the engine with PolicyEngine-US answers recorded in tests/rules/fixtures/policyengine_ma.json.

The fixture is produced by scripts/differential/generate_policyengine_fixture.py (run by hand with
PolicyEngine-US installed in its own virtual environment; see docs/rules/policyengine-differential.md).
PolicyEngine is not a dependency of the exchange or of the test command.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from rules import FixedBenchmark, Program, determine, load_parameters, parse_household

FIXTURE = Path(__file__).parent / "fixtures" / "policyengine_ma.json"
DIFFERENCES = Path(__file__).parent / "fixtures" / "policyengine_differences.yaml"
CREDIT_TOLERANCE = Decimal("1.00")  # dollars a month
FIGURE_TOLERANCE = 0.00006  # the engine rounds the applicable figure to 4 places (Form 8962)


@dataclass(frozen=True)
class Disagreement:
    household: str
    field: str  # e.g. "p2.medicaid", "tax_household[p1].ptc_monthly"
    ours: Any
    theirs: Any

    @property
    def key(self) -> str:
        return f"{self.household}:{self.field}"


def load_fixture() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FIXTURE.read_text())
    return data


def documented_differences() -> dict[str, dict[str, str]]:
    """Known differences, one by one: ``{household: {field: legal reason}}``."""
    if not DIFFERENCES.exists():
        return {}
    raw = yaml.safe_load(DIFFERENCES.read_text()) or {}
    return {
        str(k): {str(f): str(r) for f, r in v.items()} for k, v in raw.get("households", {}).items()
    }


def compare_household(
    case: dict[str, Any], d: Any = None
) -> tuple[list[Disagreement], dict[str, int]]:
    """Run the engine on one fixture household and list every disagreement with PolicyEngine."""
    if d is None:
        d = _run(case["household"], case)
    out: list[Disagreement] = []
    counts = {"members": 0, "tax_households": 0, "credits": 0}
    hid = case["id"]
    for mid, pe in case["members"].items():
        m = d.member(mid)
        counts["members"] += 1
        ours = {
            "medicaid": m.program is Program.MEDICAID,
            "chip": m.program is Program.CHIP,
            "ptc_eligible": m.aptc_eligible,
        }
        for key, value in ours.items():
            if bool(pe[key]) != value:
                out.append(Disagreement(hid, f"{mid}.{key}", value, pe[key]))
    for pe_th in case["tax_households"]:
        members = set(pe_th["members"])
        ours_th = next((t for t in d.tax_households if set(t.member_ids) == members), None)
        label = f"tax_household[{','.join(sorted(members))}]"
        if ours_th is None:
            if pe_th.get("filer", True):
                out.append(Disagreement(hid, f"{label}.exists", None, sorted(members)))
            continue
        counts["tax_households"] += 1
        pe_fpl = pe_th.get("fpl_percent")
        if pe_fpl is not None and math.floor(float(pe_fpl) + 1e-9) != ours_th.fpl_percent:
            out.append(Disagreement(hid, f"{label}.fpl_percent", ours_th.fpl_percent, pe_fpl))
        pe_eligible = set(pe_th.get("ptc_eligible_members") or [])
        if pe_eligible and ours_th.applicable_percentage is not None:
            pe_pct = pe_th.get("applicable_percentage")
            if (
                pe_pct is not None
                and abs(float(ours_th.applicable_percentage) - float(pe_pct)) > FIGURE_TOLERANCE
            ):
                out.append(
                    Disagreement(
                        hid,
                        f"{label}.applicable_percentage",
                        float(ours_th.applicable_percentage),
                        pe_pct,
                    )
                )
        if pe_eligible == set(ours_th.aptc_member_ids):
            counts["credits"] += 1
            pe_monthly = Decimal(str(pe_th.get("ptc_annual") or 0)) / 12
            if abs(pe_monthly - ours_th.max_aptc_monthly) > CREDIT_TOLERANCE:
                out.append(
                    Disagreement(
                        hid,
                        f"{label}.ptc_monthly",
                        float(ours_th.max_aptc_monthly),
                        round(float(pe_monthly), 2),
                    )
                )
    return out, counts


# --- Explaining each disagreement -------------------------------------------------------------
# Every disagreement must match one of these documented differences, each checked mechanically,
# with the legal reason written in docs/rules/policyengine-differential.md ("Accepted differences").

REASONS = {
    "dependent_income": (
        "PolicyEngine leaves out a tax dependent's wages, interest and dividends even when the "
        "dependent must file, and always counts their Social Security and tax-exempt interest; "
        "26 USC 36B(d)(2)(A)(ii) counts the MAGI of dependents who are required to file."
    ),
    "pregnancy_in_others_households": (
        "MassHealth counts an unborn child in the household size of the other household members too "
        "(states/ma/masshealth/pregnancy_household_count.yaml, provisional); PolicyEngine only in the "
        "pregnant person's own household."
    ),
    "aged_non_magi": (
        "People aged 65 and over are outside the MAGI groups (42 CFR 435.603(j)); PolicyEngine grants "
        "non-MAGI (SSI / aged) Medicaid, which this engine refers to MassHealth's non-MAGI review."
    ),
    "fourth_child": (
        "PolicyEngine makes the fourth and later children under 21 ineligible for the credit; the "
        "three-oldest-children rule of 45 CFR 147.102(c)(1) limits premiums, not eligibility."
    ),
    "exactly_400_percent": (
        "At exactly 400% of poverty the credit is allowed: 26 USC 36B(c)(1)(A) excludes only income "
        "that exceeds 400%; PolicyEngine excludes 400% itself."
    ),
    "undocumented_medicaid": (
        "PolicyEngine gives undocumented Massachusetts residents full Medicaid; MassHealth covers them "
        "for emergency services only (MassHealth Limited, 130 CMR 504.003, 505.008)."
    ),
    "medicaid_monthly_rounding": (
        "PolicyEngine turns each Medicaid limit into a monthly dollar amount rounded up, accepting up to "
        "$0.99 a month above the percentage; this engine compares yearly income exactly."
    ),
    "form_8962_rounding": (
        "This engine rounds the applicable figure to 4 places and the contribution to whole dollars as "
        "the Form 8962 instructions do; PolicyEngine does not round."
    ),
    "non_filer": (
        "PolicyEngine's credit eligibility does not check that the tax household files (only the amount "
        "does); 26 USC 36B(c)(1) and 45 CFR 155.305(f)(4) require a return."
    ),
}


def _emulate_pe_dependent_income(data: dict[str, Any]) -> dict[str, Any]:
    """The household as PolicyEngine counts dependents' income for the credit: dependents' wages,
    interest and dividends dropped; their Social Security and tax-exempt interest moved to the
    claimer (so they always count)."""
    members = [dict(m) for m in data["members"]]
    by_id = {m["id"]: m for m in members}
    for m in members:
        claimer = (m.get("tax") or {}).get("claimed_by")
        if not claimer:
            continue
        kept = [
            i
            for i in m.get("incomes", [])
            if i["type"] in ("social_security", "tax_exempt_interest")
        ]
        by_id[claimer]["incomes"] = [*by_id[claimer].get("incomes", []), *kept]
        m["incomes"] = []
    return {**data, "members": members}


class _OverrideParameters:
    """A parameter set whose years have some values replaced (for emulating another reading)."""

    def __init__(self, base: Any, **changes: Any) -> None:
        self.base = base
        self.changes = changes

    def for_year(self, year: int, on: Any = None) -> Any:
        import dataclasses

        return dataclasses.replace(self.base.for_year(year, on), memo={}, **self.changes)


def _run(data: dict[str, Any], case: dict[str, Any], params: Any = None) -> Any:
    by_member: dict[str, Decimal] = {}
    for th in case["tax_households"]:
        monthly = (Decimal(str(th["benchmark_annual"])) / 12).quantize(Decimal("0.01"))
        for mid in th["members"]:
            by_member[mid] = monthly
    return determine(
        parse_household(data), params or load_parameters(), FixedBenchmark(Decimal(0), by_member)
    )


def _still_disagrees(
    d: Disagreement, case: dict[str, Any], data: dict[str, Any], params: Any = None
) -> bool:
    emulated = {**case, "household": data}
    for other in _compare_with(emulated, _run(data, case, params))[0]:
        if other.field == d.field:
            return True
    return False


def _compare_with(case: dict[str, Any], det: Any) -> tuple[list[Disagreement], dict[str, int]]:
    return compare_household(case, det)


def explain(d: Disagreement, case: dict[str, Any], det: Any) -> str | None:
    """The documented difference that accounts for a disagreement, or None."""
    data = case["household"]
    member_id, _, field = d.field.partition(".")
    members = {m["id"]: m for m in data["members"]}
    m = members.get(member_id)
    ours_m = det.member(member_id) if m is not None else None
    tags = set(case.get("known_differences") or [])
    # Member-level fields.
    if m is not None and ours_m is not None:
        if ours_m.age >= 65 and field in ("medicaid", "chip", "ptc_eligible"):
            return "aged_non_magi"
        if (m.get("immigration") or {}).get(
            "status"
        ) == "not_lawfully_present" and field == "medicaid":
            return "undocumented_medicaid"
        if field == "ptc_eligible" and d.ours is True and d.theirs is False:
            th = det.tax_household_of(member_id)
            if th is not None and th.fpl_percent == 400 and th.size and det.coverage_year >= 2026:
                return "exactly_400_percent"
            if th is not None and ours_m.age < 21:
                kids = sorted(
                    (det.member(x).age, x) for x in th.member_ids if det.member(x).age < 21
                )
                oldest_three = {x for _, x in sorted(kids, key=lambda k: (-k[0], k[1]))[:3]}
                if member_id not in oldest_three:
                    return "fourth_child"
        if (
            field == "ptc_eligible"
            and d.ours is False
            and d.theirs is True
            and ours_m.tax_household is None
        ):
            return "non_filer"
        if field in ("medicaid", "chip", "ptc_eligible"):
            if "pregnancy_other_members" in tags and not _still_disagrees(
                d,
                case,
                data,
                _OverrideParameters(load_parameters(), pregnancy_counted_others=False),
            ):
                return "pregnancy_in_others_households"
            mh = ours_m.medicaid_household
            pe_level = (case["members"][member_id].get("pe") or {}).get(
                "medicaid_income_level_percent"
            )
            if (
                mh is not None
                and pe_level is not None
                and abs(float(mh.income) - float(pe_level) / 100 * float(mh.guideline)) < 1
                and _near_medicaid_limit(det, ours_m)
            ):
                return "medicaid_monthly_rounding"
    # Tax-household fields, and credit eligibility that follows from household income.
    if "dependent_income" in tags and not _still_disagrees(
        d, case, _emulate_pe_dependent_income(data)
    ):
        return "dependent_income"
    if field.endswith("ptc_monthly") or field.endswith("applicable_percentage"):
        th = next(
            (
                t
                for t in det.tax_households
                if d.field.startswith(f"tax_household[{','.join(sorted(t.member_ids))}]")
            ),
            None,
        )
        if th is not None:
            if (
                field.endswith("applicable_percentage")
                and abs(float(d.ours) - float(d.theirs)) <= 0.00005 + 1e-9
            ):
                return "form_8962_rounding"
            bound = float(th.income) * 0.00005 / 12 + 0.5 + 0.5 / 12 + 0.02
            if field.endswith("ptc_monthly") and abs(float(d.ours) - float(d.theirs)) <= bound:
                return "form_8962_rounding"
    return None


def _near_medicaid_limit(det: Any, m: Any) -> bool:
    """Income within $12 a year of a Medicaid or CHIP dollar limit for the member's household."""
    from rules.engine import _medicaid_limits

    mh = m.medicaid_household
    params = load_parameters().for_year(det.coverage_year)
    limits = _medicaid_limits(params, "MA", mh.size)
    return any(
        abs(mh.income - limit) <= 12
        for limit in (
            limits.pregnant,
            limits.infant,
            limits.child,
            limits.young_adult,
            limits.parent_caretaker,
            limits.adult,
            limits.chip,
        )
    )
