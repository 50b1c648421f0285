"""Small CMS PUF files for tests, written into a folder: a Massachusetts catalog by default.

``PufFiles.small()`` builds three Individual-market medical plans of two issuers (with off-exchange,
CSR, AI/AN and ConnectorCare variants), one SHOP plan and one dental plan (both to be skipped),
their service areas (one whole-state, one with a partial county), full age-rated rates and a
crosswalk from the year before. Tests change rows (``plan(...)``, ``rate(...)``) and write them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

PLAN_HEADER = [
    "BusinessYear", "StateCode", "IssuerId", "IssuerMarketPlaceMarketingName", "SourceName",
    "ImportDate", "MarketCoverage", "DentalOnlyPlan", "StandardComponentId", "PlanMarketingName",
    "HIOSProductId", "NetworkId", "ServiceAreaId", "FormularyId", "IsNewPlan", "PlanType",
    "MetalLevel", "DesignType", "QHPNonQHPTypeId", "ChildOnlyOffering", "EHBPercentTotalPremium",
    "PlanEffectiveDate", "PlanExpirationDate", "NationalNetwork", "FormularyURL", "PlanId",
    "PlanVariantMarketingName", "CSRVariationType", "MedicalDrugDeductiblesIntegrated",
    "MedicalDrugMaximumOutofPocketIntegrated", "MEHBInnTier1IndividualMOOP",
    "MEHBInnTier1FamilyPerGroupMOOP", "TEHBInnTier1IndividualMOOP",
    "TEHBInnTier1FamilyPerGroupMOOP", "MEHBDedInnTier1Individual",
    "MEHBDedInnTier1FamilyPerGroup", "TEHBDedInnTier1Individual",
    "TEHBDedInnTier1FamilyPerGroup", "IsHSAEligible", "URLForSummaryofBenefitsCoverage",
    "PlanBrochure",
]  # fmt: skip
RATE_HEADER = [
    "BusinessYear", "StateCode", "IssuerId", "SourceName", "ImportDate", "RateEffectiveDate",
    "RateExpirationDate", "PlanId", "RatingAreaId", "Tobacco", "Age", "IndividualRate",
    "IndividualTobaccoRate", "Couple", "PrimarySubscriberAndOneDependent",
    "PrimarySubscriberAndTwoDependents", "PrimarySubscriberAndThreeOrMoreDependents",
    "CoupleAndOneDependent", "CoupleAndTwoDependents", "CoupleAndThreeOrMoreDependents",
]  # fmt: skip
AREA_HEADER = [
    "BusinessYear", "StateCode", "IssuerId", "SourceName", "ImportDate", "ServiceAreaId",
    "ServiceAreaName", "CoverEntireState", "County", "PartialCounty", "ZipCodes",
    "PartialCountyJustification", "MarketCoverage", "DentalOnlyPlan",
]  # fmt: skip


def crosswalk_header(year: int) -> list[str]:
    y0, y1 = year - 1, year
    return [
        "State", "DentalPlan", f"PlanID_{y0}", f"IssuerID_{y0}", f"MultistatePlan_{y0}",
        f"MetalLevel_{y0}", f"ChildAdultOnly_{y0}", "FIPSCode", "ZipCode", "CrosswalkLevel",
        "ReasonForCrosswalk", f"PlanID_{y1}", f"IssuerID_{y1}", f"MultistatePlan_{y1}",
        f"MetalLevel_{y1}", f"ChildAdultOnly_{y1}", f"AgeOffPlanID_{y1}",
        f"IssuerID_AgeOff{y1}", f"MultistatePlan_AgeOff{y1}", f"MetalLevel_AgeOff{y1}",
        f"ChildAdultOnly_AgeOff{y1}",
    ]  # fmt: skip


AGE_LABELS = ["0-14", *(str(a) for a in range(15, 64)), "64 and over"]  # 51 bands
MA_AREAS = list(range(1, 8))

Row = dict[str, str]


def rate_for(base: int, area: int, label: str) -> str:
    age = 0 if label == "0-14" else 64 if label == "64 and over" else int(label)
    value = Decimal(base) * (1 + Decimal(age) / 50) * (1 + Decimal(area) / 20)
    return str(value.quantize(Decimal("0.01")))


@dataclass
class PufFiles:
    year: int = 2026
    plans: list[Row] = field(default_factory=list)
    rates: list[Row] = field(default_factory=list)
    areas: list[Row] = field(default_factory=list)
    crosswalk: list[Row] | None = field(default_factory=list)

    # -- rows ------------------------------------------------------------------------------------

    def plan(self, plan_id: str, **values: str) -> Row:
        scid = plan_id[:14]
        suffix = plan_id[15:]
        metal = values.pop("MetalLevel", "Silver")
        row = {
            "BusinessYear": str(self.year),
            "StateCode": scid[5:7],
            "IssuerId": scid[:5],
            "IssuerMarketPlaceMarketingName": f"Issuer {scid[:5]}",
            "SourceName": "HIOS",
            "ImportDate": f"9/1/{self.year - 1}",
            "MarketCoverage": "Individual",
            "DentalOnlyPlan": "No",
            "StandardComponentId": scid,
            "PlanMarketingName": f"Plan {scid}",
            "HIOSProductId": scid[:10],
            "NetworkId": f"{scid[5:7]}N001",
            "ServiceAreaId": f"{scid[5:7]}S001",
            "FormularyId": f"{scid[5:7]}F001",
            "IsNewPlan": "Existing",
            "PlanType": "HMO",
            "MetalLevel": metal,
            "DesignType": "Not Applicable",
            "QHPNonQHPTypeId": "Both",
            "ChildOnlyOffering": "Allows Adult and Child-Only",
            "EHBPercentTotalPremium": "0.9986",
            "PlanEffectiveDate": f"{self.year}-01-01",
            "PlanExpirationDate": f"{self.year}-12-31",
            "NationalNetwork": "No",
            "FormularyURL": "https://example.org/formulary",
            "PlanId": plan_id,
            "PlanVariantMarketingName": f"Plan {plan_id}",
            "CSRVariationType": {
                "00": f"Standard {metal} Off Exchange Plan",
                "01": f"Standard {metal} On Exchange Plan",
                "02": "Zero Cost Sharing Plan Variation",
                "03": "Limited Cost Sharing Plan Variation",
                "04": "73% AV Level Silver Plan",
                "05": "87% AV Level Silver Plan",
                "06": "94% AV Level Silver Plan",
            }.get(suffix, f"ConnectorCare Plan Type -{suffix}"),
            "MedicalDrugDeductiblesIntegrated": "Yes",
            "MedicalDrugMaximumOutofPocketIntegrated": "Yes",
            "MEHBInnTier1IndividualMOOP": "Not Applicable",
            "MEHBInnTier1FamilyPerGroupMOOP": "Not Applicable",
            "TEHBInnTier1IndividualMOOP": "$9,200 ",
            "TEHBInnTier1FamilyPerGroupMOOP": "$18400 per group",
            "MEHBDedInnTier1Individual": "Not Applicable",
            "MEHBDedInnTier1FamilyPerGroup": "per group not applicable",
            "TEHBDedInnTier1Individual": "$2,000 ",
            "TEHBDedInnTier1FamilyPerGroup": "$4000 per group",
            "IsHSAEligible": "No",
            "URLForSummaryofBenefitsCoverage": "https://example.org/sbc.pdf",
            "PlanBrochure": "https://example.org/brochure.pdf",
        }
        row.update(values)
        return row

    def rate(self, scid: str, area: int, age: str, value: str, **values: str) -> Row:
        row = {
            "BusinessYear": str(self.year),
            "StateCode": scid[5:7],
            "IssuerId": scid[:5],
            "SourceName": "HIOS",
            "ImportDate": f"{self.year - 1}-08-01 10:00:00",
            "RateEffectiveDate": f"{self.year}-01-01",
            "RateExpirationDate": f"{self.year}-12-31",
            "PlanId": scid,
            "RatingAreaId": f"Rating Area {area}",
            "Tobacco": "No Preference",
            "Age": age,
            "IndividualRate": value,
            "IndividualTobaccoRate": "",
        }
        row.update({k: "" for k in RATE_HEADER if k not in row})
        row.update(values)
        return row

    def rate_table(self, scid: str, areas: list[int], base: int) -> list[Row]:
        return [
            self.rate(scid, a, label, rate_for(base, a, label))
            for a in areas
            for label in AGE_LABELS
        ]

    def area(self, issuer: str, area_id: str, **values: str) -> Row:
        row = {
            "BusinessYear": str(self.year),
            "StateCode": "MA",
            "IssuerId": issuer,
            "SourceName": "HIOS",
            "ImportDate": f"9/1/{self.year - 1}",
            "ServiceAreaId": area_id,
            "ServiceAreaName": f"Area {area_id}",
            "CoverEntireState": "No",
            "County": "",
            "PartialCounty": "No",
            "ZipCodes": "",
            "PartialCountyJustification": "",
            "MarketCoverage": "Individual",
            "DentalOnlyPlan": "No",
        }
        row.update(values)
        return row

    def walk(self, old: str, fips: str, new: str, **values: str) -> Row:
        y0, y1 = self.year - 1, self.year
        row = {k: "" for k in crosswalk_header(self.year)}
        row.update(
            {
                "State": "MA",
                "DentalPlan": "N",
                f"PlanID_{y0}": old,
                f"IssuerID_{y0}": old[:5],
                "FIPSCode": fips,
                "ZipCode": "00000",
                "CrosswalkLevel": "0" if old == new else "1",
                "ReasonForCrosswalk": "0" if old == new else "1",
                f"PlanID_{y1}": new or "00000XX0000000",
                f"IssuerID_{y1}": new[:5] if new else "00000",
                f"AgeOffPlanID_{y1}": "X",
            }
        )
        row.update(values)
        return row

    # -- the default catalog ---------------------------------------------------------------------

    @classmethod
    def small(cls, year: int = 2026) -> PufFiles:
        f = cls(year=year)
        silver, gold, bronze = "11111MA0010001", "11111MA0020001", "22222MA0010001"
        f.plans = [
            f.plan(f"{silver}-00", QHPNonQHPTypeId="Both"),
            f.plan(f"{silver}-01"),
            f.plan(f"{silver}-04", TEHBDedInnTier1Individual="$650"),
            f.plan(
                f"{silver}-31",
                TEHBDedInnTier1Individual="$0",
                CSRVariationType="ConnectorCare Plan Type 1",
            ),
            f.plan(
                f"{silver}-32",
                TEHBDedInnTier1Individual="$0",
                CSRVariationType="ConnectorCare Plan Type 2A",
            ),
            f.plan(
                f"{gold}-01",
                MetalLevel="Gold",
                PlanType="PPO",
                PlanMarketingName="Harbor Gold, PPO",
            ),
            f.plan(f"{gold}-02", MetalLevel="Gold", PlanType="PPO"),
            f.plan(f"{gold}-03", MetalLevel="Gold", PlanType="PPO"),
            f.plan(
                f"{bronze}-01",
                MetalLevel="Bronze",
                PlanType="EPO",
                IsHSAEligible="yes",
                MedicalDrugDeductiblesIntegrated="No",
                MedicalDrugMaximumOutofPocketIntegrated="No",
                MEHBDedInnTier1Individual="$5750 per person",
                MEHBDedInnTier1FamilyPerGroup="$11,500 per group",
                TEHBDedInnTier1Individual="Not Applicable",
                MEHBInnTier1IndividualMOOP="$9,000",
                TEHBInnTier1IndividualMOOP="Not Applicable",
                ServiceAreaId="MAS002",
            ),
            # Skipped: a SHOP plan and a dental plan.
            f.plan(
                "22222MA0030001-01", MarketCoverage="SHOP (Small Group)", ServiceAreaId="MAS002"
            ),
            f.plan(
                "33333MA0010001-01",
                DentalOnlyPlan="Yes",
                MetalLevel="High",
                EHBPercentTotalPremium="",
            ),
        ]
        f.rates = [
            *f.rate_table(silver, MA_AREAS, 400),
            *f.rate_table(gold, MA_AREAS, 500),
            *f.rate_table(bronze, [3, 5], 300),
            *f.rate_table("22222MA0030001", [5], 350),
        ]
        f.areas = [
            f.area("11111", "MAS001", CoverEntireState="Yes"),
            f.area("22222", "MAS002", County="25025"),
            f.area(
                "22222",
                "MAS002",
                County="25017",
                PartialCounty="Yes",
                ZipCodes="02138, 02139, 02140",
            ),
            f.area("33333", "MAS001", CoverEntireState="Yes", DentalOnlyPlan="Yes"),
        ]
        f.crosswalk = [
            f.walk(silver, "25025", silver),
            f.walk("11111MA0010002", "25017", silver, ZipCode="02138"),
            f.walk("11111MA0090001", "25001", "", CrosswalkLevel="4", ReasonForCrosswalk="5"),
            f.walk("33333MA0010001", "25025", "33333MA0010001", DentalPlan="Y"),
        ]
        return f

    @classmethod
    def massachusetts_size(cls, year: int = 2026, plans: int = 100) -> PufFiles:
        """About the size of the real Massachusetts catalog: ``plans`` standard component ids of
        10 issuers, every one rated in the 7 areas for 51 age bands (35,700 rate rows for 100),
        silver ones with CSR and ConnectorCare variants."""
        f = cls(year=year, crosswalk=None)
        metals = ["Bronze", "Silver", "Silver", "Gold", "Platinum"]
        for i in range(plans):
            issuer = f"{10001 + i % 10}"
            scid = f"{issuer}MA{1 + i // 10:03d}{1:04d}"
            metal = metals[i % len(metals)]
            suffixes = ["01", "02", "03"]
            if metal == "Silver":
                suffixes += ["04", "05", "06", *(f"{n}" for n in range(31, 38))]
            for suffix in suffixes:
                f.plans.append(f.plan(f"{scid}-{suffix}", MetalLevel=metal, ServiceAreaId="MAS001"))
            f.rates.extend(f.rate_table(scid, MA_AREAS, 300 + i))
        for i in range(10):
            f.areas.append(f.area(f"{10001 + i}", "MAS001", CoverEntireState="Yes"))
        return f

    # -- files -----------------------------------------------------------------------------------

    def write(
        self,
        folder: Path,
        *,
        names: dict[str, str] | None = None,
        bom: bool = False,
        header_case: str = "",
    ) -> Path:
        """Write the four CSV files (no crosswalk file when ``crosswalk`` is None)."""
        folder.mkdir(parents=True, exist_ok=True)
        names = {
            "plan_attributes": "plan-attributes-puf.csv",
            "rate": "rate-puf.csv",
            "service_area": "service-area-puf.csv",
            "crosswalk": "plan-id-crosswalk-puf.csv",
            **(names or {}),
        }
        tables: list[tuple[str, list[str], list[Row]]] = [
            (names["plan_attributes"], PLAN_HEADER, self.plans),
            (names["rate"], RATE_HEADER, self.rates),
            (names["service_area"], AREA_HEADER, self.areas),
        ]
        if self.crosswalk is not None:
            tables.append((names["crosswalk"], crosswalk_header(self.year), self.crosswalk))
        for name, header, rows in tables:
            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\r\n")
            shown = [
                h.lower() if header_case == "lower" else h.upper() if header_case == "upper" else h
                for h in header
            ]
            writer.writerow(shown)
            for row in rows:
                writer.writerow([row.get(h, "") for h in header])
            (folder / name).write_text(
                out.getvalue(), encoding="utf-8-sig" if bom else "utf-8", newline=""
            )
        return folder


def line_of(rows: list[Row], predicate: object) -> int:
    """The file line number of the first row matching ``predicate`` (header is line 1)."""
    assert callable(predicate)
    for i, row in enumerate(rows):
        if predicate(row):
            return i + 2
    raise LookupError("no such row")
