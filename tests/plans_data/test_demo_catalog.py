"""The SYNTHETIC demo plan catalog in data/catalog/ma (see data/catalog/README.md): the committed
files are exactly what scripts/generate_demo_catalog.py writes, and they are calibrated to the
reference benchmark levels. The checks read the CSV files with the csv module only (not the
importer in apps/plans)."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts.generate_demo_catalog import generate

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "data" / "catalog" / "ma"
PARAMS = ROOT / "rules" / "parameters" / "states" / "ma"
YEARS = (2026, 2027)
FILES = (
    "plan-attributes-puf.csv",
    "rate-puf.csv",
    "service-area-puf.csv",
    "plan-id-crosswalk-puf.csv",
)
REGENERATE = ".venv/bin/python scripts/generate_demo_catalog.py --out data/catalog/ma"
# 2027 benchmark levels = 2026 levels x 1.040 (data/catalog/README.md).
FACTOR_2027 = Decimal("1.040")
# Maximum annual limitation on cost sharing, self-only (data/catalog/README.md).
MOOP_LIMIT = {2026: 10_600, 2027: 12_000}
AGE_LABELS = ["0-14", *(str(a) for a in range(15, 64)), "64 and over"]
RATE_COLUMNS = [
    "BusinessYear", "StateCode", "IssuerId", "SourceName", "ImportDate", "RateEffectiveDate",
    "RateExpirationDate", "PlanId", "RatingAreaId", "Tobacco", "Age", "IndividualRate",
    "IndividualTobaccoRate", "Couple", "PrimarySubscriberAndOneDependent",
    "PrimarySubscriberAndTwoDependents", "PrimarySubscriberAndThreeOrMoreDependents",
    "CoupleAndOneDependent", "CoupleAndTwoDependents", "CoupleAndThreeOrMoreDependents",
]  # fmt: skip
SERVICE_AREA_COLUMNS = [
    "BusinessYear", "StateCode", "IssuerId", "SourceName", "ImportDate", "ServiceAreaId",
    "ServiceAreaName", "CoverEntireState", "County", "PartialCounty", "ZipCodes",
    "PartialCountyJustification", "MarketCoverage", "DentalOnlyPlan",
]  # fmt: skip
PLAN_COLUMNS_NEEDED = [
    "BusinessYear", "StateCode", "IssuerId", "IssuerMarketPlaceMarketingName", "SourceName",
    "ImportDate", "MarketCoverage", "DentalOnlyPlan", "StandardComponentId", "PlanMarketingName",
    "HIOSProductId", "NetworkId", "ServiceAreaId", "FormularyId", "IsNewPlan", "PlanType",
    "MetalLevel", "DesignType", "UniquePlanDesign", "QHPNonQHPTypeId", "ChildOnlyOffering",
    "EHBPercentTotalPremium", "PlanEffectiveDate", "PlanExpirationDate", "NationalNetwork",
    "PlanId", "PlanVariantMarketingName", "CSRVariationType", "IssuerActuarialValue",
    "MedicalDrugDeductiblesIntegrated", "MedicalDrugMaximumOutofPocketIntegrated",
    "TEHBDedInnTier1Individual", "TEHBDedInnTier1FamilyPerGroup", "TEHBInnTier1IndividualMOOP",
    "TEHBInnTier1FamilyPerGroupMOOP", "MEHBDedInnTier1Individual", "DEHBDedInnTier1Individual",
    "MEHBInnTier1IndividualMOOP", "DEHBInnTier1IndividualMOOP", "IsHSAEligible",
    "URLForSummaryofBenefitsCoverage", "PlanBrochure", "FormularyURL",
]  # fmt: skip


def _param(name: str, year: int) -> Any:
    data = yaml.safe_load((PARAMS / name).read_text(encoding="utf-8"))
    start = dt.date(year, 1, 1)
    dated = sorted(
        (k if isinstance(k, dt.date) else dt.date.fromisoformat(str(k)), v)
        for k, v in data["values"].items()
    )
    return [v for d, v in dated if d <= start][-1]["value"]


def county_areas() -> dict[str, int]:
    return {c: int(a["area"]) for a in _param("rating_areas.yaml", 2026) for c in a["counties"]}


def benchmarks(year: int) -> dict[int, Decimal]:
    base = {
        int(a): Decimal(str(v)).quantize(Decimal("0.01"))
        for a, v in _param("reference_benchmark_premium.yaml", 2026).items()
    }
    if year == 2026:
        return base
    return {a: (v * FACTOR_2027).quantize(Decimal("0.01"), ROUND_HALF_UP) for a, v in base.items()}


@cache
def read(year: int, name: str) -> tuple[list[str], list[dict[str, str]]]:
    with (CATALOG / str(year) / name).open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def plans(year: int) -> list[dict[str, str]]:
    return read(year, "plan-attributes-puf.csv")[1]


@cache
def age0_rates(year: int) -> dict[tuple[str, int], Decimal]:
    """(standard component id, rating area) -> premium at age 0-14."""
    return {
        (r["PlanId"], int(r["RatingAreaId"].removeprefix("Rating Area "))): Decimal(
            r["IndividualRate"]
        )
        for r in read(year, "rate-puf.csv")[1]
        if r["Age"] == "0-14"
    }


@cache
def service_areas(year: int) -> dict[tuple[str, str], dict[str, tuple[str, ...] | None]]:
    """(issuer, service area) -> county -> served ZIPs of a partial county, or None (whole)."""
    out: dict[tuple[str, str], dict[str, tuple[str, ...] | None]] = defaultdict(dict)
    for r in read(year, "service-area-puf.csv")[1]:
        counties = out[(r["IssuerId"], r["ServiceAreaId"])]
        if r["CoverEntireState"] == "Yes":
            counties.update(dict.fromkeys(county_areas()))
        elif r["PartialCounty"] == "Yes":
            counties[r["County"]] = tuple(z.strip() for z in r["ZipCodes"].split(","))
        else:
            counties[r["County"]] = None
    return dict(out)


def components(year: int, variant: str, metals: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """Standard component id -> its plan row, for plans with that variant suffix."""
    return {
        r["StandardComponentId"]: r
        for r in plans(year)
        if r["PlanId"].endswith(f"-{variant}") and r["MetalLevel"] in metals
    }


def second_lowest_by_location(
    year: int, silver: dict[str, dict[str, str]]
) -> list[tuple[str, str, list[tuple[Decimal, str]]]]:
    """For every county, and every partial-county ZIP list offered in it: (county, where,
    age-0 premiums of the plans offered there, sorted)."""
    areas = county_areas()
    out = []
    for county, area in sorted(areas.items()):
        whole: list[tuple[Decimal, str]] = []
        partial: list[tuple[tuple[str, ...], tuple[Decimal, str]]] = []
        for scid, row in silver.items():
            served = service_areas(year)[(row["IssuerId"], row["ServiceAreaId"])]
            if county not in served:
                continue
            offer = (age0_rates(year)[(scid, area)], scid)
            zips = served[county]
            if zips is None:
                whole.append(offer)
            else:
                partial.append((zips, offer))
        out.append((county, "whole county", sorted(whole)))
        out += [(county, f"ZIPs {', '.join(z)}", sorted([*whole, o])) for z, o in partial]
    return out


# ---------------------------------------------------------------------------------------------


def test_committed_files_are_what_the_generator_writes(tmp_path: Path) -> None:
    generate(tmp_path)
    for year in YEARS:
        assert sorted(p.name for p in (tmp_path / str(year)).iterdir()) == sorted(FILES)
        for name in FILES:
            fresh = (tmp_path / str(year) / name).read_bytes()
            committed = (CATALOG / str(year) / name).read_bytes()
            assert fresh == committed, f"data/catalog/ma/{year}/{name} is stale: run {REGENERATE}"


@pytest.mark.parametrize("year", YEARS)
def test_cms_column_layouts(year: int) -> None:
    assert read(year, "rate-puf.csv")[0] == RATE_COLUMNS
    assert read(year, "service-area-puf.csv")[0] == SERVICE_AREA_COLUMNS
    header = read(year, "plan-attributes-puf.csv")[0]
    assert len(header) == 151
    assert len(set(header)) == 151
    assert [c for c in PLAN_COLUMNS_NEEDED if c not in header] == []
    assert header[:20] == PLAN_COLUMNS_NEEDED[:20]
    crosswalk = read(year, "plan-id-crosswalk-puf.csv")[0]
    y0, y1 = year - 1, year
    assert len(crosswalk) == 24
    assert crosswalk[:4] == ["State", "DentalPlan", f"PlanID_{y0}", f"IssuerID_{y0}"]
    assert f"PlanID_{y1}" in crosswalk
    assert f"AgeOffPlanID_{y1}" in crosswalk


@pytest.mark.parametrize("year", YEARS)
def test_every_file_is_marked_synthetic(year: int) -> None:
    for row in plans(year):
        assert row["IssuerMarketPlaceMarketingName"].startswith("Synthetic ")
        assert row["PlanMarketingName"].startswith("SYNTHETIC ")
        assert row["PlanVariantMarketingName"].startswith("SYNTHETIC ")
        assert row["SourceName"] == "SYNTHETIC"
    for name in ("rate-puf.csv", "service-area-puf.csv"):
        assert {r["SourceName"] for r in read(year, name)[1]} == {"SYNTHETIC"}
    assert all("SYNTHETIC" in r["ServiceAreaName"] for r in read(year, "service-area-puf.csv")[1])
    readme = (ROOT / "data" / "catalog" / "README.md").read_text(encoding="utf-8")
    assert "SYNTHETIC" in readme
    assert "not real" in readme


@pytest.mark.parametrize("year", YEARS)
def test_second_lowest_standard_silver_is_the_benchmark_in_every_county(year: int) -> None:
    """The calibration: in every county (and with or without each partial-county plan), the
    second-lowest age-0 premium among standard on-exchange silver plans (-01) is the benchmark
    level of the county's rating area, to the cent, with no tie at the second place."""
    bench = benchmarks(year)
    areas = county_areas()
    silver = components(year, "01", ("Silver",))
    locations = second_lowest_by_location(year, silver)
    assert {county for county, _, _ in locations} == set(areas)
    for county, where, offered in locations:
        level = bench[areas[county]]
        assert len(offered) >= 3, f"{year} {county} ({where}): fewer than 3 standard silver plans"
        low, second, third = (premium for premium, _ in offered[:3])
        assert second == level, f"{year} {county} ({where}): second-lowest {second}, not {level}"
        assert low < second < third, f"{year} {county} ({where}): tie next to the benchmark"


