"""``household_json``: the engine's household JSON from the answers, checked by
``rules.parse_household``, gives the expected programs for typical households."""

from __future__ import annotations

from typing import Any

import pytest

from apps.applications import services
from apps.eligibility.selectors import benchmark_source, parameters
from rules import Determination, Program, determine, parse_household
from rules.reasons import Code
from tests.applications import factories as f

pytestmark = pytest.mark.django_db


def determination(user: Any, answers: f.Answers) -> tuple[dict[str, Any], Determination]:
    app = f.make_application(user, answers)
    household = services.household_json(app)
    return household, determine(parse_household(household), parameters(), benchmark_source())


def codes(d: Determination, member_id: str) -> set[Code]:
    return {r.code for r in d.member(member_id).reasons}


def test_the_json_has_the_engine_shape(user: Any) -> None:
    household, _ = determination(user, f.family_180())
    assert household["coverage_year"] == 2026
    assert household["address"] == {"state": "MA", "county_fips": "25025", "zip": "02118"}
    assert [m["id"] for m in household["members"]] == ["m1", "m2", "m3", "m4"]
    ana = household["members"][0]
    assert ana["name"] == "Ana Silva"
    assert ana["tax"] == {
        "filer": True,
        "filing_status": "married_filing_jointly",
        "spouse_id": "m2",
    }
    assert ana["incomes"] == [{"type": "wages", "amount": 58000, "frequency": "yearly"}]
    assert household["members"][2]["tax"] == {"filer": False, "claimed_by": "m1"}
    assert {"from": "m1", "to": "m3", "type": "parent"} in household["relationships"]
    assert {"from": "m2", "to": "m1", "type": "spouse"} in household["relationships"]
    assert {"from": "m4", "to": "m3", "type": "sibling"} in household["relationships"]


def test_family_of_four_at_180_percent(user: Any) -> None:
    _, d = determination(user, f.family_180())
    assert d.tax_households[0].fpl_percent == 180
    for child in ("m3", "m4"):
        assert d.member(child).program is Program.CHIP
    for parent in ("m1", "m2"):
        m = d.member(parent)
        assert m.program is Program.CONNECTORCARE
        assert m.connectorcare_plan_type == "2B"
        assert m.aptc_eligible
    assert d.tax_households[0].max_aptc_monthly > 0


def test_single_adult_at_220_percent(user: Any) -> None:
    _, d = determination(user, f.single_220())
    m = d.member("m1")
    assert d.tax_households[0].fpl_percent == 220
    assert m.aptc_eligible and d.tax_households[0].max_aptc_monthly > 0
    assert m.csr == "73"
    # In Massachusetts, credit-eligible adults up to the ConnectorCare limit get ConnectorCare.
    assert m.program is Program.CONNECTORCARE and m.connectorcare_plan_type == "3A"


def test_couple_above_400_percent_in_2026(user: Any) -> None:
    _, d = determination(user, f.couple_above_400())
    th = d.tax_households[0]
    assert th.fpl_percent > 400
    assert th.max_aptc_monthly == 0
    for mid in ("m1", "m2"):
        assert d.member(mid).program is Program.QHP
        assert not d.member(mid).aptc_eligible
        assert Code.PTC_INCOME_ABOVE_LIMIT in codes(d, mid)


def test_employer_offer_affordable_for_the_employee_only(user: Any) -> None:
    household, d = determination(user, f.employer_employee_only())
    assert household["members"][0]["employer_offer"] == {
        "employee_only_premium": 100,
        "family_premium": 900,
        "frequency": "monthly",
        "covers_family": True,
        "minimum_value": True,
    }
    employee, spouse, child = d.member("m1"), d.member("m2"), d.member("m3")
    assert employee.program is Program.QHP and not employee.aptc_eligible
    assert Code.EMPLOYER_AFFORDABLE_EMPLOYEE in codes(d, "m1")
    assert spouse.aptc_eligible
    assert Code.EMPLOYER_UNAFFORDABLE in codes(d, "m2")
    assert child.program is Program.CHIP


def test_household_at_120_percent_all_masshealth(user: Any) -> None:
    _, d = determination(user, f.masshealth_120())
    assert [m.program for m in d.members] == [Program.MEDICAID] * 3
    assert d.member("m1").medicaid_category == "parent_caretaker"
    assert {d.member("m2").medicaid_category, d.member("m3").medicaid_category} == {"child"}


def test_circumstances_and_coverage_reach_the_engine(user: Any) -> None:
    answers = f.family_180()
    answers["circumstances"]["pregnant"] = ["m1"]
    answers["circumstances"]["expected_children"] = {"m1": 2}
    answers["circumstances"]["american_indian_alaska_native"] = ["m2"]
    answers["circumstances"]["blind_or_disabled"] = ["m4"]
    answers["circumstances"]["incarcerated"] = ["m2"]
    answers["circumstances"]["pending_disposition"] = ["m2"]
    answers["coverage"]["medicare"] = ["m2"]
    answers["coverage"]["other_coverage"] = ["m3"]
    answers["immigration"]["members"]["m1"] = {
        "status": "lawful_permanent_resident",
        "five_year_bar_met": False,
    }
    household, _ = determination(user, answers)
    ana, ben, carla, davi = household["members"]
    assert (ana["pregnant"], ana["expected_children"]) == (True, 2)
    assert ana["immigration"] == {"status": "lawful_permanent_resident", "five_year_bar_met": False}
    assert ben["american_indian_alaska_native"] and ben["medicare"]
    assert ben["incarcerated"] and ben["incarceration_pending_disposition"]
    assert carla["other_mec"] and not carla["medicare"]
    assert davi["blind_or_disabled"]


def test_people_not_applying_count_but_are_not_asked_about_status(user: Any) -> None:
    answers = f.family_180()
    answers["people"]["members"][1]["seeking_coverage"] = False
    answers["immigration"] = f.citizens("m1", "m3", "m4")
    household, d = determination(user, answers)
    assert household["members"][1]["seeking_coverage"] is False
    assert household["members"][1]["immigration"]["status"] == "citizen"
    assert d.member("m2").program is Program.NOT_APPLYING
    assert d.tax_households[0].size == 4


def test_incomplete_application_names_the_steps(user: Any) -> None:
    app = f.make_application(user, f.family_180(), steps=("people", "tax", "address"))
    with pytest.raises(services.Incomplete) as caught:
        services.household_json(app)
    assert caught.value.steps == ["immigration", "circumstances", "income", "coverage"]
