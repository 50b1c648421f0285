"""Each step's checks, through the service (``save_step``): field-level messages, nothing stored
when refused, and stored answers that read back the same."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from apps.applications import services
from apps.applications.forms import context_from
from apps.applications.models import Application
from apps.applications.steps import STEPS, check_answers
from tests.applications import factories as f

pytestmark = pytest.mark.django_db


def refused(
    app: Application, step: str, answers: dict[str, Any], user: Any
) -> dict[str, list[str]]:
    """Save must refuse: the errors by field; the stored answers and version unchanged."""
    before = (copy.deepcopy(app.data), app.version)
    with pytest.raises(services.StepInvalid) as caught:
        services.save_step(app, step, answers, user)
    app.refresh_from_db()
    assert (app.data, app.version) == before
    assert caught.value.step == step
    return caught.value.errors


def family_app(user: Any, steps: tuple[str, ...] = ("people",)) -> Application:
    return f.make_application(user, f.family_180(), steps=steps)


@pytest.mark.parametrize("name", list(f.HOUSEHOLDS))
def test_stored_answers_read_back_the_same(name: str, user: Any) -> None:
    answers = f.HOUSEHOLDS[name]()
    app = f.make_application(user, answers)
    context = context_from(app.data, app.coverage_year)
    for step in STEPS:
        assert app.data[step] == answers[step], step
        form = check_answers(step, app.data[step], context)
        assert form.is_valid(), (step, form.errors)
        assert form.answers() == answers[step]


# --- people -----------------------------------------------------------------------------------------


def test_people_needs_names_dates_and_answers(user: Any) -> None:
    app = f.make_application(user, steps=())
    answers = f.family_180()["people"]
    answers["members"][0]["first_name"] = ""
    answers["members"][1]["date_of_birth"] = "2099-01-01"
    answers["members"][2]["date_of_birth"] = "not a date"
    errors = refused(app, "people", answers, user)
    assert errors["m1-first_name"] == ["Enter your first name"]
    assert errors["m2-date_of_birth"] == ["The date of birth of Ben Silva must be in the past"]
    assert errors["m3-date_of_birth"] == [
        "Enter the date of birth of Carla Silva as month/day/year, for example 03/28/1986"
    ]


def test_people_someone_must_need_coverage(user: Any) -> None:
    app = f.make_application(user, steps=())
    answers = f.single_220()["people"]
    answers["members"][0]["seeking_coverage"] = False
    errors = refused(app, "people", answers, user)
    assert errors["m1-seeking_coverage"] == [
        "Choose Yes for at least one person who needs health coverage"
    ]


def test_people_every_pair_needs_a_relationship_that_fits_the_ages(user: Any) -> None:
    app = f.make_application(user, steps=())
    answers = f.family_180()["people"]
    answers["relationships"] = [r for r in answers["relationships"] if r["from"] != "m4"]
    answers["relationships"].append({"from": "m4", "to": "m1", "relation": "parent"})
    errors = refused(app, "people", answers, user)
    assert errors["rel-m1-m4"] == [
        "Check how Davi Silva is related to you: the dates of birth do not fit this relationship"
    ]
    assert errors["rel-m2-m4"] == ["Choose how Davi Silva is related to Ben Silva"]


def test_people_one_spouse_each(user: Any) -> None:
    app = f.make_application(user, steps=())
    answers = f.couple_above_400()["people"]
    answers["members"].append(f.person("m3", "Tia", "Park", "1975-01-01", "female"))
    answers["relationships"] += [
        {"from": "m3", "to": "m1", "relation": "spouse"},
        {"from": "m3", "to": "m2", "relation": "sibling"},
    ]
    errors = refused(app, "people", answers, user)
    assert errors["rel-m1-m2"] == ["you can have only one spouse in the household"]


def test_people_accepts_us_dates_and_stores_iso(user: Any) -> None:
    app = f.make_application(user, steps=())
    answers = f.single_220()["people"]
    services.save_step(app, "people", answers, user)
    assert app.data["people"]["members"][0]["date_of_birth"] == "1990-05-01"


def test_other_steps_need_the_people_first(user: Any) -> None:
    app = f.make_application(user, steps=())
    with pytest.raises(services.PeopleFirst):
        services.save_step(app, "tax", f.single_220()["tax"], user)


def test_unknown_step_is_refused(user: Any) -> None:
    app = f.make_application(user, steps=())
    with pytest.raises(services.UnknownStep):
        services.save_step(app, "review", {}, user)


# --- tax --------------------------------------------------------------------------------------------


def test_tax_filer_answer_and_status_are_required(user: Any) -> None:
    app = family_app(user)
    answers = f.family_180()["tax"]
    del answers["members"]["m4"]
    answers["members"]["m2"] = {"filer": True, "filing_status": None}
    errors = refused(app, "tax", answers, user)
    assert errors["m4-filer"] == [
        "Choose Yes or No: will Davi Silva file a federal tax return for 2026?"
    ]
    assert "Choose the filing status of Ben Silva" in errors["m2-filing_status"]


def test_tax_joint_return_needs_both_spouses(user: Any) -> None:
    app = family_app(user)
    answers = f.family_180()["tax"]
    answers["members"]["m2"] = {"filer": True, "filing_status": "single"}
    errors = refused(app, "tax", answers, user)
    assert errors["m2-filing_status"] == [
        "Ana Silva files jointly with Ben Silva, so choose Yes and “Married filing jointly” with "
        "Ana Silva for Ben Silva too"
    ]


def test_tax_joint_return_is_with_the_spouse(user: Any) -> None:
    app = family_app(user)
    answers = f.family_180()["tax"]
    answers["members"]["m1"]["joint_with"] = "m3"
    errors = refused(app, "tax", answers, user)
    assert errors["m1-joint_with"][0].startswith("Ana Silva is married to Ben Silva")


def test_tax_the_spouse_on_a_joint_return_defaults_to_the_married_partner(user: Any) -> None:
    app = family_app(user)
    answers = f.family_180()["tax"]
    answers["members"]["m2"]["joint_with"] = None
    services.save_step(app, "tax", answers, user)
    assert app.data["tax"]["members"]["m2"]["joint_with"] == "m1"


def test_tax_whoever_claims_a_dependent_files(user: Any) -> None:
    app = family_app(user)
    answers = f.family_180()["tax"]
    answers["members"]["m3"]["claimed_by"] = "m4"
    answers["members"]["m4"] = {"filer": False, "claimed_by": "m1"}
    errors = refused(app, "tax", answers, user)
    assert errors["m3-claimed_by"] == [
        "Davi Silva will claim Carla Silva, so Davi Silva must file a tax return: choose Yes for "
        "Davi Silva, or change who claims Carla Silva"
    ]


def test_tax_a_joint_filer_cannot_be_claimed(user: Any) -> None:
    app = family_app(user)
    answers = f.family_180()["tax"]
    answers["members"]["m2"]["claimed_by"] = "m1"
    errors = refused(app, "tax", answers, user)
    assert errors["m2-claimed_by"] == [
        "Ben Silva files a joint return, so cannot be claimed as a dependent"
    ]


# --- address ----------------------------------------------------------------------------------------


def address(**home: str) -> dict[str, Any]:
    answers = copy.deepcopy(f.BOSTON)
    answers["home"].update(home)
    return answers


def test_address_zip_must_be_in_the_state(user: Any) -> None:
    app = family_app(user)
    errors = refused(app, "address", address(zip="10001"), user)
    assert errors["zip"][0].startswith("ZIP code 10001 is not in Massachusetts")
    errors = refused(app, "address", address(zip="2118"), user)
    assert errors["zip"] == ["Enter the ZIP code of your home as 5 digits, for example 02118"]


def test_address_two_county_zip_asks_which(user: Any) -> None:
    app = family_app(user)
    errors = refused(app, "address", address(zip="01434", county_fips=""), user)
    assert errors["county"] == [
        "Choose your county: ZIP code 01434 is in Middlesex County and Worcester County"
    ]
    services.save_step(app, "address", address(zip="01434", county_fips="25027"), user)
    assert app.data["address"]["home"]["county_fips"] == "25027"
    assert app.data["address"]["home"]["county_name"] == "Worcester County"


def test_address_one_county_zip_sets_the_county(user: Any) -> None:
    app = family_app(user)
    services.save_step(app, "address", address(zip="01201", county_fips=""), user)
    assert app.data["address"]["home"]["county_fips"] == "25003"


def test_address_mailing_address_when_different(user: Any) -> None:
    app = family_app(user)
    answers = address()
    answers["mailing_same"] = False
    answers["mailing"] = {"street": "", "city": "", "state": "Mass", "zip": "x"}
    errors = refused(app, "address", answers, user)
    assert set(errors) == {"mailing_street", "mailing_city", "mailing_state", "mailing_zip"}


def test_address_requires_street_and_city(user: Any) -> None:
    app = family_app(user)
    errors = refused(app, "address", address(street="", city=""), user)
    assert errors["street"] == ["Enter the street address of your home"]
    assert errors["city"] == ["Enter the city or town of your home"]


# --- immigration ------------------------------------------------------------------------------------


def test_immigration_status_for_each_applicant(user: Any) -> None:
    app = family_app(user)
    answers = f.family_180()["immigration"]
    del answers["members"]["m3"]
    answers["members"]["m2"] = {"status": "lawful_permanent_resident"}
    answers["members"]["m2"].pop("five_year_bar_met", None)
    errors = refused(app, "immigration", answers, user)
    assert errors["m3-status"] == ["Choose the citizenship or immigration status of Carla Silva"]
    assert errors["m2-five_years"] == [
        "Choose Yes or No: has Ben Silva had this status for 5 years or more?"
    ]


def test_immigration_asks_only_people_who_need_coverage(user: Any) -> None:
    answers = f.family_180()
    answers["people"]["members"][1]["seeking_coverage"] = False
    app = f.make_application(user, answers, steps=("people",))
    imm = f.citizens("m1", "m3", "m4")
    services.save_step(app, "immigration", imm, user)
    assert set(app.data["immigration"]["members"]) == {"m1", "m3", "m4"}


# --- circumstances ----------------------------------------------------------------------------------


def test_circumstances_checks(user: Any) -> None:
    app = family_app(user)
    answers = f.no_circumstances()
    answers["pending_disposition"] = ["m2"]
    answers["expected_children"] = {"m1": 9}
    errors = refused(app, "circumstances", answers, user)
    assert errors["pending_disposition"][0].startswith(
        "You said Ben Silva is waiting for charges to be decided"
    )
    assert errors["m1-expected"] == [
        "Enter the number of babies Ana Silva expects as a number from 1 to 8"
    ]
    answers = f.no_circumstances()
    answers["expected_children"] = {"m1": 2}
    errors = refused(app, "circumstances", answers, user)
    assert errors["m1-expected"][0].startswith("You entered babies expected for Ana Silva")


def test_circumstances_pregnancy_defaults_to_one_baby(user: Any) -> None:
    app = family_app(user)
    answers = f.no_circumstances()
    answers["pregnant"] = ["m1"]
    services.save_step(app, "circumstances", answers, user)
    assert app.data["circumstances"]["expected_children"] == {"m1": 1}


def test_circumstances_nobody_is_an_answer(user: Any) -> None:
    app = family_app(user)
    services.save_step(app, "circumstances", {}, user)
    assert app.data["circumstances"]["incarcerated"] == []


# --- income -----------------------------------------------------------------------------------------


def test_income_rows_are_complete(user: Any) -> None:
    app = family_app(user)
    answers = f.family_180()["income"]
    answers["members"]["m1"]["incomes"] = [
        {"type": "wages", "amount": "", "frequency": "monthly"},
        {"type": "", "amount": "500", "frequency": ""},
        {"type": "wages", "amount": "-20", "frequency": "monthly"},
        {"type": "pension", "amount": "12,00", "frequency": "monthly"},
    ]
    errors = refused(app, "income", answers, user)
    assert errors["m1-income-0-amount"] == ["Enter the amount of income 1 of Ana Silva"]
    assert errors["m1-income-1-type"] == ["Choose the type of income 2 of Ana Silva"]
    assert errors["m1-income-1-frequency"] == [
        "Choose how often Ana Silva gets or pays this amount"
    ]
    assert errors["m1-income-2-amount"] == ["Enter the amount as dollars, for example 2,500"]
    assert errors["m1-income-3-amount"] == ["Enter the amount as dollars, for example 2,500"]


def test_income_losses_and_deductions(user: Any) -> None:
    app = family_app(user)
    answers = f.family_180()["income"]
    answers["members"]["m2"]["incomes"] = [
        {"type": "self_employment", "amount": "-1,200.50", "frequency": "yearly"}
    ]
    answers["members"]["m2"]["deductions"] = [
        {"type": "student_loan_interest", "amount": "$1,200", "frequency": "yearly"}
    ]
    services.save_step(app, "income", answers, user)
    person = app.data["income"]["members"]["m2"]
    assert person["incomes"] == [
        {"type": "self_employment", "amount": "-1200.5", "frequency": "yearly"}
    ]
    assert person["deductions"][0]["amount"] == "1200"


# --- coverage ---------------------------------------------------------------------------------------


def test_coverage_offer_needs_premium_frequency_and_minimum_value(user: Any) -> None:
    app = family_app(user)
    answers = f.no_coverage()
    answers["offers"] = {
        "m1": {"employee_only_premium": "", "frequency": "", "minimum_value": None}
    }
    errors = refused(app, "coverage", answers, user)
    assert errors["m1-employee_only_premium"] == [
        "Enter the premium Ana Silva would pay for employee-only coverage"
    ]
    assert errors["m1-frequency"] == ["Choose how often Ana Silva would pay the premium"]
    assert errors["m1-minimum_value"] == [
        "Choose whether the plan offered to Ana Silva meets minimum value"
    ]


def test_coverage_premium_without_an_offer(user: Any) -> None:
    app = family_app(user)
    form_data = {
        "medicare": [],
        "other_coverage": [],
        "offered": [],
        "m2-employee_only_premium": "50",
    }
    context = context_from(app.data, app.coverage_year)
    from apps.applications.steps import CoverageForm

    form = CoverageForm(form_data, context=context)
    assert not form.is_valid()
    assert str(form.errors["m2-employee_only_premium"][0]).startswith(
        "You entered a premium for Ben Silva"
    )


def test_coverage_offer_without_family_coverage(user: Any) -> None:
    app = family_app(user)
    answers = f.no_coverage()
    answers["medicare"] = ["m2"]
    answers["offers"] = {
        "m1": {
            "employee_only_premium": "120.5",
            "family_premium": None,
            "frequency": "biweekly",
            "minimum_value": True,
            "minimum_value_answer": "unknown",
        }
    }
    services.save_step(app, "coverage", answers, user)
    assert app.data["coverage"]["offers"]["m1"]["minimum_value"] is True
    assert app.data["coverage"]["medicare"] == ["m2"]


def test_checked_answers_are_remembered_but_each_caller_gets_its_own_copy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Checking builds all seven forms; the same answers on the same day are checked once."""
    from apps.applications import steps

    answers = f.single_220()
    calls: list[int] = []
    real = steps._check_all

    def counting(data: Any, year: int) -> Any:
        calls.append(year)
        return real(data, year)

    monkeypatch.setattr(steps, "_check_all", counting)
    steps._checked_cache.clear()
    first = steps.checked_answers(answers, 2026)
    first["people"] = None  # a caller changing its copy changes nothing for the next one
    second = steps.checked_answers(answers, 2026)
    assert calls == [2026]
    assert second["people"] is not None
    assert all(second[s] is not None for s in steps.STEPS)
    changed = {k: v for k, v in answers.items() if k != "income"}
    third = steps.checked_answers(changed, 2026)
    assert calls == [2026, 2026]
    assert third["income"] is None