@pytest.mark.parametrize("year", YEARS)
def test_state_subsidy_and_off_exchange_silver_plans_would_change_the_benchmark(
    year: int,
) -> None:
    """A deliberate trap for benchmark code: ConnectorCare standard components (variants -3x
    only) and an off-exchange-only silver plan (-00 only) are priced below the benchmark in some
    counties, so counting them would give a wrong second-lowest plan."""
    bench = benchmarks(year)
    areas = county_areas()
    standard = components(year, "01", ("Silver",))
    assert standard
    silver_any = {r["StandardComponentId"]: r for r in plans(year) if r["MetalLevel"] == "Silver"}
    changed = [
        county
        for county, _, offered in second_lowest_by_location(year, silver_any)
        if offered[1][0] != bench[areas[county]]
    ]
    assert len(changed) >= 3


@pytest.mark.parametrize("year", YEARS)
def test_rates_follow_the_massachusetts_age_curve(year: int) -> None:
    curve = {int(k): Decimal(str(v)) for k, v in _param("age_curve.yaml", year).items()}
    factor = {"0-14": curve[0], "64 and over": curve[64]}
    factor.update({str(a): curve[a] for a in range(15, 64)})
    labels: dict[tuple[str, str], list[str]] = defaultdict(list)
    age0 = age0_rates(year)
    for r in read(year, "rate-puf.csv")[1]:
        assert r["Tobacco"] == "No Preference"
        assert r["IndividualTobaccoRate"] == ""
        assert r["RateEffectiveDate"] == f"{year}-01-01"
        assert r["RateExpirationDate"] == f"{year}-12-31"
        labels[(r["PlanId"], r["RatingAreaId"])].append(r["Age"])
        base = age0[(r["PlanId"], int(r["RatingAreaId"].removeprefix("Rating Area ")))]
        expected = (base * factor[r["Age"]] / Decimal("0.751")).quantize(
            Decimal("0.01"), ROUND_HALF_UP
        )
        assert Decimal(r["IndividualRate"]) == expected, r
    assert all(found == AGE_LABELS for found in labels.values())


