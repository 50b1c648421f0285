"""Hypothesis strategies for household applications (the project's JSON form)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

MA_COUNTIES = [f"25{n:03d}" for n in range(1, 28, 2)]
FREQUENCIES = ["weekly", "biweekly", "semimonthly", "monthly", "quarterly", "yearly"]
PER_YEAR = {
    "weekly": 52,
    "biweekly": 26,
    "semimonthly": 24,
    "monthly": 12,
    "quarterly": 4,
    "yearly": 1,
}


@st.composite
def households(draw: st.DrawFn, year: int | None = None) -> dict[str, Any]:
    coverage_year = year or draw(st.sampled_from([2025, 2026, 2027]))
    married = draw(st.booleans())
    n_children = draw(st.integers(0, 4))
    members: list[dict[str, Any]] = []
    relationships: list[dict[str, str]] = []
    adult_ids = ["a1", "a2"] if married else ["a1"]
    for aid in adult_ids:
        age = draw(st.integers(19, 70))
        tax: dict[str, Any] = {"filer": True}
        if married:
            tax.update(
                filing_status="married_filing_jointly", spouse_id="a2" if aid == "a1" else "a1"
            )
        incomes = []
        for _ in range(draw(st.integers(0, 2))):
            kind = draw(
                st.sampled_from(
                    ["wages", "self_employment", "social_security", "taxable_interest", "pension"]
                )
            )
            incomes.append(
                {
                    "type": kind,
                    "amount": draw(st.integers(0, 9000)),
                    "frequency": draw(st.sampled_from(FREQUENCIES)),
                }
            )
        members.append(
            {
                "id": aid,
                "date_of_birth": f"{coverage_year - age - 1}-07-01",
                "tax": tax,
                "pregnant": draw(st.booleans()) if age < 45 else False,
                "american_indian_alaska_native": draw(st.booleans()),
                "medicare": age >= 65 and draw(st.booleans()),
                "immigration": {
                    "status": draw(
                        st.sampled_from(
                            [
                                "citizen",
                                "citizen",
                                "lawful_permanent_resident",
                                "other_lawfully_present",
                            ]
                        )
                    ),
                    "five_year_bar_met": draw(st.booleans()),
                },
                "employer_offer": draw(
                    st.one_of(
                        st.none(),
                        st.builds(
                            lambda e, f: {
                                "employee_only_premium": e,
                                "family_premium": e + f,
                                "frequency": "monthly",
                            },
                            st.integers(0, 600),
                            st.integers(0, 1500),
                        ),
                    )
                ),
                "incomes": incomes,
            }
        )
    if married:
        relationships.append({"from": "a1", "to": "a2", "type": "spouse"})
    for i in range(n_children):
        cid = f"c{i + 1}"
        age = draw(st.integers(0, 22))
        incomes = []
        if age >= 14 and draw(st.booleans()):
            incomes.append(
                {"type": "wages", "amount": draw(st.integers(0, 25000)), "frequency": "yearly"}
            )
        members.append(
            {
                "id": cid,
                "date_of_birth": f"{coverage_year - age - 1}-03-15",
                "tax": {"claimed_by": "a1"},
                "incomes": incomes,
            }
        )
        for aid in adult_ids:
            relationships.append({"from": aid, "to": cid, "type": "parent"})
    return {
        "coverage_year": coverage_year,
        "address": {"state": "MA", "county_fips": draw(st.sampled_from(MA_COUNTIES))},
        "members": members,
        "relationships": relationships,
    }


def with_wages(household: dict[str, Any], yearly: int) -> dict[str, Any]:
    """The household with the first adult's income replaced by yearly wages."""
    members = [dict(m) for m in household["members"]]
    members[0]["incomes"] = [{"type": "wages", "amount": yearly, "frequency": "yearly"}]
    return {**household, "members": members}
