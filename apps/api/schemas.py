"""Request and response shapes, matching the CMS Marketplace API where it covers the same ground
(shared/reference/cms-marketplace-api.swagger.json). Unknown request fields are ignored, as CMS does;
wrong types and values are 4xx problem details naming the field."""

from __future__ import annotations

from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field

MetalLevel = Literal["Catastrophic", "Bronze", "Expanded Bronze", "Silver", "Gold", "Platinum"]
PlanType = Literal["Indemnity", "PPO", "HMO", "EPO", "POS"]


class Person(Schema):
    age: int | None = Field(None, ge=0, le=125, description="required if dob not provided")
    dob: str | None = Field(
        None, description="date of birth YYYY-MM-DD, required if age not provided"
    )
    has_mec: bool | None = Field(None, description="has minimum essential coverage")
    is_parent: bool | None = None
    is_pregnant: bool | None = None
    pregnant_with: int | None = Field(None, ge=0, le=8)
    uses_tobacco: bool | None = None
    last_tobacco_use_date: str | None = None
    gender: Literal["Male", "Female"] | None = None
    utilization_level: str | None = None
    relationship: str | None = None
    does_not_cohabitate: bool | None = None
    aptc_eligible: bool | None = Field(None, description="is the given person eligible for APTC")


class Household(Schema):
    income: float | None = Field(None, description="household's yearly income in dollars")
    people: list[Person] = Field(default_factory=list)
    has_married_couple: bool | None = None
    effective_date: str | None = None
    unemployment_received: Literal["Adult", "Dependent", "None"] | None = None


class Place(Schema):
    countyfips: str = Field(..., pattern=r"^\d{5}$")
    state: str = Field(..., pattern=r"^[A-Za-z]{2}$")
    zipcode: str = Field(..., pattern=r"^\d{5}$")


class EstimateRequest(Schema):
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


class PlanSearchFilter(Schema):
    issuer: str | None = None
    issuers: list[str] | None = None
    metal_level: MetalLevel | None = None
    metal_levels: list[MetalLevel] | None = None
    type: PlanType | None = None
    types: list[PlanType] | None = None
    premium: float | None = Field(None, ge=0, description="highest monthly premium after credit")
    premium_min: float | None = Field(None, ge=0)
    deductible: float | None = Field(None, ge=0, description="highest individual deductible")
    deductible_min: float | None = Field(None, ge=0)
    hsa: bool | None = None


class PlanSearchRequest(Schema):
    model_config = ConfigDict(extra="ignore")
    filter: PlanSearchFilter | None = None
    household: Household | None = None
    offset: int = Field(0, ge=0)
    limit: int = Field(10, ge=1, le=100)
    order: Literal["asc", "desc"] = "asc"
    place: Place
    sort: Literal["premium", "deductible", "total_costs", "moop"] = "premium"
    year: int | None = None
    market: Literal["Individual", "SHOP", "Any"]
    aptc_override: float | None = Field(None, ge=0)
    csr_override: Literal["CSR73", "CSR87", "CSR94", "LimitedCSR", "ZeroCSR"] | None = None


class PlanRequest(Schema):
    household: Household | None = None
    place: Place
    year: int | None = None
    market: Literal["Individual", "SHOP", "Any"]
    aptc_override: float | None = Field(None, ge=0)
    csr_override: Literal["CSR73", "CSR87", "CSR94", "LimitedCSR", "ZeroCSR"] | None = None


class LowestCostPlanPerson(Schema):
    age: int | None = Field(None, ge=0, le=125)
    dob: str | None = None
    uses_tobacco: bool | None = None
    relationship: str | None = None


class LowestCostPlanHousehold(Schema):
    income: float | None = None
    people: list[LowestCostPlanPerson] = Field(default_factory=list)
    effective_date: str | None = None


class LowestCostPlanRequest(Schema):
    household: LowestCostPlanHousehold | None = None
    place: Place
    year: int | None = None


class LowestCostPlanResponse(Schema):
    id: str
    name: str
    premium: float
    metal_level: str


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    field: str | None = None