@pytest.mark.parametrize("year", YEARS)
def test_every_plan_has_rates_where_it_is_sold(year: int) -> None:
    areas = county_areas()
    rated = age0_rates(year)
    for row in plans(year):
        served = service_areas(year)[(row["IssuerId"], row["ServiceAreaId"])]
        for county in served:
            assert (row["StandardComponentId"], areas[county]) in rated


@pytest.mark.parametrize("year", YEARS)
def test_metal_levels_are_priced_in_order_on_average(year: int) -> None:
    totals: dict[str, list[Decimal]] = defaultdict(list)
    standard = {
        r["StandardComponentId"]: r["MetalLevel"].replace("Expanded ", "")
        for r in plans(year)
        if r["PlanId"].endswith("-01")
    }
    for (scid, _), premium in age0_rates(year).items():
        if scid in standard:
            totals[standard[scid]].append(premium)
    average = {m: sum(v) / len(v) for m, v in totals.items()}
    order = ["Catastrophic", "Bronze", "Silver", "Gold", "Platinum"]
    assert [average[m] for m in order] == sorted(average[m] for m in order)


@pytest.mark.parametrize("year", YEARS)
def test_plan_variants(year: int) -> None:
    types = [str(t["plan_type"]) for t in _param("connectorcare/plan_types.yaml", year)]
    suffix = {str(k): str(v) for k, v in _param("connectorcare/plan_variants.yaml", year).items()}
    by_scid: dict[str, dict[str, dict[str, str]]] = defaultdict(dict)
    for row in plans(year):
        scid, variant = row["PlanId"].split("-")
        assert scid == row["StandardComponentId"]
        by_scid[scid][variant] = row
    connectorcare = 0
    limit = MOOP_LIMIT[year]
    for scid, found in by_scid.items():
        first = next(iter(found.values()))
        metal = first["MetalLevel"]
        if first["QHPNonQHPTypeId"] == "Off the Exchange":
            assert set(found) == {"00"}
            continue
        if "01" not in found:  # a ConnectorCare standard component
            connectorcare += 1
            assert metal == "Silver"
            assert set(found) == {suffix[t] for t in types}
            for plan_type in types:
                row = found[suffix[plan_type]]
                assert row["CSRVariationType"] == f"ConnectorCare Plan Type {plan_type}"
                assert row["TEHBDedInnTier1Individual"] == "$0 "
            continue
        expected = {"01"} if metal == "Catastrophic" else {"01", "02", "03"}
        if metal == "Silver":
            expected |= {"04", "05", "06"}
        assert set(found) - {"00"} == expected, scid
        assert ("00" in found) == (first["QHPNonQHPTypeId"] == "Both")
        assert Decimal("0.99") <= Decimal(first["EHBPercentTotalPremium"]) <= 1
        standard_moop = int(found["01"]["TEHBInnTier1IndividualMOOP"].strip("$ ").replace(",", ""))
        assert standard_moop <= limit
        if metal == "Silver":
            for variant, av in (("04", 73), ("05", 87), ("06", 94)):
                row = found[variant]
                assert av <= float(row["IssuerActuarialValue"].rstrip("%")) < av + 1
                moop = int(row["TEHBInnTier1IndividualMOOP"].strip("$ ").replace(",", ""))
                assert moop < standard_moop
                assert moop <= (limit // 3 // 50 * 50 if variant != "04" else limit * 4 // 5)
    assert connectorcare >= 4


def test_crosswalk_2027_maps_2026_plans_to_2027_plans() -> None:
    old = {r["StandardComponentId"] for r in plans(2026)}
    new = {r["StandardComponentId"] for r in plans(2027)}
    rows = read(2027, "plan-id-crosswalk-puf.csv")[1]
    on_exchange_2026 = {
        r["StandardComponentId"] for r in plans(2026) if r["QHPNonQHPTypeId"] != "Off the Exchange"
    }
    assert {r["PlanID_2026"] for r in rows} == on_exchange_2026
    assert {r["PlanID_2026"] for r in rows} <= old
    for r in rows:
        assert r["PlanID_2027"] in new, r
        assert r["ZipCode"] == "00000"
        same = r["PlanID_2027"] == r["PlanID_2026"]
        assert (r["CrosswalkLevel"], r["ReasonForCrosswalk"]) in (
            {("0", "0")} if same else {("1", "1"), ("1", "2"), ("2", "8")}
        )
    assert {r["ReasonForCrosswalk"] for r in rows} == {"0", "1", "2", "8"}
