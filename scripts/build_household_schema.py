"""Writes rules/schema/household.schema.json from the engine's own vocabularies (enums), so the
schema cannot drift from the parser. Run: .venv/bin/python scripts/build_household_schema.py"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rules.household import (
    DeductionType,
    FilingStatus,
    Frequency,
    ImmigrationStatus,
    IncomeType,
    RelationshipType,
    Sex,
)
from rules.parse import MAX_MEMBERS

OUT = Path(__file__).resolve().parents[1] / "rules" / "schema" / "household.schema.json"


def enum(cls: Any) -> list[str]:
    return [e.value for e in cls]


def money(description: str, negative: bool = False) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "number", "description": description}
    if not negative:
        schema["minimum"] = 0
    return schema


def schema() -> dict[str, Any]:
    date = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    amount_item = {
        "type": "object",
        "additionalProperties": False,
        "required": ["type", "amount"],
        "properties": {
            "amount": {"type": "number"},
            "frequency": {"enum": enum(Frequency), "default": "yearly"},
        },
    }
    income = json.loads(json.dumps(amount_item))
    income["properties"]["type"] = {"enum": enum(IncomeType)}
    income["description"] = (
        "An income of the member; amount may be negative only for self_employment, capital_gains, rental."
    )
    deduction = json.loads(json.dumps(amount_item))
    deduction["properties"]["type"] = {"enum": enum(DeductionType)}
    deduction["properties"]["amount"] = money("Adjustment to income (26 USC 62)")
    member = {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "date_of_birth"],
        "properties": {
            "id": {"type": "string", "minLength": 1},
            "name": {"type": "string", "description": "Used in explanations; default the id."},
            "date_of_birth": date,
            "sex": {"enum": enum(Sex), "default": "unknown"},
            "seeking_coverage": {"type": "boolean", "default": True},
            "tax": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "filer": {"type": "boolean", "default": False},
                    "filing_status": {"enum": enum(FilingStatus)},
                    "spouse_id": {"type": ["string", "null"]},
                    "claimed_by": {"type": ["string", "null"]},
                    "mfs_exception": {"type": "boolean", "default": False},
                },
            },
            "pregnant": {"type": "boolean", "default": False},
            "expected_children": {"type": "integer", "minimum": 0, "maximum": 8},
            "immigration": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "status": {"enum": enum(ImmigrationStatus), "default": "citizen"},
                    "five_year_bar_met": {"type": "boolean", "default": True},
                },
            },
            "incarcerated": {"type": "boolean", "default": False},
            "incarceration_pending_disposition": {"type": "boolean", "default": False},
            "american_indian_alaska_native": {"type": "boolean", "default": False},
            "state_resident": {"type": "boolean", "default": True},
            "blind_or_disabled": {"type": "boolean", "default": False},
            "medicare": {"type": "boolean", "default": False},
            "other_mec": {"type": "boolean", "default": False},
            "employer_offer": {
                "type": ["object", "null"],
                "additionalProperties": False,
                "required": ["employee_only_premium"],
                "properties": {
                    "employee_only_premium": money("Lowest-cost self-only employee premium"),
                    "family_premium": {"type": ["number", "null"], "minimum": 0},
                    "frequency": {"enum": enum(Frequency), "default": "monthly"},
                    "covers_family": {"type": "boolean", "default": True},
                    "minimum_value": {"type": "boolean", "default": True},
                },
            },
            "incomes": {"type": "array", "items": income},
            "deductions": {"type": "array", "items": deduction},
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/ma-exchange/schema/household.schema.json",
        "title": "Household application for the eligibility rules engine",
        "description": "See docs/rules/household-input.md.",
        "type": "object",
        "additionalProperties": False,
        "required": ["coverage_year", "address", "members"],
        "properties": {
            "coverage_year": {"type": "integer"},
            "coverage_start": date,
            "address": {
                "type": "object",
                "additionalProperties": False,
                "required": ["state"],
                "properties": {
                    "state": {"type": "string", "pattern": "^[A-Za-z]{2}$"},
                    "county_fips": {"type": "string", "pattern": r"^\d{5}$"},
                    "zip": {"type": "string", "pattern": r"^\d{5}$"},
                },
            },
            "members": {"type": "array", "minItems": 1, "maxItems": MAX_MEMBERS, "items": member},
            "relationships": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["from", "to", "type"],
                    "properties": {
                        "from": {"type": "string"},
                        "to": {"type": "string"},
                        "type": {"enum": enum(RelationshipType)},
                    },
                },
            },
        },
    }


def render() -> str:
    return json.dumps(schema(), indent=2) + "\n"


if __name__ == "__main__":
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT}")
