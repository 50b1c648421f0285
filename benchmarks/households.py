"""Deterministic generator of varied Massachusetts household applications (the project's JSON)."""

from __future__ import annotations

import random
from typing import Any

MA_COUNTIES = [f"25{n:03d}" for n in range(1, 28, 2)]
FREQUENCIES = ["weekly", "biweekly", "semimonthly", "monthly", "yearly"]
PER_YEAR = {"weekly": 52, "biweekly": 26, "semimonthly": 24, "monthly": 12, "yearly": 1}


def generate(
    count: int, seed: int = 20261127, years: tuple[int, ...] = (2025, 2026, 2027)
) -> list[dict[str, Any]]:
    rnd = random.Random(seed)
    return [household(rnd, rnd.choice(years)) for _ in range(count)]


def household(rnd: random.Random, year: int) -> dict[str, Any]:
    married = rnd.random() < 0.5
    n_children = rnd.choice([0, 0, 1, 1, 2, 2, 3, 4])
    adults = ["a1", "a2"] if married else ["a1"]
    target = rnd.uniform(0, 7) * (15650 + 5500 * (len(adults) + n_children - 1))
    members: list[dict[str, Any]] = []
    relationships: list[dict[str, str]] = []
    for i, aid in enumerate(adults):
        age = rnd.randint(19, 64)
        tax: dict[str, Any] = {"filer": True}
        if married:
            tax.update(filing_status="married_filing_jointly", spouse_id=adults[1 - i])
        share = target if i == 0 else target * rnd.choice([0, 0.3, 0.5])
        freq = rnd.choice(FREQUENCIES)
        incomes = [
            {
                "type": rnd.choice(["wages", "wages", "self_employment"]),
                "amount": round(share / PER_YEAR[freq], 2),
                "frequency": freq,
            }
        ]
        if rnd.random() < 0.2:
            incomes.append(
                {
                    "type": rnd.choice(
                        ["taxable_interest", "tax_exempt_interest", "social_security", "pension"]
                    ),
                    "amount": rnd.randint(100, 4000),
                    "frequency": "yearly",
                }
            )
        member: dict[str, Any] = {
            "id": aid,
            "date_of_birth": f"{year - age - 1}-{rnd.randint(1, 12):02d}-15",
            "tax": tax,
            "incomes": incomes,
        }
        if rnd.random() < 0.05 and age < 45:
            member["pregnant"] = True
        if rnd.random() < 0.03:
            member["american_indian_alaska_native"] = True
        if rnd.random() < 0.1:
            member["employer_offer"] = {
                "employee_only_premium": rnd.randint(50, 500),
                "family_premium": rnd.randint(400, 1800),
                "frequency": "monthly",
            }
        if rnd.random() < 0.05:
            member["immigration"] = {
                "status": "lawful_permanent_resident",
                "five_year_bar_met": rnd.random() < 0.5,
            }
        members.append(member)
    if married:
        relationships.append({"from": "a1", "to": "a2", "type": "spouse"})
    for j in range(n_children):
        cid = f"c{j + 1}"
        age = rnd.randint(0, 20)
        child: dict[str, Any] = {
            "id": cid,
            "date_of_birth": f"{year - age - 1}-06-01",
            "tax": {"claimed_by": "a1"},
        }
        if age >= 15 and rnd.random() < 0.3:
            child["incomes"] = [
                {"type": "wages", "amount": rnd.randint(1000, 20000), "frequency": "yearly"}
            ]
        members.append(child)
        relationships.extend({"from": a, "to": cid, "type": "parent"} for a in adults)
    return {
        "coverage_year": year,
        "address": {"state": "MA", "county_fips": rnd.choice(MA_COUNTIES)},
        "members": members,
        "relationships": relationships,
    }
