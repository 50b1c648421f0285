"""Request and response shapes, matching the CMS Marketplace API where it covers the same ground."""

from __future__ import annotations

from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field


class Person(Schema):
    model_config = ConfigDict(extra="forbid")
    age: int | None = Field(None, description="required if dob not provided")
    dob: str | None = Field(
        None, description="date of birth YYYY-MM-DD, required if age not provided"
    )
    has_mec: bool | None = Field(None, description="has minimum essential coverage")
    is_parent: bool | None = None
    is_pregnant: bool | None = None
    pregnant_with: int | None = None
    uses_tobacco: bool | None = None
    last_tobacco_use_date: str | None = None
    gender: Literal["Male", "Female"] | None = None
    utilization_level: str | None = None
    relationship: str | None = None
    does_not_cohabitate: bool | None = None
    aptc_eligible: bool | None = Field(None, description="is the given person eligible for APTC")


class Household(Schema):
    model_config = ConfigDict(extra="forbid")
    income: float | None = Field(None, description="household's yearly income in dollars")
    people: list[Person] = Field(default_factory=list)
    has_married_couple: bool | None = None
    effective_date: str | None = None
    unemployment_received: Literal["Adult", "Dependent", "None"] | None = None


class Place(Schema):
    model_config = ConfigDict(extra="forbid")
    countyfips: str
    state: str
    zipcode: str


class EstimateRequest(Schema):
    model_config = ConfigDict(extra="forbid")
    household: Household | None = None
    place: Place
    year: int | None = None
    market: str | None = None
    aptc_override: float | None = None


class Eligibility(Schema):
    aptc: float
    csr: str | None
    hardship_exemption: bool
    is_medicaid_chip: bool


class EstimateResponse(Schema):
    estimates: list[Eligibility]


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    field: str | None = None
