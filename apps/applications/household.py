"""The rules engine's household JSON (docs/rules/household-input.md) from an application's
checked answers. Pure: no database, no Django."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

#: The people step's "B is A's ___" as the engine's relationship, and whether it reads the other
#: way round (a child: A is the parent of B). "unrelated" gives no relationship.
ENGINE_RELATIONS: dict[str, tuple[str, bool]] = {
    "spouse": ("spouse", False),
    "parent": ("parent", False),
    "child": ("parent", True),
    "stepparent": ("stepparent", False),
    "stepchild": ("stepparent", True),
    "sibling": ("sibling", False),
    "grandparent": ("grandparent", False),
    "grandchild": ("grandparent", True),
    "caretaker": ("caretaker", False),
    "cared_for": ("caretaker", True),
    "other_relative": ("other", False),
}


def number(value: Any) -> int | float:
    """A stored amount ("2500", "2500.5") as a JSON number (whole dollars as an integer)."""
    amount = Decimal(str(value))
    if amount == amount.to_integral_value():
        return int(amount)
    return float(amount)


def build_household(answers: dict[str, Any], coverage_year: int) -> dict[str, Any]:
    """The household JSON from every step's checked answers (``steps.checked_answers``)."""
    people = answers["people"]
    tax = answers["tax"]["members"]
    home = answers["address"]["home"]
    immigration = answers["immigration"]["members"]
    circumstances = answers["circumstances"]
    income = answers["income"]["members"]
    coverage = answers["coverage"]
    expected = circumstances.get("expected_children", {})
    offers = coverage.get("offers", {})

    def has(group: dict[str, Any], key: str, member_id: str) -> bool:
        return member_id in group.get(key, [])

    members = []
    for m in people["members"]:
        mid = m["id"]
        t = tax.get(mid, {})
        tax_json: dict[str, Any] = {"filer": bool(t.get("filer"))}
        if t.get("filer"):
            tax_json["filing_status"] = t["filing_status"]
            if t["filing_status"] == "married_filing_jointly":
                tax_json["spouse_id"] = t["joint_with"]
            if t["filing_status"] == "married_filing_separately":
                tax_json["mfs_exception"] = bool(t.get("mfs_exception"))
        if t.get("claimed_by"):
            tax_json["claimed_by"] = t["claimed_by"]
        status = immigration.get(mid, {"status": "citizen", "five_year_bar_met": True})
        pregnant = has(circumstances, "pregnant", mid)
        offer = offers.get(mid)
        money = income.get(mid, {"incomes": [], "deductions": []})
        member: dict[str, Any] = {
            "id": mid,
            "name": f"{m['first_name']} {m['last_name']}".strip(),
            "date_of_birth": m["date_of_birth"],
            "sex": m["sex"],
            "seeking_coverage": bool(m["seeking_coverage"]),
            "tax": tax_json,
            "pregnant": pregnant,
            "expected_children": int(expected.get(mid, 1)) if pregnant else 0,
            "immigration": {
                "status": status["status"],
                "five_year_bar_met": bool(status.get("five_year_bar_met", True)),
            },
            "incarcerated": has(circumstances, "incarcerated", mid),
            "incarceration_pending_disposition": has(circumstances, "pending_disposition", mid),
            "american_indian_alaska_native": has(
                circumstances, "american_indian_alaska_native", mid
            ),
            "state_resident": True,  # the home address is in the state (address step)
            "blind_or_disabled": has(circumstances, "blind_or_disabled", mid),
            "medicare": has(coverage, "medicare", mid),
            "other_mec": has(coverage, "other_coverage", mid),
            "employer_offer": None
            if offer is None
            else {
                "employee_only_premium": number(offer["employee_only_premium"]),
                "family_premium": None
                if offer.get("family_premium") is None
                else number(offer["family_premium"]),
                "frequency": offer["frequency"],
                "covers_family": offer.get("family_premium") is not None,
                "minimum_value": bool(offer["minimum_value"]),
            },
            "incomes": [
                {"type": r["type"], "amount": number(r["amount"]), "frequency": r["frequency"]}
                for r in money.get("incomes", [])
            ],
            "deductions": [
                {"type": r["type"], "amount": number(r["amount"]), "frequency": r["frequency"]}
                for r in money.get("deductions", [])
            ],
        }
        members.append(member)
    relationships = []
    for r in people.get("relationships", []):
        engine = ENGINE_RELATIONS.get(r["relation"])
        if engine is None:
            continue
        kind, inverse = engine
        source, target = (r["to"], r["from"]) if inverse else (r["from"], r["to"])
        relationships.append({"from": source, "to": target, "type": kind})
    return {
        "coverage_year": coverage_year,
        "address": {"state": home["state"], "county_fips": home["county_fips"], "zip": home["zip"]},
        "members": members,
        "relationships": relationships,
    }
