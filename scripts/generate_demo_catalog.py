"""Writes the SYNTHETIC Massachusetts demo plan catalog: the four CMS Exchange public use files
(Plan Attributes, Rate, Service Area, Plan ID Crosswalk) for plan years 2026 and 2027.

Every issuer, plan, premium and cost-sharing amount is invented. The data only looks like a real
catalog: it is calibrated so that, in every county, the second-lowest-cost standard silver plan
(variant -01) at age 0 costs exactly the reference benchmark level of the county's rating area
(``rules/parameters/states/ma/reference_benchmark_premium.yaml``, 2026; 2027 = 2026 x 1.040).
See data/catalog/README.md for the conventions.

Run: .venv/bin/python scripts/generate_demo_catalog.py --out data/catalog/ma
Deterministic: no clock, no random module (pseudo-random choices are sha256 of SEED and a key).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
PARAMS = ROOT / "rules" / "parameters" / "states" / "ma"
DEFAULT_OUT = ROOT / "data" / "catalog" / "ma"

SEED = "SYNTHETIC-MA-DEMO-CATALOG-1"
STATE = "MA"
YEARS = (2026, 2027)
SOURCE_NAME = "SYNTHETIC"  # the PUF's submission-system column; marks every row as invented
IMPORT_DATE = {2026: "2025-08-15 09:00:00", 2027: "2026-08-14 09:00:00"}
# 2027 benchmark levels: the 2026 levels x this factor, rounded half-up to cents (a synthetic
# assumption; the 2027 entry of reference_benchmark_premium.yaml only repeats 2026).
BENCHMARK_2027_FACTOR = Decimal("1.040")
# Maximum annual limitation on cost sharing (self-only, other than self-only): 2026 as revised by
# the 2025 Marketplace Integrity and Affordability rule (first published as $10,150 / $20,300);
# 2027 from the CMS premium adjustment percentage memo of January 2026.
MOOP_LIMIT = {2026: (10_600, 21_200), 2027: (12_000, 24_000)}
AREA_FACTOR_RANGE = (Decimal("0.80"), Decimal("1.20"))  # 211 CMR 66.07(1)(b)2
CHILD_FACTOR = Decimal("0.751")  # age curve factor of ages 0-20 (rates are quoted from age 0)

COUNTY_NAMES = {
    "25001": "Barnstable",
    "25003": "Berkshire",
    "25005": "Bristol",
    "25007": "Dukes",
    "25009": "Essex",
    "25011": "Franklin",
    "25013": "Hampden",
    "25015": "Hampshire",
    "25017": "Middlesex",
    "25019": "Nantucket",
    "25021": "Norfolk",
    "25023": "Plymouth",
    "25025": "Suffolk",
    "25027": "Worcester",
}
ALL_COUNTIES = tuple(sorted(COUNTY_NAMES))
# Rating areas (211 CMR 41.03 ZIP-3 regions) that some ZIP code of each county falls in, from the
# `zipcodes` package (3.0.0) data. A plan is given rates for every one of these areas of every
# county it serves, so that a household rated by its ZIP code always finds a rate.
COUNTY_ZIP_AREAS = {
    "25001": (7,),
    "25003": (1,),
    "25005": (3, 6),
    "25007": (6, 7),
    "25009": (4,),
    "25011": (1,),
    "25013": (1, 2),
    "25015": (1,),
    "25017": (2, 3, 4, 5),
    "25019": (7,),
    "25021": (3, 5, 6),
    "25023": (3, 6, 7),
    "25025": (5,),
    "25027": (1, 2, 3),
}
# Residential (STANDARD) ZIP codes of two partial-county service areas (zipcodes 3.0.0).
NORFOLK_021 = ("02169", "02170", "02171", "02184", "02186", "02188", "02189", "02190", "02191")
PLYMOUTH_023 = (
    "02301", "02302", "02324", "02330", "02332", "02333", "02338", "02339", "02341", "02346",
    "02347", "02351", "02359", "02360", "02364", "02367", "02370", "02379", "02382",
)  # fmt: skip

# ---------------------------------------------------------------------------------------------
# Column layouts (PY2026, shared/reference/PUF_FORMATS.md)

RATE_COLUMNS = (
    "BusinessYear", "StateCode", "IssuerId", "SourceName", "ImportDate", "RateEffectiveDate",
    "RateExpirationDate", "PlanId", "RatingAreaId", "Tobacco", "Age", "IndividualRate",
    "IndividualTobaccoRate", "Couple", "PrimarySubscriberAndOneDependent",
    "PrimarySubscriberAndTwoDependents", "PrimarySubscriberAndThreeOrMoreDependents",
    "CoupleAndOneDependent", "CoupleAndTwoDependents", "CoupleAndThreeOrMoreDependents",
)  # fmt: skip
SERVICE_AREA_COLUMNS = (
    "BusinessYear", "StateCode", "IssuerId", "SourceName", "ImportDate", "ServiceAreaId",
    "ServiceAreaName", "CoverEntireState", "County", "PartialCounty", "ZipCodes",
    "PartialCountyJustification", "MarketCoverage", "DentalOnlyPlan",
)  # fmt: skip

# Summary of Benefits and Coverage coverage examples: allowed charges (synthetic arithmetic).
SBC_EVENTS = (("HavingaBaby", 12_700), ("HavingDiabetes", 5_600), ("HavingSimplefracture", 2_800))
SBC_PARTS = ("Deductible", "Copayment", "Coinsurance", "Limit")
_BENEFIT_PREFIXES = ("MEHB", "DEHB", "TEHB")
_NETWORKS = ("InnTier1", "InnTier2", "OutOfNet", "CombInnOon")
_SHARES = ("Individual", "FamilyPerPerson", "FamilyPerGroup")


def _moop_columns() -> tuple[str, ...]:
    return tuple(f"{p}{n}{s}MOOP" for p in _BENEFIT_PREFIXES for n in _NETWORKS for s in _SHARES)


def _deductible_columns() -> tuple[str, ...]:
    names: list[str] = []
    for p in _BENEFIT_PREFIXES:
        for n in ("InnTier1", "InnTier2"):
            names += [f"{p}Ded{n}{s}" for s in (*_SHARES, "Coinsurance")]
        for n in ("OutOfNet", "CombInnOon"):
            names += [f"{p}Ded{n}{s}" for s in _SHARES]
    return tuple(names)


PLAN_ATTRIBUTE_COLUMNS = (
    "BusinessYear", "StateCode", "IssuerId", "IssuerMarketPlaceMarketingName", "SourceName",
    "ImportDate", "MarketCoverage", "DentalOnlyPlan",
    "StandardComponentId", "PlanMarketingName", "HIOSProductId", "NetworkId", "ServiceAreaId",
    "FormularyId", "IsNewPlan", "PlanType", "MetalLevel", "DesignType", "UniquePlanDesign",
    "QHPNonQHPTypeId",
    "IsNoticeRequiredForPregnancy", "IsReferralRequiredForSpecialist",
    "SpecialistRequiringReferral", "PlanLevelExclusions",
    "IndianPlanVariationEstimatedAdvancedPaymentAmountPerEnrollee", "CompositeRatingOffered",
    "ChildOnlyOffering", "ChildOnlyPlanId", "WellnessProgramOffered",
    "DiseaseManagementProgramsOffered", "EHBPercentTotalPremium",
    "EHBPediatricDentalApportionmentQuantity", "IsGuaranteedRate",
    "PlanEffectiveDate", "PlanExpirationDate", "OutOfCountryCoverage",
    "OutOfCountryCoverageDescription", "OutOfServiceAreaCoverage",
    "OutOfServiceAreaCoverageDescription", "NationalNetwork", "URLForEnrollmentPayment",
    "FormularyURL",
    "PlanId", "PlanVariantMarketingName", "CSRVariationType", "IssuerActuarialValue",
    "AVCalculatorOutputNumber", "MedicalDrugDeductiblesIntegrated",
    "MedicalDrugMaximumOutofPocketIntegrated", "MultipleInNetworkTiers", "FirstTierUtilization",
    "SecondTierUtilization",
    *(f"SBC{event}{part}" for event, _ in SBC_EVENTS for part in SBC_PARTS),
    "SpecialtyDrugMaximumCoinsurance", "InpatientCopaymentMaximumDays",
    "BeginPrimaryCareCostSharingAfterNumberOfVisits",
    "BeginPrimaryCareDeductibleCoinsuranceAfterNumberOfCopays",
    *_moop_columns(),
    *_deductible_columns(),
    "IsHSAEligible", "HSAOrHRAEmployerContribution", "HSAOrHRAEmployerContributionAmount",
    "URLForSummaryofBenefitsCoverage", "PlanBrochure",
)  # fmt: skip


def crosswalk_columns(year: int) -> tuple[str, ...]:
    """PY2026 layout (21 columns plus the three bronze-to-silver columns), for Y0 -> Y1 = year."""
    y0, y1 = year - 1, year
    return (
        "State", "DentalPlan", f"PlanID_{y0}", f"IssuerID_{y0}", f"MultistatePlan_{y0}",
        f"MetalLevel_{y0}", f"ChildAdultOnly_{y0}", "FIPSCode", "ZipCode", "CrosswalkLevel",
        "ReasonForCrosswalk", f"PlanID_{y1}", f"IssuerID_{y1}", f"MultistatePlan_{y1}",
        f"MetalLevel_{y1}", f"ChildAdultOnly_{y1}", f"AgeOffPlanID_{y1}", f"IssuerID_AgeOff{y1}",
        f"MultistatePlan_AgeOff{y1}", f"MetalLevel_AgeOff{y1}", f"ChildAdultOnly_AgeOff{y1}",
        "ReasonForBronzeToSilverCrosswalk", f"SilverCSREligPlanID_{y1}",
        f"SilverCSREligIssuerID_{y1}",
    )  # fmt: skip


AGE_LABELS = ("0-14", *(str(a) for a in range(15, 64)), "64 and over")
FILES = ("plan-attributes-puf.csv", "rate-puf.csv", "service-area-puf.csv")
CROSSWALK_FILE = "plan-id-crosswalk-puf.csv"
NO_PLAN_ID = "00000XX0000000"

# ---------------------------------------------------------------------------------------------
# The synthetic market


@dataclass(frozen=True)
class Design:
    """In-network cost sharing of a plan's standard variant in 2026 (whole dollars)."""

    deductible: int
    moop: int
    coinsurance: int  # percent, after the deductible
    drug_deductible: int | None = None  # a separate drug deductible: deductibles not integrated


