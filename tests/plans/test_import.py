"""Importing a plan year's catalog from PUF files: counts, values, idempotence, replacement,
years side by side, every error kind with file/line/column, all-or-nothing."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from apps.plans.models import (
    CatalogImport,
    Crosswalk,
    Issuer,
    Plan,
    Rate,
    ServiceArea,
    ServiceAreaCounty,
)
from apps.plans.puf import OPEN_ENDED_AGE_MAX
from apps.plans.services import PufErrors, import_catalog
from tests.plans.pufdata import AGE_LABELS, MA_AREAS, PufFiles, Row, line_of

pytestmark = pytest.mark.django_db

SILVER, GOLD, BRONZE = "11111MA0010001", "11111MA0020001", "22222MA0010001"
MA_COUNTIES = [f"25{n:03d}" for n in range(1, 28, 2)]
MODELS: list[Any] = [CatalogImport, Issuer, ServiceArea, ServiceAreaCounty, Plan, Rate, Crosswalk]


def snapshot() -> dict[str, list[dict[str, Any]]]:
    return {m.__name__: list(m.objects.order_by("pk").values()) for m in MODELS}


def errors_of(folder: Path, year: int = 2026) -> list[str]:
    with pytest.raises(PufErrors) as caught:
        import_catalog(folder, year)
    return [str(e) for e in caught.value.errors]


def test_small_catalog_imports(tmp_path: Path) -> None:
    files = PufFiles.small()
    result = import_catalog(files.write(tmp_path), 2026)

    [ma] = result.states
    assert (ma.state, ma.status) == ("MA", "new")
    assert (ma.issuers, ma.plans, ma.service_areas, ma.crosswalk_rows) == (2, 9, 2, 3)
    assert ma.rates == (7 + 7 + 2) * len(AGE_LABELS)
    assert ma.service_area_counties == 14 + 2
    assert result.skipped == {
        ("plan-attributes-puf.csv", "SHOP rows"): 1,
        ("plan-attributes-puf.csv", "dental rows"): 1,
        ("rate-puf.csv", "rows of skipped (SHOP or dental) plans"): len(AGE_LABELS),
        ("service-area-puf.csv", "dental rows"): 1,
        ("plan-id-crosswalk-puf.csv", "dental rows"): 1,
    }
    assert Plan.objects.count() == 9
    assert Rate.objects.count() == ma.rates
    assert Crosswalk.objects.count() == 3
    assert Issuer.objects.get(hios_id="11111").name == "Issuer 11111"
    record = CatalogImport.objects.get(year=2026, state="MA")
    assert (record.plans, record.rates, record.digest) == (9, ma.rates, ma.digest)


def test_values_are_read_per_puf_conventions(tmp_path: Path) -> None:
    import_catalog(PufFiles.small().write(tmp_path), 2026)

    standard = Plan.objects.get(plan_id=f"{SILVER}-01")
    assert (standard.variant, standard.on_exchange, standard.connectorcare_plan_type) == (
        "01",
        True,
        "",
    )
    assert standard.standard_component_id == SILVER
    assert standard.issuer.hios_id == "11111"
    assert standard.ehb_percent_total_premium == Decimal("0.9986")
    # Integrated medical and drug amounts: the TEHB columns.
    assert (standard.deductible_individual, standard.deductible_family) == (2000, 4000)
    assert (standard.moop_individual, standard.moop_family) == (9200, 18400)
    assert str(standard.effective_date) == "2026-01-01"

    assert Plan.objects.get(plan_id=f"{SILVER}-00").on_exchange is False
    assert Plan.objects.get(plan_id=f"{SILVER}-04").deductible_individual == 650
    cc = {
        p.variant: p.connectorcare_plan_type
        for p in Plan.objects.filter(standard_component_id=SILVER)
    }
    assert cc == {"00": "", "01": "", "04": "", "31": "1", "32": "2A"}

    # Not integrated: the medical (MEHB) columns; "$5750 per person", "Not Applicable" -> None.
    bronze = Plan.objects.get(plan_id=f"{BRONZE}-01")
    assert (bronze.deductible_individual, bronze.deductible_family) == (5750, 11500)
    assert (bronze.moop_individual, bronze.moop_family) == (9000, None)
    assert bronze.hsa_eligible is True  # "yes"
    assert (bronze.plan_type, bronze.metal_level) == ("EPO", "Bronze")
    assert Plan.objects.get(plan_id=f"{GOLD}-01").marketing_name == "Harbor Gold, PPO"

    ages = sorted(
        Rate.objects.filter(standard_component_id=SILVER, rating_area=1).values_list(
            "age_min", "age_max"
        )
    )
    assert ages[0] == (0, 14)
    assert ages[1] == (15, 15)
    assert ages[-1] == (64, OPEN_ENDED_AGE_MAX)
    rate = Rate.objects.get(standard_component_id=SILVER, rating_area=3, age_min=40)
    assert rate.individual_rate == Decimal("828.00")  # 400 * 1.8 * 1.15 (pufdata.rate_for)
    assert rate.tobacco_rate is None

    whole = ServiceArea.objects.get(issuer__hios_id="11111", service_area_id="MAS001")
    assert whole.cover_entire_state is True
    assert sorted(whole.counties.values_list("county_fips", flat=True)) == MA_COUNTIES
    partial = ServiceArea.objects.get(issuer__hios_id="22222")
    counties = {c.county_fips: (c.partial_county, c.zip_codes) for c in partial.counties.all()}
    assert counties == {"25025": (False, []), "25017": (True, ["02138", "02139", "02140"])}

    walks = {(c.old_plan_id, c.zip_code): c for c in Crosswalk.objects.all()}
    assert walks[(SILVER, "00000")].new_plan_id == SILVER
    assert walks[("11111MA0010002", "02138")].crosswalk_level == 1
    gone = walks[("11111MA0090001", "00000")]
    assert (gone.new_plan_id, gone.new_issuer_id, gone.crosswalk_level) == ("", "", 4)


def test_reimporting_the_same_files_changes_nothing(tmp_path: Path) -> None:
    folder = PufFiles.small().write(tmp_path)
    first = import_catalog(folder, 2026)
    before = snapshot()
    again = import_catalog(folder, 2026)
    assert again.unchanged
    assert [s.status for s in again.states] == ["unchanged"]
    assert again.states[0].digest == first.states[0].digest
    assert snapshot() == before  # same rows, same ids, same import time


def test_files_that_differ_only_in_form_are_unchanged(tmp_path: Path) -> None:
    files = PufFiles.small()
    import_catalog(files.write(tmp_path / "a"), 2026)
    files.rates.reverse()
    files.plans.reverse()
    again = import_catalog(files.write(tmp_path / "b", bom=True, header_case="lower"), 2026)
    assert again.unchanged


def test_changed_files_replace_the_year_and_state(tmp_path: Path) -> None:
    files = PufFiles.small()
    import_catalog(files.write(tmp_path / "v1"), 2026)
    old_ids = set(Plan.objects.values_list("pk", flat=True))

    files.plans = [p for p in files.plans if p["StandardComponentId"] != GOLD]
    files.rates = [r for r in files.rates if r["PlanId"] != GOLD]
    for r in files.rates:
        if r["PlanId"] == SILVER and r["RatingAreaId"] == "Rating Area 1" and r["Age"] == "30":
            r["IndividualRate"] = "123.45"
    result = import_catalog(files.write(tmp_path / "v2"), 2026)

    assert [s.status for s in result.states] == ["replaced"]
    assert not Plan.objects.filter(standard_component_id=GOLD).exists()
    assert not Rate.objects.filter(standard_component_id=GOLD).exists()
    assert Rate.objects.get(
        standard_component_id=SILVER, rating_area=1, age_min=30
    ).individual_rate == Decimal("123.45")
    assert Plan.objects.count() == 6
    assert CatalogImport.objects.get().digest == result.states[0].digest
    assert not old_ids & set(Plan.objects.values_list("pk", flat=True))


def test_plan_years_live_side_by_side(tmp_path: Path) -> None:
    import_catalog(PufFiles.small(2026).write(tmp_path / "2026"), 2026)
    next_year = PufFiles.small(2027)
    result = import_catalog(next_year.write(tmp_path / "2027"), 2027)
    assert [s.status for s in result.states] == ["new"]
    assert sorted(CatalogImport.objects.values_list("year", flat=True)) == [2026, 2027]
    assert Plan.objects.filter(year=2026).count() == Plan.objects.filter(year=2027).count() == 9
    assert Issuer.objects.filter(hios_id="11111").count() == 2

    # Replacing 2027 leaves 2026 exactly as it was.
    before_2026 = {
        m.__name__: list(m.objects.filter(year=2026).order_by("pk").values())
        for m in MODELS
        if m is not ServiceAreaCounty
    }
    next_year.plans = [p for p in next_year.plans if p["StandardComponentId"] != GOLD]
    next_year.rates = [r for r in next_year.rates if r["PlanId"] != GOLD]
    import_catalog(next_year.write(tmp_path / "2027b"), 2027)
    after_2026 = {
        m.__name__: list(m.objects.filter(year=2026).order_by("pk").values())
        for m in MODELS
        if m is not ServiceAreaCounty
    }
    assert after_2026 == before_2026
    assert Plan.objects.filter(year=2027).count() == 6


def test_several_states_in_one_set_of_files(tmp_path: Path) -> None:
    files = PufFiles.small()
    ct = "44444CT0010001"
    files.plans.append(files.plan(f"{ct}-01", ServiceAreaId="CTS001"))
    files.rates.extend(files.rate_table(ct, [1, 2], 450))
    files.areas.append(files.area("44444", "CTS001", StateCode="CT", County="09003"))
    result = import_catalog(files.write(tmp_path / "both"), 2026)
    assert [(s.state, s.plans) for s in result.states] == [("CT", 1), ("MA", 9)]
    assert Plan.objects.get(plan_id=f"{ct}-01").state == "CT"

    # --state limits the import; the other state's rows are skipped and counted.
    only = import_catalog(files.write(tmp_path / "only"), 2026, states=["ma"])
    assert [s.state for s in only.states] == ["MA"]
    assert only.unchanged
    assert only.skipped[("rate-puf.csv", "rows of other states than MA")] == 2 * len(AGE_LABELS)


def test_bom_case_insensitive_headers_and_cms_file_names(tmp_path: Path) -> None:
    names = {
        "plan_attributes": "Plan_Attributes_PUF.csv",
        "rate": "Rate_PUF_2026-10-15.csv",
        "service_area": "SERVICE_AREA_PUF.csv",
        "crosswalk": "Plan_ID_Crosswalk_PUF.csv",
    }
    folder = PufFiles.small().write(tmp_path, names=names, bom=True, header_case="upper")
    assert (folder / names["rate"]).read_bytes().startswith(b"\xef\xbb\xbf")
    result = import_catalog(folder, 2026)
    assert result.states[0].plans == 9
    assert Crosswalk.objects.count() == 3


def test_the_crosswalk_is_optional(tmp_path: Path) -> None:
    files = PufFiles.small()
    files.crosswalk = None
    result = import_catalog(files.write(tmp_path), 2026)
    assert "crosswalk" not in result.files
    assert result.states[0].crosswalk_rows == 0


# -- errors ----------------------------------------------------------------------------------------


def set_rate(files: PufFiles, scid: str, area: int, age: str, **values: str) -> int:
    """Change one rate row; return its line number."""

    def match(r: Row) -> bool:
        return (
            r["PlanId"] == scid and r["RatingAreaId"] == f"Rating Area {area}" and r["Age"] == age
        )

    line = line_of(files.rates, match)
    files.rates[line - 2].update(values)
    return line


def set_plan(files: PufFiles, plan_id: str, **values: str) -> int:
    line = line_of(files.plans, lambda p: p["PlanId"] == plan_id)
    files.plans[line - 2].update(values)
    return line


def test_rate_errors_are_all_reported_with_file_line_and_column(tmp_path: Path) -> None:
    files = PufFiles.small()
    a = set_rate(files, SILVER, 1, "30", IndividualRate="abc")
    b = set_rate(files, SILVER, 2, "31", RatingAreaId="Rating Area 8")
    c = set_rate(files, SILVER, 3, "32", Age="Family Option")
    d = set_rate(files, SILVER, 4, "33", Age="33 years")
    e = set_rate(files, SILVER, 5, "34", BusinessYear="2025")
    f = set_rate(files, SILVER, 6, "35", IndividualRate="-4.00", RateEffectiveDate="2025-01-01")
    g = set_rate(files, GOLD, 1, "36", PlanId="11111MA0029999")
    h = set_rate(files, GOLD, 1, "37", PlanId="11111MA002")
    dup = set_rate(files, GOLD, 2, "38", Age="39")  # the row for 39 follows it
    errors = errors_of(files.write(tmp_path))
    assert f"rate-puf.csv:{a}: IndividualRate: not a number: 'abc'" in errors
    assert (
        f"rate-puf.csv:{b}: RatingAreaId: MA has no rating area 8 (rating areas 1 to 7, per rules/parameters/states/ma/rating_areas.yaml)"
        in errors
    )
    assert (
        f"rate-puf.csv:{c}: Age: 'Family Option' (family-tier) rates are not accepted: MA rates by age"
        in errors
    )
    assert any(x.startswith(f"rate-puf.csv:{d}: Age: not an age label: '33 years'") for x in errors)
    assert f"rate-puf.csv:{e}: BusinessYear: plan year '2025' is not 2026" in errors
    assert (
        f"rate-puf.csv:{f}: IndividualRate: not a premium: '-4.00' (must be more than 0)" in errors
    )
    assert f"rate-puf.csv:{f}: RateEffectiveDate: 2025-01-01 is not in plan year 2026" in errors
    assert (
        f"rate-puf.csv:{g}: PlanId: no plan with StandardComponentId 11111MA0029999 in plan-attributes-puf.csv"
        in errors
    )
    assert (
        f"rate-puf.csv:{h}: PlanId: not a 14-character standard component id: '11111MA002'"
        in errors
    )
    assert (
        f"rate-puf.csv:{dup + 1}: Age: a second rate for plan {GOLD}, rating area 2, age 39, from 2026-01-01 (first on line {dup})"
        in errors
    )
    assert len(errors) == 10


def test_plan_attribute_errors(tmp_path: Path) -> None:
    files = PufFiles.small()
    a = set_plan(files, f"{SILVER}-04", EHBPercentTotalPremium="1.2")
    b = set_plan(files, f"{GOLD}-02", PlanId=f"{GOLD}-2", MetalLevel="Tin")
    c = set_plan(files, f"{GOLD}-03", TEHBDedInnTier1Individual="lots", PlanType="HMOX")
    d = set_plan(files, f"{BRONZE}-01", ServiceAreaId="MAS009", BusinessYear="2027")
    files.plans.append(files.plan(f"{GOLD}-33", MetalLevel="Gold"))  # ConnectorCare but gold
    files.plans.append(files.plan(f"{GOLD}-09", MetalLevel="Gold"))  # no such variant
    files.plans.append(files.plan("11111MA0020001-01", MetalLevel="Gold"))  # listed twice
    errors = errors_of(files.write(tmp_path))
    n = len(files.plans) + 1
    assert (
        f"plan-attributes-puf.csv:{a}: EHBPercentTotalPremium: not a fraction more than 0 and at most 1: '1.2'"
        in errors
    )
    assert (
        f"plan-attributes-puf.csv:{b}: PlanId: not a 17-character plan variant id (like 12345MA0010001-01): '{GOLD}-2'"
        in errors
    )
    assert f"plan-attributes-puf.csv:{b}: MetalLevel: not a metal level: 'Tin'" in errors
    assert (
        f"plan-attributes-puf.csv:{c}: TEHBDedInnTier1Individual: not an amount of money: 'lots'"
        in errors
    )
    assert (
        f"plan-attributes-puf.csv:{c}: PlanType: not a plan type (HMO, PPO, EPO, POS, Indemnity): 'HMOX'"
        in errors
    )
    assert f"plan-attributes-puf.csv:{d}: BusinessYear: plan year '2027' is not 2026" in errors
    assert (
        f"plan-attributes-puf.csv:{n - 2}: MetalLevel: Gold plan {GOLD}-33 has a ConnectorCare plan type 2B variant (-33); only silver plans do"
        in errors
    )
    assert any(
        x.startswith(
            f"plan-attributes-puf.csv:{n - 1}: PlanId: unknown plan variant suffix -09 for MA"
        )
        for x in errors
    )
    assert (
        f"plan-attributes-puf.csv:{n}: PlanId: {GOLD}-01 is listed twice (first on line {line_of(files.plans, lambda p: p['PlanId'] == GOLD + '-01')})"
        in errors
    )
    assert len(errors) == 9  # d's service area is not checked: its row has an error


def test_cross_file_errors(tmp_path: Path) -> None:
    files = PufFiles.small()
    bronze_line = set_plan(files, f"{BRONZE}-01", ServiceAreaId="MAS009")
    # The gold plan loses its ages 50..64 in every area but one, which loses age 20 only.
    files.rates = [
        r
        for r in files.rates
        if not (
            r["PlanId"] == GOLD
            and (
                r["Age"] == "20"
                if r["RatingAreaId"] == "Rating Area 1"
                else r["Age"] in {*map(str, range(50, 64)), "64 and over"}
            )
        )
    ]
    files.crosswalk = [
        *(files.crosswalk or []),
        files.walk("11111MA0050001", "25025", "11111MA0050002"),
    ]
    errors = errors_of(files.write(tmp_path))
    gold_line = line_of(files.plans, lambda p: p["PlanId"] == f"{GOLD}-01")
    assert gold_line < bronze_line
    assert errors == [
        f"plan-attributes-puf.csv:{gold_line}: StandardComponentId: plan {GOLD} is offered on the exchange but no rating area has rates for every age 0 to 64 (rating area 1 has no rate for ages 20)",
        f"plan-attributes-puf.csv:{bronze_line}: ServiceAreaId: no service area MAS009 of issuer 22222 in service-area-puf.csv",
        f"plan-id-crosswalk-puf.csv:{len(files.crosswalk) + 1}: PlanID_2026: no 2026 plan 11111MA0050002 in plan-attributes-puf.csv",
    ]


def test_a_plan_without_rates_and_overlapping_bands(tmp_path: Path) -> None:
    files = PufFiles.small()
    files.rates = [r for r in files.rates if r["PlanId"] != BRONZE]
    files.rates.append(files.rate(SILVER, 1, "10-20", "100.00"))
    errors = errors_of(files.write(tmp_path))
    bronze_line = line_of(files.plans, lambda p: p["PlanId"] == f"{BRONZE}-01")
    assert (
        f"plan-attributes-puf.csv:{bronze_line}: StandardComponentId: plan {BRONZE} is offered on the exchange but no rating area has rates for every age 0 to 64 (no rows for it in rate-puf.csv)"
        in errors
    )
    overlaps = [e for e in errors if "overlap" in e]
    assert len(overlaps) == 7  # 10-20 overlaps 0-14; 15..20 each overlap 10-20
    new_line = len(files.rates) + 1
    assert (
        f"rate-puf.csv:{new_line}: Age: ages 10-20 overlap ages 0-14 (line 2) for plan {SILVER} in rating area 1"
        in overlaps
    )
    assert (
        f"rate-puf.csv:3: Age: ages 15-15 overlap ages 10-20 (line {new_line}) for plan {SILVER} in rating area 1"
        in overlaps
    )


def test_service_area_errors(tmp_path: Path) -> None:
    files = PufFiles.small()
    files.areas.extend(
        [
            files.area("22222", "MAS002", County="09003"),  # a Connecticut county
            files.area("22222", "MAS002", County="25017"),  # listed twice
            files.area("22222", "MAS003", County="25021", PartialCounty="Yes", ZipCodes=""),
            files.area(
                "22222", "MAS004", County="25021", PartialCounty="Yes", ZipCodes="02138, 06001, 123"
            ),
            files.area("22222", "MAS005", County="", CoverEntireState="Maybe"),
            files.area("44444", "CTS001", StateCode="CT", CoverEntireState="Yes"),
        ]
    )
    errors = errors_of(files.write(tmp_path))
    first = len(files.areas) - 6 + 2  # the line of the first added row
    assert errors == [
        f"service-area-puf.csv:{first}: County: 09003 is not a county of MA (per rules/parameters/states/ma/rating_areas.yaml)",
        f"service-area-puf.csv:{first + 1}: County: county 25017 is listed twice for service area MAS002 of issuer 22222 (first on line 4)",
        f"service-area-puf.csv:{first + 2}: ZipCodes: blank (and PartialCounty is Yes)",
        f"service-area-puf.csv:{first + 3}: ZipCodes: not 5-digit ZIP codes: '123'",
        f"service-area-puf.csv:{first + 4}: CoverEntireState: expected Yes or No, not 'Maybe'",
        f"service-area-puf.csv:{first + 5}: CoverEntireState: Yes is not supported for CT: the exchange has no county list for CT (rules/parameters/states/ct/rating_areas.yaml); list the counties instead",
    ]


def test_missing_columns_are_reported_once(tmp_path: Path) -> None:
    folder = PufFiles.small().write(tmp_path)
    rate = folder / "rate-puf.csv"
    text = rate.read_text()
    rate.write_text(
        text.replace("IndividualRate,", "IndividualPremium,", 1).replace("RatingAreaId", "Area", 1)
    )
    errors = errors_of(folder)
    assert errors == [
        "rate-puf.csv:1: RatingAreaId: missing column",
        "rate-puf.csv:1: IndividualRate: missing column",
    ]


def test_a_crosswalk_for_other_years(tmp_path: Path) -> None:
    folder = PufFiles.small(2026).write(tmp_path / "a")
    (folder / "plan-id-crosswalk-puf.csv").write_text(
        (PufFiles.small(2025).write(tmp_path / "b") / "plan-id-crosswalk-puf.csv").read_text()
    )
    errors = errors_of(folder)
    assert "plan-id-crosswalk-puf.csv:1: PlanID_2026: missing column" in errors
    assert (
        "plan-id-crosswalk-puf.csv:1: this crosswalk is for plan years 2024 to 2025; the 2026 crosswalk maps 2025 plans (PlanID_2025) to 2026 plans (PlanID_2026)"
        in errors
    )


def test_malformed_csv_rows(tmp_path: Path) -> None:
    folder = PufFiles.small().write(tmp_path)
    area = folder / "service-area-puf.csv"
    area.write_text(area.read_text() + "2026,MA,11111\r\n")
    n = len(PufFiles.small().areas) + 2
    assert errors_of(folder) == [f"service-area-puf.csv:{n}: row has 3 fields, the header has 14"]
    area.write_bytes(b"\xff\xfe" + area.read_bytes())
    assert errors_of(folder) == ["service-area-puf.csv:1: not UTF-8 text"]


def test_no_plans_for_the_state_asked_for(tmp_path: Path) -> None:
    folder = PufFiles.small().write(tmp_path)
    with pytest.raises(PufErrors) as caught:
        import_catalog(folder, 2026, states=["VT"])
    assert [str(e) for e in caught.value.errors] == [
        "plan-attributes-puf.csv: no Individual-market medical plans for VT"
    ]


# -- all or nothing --------------------------------------------------------------------------------


def test_a_bad_row_in_the_last_file_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    files = PufFiles.small()
    import_catalog(files.write(tmp_path / "good"), 2026)
    import_catalog(PufFiles.small(2027).write(tmp_path / "next"), 2027)
    before = snapshot()

    files.plans = [p for p in files.plans if p["StandardComponentId"] != GOLD]
    files.rates = [r for r in files.rates if r["PlanId"] != GOLD]
    assert files.crosswalk is not None
    files.crosswalk.append(files.walk("11111MA0010009", "25025", SILVER, FIPSCode="2502"))
    errors = errors_of(files.write(tmp_path / "bad"))
    assert errors == [
        f"plan-id-crosswalk-puf.csv:{len(files.crosswalk) + 1}: FIPSCode: not a 5-digit county FIPS code: '2502'"
    ]
    assert snapshot() == before


def test_a_database_failure_rolls_everything_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = PufFiles.small()
    import_catalog(files.write(tmp_path / "good"), 2026)
    before = snapshot()
    files.plans = [p for p in files.plans if p["StandardComponentId"] != GOLD]
    files.rates = [r for r in files.rates if r["PlanId"] != GOLD]

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(Crosswalk.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        import_catalog(files.write(tmp_path / "v2"), 2026)
    assert snapshot() == before


def test_an_issuer_already_loaded_for_another_state(tmp_path: Path) -> None:
    import_catalog(PufFiles.small().write(tmp_path / "ma"), 2026)
    before = snapshot()
    files = PufFiles.small()
    ct = "11111CT0010001"  # the same issuer id in Connecticut
    files.plans = [files.plan(f"{ct}-01", ServiceAreaId="CTS001")]
    files.rates = files.rate_table(ct, [1], 400)
    files.areas = [files.area("11111", "CTS001", StateCode="CT", County="09003")]
    files.crosswalk = None
    errors = errors_of(files.write(tmp_path / "ct"))
    assert errors == ["database: issuer 11111 is already in the 2026 catalog for MA, not CT"]
    assert snapshot() == before


def test_rates_for_every_area_and_age(tmp_path: Path) -> None:
    import_catalog(PufFiles.small().write(tmp_path), 2026)
    areas = set(
        Rate.objects.filter(standard_component_id=SILVER).values_list("rating_area", flat=True)
    )
    assert areas == set(MA_AREAS)


def test_a_catalog_of_massachusetts_size_imports_in_seconds(tmp_path: Path) -> None:
    files = PufFiles.massachusetts_size()
    assert len(files.rates) == 35_700
    folder = files.write(tmp_path)
    result = import_catalog(folder, 2026)
    assert Rate.objects.count() == 35_700
    assert result.states[0].plans == len(files.plans)
    assert result.seconds < 30  # about 2 s on a laptop; generous for slow CI machines
    again = import_catalog(folder, 2026)
    assert again.unchanged
