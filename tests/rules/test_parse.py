"""Bad input gets a clear error naming the field; examples follow the JSON schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from rules import InputError, is_cms_request, parse_cms_estimate, parse_household
from scripts.build_household_schema import OUT as SCHEMA_PATH
from scripts.build_household_schema import render

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))
SCHEMA = json.loads(SCHEMA_PATH.read_text())


def base() -> dict[str, Any]:
    return {
        "coverage_year": 2026,
        "address": {"state": "MA", "county_fips": "25025"},
        "members": [
            {"id": "p1", "date_of_birth": "1990-01-01", "tax": {"filer": True}},
            {"id": "p2", "date_of_birth": "2015-01-01", "tax": {"claimed_by": "p1"}},
        ],
        "relationships": [{"from": "p1", "to": "p2", "type": "parent"}],
    }


def test_schema_file_is_up_to_date() -> None:
    assert SCHEMA_PATH.read_text() == render(), "run scripts/build_household_schema.py"


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_examples_follow_their_schema_and_parse(path: Path) -> None:
    data = json.loads(path.read_text())
    if is_cms_request(data):
        assert parse_cms_estimate(data).members
    else:
        jsonschema.validate(data, SCHEMA)
        assert parse_household(data).members


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        (lambda d: d.pop("coverage_year"), "coverage_year", "is required"),
        (
            lambda d: d["members"][1].update(date_of_birth="2015-13-01"),
            "members[1].date_of_birth",
            "not a date",
        ),
        (
            lambda d: d["members"][0].update(incomes=[{"type": "salary", "amount": 1}]),
            "members[0].incomes[0].type",
            "'salary' is not one of",
        ),
        (
            lambda d: d["members"][0].update(incomes=[{"type": "wages", "amount": -5}]),
            "members[0].incomes[0].amount",
            "must not be negative",
        ),
        (
            lambda d: d["members"][0].update(incomes=[{"type": "wages", "amount": "lots"}]),
            "members[0].incomes[0].amount",
            "not a number",
        ),
        (
            lambda d: d["members"][0].update(
                incomes=[{"type": "wages", "amount": 5, "frequency": "daily"}]
            ),
            "members[0].incomes[0].frequency",
            "'daily' is not one of",
        ),
        (
            lambda d: d["members"][1]["tax"].update(claimed_by="p9"),
            "members[1].tax.claimed_by",
            "no member has id 'p9'",
        ),
        (lambda d: d["members"][1].update(id="p1"), "members[1].id", "duplicate id 'p1'"),
        (
            lambda d: d["members"][0].update(favourite_colour="blue"),
            "members[0].favourite_colour",
            "unknown field",
        ),
        (
            lambda d: d["address"].update(county_fips="250"),
            "address.county_fips",
            "must be five digits",
        ),
        (
            lambda d: d["members"][0]["tax"].update(filing_status="married_filing_jointly"),
            "members[0].tax.spouse_id",
            "is required when filing jointly",
        ),
        (
            lambda d: d["relationships"][0].update(to="p7"),
            "relationships[0].to",
            "no member has id 'p7'",
        ),
        (
            lambda d: d["members"][0]["tax"].update(filer=False),
            "members[1].tax.claimed_by",
            "is not a tax filer",
        ),
        (lambda d: d.update(members=[]), "members", "at least one member"),
        (
            lambda d: d["members"][0].update(pregnant="yes"),
            "members[0].pregnant",
            "must be true or false",
        ),
    ],
)
def test_bad_input_names_the_field(change: Any, path: str, message: str) -> None:
    data = base()
    change(data)
    with pytest.raises(InputError) as exc:
        parse_household(data)
    assert exc.value.path == path
    assert message in exc.value.message


def test_cms_request_is_one_tax_household() -> None:
    household = parse_cms_estimate(
        {
            "household": {
                "income": 50000,
                "has_married_couple": True,
                "people": [{"age": 40}, {"age": 12}, {"age": 38, "relationship": "Spouse"}],
            },
            "place": {"countyfips": "25025", "state": "MA", "zipcode": "02118"},
            "year": 2026,
        }
    )
    p1, p2, p3 = household.members
    assert p1.tax.filer
    assert p1.tax.spouse_id == "person3"
    assert p3.tax.filer
    assert p3.tax.spouse_id == "person1"
    assert p2.tax.claimed_by == "person1"
    assert p1.age_on(household.start) == 40
    assert p2.age_on(household.start) == 12
    assert sum(i.annual for i in p1.incomes) == 50000


def test_cms_request_errors_name_the_field() -> None:
    with pytest.raises(InputError) as exc:
        parse_cms_estimate(
            {
                "household": {"people": [{"age": -3}]},
                "place": {"countyfips": "25025", "state": "MA", "zipcode": "02118"},
                "year": 2026,
            }
        )
    assert exc.value.path == "household.people[0].age"
    with pytest.raises(InputError) as exc:
        parse_cms_estimate(
            {
                "household": {"people": [{}]},
                "place": {"countyfips": "25025", "state": "MA", "zipcode": "02118"},
                "year": 2026,
            }
        )
    assert exc.value.path == "household.people[0].age"