@dataclass(frozen=True)
class Plan:
    key: str  # issuer-local name used by the pricing and crosswalk tables
    product: str  # 3-digit product number; the product fixes plan type, network, service area
    number: str  # 4-digit plan number
    metal: str
    name: str  # marketing name after "SYNTHETIC <issuer short name> "
    multiplier: Decimal  # premium relative to the issuer's reference silver plan
    design: Design
    exchange: str = "On"  # "On": on exchange only; "Both": also -00 off exchange; "Off": -00 only
    connectorcare: bool = False  # a ConnectorCare standard component (state-subsidy variants only)
    years: tuple[int, ...] = YEARS
    number_2027: str | None = None  # renumbered for 2027 (crosswalk reason 1)
    new_in_2026: bool = False  # no notional 2025 predecessor with the same id
    # Where 2026 enrollees go in 2027 when the plan ends: county (or "*") -> (issuer, plan key).
    successor_2027: Mapping[str, tuple[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Product:
    number: str
    plan_type: str
    network: str
    service_area: str


@dataclass(frozen=True)
class ServiceArea:
    id: str
    name: str
    counties: tuple[str, ...] | None  # None: CoverEntireState
    partial: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # county -> ZIPs


@dataclass(frozen=True)
class Issuer:
    hios: str
    name: str
    short: str
    service_areas: tuple[ServiceArea, ...]
    products: tuple[Product, ...]
    plans: tuple[Plan, ...]
    # Per year, per rating area: (plan key, level relative to the area's benchmark). The issuer's
    # area factor is chosen so that this plan's age-0 premium is that level; 1 = the benchmark.
    levels: Mapping[int, Mapping[int, tuple[str, Decimal]]]
    years: tuple[int, ...] = YEARS

    def product(self, number: str) -> Product:
        return next(p for p in self.products if p.number == number)

    def service_area(self, area_id: str) -> ServiceArea:
        return next(s for s in self.service_areas if s.id == area_id)

    def plan(self, key: str) -> Plan:
        return next(p for p in self.plans if p.key == key)


D = Decimal
BENCHMARK = D(1)


def _levels(**areas: tuple[str, str]) -> dict[int, tuple[str, Decimal]]:
    return {int(k[1:]): (plan, D(rel)) for k, (plan, rel) in areas.items()}


MAINLAND = tuple(c for c in ALL_COUNTIES if c not in ("25001", "25007", "25019"))

# fmt: off
ISSUERS: tuple[Issuer, ...] = (
    Issuer(
        hios="99101",
        name="Synthetic Bay State Health",
        short="Bay State",
        service_areas=(
            ServiceArea("MAS001", "SYNTHETIC Bay State statewide PPO area", None),
            ServiceArea("MAS002", "SYNTHETIC Bay State HMO mainland area", MAINLAND),
        ),
        products=(Product("001", "HMO", "MAN001", "MAS002"), Product("002", "PPO", "MAN002", "MAS001")),
        plans=(
            Plan("cat", "001", "0001", "Catastrophic", "Catastrophic HMO", D("0.60"), Design(0, 0, 0)),
            Plan("bronze", "001", "0002", "Bronze", "Bronze HMO Saver", D("0.79"), Design(6000, 9800, 40), "Both"),
            Plan("silver", "001", "0003", "Silver", "Silver HMO Value", D("1"), Design(2500, 8000, 30), "Both"),
            Plan("silver_plus", "001", "0004", "Silver", "Silver HMO Plus", D("1.09"), Design(1500, 7000, 20), new_in_2026=True),
            Plan("gold", "001", "0005", "Gold", "Gold HMO", D("1.17"), Design(500, 5000, 20), "Both"),
            Plan("platinum", "001", "0006", "Platinum", "Platinum HMO", D("1.33"), Design(0, 2500, 10)),
            Plan("cc", "001", "0007", "Silver", "ConnectorCare HMO", D("0.97"), Design(0, 0, 0), connectorcare=True),
            Plan("bronze_low", "001", "0008", "Bronze", "Bronze HMO Basic", D("0.76"), Design(7500, 10000, 50), years=(2026,), successor_2027={"*": ("99101", "bronze")}),
            Plan("ppo_bronze", "002", "0001", "Bronze", "Bronze PPO", D("1.02"), Design(7000, 10000, 40)),
            Plan("ppo_silver", "002", "0002", "Silver", "Silver PPO", D("1.30"), Design(3000, 8500, 30)),
            Plan("ppo_gold", "002", "0003", "Gold", "Gold PPO", D("1.52"), Design(1000, 6000, 20), "Both"),
        ),
        levels={
            year: _levels(
                a1=("silver", "1"), a2=("silver", "1.035"), a3=("silver", "1.03"),
                a4=("silver", "1.04"), a5=("silver", "1.045"), a6=("silver", "1"),
                a7=("ppo_silver", "1.025"),
            )
            for year in YEARS
        },
    ),
    Issuer(
        hios="99202",
        name="Synthetic Old Colony Health Plan",
        short="Old Colony",
        service_areas=(
            ServiceArea("MAS001", "SYNTHETIC Old Colony EPO area (all counties)", ALL_COUNTIES),
            ServiceArea(
                "MAS002",
                "SYNTHETIC Old Colony HMO area (Greater Boston and Central)",
                ("25009", "25017", "25021", "25025", "25027"),
            ),
        ),
        products=(Product("001", "HMO", "MAN001", "MAS002"), Product("002", "EPO", "MAN002", "MAS001")),
        plans=(
            Plan("cat", "001", "0001", "Catastrophic", "Catastrophic HMO", D("0.61"), Design(0, 0, 0)),
            Plan("bronze", "001", "0002", "Bronze", "Bronze HMO", D("0.80"), Design(5500, 9500, 40), "Both"),
            Plan("silver", "001", "0003", "Silver", "Silver HMO", D("1"), Design(2000, 7800, 30), "Both"),
            Plan("gold", "001", "0004", "Gold", "Gold HMO", D("1.16"), Design(750, 5500, 20)),
            Plan("cc", "001", "0005", "Silver", "ConnectorCare HMO", D("0.96"), Design(0, 0, 0), connectorcare=True),
            Plan("epo_bronze", "002", "0001", "Expanded Bronze", "Expanded Bronze EPO", D("1.03"), Design(4500, 9200, 35)),
            Plan("epo_silver", "002", "0002", "Silver", "Silver EPO", D("1.22"), Design(2800, 8400, 30)),
            Plan("epo_gold", "002", "0003", "Gold", "Gold EPO", D("1.42"), Design(750, 6000, 20, drug_deductible=150), number_2027="0005"),
            Plan("epo_platinum", "002", "0004", "Platinum", "Platinum EPO", D("1.64"), Design(0, 3000, 10)),
        ),
        levels={
            year: _levels(
                a1=("silver", "1.05"), a2=("silver", "1"), a3=("silver", "1.04"),
                a4=("silver", "1.035"), a5=("silver", "1"), a6=("silver", "1.03"),
                a7=("epo_silver", "1"),
            )
            for year in YEARS
        },
    ),
    Issuer(
        hios="99303",
        name="Synthetic Pioneer Valley Health",
        short="Pioneer Valley",
        service_areas=(
            ServiceArea(
                "MAS001",
                "SYNTHETIC Pioneer Valley Western and Central Massachusetts",
                ("25003", "25011", "25013", "25015", "25027"),
            ),
        ),
        products=(Product("001", "HMO", "MAN001", "MAS001"),),
        plans=(
            Plan("cat", "001", "0001", "Catastrophic", "Catastrophic HMO", D("0.59"), Design(0, 0, 0)),
            Plan("bronze", "001", "0002", "Bronze", "Bronze HMO", D("0.78"), Design(6500, 9900, 40)),
            Plan("silver", "001", "0003", "Silver", "Silver HMO", D("1"), Design(2250, 7900, 30), "Both"),
            Plan("silver_plus", "001", "0004", "Silver", "Silver HMO Plus", D("1.10"), Design(1250, 6500, 20)),
            Plan("gold", "001", "0005", "Gold", "Gold HMO", D("1.18"), Design(600, 5200, 20)),
            Plan("cc", "001", "0006", "Silver", "ConnectorCare HMO", D("0.98"), Design(0, 0, 0), connectorcare=True),
        ),
        levels={
            year: _levels(a1=("silver", "0.96"), a2=("silver", "1.045"), a3=("silver", "1"))
            for year in YEARS
        },
    ),
    Issuer(
        hios="99404",
        name="Synthetic North Shore Health Alliance",
        short="North Shore",
        service_areas=(
            ServiceArea(
                "MAS001",
                "SYNTHETIC North Shore Greater Boston area",
                ("25009", "25017", "25021", "25025"),
            ),
        ),
        products=(Product("001", "HMO", "MAN001", "MAS001"), Product("002", "PPO", "MAN002", "MAS001")),
        plans=(
            Plan("bronze", "001", "0001", "Bronze", "Bronze HMO", D("0.79"), Design(6000, 9700, 40), "Both"),
            Plan("silver", "001", "0002", "Silver", "Silver HMO", D("1"), Design(2400, 8100, 30), "Both"),
            Plan("gold", "001", "0003", "Gold", "Gold HMO", D("1.16"), Design(500, 4800, 20), new_in_2026=True),
            Plan("platinum", "001", "0004", "Platinum", "Platinum HMO", D("1.32"), Design(0, 2200, 10)),
            Plan("cc", "001", "0005", "Silver", "ConnectorCare HMO", D("0.97"), Design(0, 0, 0), connectorcare=True),
            Plan("direct", "001", "0006", "Silver", "Silver HMO Direct (off exchange)", D("0.94"), Design(2600, 8300, 30), "Off"),
            Plan("ppo_gold", "002", "0001", "Gold", "Gold PPO", D("1.45"), Design(1000, 5800, 20, drug_deductible=250)),
            Plan("ppo_platinum", "002", "0002", "Platinum", "Platinum PPO", D("1.66"), Design(250, 3000, 10)),
        ),
        levels={
            year: _levels(
                a2=("silver", "1.04"), a3=("silver", "1"), a4=("silver", "1.045"),
                a5=("silver", "0.968"), a6=("silver", "0.975"),
            )
            for year in YEARS
        },
    ),
    Issuer(
        hios="99505",
        name="Synthetic Cape and Islands Health",
        short="Cape and Islands",
        service_areas=(
            ServiceArea(
                "MAS001",
                "SYNTHETIC Cape, Islands and South Coast",
                ("25001", "25005", "25007", "25019", "25023"),
            ),
        ),
        products=(Product("001", "HMO", "MAN001", "MAS001"), Product("002", "PPO", "MAN002", "MAS001")),
        plans=(
            Plan("cat", "001", "0001", "Catastrophic", "Catastrophic HMO", D("0.60"), Design(0, 0, 0)),
            Plan("bronze", "001", "0002", "Bronze", "Bronze HMO", D("0.78"), Design(6200, 9900, 40)),
            Plan("silver", "001", "0003", "Silver", "Silver HMO", D("1"), Design(2300, 8000, 30)),
            Plan("gold", "001", "0004", "Gold", "Gold HMO", D("1.17"), Design(700, 5400, 20)),
            Plan("cc", "001", "0005", "Silver", "ConnectorCare HMO", D("0.98"), Design(0, 0, 0), connectorcare=True),
            Plan("ppo_silver", "002", "0001", "Silver", "Silver PPO", D("1.30"), Design(2800, 8600, 30), new_in_2026=True),
            Plan("ppo_gold", "002", "0002", "Gold", "Gold PPO", D("1.50"), Design(1000, 6000, 20)),
        ),
        levels={
            year: _levels(a3=("silver", "1"), a6=("silver", "0.985"), a7=("silver", "0.79"))
            for year in YEARS
        },
    ),
    Issuer(
        hios="99606",
        name="Synthetic Patriot Health Cooperative",
        short="Patriot",
        service_areas=(
            ServiceArea(
                "MAS001",
                "SYNTHETIC Patriot Eastern and Central Massachusetts",
                ("25005", "25009", "25017", "25021", "25023", "25025", "25027"),
                partial={"25023": PLYMOUTH_023},
            ),
        ),
        products=(Product("001", "EPO", "MAN001", "MAS001"),),
        plans=(
            Plan("bronze", "001", "0001", "Bronze", "Bronze EPO", D("0.77"), Design(7000, 10000, 40), "Both"),
            Plan("silver", "001", "0002", "Silver", "Silver EPO", D("1"), Design(2700, 8200, 30), "Both"),
            Plan("gold", "001", "0003", "Gold", "Gold EPO", D("1.15"), Design(800, 5600, 20), "Both"),
        ),
        levels={
            2026: _levels(
                a1=("silver", "1"), a2=("silver", "0.965"), a3=("silver", "0.97"),
                a4=("silver", "1"), a5=("silver", "1.035"), a6=("silver", "1.04"),
            ),
            2027: _levels(  # no longer the benchmark plan in area 4: Merrimack Valley is
                a1=("silver", "1"), a2=("silver", "0.965"), a3=("silver", "0.97"),
                a4=("silver", "0.975"), a5=("silver", "1.035"), a6=("silver", "1.04"),
            ),
        },
    ),
    Issuer(  # leaves the market after 2026 (CMS-determined crosswalk to other issuers)
        hios="99707",
        name="Synthetic Neponset Health Plan",
        short="Neponset",
        service_areas=(
            ServiceArea(
                "MAS001",
                "SYNTHETIC Neponset Boston and South Shore",
                ("25021", "25025"),
                partial={"25021": NORFOLK_021},
            ),
        ),
        products=(Product("001", "HMO", "MAN001", "MAS001"),),
        plans=(
            Plan("bronze", "001", "0001", "Bronze", "Bronze HMO", D("0.80"), Design(6000, 9600, 40), years=(2026,), successor_2027={"25025": ("99404", "bronze"), "25021": ("99606", "bronze")}),
            Plan("silver", "001", "0002", "Silver", "Silver HMO", D("1"), Design(2500, 8000, 30), years=(2026,), successor_2027={"25025": ("99404", "silver"), "25021": ("99606", "silver")}),
            Plan("gold", "001", "0003", "Gold", "Gold HMO", D("1.18"), Design(750, 5500, 20), years=(2026,), successor_2027={"25025": ("99404", "gold"), "25021": ("99606", "gold")}),
        ),
        levels={2026: _levels(a3=("silver", "1.08"), a5=("silver", "1.06"))},
        years=(2026,),
    ),
    Issuer(  # new in the market in 2026
        hios="99808",
        name="Synthetic Merrimack Valley Health",
        short="Merrimack Valley",
        service_areas=(ServiceArea("MAS001", "SYNTHETIC Merrimack Valley", ("25009", "25017")),),
        products=(Product("001", "HMO", "MAN001", "MAS001"),),
        plans=(
            Plan("bronze", "001", "0001", "Bronze", "Bronze HMO", D("0.78"), Design(6500, 9800, 40), new_in_2026=True),
            Plan("silver", "001", "0002", "Silver", "Silver HMO", D("1"), Design(2600, 8200, 30), new_in_2026=True),
            Plan("gold", "001", "0003", "Gold", "Gold HMO", D("1.17"), Design(600, 5200, 20), new_in_2026=True),
            Plan("silver_plus", "001", "0004", "Silver", "Silver HMO Plus", D("1.08"), Design(1600, 7000, 20), years=(2027,)),
        ),
        levels={
            2026: _levels(
                a2=("silver", "1.05"), a3=("silver", "1.05"), a4=("silver", "0.97"),
                a5=("silver", "1.05"),
            ),
            2027: _levels(
                a2=("silver", "1.05"), a3=("silver", "1.05"), a4=("silver", "1"),
                a5=("silver", "1.05"),
            ),
        },
    ),
)
# fmt: on

# Notional 2025 plans that do not continue under the same id (for the 2026 crosswalk):
# (2025 id, metal, 2026 issuer plan key or None, CrosswalkLevel, ReasonForCrosswalk).
NOTIONAL_2025 = (
    ("99101MA0010009", "Silver", ("99101", "silver"), 1, 2),  # merged into another plan
    ("99404MA0010007", "Gold", ("99404", "gold"), 1, 1),  # same plan, new plan id
    ("99707MA0020001", "Silver", None, 4, 5),  # product discontinued, no crosswalk
)

# ConnectorCare cost sharing by plan type (synthetic): MOOP self-only, actuarial value.
CONNECTORCARE_DESIGN = {
    "1": (0, D("0.99")),
    "2A": (750, D("0.95")),
    "2B": (1500, D("0.94")),
    "3A": (2000, D("0.92")),
    "3B": (2000, D("0.92")),
    "3C": (2500, D("0.90")),
    "3D": (2500, D("0.90")),
}
BASE_AV = {
    "Bronze": D("0.615"),
    "Expanded Bronze": D("0.655"),
    "Silver": D("0.700"),
    "Gold": D("0.785"),
    "Platinum": D("0.885"),
}
SILVER_CSR = {
    "04": ("73% AV Level Silver Plan", D("0.730")),
    "05": ("87% AV Level Silver Plan", D("0.870")),
    "06": ("94% AV Level Silver Plan", D("0.940")),
}

# ---------------------------------------------------------------------------------------------
# Helpers


def unit(*key: object) -> Decimal:
    """A deterministic pseudo-random number in [0, 1) for ``key``."""
    digest = hashlib.sha256("|".join([SEED, *map(str, key)]).encode()).digest()
    return D(int.from_bytes(digest[:6], "big")) / D(2**48)


def cents(value: Decimal) -> Decimal:
    return value.quantize(D("0.01"), ROUND_HALF_UP)


def round50(value: Decimal) -> int:
    return int((value / 50).quantize(D(1), ROUND_HALF_UP)) * 50


def floor50(value: Decimal) -> int:
    return int((value / 50).to_integral_value(ROUND_FLOOR)) * 50


def money(amount: int) -> str:
    return f"${amount:,} "


def per_person(amount: int) -> str:
    return f"${amount} per person"


def per_group(amount: int) -> str:
    return f"${amount} per group"


def _param(name: str, year: int) -> Any:
    """The value of a parameter file in force on 1 January of ``year``."""
    data = yaml.safe_load((PARAMS / name).read_text(encoding="utf-8"))
    start = dt.date(year, 1, 1)
    dated = sorted(
        (k if isinstance(k, dt.date) else dt.date.fromisoformat(str(k)), v)
        for k, v in data["values"].items()
    )
    found = [v for d, v in dated if d <= start]
    if not found:
        raise SystemExit(f"{name}: no value in force on {start}")
    return found[-1]["value"]


@dataclass(frozen=True)
class Rules:
    """The Massachusetts parameters the catalog is built from, for one plan year."""

    county_area: dict[str, int]
    zip3_area: dict[str, int]
    age_factor: dict[int, Decimal]
    benchmark: dict[int, Decimal]
    connectorcare_types: tuple[str, ...]
    connectorcare_suffix: dict[str, str]


def load_rules(year: int) -> Rules:
    areas = _param("rating_areas.yaml", year)
    county_area = {c: int(a["area"]) for a in areas for c in a["counties"]}
    zip3_area = {z: int(a["area"]) for a in areas for z in a["zip3"]}
    curve = _param("age_curve.yaml", year)
    age_factor = {int(k): D(str(v)) for k, v in curve.items()}
    base = _param("reference_benchmark_premium.yaml", 2026)
    benchmark = {int(k): D(str(v)).quantize(D("0.01")) for k, v in base.items()}
    if year == 2027:
        benchmark = {a: cents(v * BENCHMARK_2027_FACTOR) for a, v in benchmark.items()}
    elif year != 2026:
        raise SystemExit(f"no benchmark calibration for {year}")
    types = tuple(str(t["plan_type"]) for t in _param("connectorcare/plan_types.yaml", year))
    suffix = {str(k): str(v) for k, v in _param("connectorcare/plan_variants.yaml", year).items()}
    if set(county_area) != set(ALL_COUNTIES) or age_factor[0] != CHILD_FACTOR:
        raise SystemExit("rating_areas.yaml / age_curve.yaml changed: update this script")
    return Rules(county_area, zip3_area, age_factor, benchmark, types, suffix)


def age_factor(rules: Rules, label: str) -> Decimal:
    age = 0 if label == "0-14" else 64 if label == "64 and over" else int(label)
    return rules.age_factor[age]


def age_rate(rules: Rules, rate0: Decimal, label: str) -> Decimal:
    """The premium for an age label from the plan's age-0 premium (quoted at factor 0.751)."""
    return cents(rate0 * age_factor(rules, label) / CHILD_FACTOR)


# ---------------------------------------------------------------------------------------------
# Building one year


@dataclass
class Component:
    """A standard component (14-character plan id) in one year."""

    issuer: Issuer
    plan: Plan
    scid: str
    service_area: ServiceArea
    product: Product
    base: Decimal  # age-0 premium before the issuer's area factor
    rates0: dict[int, Decimal]  # rating area -> age-0 premium
    is_new: bool


def plan_number(plan: Plan, year: int) -> str:
    return plan.number_2027 if year == 2027 and plan.number_2027 else plan.number


def scid_of(issuer: Issuer, plan: Plan, year: int) -> str:
    return f"{issuer.hios}{STATE}{plan.product}{plan_number(plan, year)}"


def served_counties(area: ServiceArea) -> tuple[str, ...]:
    return ALL_COUNTIES if area.counties is None else area.counties


def rated_areas(area: ServiceArea, rules: Rules) -> set[int]:
    """Every rating area a household in the service area can be rated in (by county or ZIP)."""
    found: set[int] = set()
    for county in served_counties(area):
        found.add(rules.county_area[county])
        zips = area.partial.get(county)
        if zips is None:
            found.update(COUNTY_ZIP_AREAS[county])
        else:
            found.update(rules.zip3_area[z[:3]] for z in zips)
    return found


def build_components(year: int, rules: Rules) -> list[Component]:
    out: list[Component] = []
    for issuer in ISSUERS:
        if year not in issuer.years:
            continue
        levels = issuer.levels[year]
        # Reference-plan premium implied by each area's level, then a base that keeps every area
        # factor inside 0.80-1.20.
        implied = {
            a: rules.benchmark[a] * rel / issuer.plan(key).multiplier
            for a, (key, rel) in levels.items()
        }
        low, high = min(implied.values()), max(implied.values())
        ref_base = cents((high / AREA_FACTOR_RANGE[1] + low / AREA_FACTOR_RANGE[0]) / 2)
        factors: dict[int, Decimal] = {}
        for a, (key, rel) in levels.items():
            anchor_base = cents(ref_base * issuer.plan(key).multiplier)
            factor = (rules.benchmark[a] * rel / anchor_base).quantize(D("0.000001"), ROUND_HALF_UP)
            if not AREA_FACTOR_RANGE[0] <= factor <= AREA_FACTOR_RANGE[1]:
                raise SystemExit(f"{issuer.name} {year}: area {a} factor {factor} out of range")
            if rel == BENCHMARK and cents(anchor_base * factor) != rules.benchmark[a]:
                raise SystemExit(f"{issuer.name} {year}: area {a} misses the benchmark")
            factors[a] = factor
        for plan in issuer.plans:
            if year not in plan.years:
                continue
            product = issuer.product(plan.product)
            area = issuer.service_area(product.service_area)
            needed = rated_areas(area, rules)
            if not needed <= set(factors):
                raise SystemExit(
                    f"{issuer.name} {year}: no level for areas {needed - set(factors)}"
                )
            base = cents(ref_base * plan.multiplier)
            is_new = (year == 2026 and plan.new_in_2026) or (
                year == 2027 and (2026 not in plan.years or plan.number_2027 is not None)
            )
            out.append(
                Component(
                    issuer=issuer,
                    plan=plan,
                    scid=scid_of(issuer, plan, year),
                    service_area=area,
                    product=product,
                    base=base,
                    rates0={a: cents(base * factors[a]) for a in sorted(needed)},
                    is_new=is_new,
                )
            )
    return sorted(out, key=lambda c: c.scid)


# ---------------------------------------------------------------------------------------------
# Cost sharing per variant


@dataclass(frozen=True)
class VariantTerms:
    suffix: str
    csr_type: str
    variant_name: str
    design: Design
    av: Decimal | None  # actuarial value (fraction); None: not applicable


def year_design(design: Design, metal: str, year: int) -> Design:
    limit = MOOP_LIMIT[year][0]
    if metal == "Catastrophic":
        return Design(limit, limit, 0)
    if year == 2026:
        result = design
    else:
        ded = round50(D(design.deductible) * D("1.05"))
        moop = min(floor50(D(design.moop) * D("1.08")), limit)
        drug = (
            None
            if design.drug_deductible is None
            else round50(D(design.drug_deductible) * D("1.05"))
        )
        result = Design(ded, max(moop, ded), design.coinsurance, drug)
    if not result.deductible <= result.moop <= limit:
        raise SystemExit(f"design {result} breaks the {year} limit {limit}")
    return result


def variants(c: Component, year: int, rules: Rules) -> list[VariantTerms]:
    plan, metal = c.plan, c.plan.metal
    base_name = f"SYNTHETIC {c.issuer.short} {plan.name}"
    design = year_design(plan.design, metal, year)
    csr_metal = "Bronze" if metal == "Expanded Bronze" else metal
    av: Decimal | None = None
    if metal in BASE_AV:
        av = BASE_AV[metal] + unit(c.scid, year, "av") * D("0.015")
    out: list[VariantTerms] = []
    if plan.connectorcare:
        for plan_type in rules.connectorcare_types:
            moop, cc_av = CONNECTORCARE_DESIGN[plan_type]
            out.append(
                VariantTerms(
                    rules.connectorcare_suffix[plan_type],
                    f"ConnectorCare Plan Type {plan_type}",
                    f"{base_name} - ConnectorCare Plan Type {plan_type}",
                    Design(0, moop, 0),
                    cc_av,
                )
            )
        return out
    if plan.exchange in ("Both", "Off"):
        out.append(
            VariantTerms("00", f"Standard {csr_metal} Off Exchange Plan", base_name, design, av)
        )
    if plan.exchange == "Off":
        return out
    out.append(VariantTerms("01", f"Standard {csr_metal} On Exchange Plan", base_name, design, av))
    if metal == "Catastrophic":
        return out
    out.append(
        VariantTerms(
            "02",
            "Zero Cost Sharing Plan Variation",
            f"{base_name} - Zero Cost Sharing",
            Design(0, 0, 0, None if design.drug_deductible is None else 0),
            None,
        )
    )
    out.append(
        VariantTerms(
            "03",
            "Limited Cost Sharing Plan Variation",
            f"{base_name} - Limited Cost Sharing",
            design,
            av,
        )
    )
    if metal == "Silver":
        limit = MOOP_LIMIT[year][0]
        limit87, limit73 = floor50(D(limit) / 3), floor50(D(limit) * 4 / 5)
        ded = D(design.deductible)
        csr = {
            "04": Design(
                round50(ded * D("0.70")), min(floor50(D(design.moop) * D("0.85")), limit73), 25
            ),
            "05": Design(round50(ded * D("0.25")), floor50(D(limit87) * D("0.85")), 20),
            "06": Design(round50(ded * D("0.05")), floor50(D(limit87) * D("0.40")), 10),
        }
        for suffix, (csr_type, target) in SILVER_CSR.items():
            out.append(
                VariantTerms(
                    suffix,
                    csr_type,
                    f"{base_name} - {csr_type.split(' Level')[0]} Level",
                    csr[suffix],
                    target + unit(c.scid, year, suffix) * D("0.008"),
                )
            )
    return out


# ---------------------------------------------------------------------------------------------
# Rows


def _sbc(design: Design, total: int) -> tuple[str, str, str, str]:
    """Summary of Benefits and Coverage example costs (synthetic): deductible, copay, coinsurance,
    limits/exclusions, for an event with ``total`` allowed charges."""
    ded = min(design.deductible, total, design.moop)
    copay = min(0 if design.coinsurance >= 40 else 60, design.moop - ded, total - ded)
    coins = round((total - ded - copay) * design.coinsurance / 100)
    coins = max(0, min(coins, design.moop - ded - copay))
    return money(ded), money(copay), money(coins), money(60 if total > 5000 else 0)


def _cost_sharing(design: Design, plan_type: str) -> dict[str, str]:
    na = {
        "Individual": "Not Applicable",
        "FamilyPerPerson": "per person not applicable",
        "FamilyPerGroup": "per group not applicable",
        "Coinsurance": "Not Applicable",
    }
    out = {f"{p}{n}{s}MOOP": na[s] for p in _BENEFIT_PREFIXES for n in _NETWORKS for s in _SHARES}
    out.update({c: na[next(s for s in na if c.endswith(s))] for c in _deductible_columns()})

    def amounts(amount: int) -> dict[str, str]:
        return {
            "Individual": money(amount),
            "FamilyPerPerson": per_person(amount),
            "FamilyPerGroup": per_group(2 * amount),
        }

    networks = [("InnTier1", 1)] + ([("OutOfNet", 2)] if plan_type == "PPO" else [])
    for network, mult in networks:
        for share, text in amounts(design.moop * mult).items():
            out[f"TEHB{network}{share}MOOP"] = text
        coins = f"{design.coinsurance + (20 if mult == 2 else 0):.2f}%"
        if design.drug_deductible is None:
            for share, text in amounts(design.deductible * mult).items():
                out[f"TEHBDed{network}{share}"] = text
            if network == "InnTier1":
                out["TEHBDedInnTier1Coinsurance"] = coins
        else:
            for share, text in amounts(design.deductible * mult).items():
                out[f"MEHBDed{network}{share}"] = text
            for share, text in amounts(design.drug_deductible * mult).items():
                out[f"DEHBDed{network}{share}"] = text
            if network == "InnTier1":
                out["MEHBDedInnTier1Coinsurance"] = coins
                out["DEHBDedInnTier1Coinsurance"] = f"{design.coinsurance:.2f}%"
    return out


def plan_attribute_rows(
    components: Sequence[Component], year: int, rules: Rules
) -> list[list[str]]:
    rows: list[list[str]] = []
    for c in components:
        issuer, plan, product = c.issuer, c.plan, c.product
        site = f"https://example.org/synthetic/{issuer.hios}"
        qhp = {"On": "On the Exchange", "Both": "Both", "Off": "Off the Exchange"}[plan.exchange]
        hmo = product.plan_type == "HMO"
        ehb = (D("0.99") + unit(c.scid, year, "ehb") * D("0.0099")).quantize(D("0.0001"))
        bronze_or_cat = plan.metal in ("Bronze", "Expanded Bronze", "Catastrophic")
        for v in variants(c, year, rules):
            plan_id = f"{c.scid}-{v.suffix}"
            row = {
                "BusinessYear": str(year),
                "StateCode": STATE,
                "IssuerId": issuer.hios,
                "IssuerMarketPlaceMarketingName": issuer.name,
                "SourceName": SOURCE_NAME,
                "ImportDate": IMPORT_DATE[year],
                "MarketCoverage": "Individual",
                "DentalOnlyPlan": "No",
                "StandardComponentId": c.scid,
                "PlanMarketingName": f"SYNTHETIC {issuer.short} {plan.name}",
                "HIOSProductId": c.scid[:10],
                "NetworkId": product.network,
                "ServiceAreaId": c.service_area.id,
                "FormularyId": "MAF001",
                "IsNewPlan": "New" if c.is_new else "Existing",
                "PlanType": product.plan_type,
                "MetalLevel": plan.metal,
                "DesignType": "Not Applicable",
                "UniquePlanDesign": "No",
                "QHPNonQHPTypeId": qhp,
                "IsNoticeRequiredForPregnancy": "No",
                "IsReferralRequiredForSpecialist": "Yes" if hmo else "No",
                "SpecialistRequiringReferral": "All specialists" if hmo else "",
                "PlanLevelExclusions": "",
                "IndianPlanVariationEstimatedAdvancedPaymentAmountPerEnrollee": (
                    f"${cents(D(8) + unit(c.scid, year, 'aian') * D(20))}"
                    if v.suffix == "02"
                    else ""
                ),
                "CompositeRatingOffered": "No",
                "ChildOnlyOffering": "Allows Adult and Child-Only",
                "ChildOnlyPlanId": "",
                "WellnessProgramOffered": "Yes",
                "DiseaseManagementProgramsOffered": "Asthma, Depression, Diabetes, Heart Disease",
                "EHBPercentTotalPremium": str(ehb),
                "EHBPediatricDentalApportionmentQuantity": "",
                "IsGuaranteedRate": "Guaranteed Rate",
                "PlanEffectiveDate": f"{year}-01-01",
                "PlanExpirationDate": f"{year}-12-31",
                "OutOfCountryCoverage": "Yes",
                "OutOfCountryCoverageDescription": "Emergency care only",
                "OutOfServiceAreaCoverage": "Yes",
                "OutOfServiceAreaCoverageDescription": "Emergency and urgent care only",
                "NationalNetwork": "Yes" if product.plan_type == "PPO" else "No",
                "URLForEnrollmentPayment": f"{site}/pay",
                "FormularyURL": f"{site}/formulary/{year}",
                "PlanId": plan_id,
                "PlanVariantMarketingName": v.variant_name,
                "CSRVariationType": v.csr_type,
                "IssuerActuarialValue": "" if v.av is None else f"{v.av * 100:.2f}%",
                "AVCalculatorOutputNumber": "" if v.av is None else f"{v.av:.4f}",
                "MedicalDrugDeductiblesIntegrated": "No"
                if v.design.drug_deductible is not None
                else "Yes",
                "MedicalDrugMaximumOutofPocketIntegrated": "Yes",
                "MultipleInNetworkTiers": "No",
                "FirstTierUtilization": "100%",
                "SecondTierUtilization": "",
                "SpecialtyDrugMaximumCoinsurance": "",
                "InpatientCopaymentMaximumDays": "0",
                "BeginPrimaryCareCostSharingAfterNumberOfVisits": "0",
                "BeginPrimaryCareDeductibleCoinsuranceAfterNumberOfCopays": "0",
                "IsHSAEligible": "Yes" if bronze_or_cat else "No",
                "HSAOrHRAEmployerContribution": "",
                "HSAOrHRAEmployerContributionAmount": "",
                "URLForSummaryofBenefitsCoverage": f"{site}/sbc/{year}/{plan_id}.pdf",
                "PlanBrochure": f"{site}/brochure/{year}/{c.scid}.pdf",
            }
            for event, total in SBC_EVENTS:
                parts = _sbc(v.design, total)
                for part, text in zip(SBC_PARTS, parts, strict=True):
                    row[f"SBC{event}{part}"] = text
            row.update(_cost_sharing(v.design, product.plan_type))
            rows.append([row[col] for col in PLAN_ATTRIBUTE_COLUMNS])
    return rows


def rate_rows(components: Sequence[Component], year: int, rules: Rules) -> list[list[str]]:
    rows: list[list[str]] = []
    for c in components:
        for area, rate0 in c.rates0.items():
            for label in AGE_LABELS:
                rows.append(
                    [
                        str(year), STATE, c.issuer.hios, SOURCE_NAME, IMPORT_DATE[year],
                        f"{year}-01-01", f"{year}-12-31", c.scid, f"Rating Area {area}",
                        "No Preference", label, str(age_rate(rules, rate0, label)),
                        "", "", "", "", "", "", "", "",
                    ]
                )  # fmt: skip
    return rows


def service_area_rows(year: int) -> list[list[str]]:
    rows: list[list[str]] = []
    for issuer in ISSUERS:
        if year not in issuer.years:
            continue
        for area in issuer.service_areas:
            head = [
                str(year),
                STATE,
                issuer.hios,
                SOURCE_NAME,
                IMPORT_DATE[year],
                area.id,
                area.name,
            ]
            tail = ["Individual", "No"]
            if area.counties is None:
                rows.append([*head, "Yes", "", "", "", "", *tail])
                continue
            for county in area.counties:
                zips = area.partial.get(county)
                if zips is None:
                    rows.append([*head, "No", county, "No", "", "", *tail])
                else:
                    why = (
                        f"SYNTHETIC: network covers only the listed ZIP codes of "
                        f"{COUNTY_NAMES[county]} County"
                    )
                    rows.append([*head, "No", county, "Yes", ", ".join(zips), why, *tail])
    return rows


def crosswalk_rows(
    year: int, old: Sequence[Component], new: Sequence[Component]
) -> list[list[str]]:
    """The ``year`` crosswalk: ``year - 1`` plans (``old``; for 2026 the notional 2025 plans
    derived from the 2026 catalog) to ``year`` plans (``new``)."""
    new_by_key = {(c.issuer.hios, c.plan.key): c for c in new}

    def target(c: Component | None) -> list[str]:
        if c is None:
            return [NO_PLAN_ID, "00000", "X", "X", "X"]
        return [c.scid, c.issuer.hios, "N", c.plan.metal, "0"]

    def ageoff(c: Component | None) -> list[str]:
        if c is None or c.plan.metal != "Catastrophic":
            return target(None)
        bronze = new_by_key.get((c.issuer.hios, "bronze"))
        return target(bronze)

    rows: list[list[str]] = []

    def add(
        old_id: str, old_issuer: str, metal: str, county: str, level: int, reason: int,
        to: Component | None,
    ) -> None:  # fmt: skip
        rows.append(
            [
                STATE, "N", old_id, old_issuer, "N", metal, "0", county, "00000", str(level),
                str(reason), *target(to), *ageoff(to), "", "", "",
            ]
        )  # fmt: skip

    if year == 2026:
        for c in new:
            if not c.plan.new_in_2026 and c.plan.exchange != "Off":
                for county in served_counties(c.service_area):
                    add(c.scid, c.issuer.hios, c.plan.metal, county, 0, 0, c)
        for old_id, metal, to_key, level, reason in NOTIONAL_2025:
            to = None if to_key is None else new_by_key[to_key]
            issuer = next(i for i in ISSUERS if i.hios == old_id[:5])
            product = next((p for p in issuer.products if p.number == old_id[7:10]), None)
            area = issuer.service_area(product.service_area) if product else issuer.service_areas[0]
            for county in served_counties(area):
                add(old_id, old_id[:5], metal, county, level, reason, to)
    else:
        for c in old:
            if c.plan.exchange == "Off":
                continue
            for county in served_counties(c.service_area):
                successor = c.plan.successor_2027.get(county) or c.plan.successor_2027.get("*")
                if successor is not None:
                    to = new_by_key[successor]
                    moved_issuer = successor[0] != c.issuer.hios
                    level = 2 if moved_issuer and len(c.plan.successor_2027) > 1 else 1
                    reason = 8 if moved_issuer else 2
                else:
                    to = new_by_key[(c.issuer.hios, c.plan.key)]
                    level, reason = (1, 1) if to.scid != c.scid else (0, 0)
                add(c.scid, c.issuer.hios, c.plan.metal, county, level, reason, to)
    rows.sort(key=lambda r: (r[2], r[7]))
    return rows


# ---------------------------------------------------------------------------------------------
# Calibration check (the test re-does this from the written files)


def check_calibration(year: int, components: Sequence[Component], rules: Rules) -> list[str]:
    """For every county (and every ZIP set of a partial county), the second-lowest age-0 premium
    among the standard on-exchange silver plans (variant -01) is the area's benchmark, strictly
    between the lowest and the third-lowest. Returns report lines; raises if a check fails."""
    silver = [
        c for c in components
        if c.plan.metal == "Silver" and not c.plan.connectorcare and c.plan.exchange != "Off"
    ]  # fmt: skip
    lines: list[str] = []
    for county in ALL_COUNTIES:
        area = rules.county_area[county]
        full = [c for c in silver if county in served_counties(c.service_area) and county not in c.service_area.partial]  # fmt: skip
        partial = [c for c in silver if county in c.service_area.partial]
        for extra in ([], *([p] for p in partial)):
            offered = sorted((c.rates0[area], c.scid) for c in full + extra)
            if len(offered) < 3:
                raise SystemExit(f"{year} {county}: fewer than 3 standard silver plans")
            (low, low_id), (second, second_id), (third, _) = offered[:3]
            if not (low < second == rules.benchmark[area] < third):
                raise SystemExit(f"{year} {county} area {area}: second-lowest {second} is not the benchmark {rules.benchmark[area]}")  # fmt: skip
            if not extra:
                lines.append(
                    f"| {year} | {COUNTY_NAMES[county]} ({county}) | {area} | {len(offered)} | "
                    f"{low_id} {low} | {second_id} **{second}** | {third} |"
                )
    return lines


def zip_region_report(year: int, components: Sequence[Component], rules: Rules) -> list[str]:
    """Information only: the benchmark for households rated by a ZIP code whose ZIP-3 region is
    not the rating area of its county (e.g. Quincy: Norfolk County, ZIP region 5)."""
    silver = [
        c for c in components
        if c.plan.metal == "Silver" and not c.plan.connectorcare and c.plan.exchange != "Off"
    ]  # fmt: skip
    lines: list[str] = []
    for county, areas in COUNTY_ZIP_AREAS.items():
        for area in areas:
            if area == rules.county_area[county]:
                continue
            offered = sorted(
                c.rates0[area] for c in silver
                if county in served_counties(c.service_area) and county not in c.service_area.partial
            )  # fmt: skip
            same = "same" if offered[1] == rules.benchmark[area] else "differs"
            lines.append(
                f"| {year} | {COUNTY_NAMES[county]} | {area} | {offered[1]} | "
                f"{rules.benchmark[area]} | {same} |"
            )
    return lines


# ---------------------------------------------------------------------------------------------
# Writing


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def generate(out: Path) -> dict[str, Any]:
    """Writes ``out/2026`` and ``out/2027``; returns a summary for the command line."""
    summary: dict[str, Any] = {"calibration": [], "zip_regions": [], "counts": {}}
    components: dict[int, list[Component]] = {}
    for year in YEARS:
        rules = load_rules(year)
        comps = build_components(year, rules)
        components[year] = comps
        summary["calibration"] += check_calibration(year, comps, rules)
        summary["zip_regions"] += zip_region_report(year, comps, rules)
        folder = out / str(year)
        write_csv(
            folder / FILES[0], PLAN_ATTRIBUTE_COLUMNS, plan_attribute_rows(comps, year, rules)
        )
        write_csv(folder / FILES[1], RATE_COLUMNS, rate_rows(comps, year, rules))
        write_csv(folder / FILES[2], SERVICE_AREA_COLUMNS, service_area_rows(year))
        old = components.get(year - 1, [])
        write_csv(
            folder / CROSSWALK_FILE, crosswalk_columns(year), crosswalk_rows(year, old, comps)
        )
        counts: dict[str, int] = defaultdict(int)
        for c in comps:
            counts["ConnectorCare" if c.plan.connectorcare else c.plan.metal] += 1
        summary["counts"][year] = dict(sorted(counts.items()))
    return summary


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for YEAR/*.csv")
    args = parser.parse_args(argv)
    summary = generate(args.out)
    for year in YEARS:
        print(year, "standard components:", summary["counts"][year])
        for name in (*FILES, CROSSWALK_FILE):
            path = args.out / str(year) / name
            print(f"  {path} {path.stat().st_size:,} bytes")
    print("\n".join(summary["calibration"]))
    print("\n".join(summary["zip_regions"]))


if __name__ == "__main__":
    main()
