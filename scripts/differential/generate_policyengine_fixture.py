#!/usr/bin/env python3
"""Generate the PolicyEngine-US differential-test fixture for Massachusetts.

Run with the separate PolicyEngine virtualenv (never the project's own):

    python3 -m venv /work/pe-venv
    /work/pe-venv/bin/pip install policyengine-us==2.68.0
    /work/pe-venv/bin/python scripts/differential/generate_policyengine_fixture.py

It builds a deterministic set of varied Massachusetts households in the rules engine's
household JSON format (docs/rules/household-input.md), maps each onto a PolicyEngine-US
situation, runs PolicyEngine in batch (one Simulation per coverage year) and writes
tests/rules/fixtures/policyengine_ma.json. See docs/rules/policyengine-differential.md.

Only the standard library is used at module level; PolicyEngine is imported inside
run_policyengine(), so the household generator itself can be imported and inspected
from any interpreter.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from pathlib import Path

SEED = 20260101
PE_VERSION = "2.68.0"
REPO = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO / "tests" / "rules" / "fixtures" / "policyengine_ma.json"
GENERATOR = "scripts/differential/generate_policyengine_fixture.py"

# --------------------------------------------------------------------------------------
# Reference data (docs: /work/shared/reference/RULES.md)
# --------------------------------------------------------------------------------------

# county FIPS -> (name, rating area, ZIPs whose 3-digit prefix maps to the same area)
COUNTIES = {
    "25001": ("Barnstable", 7, ["02601", "02540", "02657"]),
    "25003": ("Berkshire", 1, ["01201", "01230", "01247"]),
    "25005": ("Bristol", 6, ["02740", "02720", "02780"]),
    "25007": ("Dukes", 7, ["02568", "02539"]),
    "25009": ("Essex", 4, ["01901", "01970", "01830", "01840"]),
    "25011": ("Franklin", 1, ["01301", "01376"]),
    "25013": ("Hampden", 1, ["01103", "01040", "01020"]),
    "25015": ("Hampshire", 1, ["01060", "01002"]),
    "25017": ("Middlesex", 3, ["01701", "01760", "01752", "01742"]),
    "25019": ("Nantucket", 7, ["02554"]),
    "25021": ("Norfolk", 3, ["02021", "02062", "02026"]),
    "25023": ("Plymouth", 6, ["02301", "02360"]),
    "25025": ("Suffolk", 5, ["02118", "02128", "02150", "02151"]),
    "25027": ("Worcester", 2, ["01604", "01609", "01420"]),
}
# Population-ish weights so the big counties dominate but every county appears.
COUNTY_WEIGHTS = {
    "25001": 4, "25003": 3, "25005": 8, "25007": 1, "25009": 11, "25011": 2,
    "25013": 7, "25015": 3, "25017": 16, "25019": 1, "25021": 10, "25023": 8,
    "25025": 12, "25027": 12,
}

# Monthly SLCSP at age 0 by rating area and year (RULES.md, "Real benchmark level").
SLCSP_AGE0 = {
    2025: {1: 244, 2: 249, 3: 237, 4: 241, 5: 241, 6: 234, 7: 437},
    2026: {1: 262, 2: 280, 3: 255, 4: 277, 5: 266, 6: 258, 7: 476},
}
SLCSP_AGE0[2027] = SLCSP_AGE0[2026]  # no 2027 data: reuse 2026 (only if --years 2027)

# Massachusetts age curve (ratio to age 21), RULES.md.
_MA_CURVE_LIST = {
    27: 1.220, 28: 1.250, 29: 1.275, 30: 1.287, 31: 1.305, 32: 1.323, 33: 1.334,
    34: 1.346, 35: 1.352, 36: 1.358, 37: 1.363, 38: 1.369, 39: 1.381, 40: 1.393,
    41: 1.410, 42: 1.427, 43: 1.450, 44: 1.478, 45: 1.511, 46: 1.550, 47: 1.593,
    48: 1.641, 49: 1.688, 50: 1.741, 51: 1.792, 52: 1.847, 53: 1.902, 54: 1.961,
    55: 2.019, 56: 2.080, 57: 2.142, 58: 2.206, 59: 2.280,
}


def ma_age_factor(age: int) -> float:
    if age <= 20:
        return 0.751
    if age <= 26:
        return 1.183
    if age >= 60:
        return 2.365
    return _MA_CURVE_LIST[age]


# HHS poverty guidelines, 48 states + DC (RULES.md) - used only to aim generated incomes.
FPG = {2024: (15060, 5380), 2025: (15650, 5500), 2026: (15960, 5680), 2027: (15960, 5680)}


def fpg(year: int, size: int) -> float:
    first, add = FPG[year]
    return first + add * (max(size, 1) - 1)


FREQ_FACTOR = {"weekly": 52, "biweekly": 26, "semimonthly": 24, "monthly": 12, "quarterly": 4, "yearly": 1}

# Our immigration status -> (PolicyEngine immigration_status, years_since_us_entry when bar met / not met)
IMMIGRATION_TO_PE = {
    "citizen": "CITIZEN",
    "lawful_permanent_resident": "LEGAL_PERMANENT_RESIDENT",
    "refugee_or_asylee": "REFUGEE",
    "cuban_haitian_entrant": "CUBAN_HAITIAN_ENTRANT",
    "other_lawfully_present": "TPS",
    "not_lawfully_present": "UNDOCUMENTED",
}

# Our income type -> PolicyEngine person variable (annual amounts).
INCOME_TO_PE = {
    "wages": "employment_income",
    "self_employment": "self_employment_income",
    "unemployment": "unemployment_compensation",
    "pension": "taxable_pension_income",
    "taxable_interest": "taxable_interest_income",
    "tax_exempt_interest": "tax_exempt_interest_income",
    "dividends": "non_qualified_dividend_income",
    # social_security: retirement benefits at 62+, survivors benefits below (set in code).
}

# Medicaid/CHIP and PTC thresholds (ratio to FPL) used to aim some incomes at edges.
EDGE_RATIOS = [1.00, 1.33, 1.38, 1.50, 1.55, 2.00, 2.05, 2.50, 3.00, 3.05, 4.00]


# --------------------------------------------------------------------------------------
# Household generation (our JSON)
# --------------------------------------------------------------------------------------


class Builder:
    """Accumulates members / relationships for one household."""

    def __init__(self, rng: random.Random, year: int):
        self.rng = rng
        self.year = year
        self.members: list[dict] = []
        self.relationships: list[dict] = []

    def dob_for_age(self, age: int) -> str:
        # Age on January 1 of the coverage year == age: born in (year - age - 1), after Jan 1.
        y = self.year - age - 1
        start = dt.date(y, 1, 2)
        end = dt.date(y, 12, 31)
        day = start + dt.timedelta(days=self.rng.randint(0, (end - start).days))
        return day.isoformat()

    def add(self, age: int, sex: str | None = None) -> dict:
        pid = f"p{len(self.members) + 1}"
        sex = sex or self.rng.choice(["female", "male"])
        m = {
            "id": pid,
            "date_of_birth": self.dob_for_age(age),
            "sex": sex,
            "seeking_coverage": True,
            "tax": {"filer": False, "filing_status": None, "spouse_id": None, "claimed_by": None,
                    "mfs_exception": False},
            "pregnant": False,
            "expected_children": 0,
            "immigration": {"status": "citizen", "five_year_bar_met": True},
            "incarcerated": False,
            "incarceration_pending_disposition": False,
            "american_indian_alaska_native": False,
            "state_resident": True,
            "blind_or_disabled": False,
            "medicare": False,
            "other_mec": False,
            "employer_offer": None,
            "incomes": [],
            "deductions": [],
            "_age": age,  # internal, stripped before output
        }
        self.members.append(m)
        return m

    def rel(self, a: dict, b: dict, typ: str) -> None:
        self.relationships.append({"from": a["id"], "to": b["id"], "type": typ})


def _filer(m: dict, status: str, spouse: dict | None = None) -> None:
    m["tax"]["filer"] = True
    m["tax"]["filing_status"] = status
    if spouse is not None:
        m["tax"]["spouse_id"] = spouse["id"]


def _claim(dep: dict, by: dict) -> None:
    dep["tax"]["claimed_by"] = by["id"]


def _adult_age(rng: random.Random, lo: int = 19, hi: int = 64) -> int:
    r = rng.random()
    if r < 0.04:
        return rng.randint(65, 72)  # a few 65+ without Medicare
    return rng.randint(lo, hi)


def _child_ages(rng: random.Random, n: int, parent_age: int) -> list[int]:
    max_age = max(0, min(18, parent_age - 16))
    ages = []
    for _ in range(n):
        r = rng.random()
        if r < 0.12:
            ages.append(0)
        else:
            ages.append(rng.randint(0, max_age))
    return sorted(ages, reverse=True)


def _kids(b: Builder, parents: list[dict], claimer: dict, ages: list[int]) -> list[dict]:
    kids = []
    for a in ages:
        k = b.add(a)
        for p in parents:
            b.rel(p, k, "parent")
        _claim(k, claimer)
        kids.append(k)
    for i in range(len(kids)):
        for j in range(i + 1, len(kids)):
            b.rel(kids[i], kids[j], "sibling")
    return kids


def build_structure(rng: random.Random, year: int) -> tuple[Builder, str]:
    b = Builder(rng, year)
    kind = rng.choices(
        ["single", "couple", "single_parent", "two_parent", "parent_adult_child",
         "adult_elderly_parent", "unmarried_parents", "three_generation", "young_adult_alone"],
        weights=[17, 13, 16, 22, 9, 5, 6, 5, 7],
    )[0]

    if kind == "single":
        a = b.add(_adult_age(rng, 21, 64))
        _filer(a, "single")
    elif kind == "young_adult_alone":
        a = b.add(rng.randint(19, 20) if rng.random() < 0.6 else rng.randint(21, 26))
        if rng.random() < 0.12:
            pass  # non-filer
        else:
            _filer(a, "single")
    elif kind == "couple":
        a1 = b.add(_adult_age(rng, 20, 64), "female")
        a2 = b.add(max(19, min(80, a1["_age"] + rng.randint(-6, 6))), "male")
        b.rel(a1, a2, "spouse")
        _filer(a1, "married_filing_jointly", a2)
        _filer(a2, "married_filing_jointly", a1)
    elif kind == "single_parent":
        p = b.add(rng.randint(19, 55), rng.choice(["female", "female", "male"]))
        _filer(p, "head_of_household")
        n = rng.choices([1, 2, 3, 4, 5], weights=[40, 32, 16, 8, 4])[0]
        _kids(b, [p], p, _child_ages(rng, n, p["_age"]))
    elif kind == "two_parent":
        p1 = b.add(rng.randint(20, 58), "female")
        p2 = b.add(max(19, min(64, p1["_age"] + rng.randint(-5, 8))), "male")
        b.rel(p1, p2, "spouse")
        _filer(p1, "married_filing_jointly", p2)
        _filer(p2, "married_filing_jointly", p1)
        n = rng.choices([1, 2, 3, 4], weights=[35, 38, 19, 8])[0]
        _kids(b, [p1, p2], p1, _child_ages(rng, n, min(p1["_age"], p2["_age"])))
    elif kind == "parent_adult_child":
        married = rng.random() < 0.5
        p1 = b.add(rng.randint(40, 64), "female")
        parents = [p1]
        if married:
            p2 = b.add(max(38, min(66, p1["_age"] + rng.randint(-4, 4))), "male")
            b.rel(p1, p2, "spouse")
            parents.append(p2)
            _filer(p1, "married_filing_jointly", p2)
            _filer(p2, "married_filing_jointly", p1)
        else:
            _filer(p1, "head_of_household")
        c = b.add(rng.randint(19, 26))
        for p in parents:
            b.rel(p, c, "parent")
        mode = rng.choices(["claimed", "own_return", "non_filer"], weights=[45, 45, 10])[0]
        if mode == "claimed":
            # 19-23 year-old full-time student dependents are qualifying children; model
            # them as claimed dependents (student status is not part of our input).
            c["_age"] = min(c["_age"], 23)
            c["date_of_birth"] = b.dob_for_age(c["_age"])
            _claim(c, p1)
        elif mode == "own_return":
            _filer(c, "single")
            if not married:
                p1["tax"]["filing_status"] = "single"
        else:
            if not married:
                p1["tax"]["filing_status"] = "single"
        if rng.random() < 0.4:  # a younger sibling too
            k = _kids(b, parents, p1, _child_ages(rng, 1, p1["_age"] - 10))[0]
            b.rel(c, k, "sibling")
            if not married:
                p1["tax"]["filing_status"] = "head_of_household"
    elif kind == "adult_elderly_parent":
        a = b.add(rng.randint(35, 60))
        lo = max(a["_age"] + 18, 50)
        if rng.random() < 0.3 or lo > 64:
            g_age = min(85, a["_age"] + rng.randint(20, 32))
        else:
            g_age = rng.randint(lo, 64)
        g = b.add(g_age)
        b.rel(g, a, "parent")
        if rng.random() < 0.5:
            _filer(a, "head_of_household")
            _claim(g, a)
        else:
            _filer(a, "single")
            _filer(g, "single")
    elif kind == "unmarried_parents":
        p1 = b.add(rng.randint(19, 45), "female")
        p2 = b.add(max(19, min(60, p1["_age"] + rng.randint(-3, 6))), "male")
        b.rel(p1, p2, "other")
        claimer = p1 if rng.random() < 0.6 else p2
        other = p2 if claimer is p1 else p1
        _filer(claimer, "head_of_household")
        _filer(other, "single")
        n = rng.choices([1, 2, 3], weights=[50, 35, 15])[0]
        _kids(b, [p1, p2], claimer, _child_ages(rng, n, min(p1["_age"], p2["_age"])))
    elif kind == "three_generation":
        g = b.add(rng.randint(45, 64), "female")
        p = b.add(rng.randint(19, min(40, g["_age"] - 17)), "female")
        b.rel(g, p, "parent")
        mode = rng.choice(["parent_files", "grandparent_claims_all"])
        ages = _child_ages(rng, rng.choice([1, 1, 2]), p["_age"])
        if mode == "parent_files":
            _filer(g, "single")
            _filer(p, "head_of_household")
            kids = _kids(b, [p], p, ages)
        else:
            # grandparent claims daughter (if under 24) and grandchildren
            _filer(g, "head_of_household")
            if p["_age"] <= 23:
                _claim(p, g)
            else:
                _filer(p, "single")
            kids = _kids(b, [p], g, ages)
        for k in kids:
            b.rel(g, k, "grandparent")
    return b, kind


def _freq(rng: random.Random, typ: str) -> str:
    if typ == "wages":
        return rng.choices(list(FREQ_FACTOR), weights=[15, 30, 12, 18, 2, 23])[0]
    if typ in ("social_security", "pension"):
        return rng.choice(["monthly", "monthly", "yearly"])
    if typ == "unemployment":
        return rng.choice(["weekly", "weekly", "biweekly", "yearly"])
    if typ == "self_employment":
        return rng.choice(["monthly", "quarterly", "yearly", "yearly"])
    return rng.choice(["monthly", "quarterly", "yearly", "yearly"])


def _income(rng: random.Random, typ: str, annual: float, freq: str | None = None) -> dict:
    freq = freq or _freq(rng, typ)
    per = round(annual / FREQ_FACTOR[freq], 2)
    return {"type": typ, "amount": per, "frequency": freq}


def annual_amount(inc: dict) -> float:
    return round(inc["amount"] * FREQ_FACTOR[inc["frequency"]], 2)


def _split_income(rng: random.Random, m: dict, total: float) -> None:
    """Give member m income sources summing (about) to total."""
    age = m["_age"]
    if total <= 0:
        return
    sources: list[tuple[str, float]] = []
    r = rng.random()
    if age >= 62 and r < 0.6:
        ss = min(total, rng.uniform(9000, 32000))
        sources.append(("social_security", ss))
        rest = total - ss
        if rest > 0:
            sources.append((rng.choice(["pension", "wages", "taxable_interest", "dividends"]), rest))
    elif r < 0.62:
        sources.append(("wages", total))
    elif r < 0.74:
        sources.append(("self_employment", total))
    elif r < 0.82:
        w = total * rng.uniform(0.4, 0.9)
        sources += [("wages", w), ("self_employment", total - w)]
    elif r < 0.88:
        u = min(total, rng.uniform(3000, 20000))
        sources += [("unemployment", u), ("wages", total - u)]
    elif r < 0.93:
        p = total * rng.uniform(0.3, 1.0)
        sources += [("pension", p), ("wages", total - p)]
    else:
        inv = total * rng.uniform(0.05, 0.5)
        sources += [(rng.choice(["taxable_interest", "dividends"]), inv), ("wages", total - inv)]
    if rng.random() < 0.08:
        sources.append(("tax_exempt_interest", round(rng.uniform(50, 4000), 2)))
    if rng.random() < 0.08:
        sources.append(("taxable_interest", round(rng.uniform(5, 900), 2)))
    for typ, amt in sources:
        if amt > 0.5:
            m["incomes"].append(_income(rng, typ, amt))
    # occasional self-employment loss
    if rng.random() < 0.02 and age < 62:
        m["incomes"].append(_income(rng, "self_employment", -rng.uniform(500, 6000), "yearly"))


def assign_incomes(rng: random.Random, b: Builder, year: int) -> dict:
    members = b.members
    size = len(members) + sum(m["expected_children"] for m in members)
    mode = rng.random()
    info = {}
    if mode < 0.07:
        ratio = 0.0
    elif mode < 0.22:
        # aim at an eligibility edge (coverage-year or prior-year guideline, +-a little)
        edge = rng.choice(EDGE_RATIOS)
        ratio = edge + rng.choice([-0.004, -0.001, 0.0, 0.0005, 0.002, 0.006])
        info["edge"] = edge
    elif mode < 0.9:
        ratio = rng.uniform(0.0, 4.6)
    else:
        ratio = rng.uniform(4.6, 7.2)
    guideline_year = rng.choice([year, year - 1])
    total = round(ratio * fpg(guideline_year, size), 2)
    info["target_ratio"] = round(ratio, 4)

    filers = [m for m in members if m["tax"]["filer"]]
    adults = [m for m in members if m["_age"] >= 19 and not m["tax"]["claimed_by"]] or members
    earners = filers or adults
    if "edge" in info and len(earners) >= 1:
        # a single clean income so the edge is hit precisely
        e = earners[0]
        if e["_age"] >= 65 and rng.random() < 0.5:
            e["incomes"].append(_income(rng, "social_security", total, "yearly"))
        else:
            e["incomes"].append(_income(rng, "wages", total, rng.choice(["yearly", "monthly", "yearly"])))
    elif total > 0:
        weights = [rng.uniform(0.2, 1.0) if i == 0 or rng.random() < 0.7 else 0.0 for i, _ in enumerate(earners)]
        s = sum(weights) or 1.0
        for e, w in zip(earners, weights):
            _split_income(rng, e, total * w / s)

    # Non-filer adults usually have little income.
    for m in members:
        if not m["tax"]["filer"] and not m["tax"]["claimed_by"] and m["incomes"]:
            m["incomes"] = [i for i in m["incomes"] if i["type"] != "self_employment"][:1]
            for i in m["incomes"]:
                if annual_amount(i) > 9000:
                    i.update(_income(rng, i["type"], rng.uniform(0, 9000), i["frequency"]))

    # Dependents with their own income (some above the dependent filing threshold).
    deps = [m for m in members if m["tax"]["claimed_by"]]
    for d in deps:
        if d["_age"] >= 14 and rng.random() < 0.30:
            kind = rng.random()
            if kind < 0.55:
                amt = rng.choice([rng.uniform(500, 8000), rng.uniform(8000, 16000), rng.uniform(16000, 26000)])
                d["incomes"].append(_income(rng, "wages", amt))
            elif kind < 0.75:
                d["incomes"].append(_income(rng, "taxable_interest", rng.uniform(200, 4000), "yearly"))
            else:
                d["incomes"].append(_income(rng, "wages", rng.uniform(1000, 6000)))
                d["incomes"].append(_income(rng, "dividends", rng.uniform(500, 3000), "yearly"))
            info["dependent_income"] = True
        elif d["_age"] < 19 and rng.random() < 0.04:
            d["incomes"].append(_income(rng, "social_security", rng.uniform(4000, 14000), "monthly"))
            info["dependent_income"] = True
        elif d["_age"] >= 50 and rng.random() < 0.7:
            d["incomes"].append(_income(rng, "social_security", rng.uniform(2000, 5000), "monthly"))
            info["dependent_income"] = True
    return info


def assign_features(rng: random.Random, b: Builder) -> None:
    for m in b.members:
        age = m["_age"]
        if m["sex"] == "female" and 16 <= age <= 44 and rng.random() < 0.10:
            m["pregnant"] = True
            m["expected_children"] = 2 if rng.random() < 0.12 else 1
        r = rng.random()
        if r < 0.035:
            m["immigration"] = {"status": "lawful_permanent_resident", "five_year_bar_met": True}
        elif r < 0.065:
            m["immigration"] = {"status": "lawful_permanent_resident", "five_year_bar_met": False}
        elif r < 0.085:
            m["immigration"] = {"status": "other_lawfully_present", "five_year_bar_met": True}
        elif r < 0.092:
            m["immigration"] = {"status": "refugee_or_asylee", "five_year_bar_met": False}
        elif r < 0.097:
            m["immigration"] = {"status": "not_lawfully_present", "five_year_bar_met": False}


def make_household(rng: random.Random, year: int, hid: str) -> tuple[dict, dict]:
    b, kind = build_structure(rng, year)
    assign_features(rng, b)
    info = assign_incomes(rng, b, year)
    info["kind"] = kind
    county = rng.choices(list(COUNTY_WEIGHTS), weights=list(COUNTY_WEIGHTS.values()))[0]
    zipc = rng.choice(COUNTIES[county][2])
    hh = {
        "coverage_year": year,
        "coverage_start": f"{year}-01-01",
        "address": {"state": "MA", "county_fips": county, "zip": zipc},
        "members": b.members,
        "relationships": b.relationships,
    }
    return hh, info


# --------------------------------------------------------------------------------------
# Tax households and benchmark
# --------------------------------------------------------------------------------------


def tax_units(hh: dict) -> list[dict]:
    """Our tax households: each filer (with a joint spouse) plus whoever they claim.

    Members neither filing nor claimed get a PolicyEngine-only non-filer unit (filer=False).
    """
    by_id = {m["id"]: m for m in hh["members"]}
    units = []
    placed: set[str] = set()
    for m in hh["members"]:
        t = m["tax"]
        if not t["filer"] or m["id"] in placed:
            continue
        heads = [m["id"]]
        if t.get("spouse_id") and t["filing_status"] == "married_filing_jointly":
            heads.append(t["spouse_id"])
        deps = [d["id"] for d in hh["members"] if d["tax"].get("claimed_by") in heads]
        units.append({"members": heads + deps, "heads": heads, "dependents": deps, "filer": True,
                      "filing_status": t["filing_status"]})
        placed.update(heads + deps)
    for m in hh["members"]:
        if m["id"] not in placed:
            units.append({"members": [m["id"]], "heads": [m["id"]], "dependents": [], "filer": False,
                          "filing_status": None})
            placed.add(m["id"])
    assert placed == set(by_id)
    return units


def age_on(dob: str, on: str) -> int:
    d, o = dt.date.fromisoformat(dob), dt.date.fromisoformat(on)
    return o.year - d.year - ((o.month, o.day) < (d.month, d.day))


def benchmark_annual(hh: dict, members: list[str]) -> float:
    year = hh["coverage_year"]
    area = COUNTIES[hh["address"]["county_fips"]][1]
    base = SLCSP_AGE0[year][area]
    by_id = {m["id"]: m for m in hh["members"]}
    monthly = 0.0
    for pid in members:
        a = age_on(by_id[pid]["date_of_birth"], hh["coverage_start"])
        if 0 <= a <= 64:
            monthly += base * ma_age_factor(a) / 0.751
    # Round the monthly premium to cents first, so benchmark_annual == 12 x benchmark_monthly exactly
    # (our engine takes a monthly benchmark).
    return round(12 * round(monthly, 2), 2)


# --------------------------------------------------------------------------------------
# PolicyEngine mapping
# --------------------------------------------------------------------------------------


def pe_people(hh: dict, hid: str, pid_base: int, units: list[dict]) -> tuple[dict, dict]:
    """Return ({pe person name: inputs}, {our id: pe person_id int})."""
    year = hh["coverage_year"]
    Y = str(year)
    ids = {m["id"]: pid_base + i + 1 for i, m in enumerate(hh["members"])}
    role = {}
    for u in units:
        for h in u["heads"]:
            role[h] = "HEAD" if h == u["heads"][0] else "SPOUSE"
        for d in u["dependents"]:
            role[d] = "DEPENDENT"
    parents: dict[str, list[str]] = {m["id"]: [] for m in hh["members"]}
    for r in hh["relationships"]:
        if r["type"] in ("parent", "stepparent"):
            parents[r["to"]].append(r["from"])
    people = {}
    for m in hh["members"]:
        age = age_on(m["date_of_birth"], hh["coverage_start"])
        p = {
            "age": {Y: age},
            "person_id": {Y: ids[m["id"]]},
            "tax_unit_role_input": {Y: role[m["id"]]},
            "is_medicare_eligible": {Y: False},
            "is_pregnant": {Y: bool(m["pregnant"])},
            "current_pregnancies": {Y: int(m["expected_children"] or (1 if m["pregnant"] else 0)) if m["pregnant"] else 0},
            "immigration_status": {Y: IMMIGRATION_TO_PE[m["immigration"]["status"]]},
            "years_since_us_entry": {Y: 10 if m["immigration"].get("five_year_bar_met", True) else 2},
            "is_female": {Y: m["sex"] == "female"},
        }
        ps = parents[m["id"]]
        if ps:
            p["parent_1_id"] = {Y: ids[ps[0]]}
            if len(ps) > 1:
                p["parent_2_id"] = {Y: ids[ps[1]]}
        totals: dict[str, float] = {}
        for inc in m["incomes"]:
            if inc["type"] == "social_security":
                var = "social_security_retirement" if age >= 62 else "social_security_survivors"
            else:
                var = INCOME_TO_PE[inc["type"]]
            totals[var] = totals.get(var, 0.0) + annual_amount(inc)
        for var, amt in totals.items():
            p[var] = {Y: round(amt, 2)}
        people[f"{hid}_{m['id']}"] = p
    return people, ids


def build_situation(entries: list[dict]) -> dict:
    sit = {"people": {}, "tax_units": {}, "families": {}, "marital_units": {}, "spm_units": {},
           "households": {}}
    pid_base = 0
    for e in entries:
        hh, hid, units = e["household"], e["id"], e["units"]
        Y = str(hh["coverage_year"])
        people, _ = pe_people(hh, hid, pid_base, units)
        pid_base += 100
        sit["people"].update(people)
        allp = [f"{hid}_{m['id']}" for m in hh["members"]]
        for i, u in enumerate(units):
            # Set on EVERY unit: policyengine-core fills an input given for some entities with
            # the variable's default (not its formula) for all the others.
            tu = {"members": [f"{hid}_{x}" for x in u["members"]], "slcsp": {Y: u["benchmark_annual"]},
                  "tax_unit_is_filer": {Y: bool(u["filer"])},
                  "takes_up_aca_if_eligible": {Y: bool(u["filer"])}}
            sit["tax_units"][f"{hid}_t{i + 1}"] = tu
        sit["families"][f"{hid}_f"] = {"members": allp}
        sit["spm_units"][f"{hid}_s"] = {"members": allp}
        sit["households"][f"{hid}_h"] = {"members": allp, "state_code": {Y: "MA"},
                                         "county_fips": {Y: hh["address"]["county_fips"]}}
        # marital units: joint couples and unmarried-but-spouse relationships together
        done = set()
        k = 0
        for m in hh["members"]:
            if m["id"] in done:
                continue
            sp = m["tax"].get("spouse_id")
            mem = [m["id"]] + ([sp] if sp else [])
            done.update(mem)
            k += 1
            sit["marital_units"][f"{hid}_m{k}"] = {"members": [f"{hid}_{x}" for x in mem]}
    return sit


PERSON_VARS = [
    "is_medicaid_eligible", "is_chip_eligible", "is_aca_ptc_eligible", "medicaid_category",
    "chip_category", "medicaid_income_level", "medicaid_household_size", "medicaid_household_income",
    "medicaid_uses_non_filer_rules", "medicaid_person_is_required_to_file",
    "is_medicaid_immigration_status_eligible", "is_chip_immigration_status_eligible",
    "is_aca_ptc_immigration_status_eligible", "pays_aca_premium", "aca_child_index",
    "self_employment_tax_ald_person", "medicaid_magi_person",
]
TAXUNIT_VARS = [
    "aca_magi", "aca_magi_fraction", "aca_required_contribution_percentage", "aca_ptc",
    "aca_ptc_before_filing_gate", "filing_status", "tax_unit_size", "tax_unit_is_filer",
    "aca_ptc_below_fpl_immigration_exception", "adjusted_gross_income", "slcsp",
]


def run_policyengine(entries: list[dict], year: int) -> None:
    from policyengine_us import Simulation  # imported lazily: only the PE venv has it

    sit = build_situation(entries)
    sim = Simulation(situation=sit)
    person_names = list(sit["people"])
    unit_names = list(sit["tax_units"])
    def calc(v, period):
        arr = sim.calculate(v, period)
        if hasattr(arr, "decode_to_str"):  # Enum variables: names, not indices
            arr = arr.decode_to_str()
        return arr

    pres = {v: calc(v, year) for v in PERSON_VARS}
    tres = {v: calc(v, year) for v in TAXUNIT_VARS}
    # prior-year guideline the PTC ratio uses (tax_unit_fpg evaluated at period.last_year)
    tres["tax_unit_fpg_prior_year"] = calc("tax_unit_fpg", year - 1)
    pidx = {n: i for i, n in enumerate(person_names)}
    tidx = {n: i for i, n in enumerate(unit_names)}

    def val(arr, i):
        x = arr[i]
        if hasattr(x, "name"):
            return x.name
        if isinstance(x, (bytes, str)):
            return x.decode() if isinstance(x, bytes) else x
        try:
            import numpy as np
            if isinstance(x, np.bool_):
                return bool(x)
            if isinstance(x, np.integer):
                return int(x)
            if isinstance(x, np.floating):
                return float(x)
        except ImportError:  # pragma: no cover
            pass
        return x

    for e in entries:
        hid, hh = e["id"], e["household"]
        e["pe_members"] = {}
        for m in hh["members"]:
            i = pidx[f"{hid}_{m['id']}"]
            e["pe_members"][m["id"]] = {v: val(pres[v], i) for v in PERSON_VARS}
        e["pe_units"] = []
        for k, u in enumerate(e["units"]):
            i = tidx[f"{hid}_t{k + 1}"]
            e["pe_units"].append({v: val(tres[v], i) for v in list(tres)})


# --------------------------------------------------------------------------------------
# Fixture assembly
# --------------------------------------------------------------------------------------


def finish(entry: dict) -> dict:
    hh = entry["household"]
    pm = entry["pe_members"]
    # PolicyEngine subtracts half of self-employment tax automatically; write the same
    # amount into our household as an explicit deduction so both engines see equal MAGI.
    for m in hh["members"]:
        se_half = round(float(pm[m["id"]]["self_employment_tax_ald_person"]), 2)
        if se_half > 0:
            m["deductions"].append({"type": "self_employment_tax_half", "amount": se_half,
                                    "frequency": "yearly"})
    for m in hh["members"]:
        m.pop("_age", None)
        # Keep the fixture small: drop fields that equal the documented defaults
        # (household-input.md). seeking_coverage / medicare / other_mec stay explicit.
        for k in ("incarcerated", "incarceration_pending_disposition", "american_indian_alaska_native",
                  "blind_or_disabled"):
            if m[k] is False:
                del m[k]
        if m["state_resident"] is True:
            del m["state_resident"]
        if m["employer_offer"] is None:
            del m["employer_offer"]
        if not m["deductions"]:
            del m["deductions"]
        if not m["pregnant"]:
            del m["expected_children"]
        t = m["tax"]
        if not t["filer"]:
            t.pop("filing_status", None)
        for k in ("spouse_id", "claimed_by", "filing_status"):
            if t.get(k, 0) is None:
                del t[k]
        if t["mfs_exception"] is False:
            del t["mfs_exception"]
    members_out = {}
    for m in hh["members"]:
        r = pm[m["id"]]
        pe = {
            "medicaid_category": r["medicaid_category"],
            "medicaid_income_level_percent": round(100 * float(r["medicaid_income_level"]), 4),
            "medicaid_household_size": int(r["medicaid_household_size"]),
            "medicaid_household_income": round(float(r["medicaid_household_income"]), 2),
            "medicaid_uses_non_filer_rules": bool(r["medicaid_uses_non_filer_rules"]),
            "pays_aca_premium": bool(r["pays_aca_premium"]),
        }
        # Only where informative, to keep the fixture small.
        if r["chip_category"] != "NONE":
            pe["chip_category"] = r["chip_category"]
        if int(r["aca_child_index"]) != 99:
            pe["aca_child_index"] = int(r["aca_child_index"])
        if m["tax"].get("claimed_by"):
            pe["dependent_required_to_file"] = bool(r["medicaid_person_is_required_to_file"])
        for key, var in (("medicaid_immigration_ok", "is_medicaid_immigration_status_eligible"),
                         ("chip_immigration_ok", "is_chip_immigration_status_eligible"),
                         ("ptc_immigration_ok", "is_aca_ptc_immigration_status_eligible")):
            if not r[var]:
                pe[key] = False
        members_out[m["id"]] = {
            "medicaid": bool(r["is_medicaid_eligible"]),
            "chip": bool(r["is_chip_eligible"]),
            "ptc_eligible": bool(r["is_aca_ptc_eligible"]),
            "pe": pe,
        }
    ths = []
    for u, r in zip(entry["units"], entry["pe_units"]):
        ths.append({
            "members": u["members"],
            "filer": u["filer"],
            "benchmark_annual": u["benchmark_annual"],
            "benchmark_monthly": round(u["benchmark_annual"] / 12, 2),
            # PE stores float32: 3.11 comes back as 3.1099999; 4 decimals removes that noise
            # without hiding anything PE computes (it truncates to a whole percent).
            "fpl_percent": round(100 * float(r["aca_magi_fraction"]), 4),
            "applicable_percentage": round(float(r["aca_required_contribution_percentage"]), 7),
            "ptc_annual": round(float(r["aca_ptc"]), 2),
            "ptc_eligible_members": [p for p in u["members"] if members_out[p]["ptc_eligible"]],
            "pe": {
                "aca_magi": round(float(r["aca_magi"]), 2),
                "adjusted_gross_income": round(float(r["adjusted_gross_income"]), 2),
                "ptc_guideline_amount": round(float(r["tax_unit_fpg_prior_year"]), 2),
                "tax_unit_size": int(r["tax_unit_size"]),
                "filing_status": r["filing_status"],
                "tax_unit_is_filer": bool(r["tax_unit_is_filer"]),
                "ptc_before_filing_gate": round(float(r["aca_ptc_before_filing_gate"]), 2),
                "below_fpl_immigration_exception": bool(r["aca_ptc_below_fpl_immigration_exception"]),
                "slcsp_annual": round(float(r["slcsp"]), 2),
            },
        })
    return {
        "id": entry["id"],
        "household": hh,
        "tax_households": ths,
        "members": members_out,
        "generator_info": entry["info"],
        "known_differences": known_differences(entry, members_out, ths),
    }


def known_differences(entry: dict, members_out: dict, ths: list[dict]) -> list[str]:
    """Tags for households that exercise a documented PE-vs-law difference (see the doc)."""
    hh = entry["household"]
    tags = set()
    by_id = {m["id"]: m for m in hh["members"]}
    ages = {m["id"]: age_on(m["date_of_birth"], hh["coverage_start"]) for m in hh["members"]}
    for pid, mo in members_out.items():
        cat = mo["pe"]["medicaid_category"]
        if cat not in ("NONE", "INFANT", "YOUNG_CHILD", "OLDER_CHILD", "YOUNG_ADULT", "ADULT", "PARENT",
                       "PREGNANT"):
            tags.add("pe_non_magi_medicaid")
        if mo["pe"].get("chip_category", "NONE") not in ("NONE", "CHILD"):
            tags.add("pe_chip_pregnant_or_fcep")
        if by_id[pid]["immigration"]["status"] == "not_lawfully_present" and mo["medicaid"]:
            tags.add("pe_undocumented_medicaid")
        if ages[pid] >= 65:
            tags.add("age_65_plus")
        if mo["pe"].get("aca_child_index", 0) > 3:
            tags.add("more_than_3_children_under_21")
    for u in ths:
        if not u["filer"]:
            tags.add("non_filer")
        deps = [p for p in u["members"] if by_id[p]["tax"].get("claimed_by")]
        if any(by_id[p]["incomes"] for p in deps):
            tags.add("dependent_income")
        if u["filer"] and abs(u["fpl_percent"] - 400) < 1e-9:
            tags.add("ptc_fpl_exactly_400")
    if any(m["pregnant"] for m in hh["members"]) and len(hh["members"]) > 1:
        tags.add("pregnancy_other_members")
    if any(m["immigration"]["status"] != "citizen" for m in hh["members"]):
        tags.add("immigrant")
    if "edge" in entry["info"]:
        tags.add("near_threshold")
    return sorted(tags)


def check_isolated(entries: list[dict], n: int, seed: int) -> None:
    """Batching must not change results (policyengine-core shares input arrays across a batch)."""
    import copy

    rng = random.Random(seed + 1)
    sample = rng.sample(entries, min(n, len(entries)))
    bad = 0
    for e in sample:
        one = {k: copy.deepcopy(v) for k, v in e.items() if k in ("id", "household", "units", "info")}
        run_policyengine([one], e["household"]["coverage_year"])
        if one["pe_members"] != e["pe_members"] or one["pe_units"] != e["pe_units"]:
            bad += 1
            print(f"batch/isolated mismatch in {e['id']}", file=sys.stderr)
    print(f"isolated check: {len(sample) - bad}/{len(sample)} households identical", file=sys.stderr)
    if bad:
        raise SystemExit(1)


def generate(n: int, years: list[int], seed: int) -> list[dict]:
    rng = random.Random(seed)
    entries = []
    for i in range(n):
        year = years[i % len(years)]
        hid = f"h{i + 1:04d}"
        hh, info = make_household(rng, year, hid)
        units = tax_units(hh)
        for u in units:
            u["benchmark_annual"] = benchmark_annual(hh, u["members"])
        entries.append({"id": hid, "household": hh, "units": units, "info": info})
    return entries


MEMBER_DEFAULTS = {
    "sex": "unknown", "seeking_coverage": True, "pregnant": False, "expected_children": 0,
    "incarcerated": False, "incarceration_pending_disposition": False,
    "american_indian_alaska_native": False, "state_resident": True, "blind_or_disabled": False,
    "medicare": False, "other_mec": False, "employer_offer": None, "incomes": [], "deductions": [],
}
TAX_DEFAULTS = {"filer": False, "filing_status": None, "spouse_id": None, "claimed_by": None,
                "mfs_exception": False}


def normalise(hh: dict) -> dict:
    """Fill in the defaults of the household JSON (docs/rules/household-input.md)."""
    year = hh["coverage_year"]
    members = []
    for m in hh["members"]:
        full = {**MEMBER_DEFAULTS, **m}
        full["tax"] = {**TAX_DEFAULTS, **(m.get("tax") or {})}
        full["immigration"] = {"status": "citizen", "five_year_bar_met": True, **(m.get("immigration") or {})}
        if full["tax"]["filer"] and not full["tax"]["filing_status"]:
            full["tax"]["filing_status"] = "single"
        members.append(full)
    return {**hh, "coverage_start": hh.get("coverage_start") or f"{year}-01-01",
            "members": members, "relationships": hh.get("relationships") or []}


def time_households(path: str, singles: int = 5) -> int:
    """Time PolicyEngine on households from a JSON list (as benchmarks/determine.py generates):
    one batch per year, and a few one at a time. Prints one JSON line."""
    t = time.time()
    import policyengine_us  # noqa: F401
    from importlib.metadata import version
    import_seconds = time.time() - t
    hhs = [normalise(h) for h in json.loads(Path(path).read_text())]
    hhs = [h for h in hhs if h["coverage_year"] in SLCSP_AGE0]  # years with benchmark levels here
    entries = []
    for i, hh in enumerate(hhs):
        units = tax_units(hh)
        for u in units:
            u["benchmark_annual"] = benchmark_annual(hh, u["members"])
        entries.append({"id": f"b{i + 1:05d}", "household": hh, "units": units, "info": {}})
    batch_seconds = 0.0
    for y in sorted({e["household"]["coverage_year"] for e in entries}):
        batch = [e for e in entries if e["household"]["coverage_year"] == y]
        t = time.time()
        run_policyengine(batch, y)
        batch_seconds += time.time() - t
    single_seconds = []
    for e in entries[:singles]:
        t = time.time()
        run_policyengine([e], e["household"]["coverage_year"])
        single_seconds.append(time.time() - t)
    print(json.dumps({"version": version("policyengine-us"), "households": len(entries),
                      "batch_seconds": batch_seconds, "single_seconds": single_seconds,
                      "import_seconds": import_seconds}))
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=1200, help="number of households (default 1200)")
    ap.add_argument("--years", default="2025,2026", help="comma-separated coverage years")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("-o", "--output", default=str(DEFAULT_OUT))
    ap.add_argument("--check-isolated", type=int, default=0, metavar="N",
                    help="re-run N random households one at a time and check the batch gave the same results")
    ap.add_argument("--time", metavar="FILE",
                    help="time PolicyEngine on the households in FILE (used by benchmarks/determine.py)")
    args = ap.parse_args(argv)
    if args.time:
        return time_households(args.time)
    years = [int(y) for y in args.years.split(",")]
    t0 = time.time()
    entries = generate(args.n, years, args.seed)
    for y in years:
        batch = [e for e in entries if e["household"]["coverage_year"] == y]
        t = time.time()
        run_policyengine(batch, y)
        print(f"PolicyEngine {y}: {len(batch)} households in {time.time() - t:.1f}s", file=sys.stderr)
    if args.check_isolated:
        check_isolated(entries, args.check_isolated, args.seed)
    out = [finish(e) for e in entries]

    import policyengine_us  # noqa: F401  (version check)
    from importlib.metadata import version
    pe_version = version("policyengine-us")
    if pe_version != PE_VERSION:
        print(f"warning: policyengine-us {pe_version} installed, fixture expects {PE_VERSION}", file=sys.stderr)

    path = Path(args.output)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as f:
        f.write("{\n")
        f.write(f'"generator": {json.dumps(GENERATOR)},\n')
        f.write(f'"policyengine_us_version": {json.dumps(pe_version)},\n')
        f.write(f'"seed": {args.seed},\n')
        f.write(f'"years": {json.dumps(years)},\n')
        f.write('"households": [\n')
        for i, h in enumerate(out):
            f.write(json.dumps(h, sort_keys=True, separators=(",", ":")))
            f.write(",\n" if i < len(out) - 1 else "\n")
        f.write("]\n}\n")
    print(f"wrote {len(out)} households to {path} ({path.stat().st_size / 1e6:.2f} MB) "
          f"in {time.time() - t0:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
