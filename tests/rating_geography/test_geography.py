"""rating/geography.py: ZIP code to counties to Massachusetts rating area (211 CMR 41.03)."""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Callable
from decimal import Decimal
from importlib.resources import files
from typing import Any, cast

import pytest
import zipcodes

from rating.geography import (
    EXTRA_ZIP_COUNTIES,
    County,
    counties_for_zip,
    counties_in_state,
    normalize_zip,
    rating_area_for,
)
from rules import load_parameters
from rules.parameters.year import RatingArea, YearParameters

# shared/reference/RULES.md, "Massachusetts rating regions (211 CMR 41.03)", typed in by hand so
# that the parameter file is checked against the reference, not against itself.
ZIP3_AREAS = {
    1: ["010", "011", "012", "013"],
    2: ["014", "015", "016"],
    3: ["017", "020"],
    4: ["018", "019"],
    5: ["021", "022", "024"],
    6: ["023", "027"],
    7: ["025", "026"],
}
CMS_COUNTY_AREAS = {  # the CMS county grouping in the same paragraph of RULES.md
    "Berkshire County": 1,
    "Franklin County": 1,
    "Hampden County": 1,
    "Hampshire County": 1,
    "Worcester County": 2,
    "Middlesex County": 3,
    "Norfolk County": 3,
    "Essex County": 4,
    "Suffolk County": 5,
    "Bristol County": 6,
    "Plymouth County": 6,
    "Barnstable County": 7,
    "Dukes County": 7,
    "Nantucket County": 7,
}
AREA_OF_ZIP3 = {zip3: area for area, prefixes in ZIP3_AREAS.items() for zip3 in prefixes}


@pytest.fixture(scope="module")
def params() -> YearParameters:
    return load_parameters().for_year(2026)


def with_areas(params: YearParameters, areas: tuple[RatingArea, ...]) -> YearParameters:
    return dataclasses.replace(params, rating_areas=areas, memo={})


@pytest.mark.parametrize(
    ("zip_code", "fips", "county_name", "area"),
    [
        ("01103", "25013", "Hampden County", 1),  # Springfield
        ("01201", "25003", "Berkshire County", 1),  # Pittsfield
        ("01608", "25027", "Worcester County", 2),  # Worcester
        ("01701", "25017", "Middlesex County", 3),  # Framingham
        ("02026", "25021", "Norfolk County", 3),  # Dedham
        ("01840", "25009", "Essex County", 4),  # Lawrence
        ("02118", "25025", "Suffolk County", 5),  # Boston
        ("02360", "25023", "Plymouth County", 6),  # Plymouth
        ("02740", "25005", "Bristol County", 6),  # New Bedford
        ("02540", "25001", "Barnstable County", 7),  # Falmouth
        ("02568", "25007", "Dukes County", 7),  # Vineyard Haven
        ("02554", "25019", "Nantucket County", 7),  # Nantucket
    ],
)
def test_zip_to_county_to_area(
    params: YearParameters, zip_code: str, fips: str, county_name: str, area: int
) -> None:
    assert counties_for_zip(zip_code) == (County(fips=fips, name=county_name, state="MA"),)
    assert AREA_OF_ZIP3[zip_code[:3]] == area  # the example agrees with RULES.md
    assert rating_area_for(params, None, zip_code) == area
    assert rating_area_for(params, fips, None) == area
    assert rating_area_for(params, fips, zip_code) == area


def test_zip3_lists_match_the_regulation(params: YearParameters) -> None:
    assert {a.area: sorted(a.zip3) for a in params.rating_areas} == ZIP3_AREAS
    for zip3, area in AREA_OF_ZIP3.items():
        assert rating_area_for(params, None, f"{zip3}99") == area  # even a ZIP not on file


def test_zip_rule_wins_over_the_county_grouping(params: YearParameters) -> None:
    # Cambridge is in Middlesex County (area 3 by the CMS grouping) but ZIP-3 021 is region 5.
    assert [c.fips for c in counties_for_zip("02139")] == ["25017"]
    assert rating_area_for(params, "25017", None) == 3
    assert rating_area_for(params, None, "02139") == 5
    assert rating_area_for(params, "25017", "02139") == 5
    # Even a county from elsewhere does not override a ZIP code the regulation lists.
    assert rating_area_for(params, "36061", "02139") == 5


def test_every_massachusetts_zip_on_file_gets_its_zip3_area(params: YearParameters) -> None:
    filter_by = cast(Callable[..., list[dict[str, Any]]], zipcodes.filter_by)  # untyped
    ma_zips = [str(r["zip_code"]) for r in filter_by(state="MA")]
    assert len(ma_zips) > 600
    disagree = 0
    for zip_code in ma_zips:
        counties = counties_for_zip(zip_code)
        assert counties, zip_code
        assert any(c.state == "MA" for c in counties), zip_code
        expected = AREA_OF_ZIP3.get(zip_code[:3])
        if expected is None:  # 055xx: the IRS's unique ZIP codes in Andover (Essex County)
            assert zip_code[:3] == "055"
            expected = 4
        assert rating_area_for(params, None, zip_code) == expected, zip_code
        disagree += any(CMS_COUNTY_AREAS[c.name] != expected for c in counties)
    assert disagree > 100  # the county grouping only approximates the ZIP regions


def test_multi_county_zip_returns_every_county(params: YearParameters) -> None:
    # Devens spans Ayer and Shirley (Middlesex) and Harvard (Worcester).
    assert counties_for_zip("01434") == (
        County("25017", "Middlesex County", "MA"),
        County("25027", "Worcester County", "MA"),
    )
    assert rating_area_for(params, None, "01434") == 2  # ZIP-3 014
    assert rating_area_for(params, "25017", "01434") == 2
    # Chestnut Hill spans Newton (Middlesex), Brookline (Norfolk) and Boston (Suffolk).
    assert [c.fips for c in counties_for_zip("02467")] == ["25017", "25021", "25025"]
    assert rating_area_for(params, None, "02467") == 5  # ZIP-3 024


def test_counties_in_different_areas_need_the_county(params: YearParameters) -> None:
    # With a table that does not list ZIP-3 024, 02467 falls back to its counties, which are in
    # areas 3 and 5: the county decides.
    areas = tuple(
        dataclasses.replace(a, zip3=tuple(z for z in a.zip3 if z != "024"))
        for a in params.rating_areas
    )
    edited = with_areas(params, areas)
    with pytest.raises(LookupError, match=r"no single rating area for ZIP 02467.*areas 3, 5"):
        rating_area_for(edited, None, "02467")
    assert rating_area_for(edited, "25025", "02467") == 5
    assert rating_area_for(edited, "25021", "02467") == 3
    with pytest.raises(LookupError, match="not in county 25027"):
        rating_area_for(edited, "25027", "02467")


def test_supplemental_zip_county_file() -> None:
    text = files("rating").joinpath(EXTRA_ZIP_COUNTIES).read_text(encoding="utf-8")
    header = text.splitlines()[0]
    assert header.startswith("# ") and "zcta_county_rel_10" in header  # cites its source
    rows = list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
    by_zip: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_zip.setdefault(row["zip"], []).append(row)
    ma_fips = {c.fips for c in counties_in_state("MA")}
    for zip_code, parts in by_zip.items():
        assert len(parts) >= 2, zip_code  # only ZIP codes in two or more counties
        assert any(p["county_fips"] in ma_fips for p in parts), zip_code  # Massachusetts only
        total = sum((Decimal(p["population_share"]) for p in parts), Decimal(0))
        assert abs(total - 1) < Decimal("0.00001"), zip_code
        listed = tuple(sorted(p["county_fips"] for p in parts))
        # Every county is listed, including the one the zipcodes package gives.
        assert tuple(c.fips for c in counties_for_zip(zip_code)) == listed, zip_code


def test_cross_state_zip(params: YearParameters) -> None:
    # Pawtucket, RI: a sliver of its ZCTA is in Bristol County, Massachusetts.
    assert [(c.fips, c.state) for c in counties_for_zip("02861")] == [
        ("25005", "MA"),
        ("44007", "RI"),
    ]
    assert rating_area_for(params, "25005", "02861") == 6
    with pytest.raises(LookupError, match="county 44007 is in no area's county list"):
        rating_area_for(params, "44007", "02861")
    with pytest.raises(LookupError, match="give the county"):
        rating_area_for(params, None, "02861")


def test_unlisted_zip3_falls_back_to_the_county(params: YearParameters) -> None:
    assert [c.fips for c in counties_for_zip("05501")] == ["25009"]  # IRS, Andover
    assert rating_area_for(params, None, "05501") == 4
    assert rating_area_for(params, "25009", "05501") == 4
    with pytest.raises(LookupError, match=r"ZIP 05501 in county 25017.*lies in county 25009"):
        rating_area_for(params, "25017", "05501")


@pytest.mark.parametrize("zip_code", ["10001", "06103", "03301", "90210"])
def test_non_massachusetts_zip_has_no_area(params: YearParameters, zip_code: str) -> None:
    assert counties_for_zip(zip_code)
    assert all(c.state != "MA" for c in counties_for_zip(zip_code))
    with pytest.raises(LookupError, match=rf"no rating area for ZIP {zip_code}: ZIP-3"):
        rating_area_for(params, None, zip_code)


def test_unknown_zip(params: YearParameters) -> None:
    assert counties_for_zip("99999") == ()
    assert counties_for_zip("00000") == ()
    with pytest.raises(LookupError, match="county is not known"):
        rating_area_for(params, None, "99999")
    # An unknown ZIP code with a Massachusetts ZIP-3 still has its region.
    assert counties_for_zip("02199") and rating_area_for(params, None, "02100") == 5


@pytest.mark.parametrize("bad", ["0210", "021180", "2118", "abcde", "", " ", "02118-12", "0211８"])
def test_malformed_zip(params: YearParameters, bad: str) -> None:
    with pytest.raises(ValueError, match=rf"invalid ZIP code {bad!r}"):
        counties_for_zip(bad)
    with pytest.raises(ValueError, match="invalid ZIP code"):
        rating_area_for(params, "25025", bad)


def test_zip_must_be_a_string() -> None:
    with pytest.raises(ValueError, match="invalid ZIP code 2118"):
        counties_for_zip(2118)  # type: ignore[arg-type]


def test_zip_plus_four_and_spaces() -> None:
    assert normalize_zip("02118-1234") == normalize_zip("021181234") == "02118"
    assert normalize_zip(" 02118 ") == "02118"
    assert counties_for_zip("02118-1234") is counties_for_zip("02118")  # one cached answer


def test_malformed_county_and_missing_inputs(params: YearParameters) -> None:
    for bad in ["2525", "250250", "MA025", ""]:
        with pytest.raises(ValueError, match="invalid county FIPS code"):
            rating_area_for(params, bad, None)
    with pytest.raises(ValueError, match="needs a ZIP code or a county"):
        rating_area_for(params, None, None)
    with pytest.raises(LookupError, match="county 36061"):
        rating_area_for(params, "36061", None)


def test_every_massachusetts_county_maps_to_one_area(params: YearParameters) -> None:
    listed = [c for a in params.rating_areas for c in a.counties]
    assert len(listed) == len(set(listed))
    ma = counties_in_state("MA")
    assert sorted(listed) == [c.fips for c in ma]
    for county in ma:
        assert rating_area_for(params, county.fips, None) == CMS_COUNTY_AREAS[county.name]


def test_counties_in_massachusetts() -> None:
    ma = counties_in_state("MA")
    assert [c.name for c in ma] == [
        "Barnstable County",
        "Berkshire County",
        "Bristol County",
        "Dukes County",
        "Essex County",
        "Franklin County",
        "Hampden County",
        "Hampshire County",
        "Middlesex County",
        "Nantucket County",
        "Norfolk County",
        "Plymouth County",
        "Suffolk County",
        "Worcester County",
    ]
    assert [c.fips for c in ma] == [f"25{n:03d}" for n in range(1, 28, 2)]
    assert all(c.state == "MA" for c in ma)
    assert counties_in_state("ma") == counties_in_state("Massachusetts") == counties_in_state("25")
    assert len(counties_in_state("RI")) == 5
    with pytest.raises(ValueError, match="unknown state 'XX'"):
        counties_in_state("XX")


def test_county_is_frozen() -> None:
    county = County("25025", "Suffolk County", "MA")
    with pytest.raises(dataclasses.FrozenInstanceError):
        county.fips = "25017"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("zip_code", "fips"),
    [
        ("55801", "27137"),  # "St Louis County", MN: addfips wants "St. Louis"
        ("99509", "02020"),  # "Municipality of Anchorage", AK
        ("46352", "18091"),  # "La Porte County", IN: the Census writes "LaPorte"
        ("71342", "22059"),  # "LaSalle Parish", LA: the Census writes "La Salle"
    ],
)
def test_county_names_spelled_differently(zip_code: str, fips: str) -> None:
    assert [c.fips for c in counties_for_zip(zip_code)] == [fips]


def test_duplicate_zip3_in_the_parameters_is_an_error(params: YearParameters) -> None:
    areas = (
        RatingArea(area=1, zip3=("010",), counties=("25013",)),
        RatingArea(area=2, zip3=("010",), counties=("25027",)),
    )
    with pytest.raises(ValueError, match="ZIP-3 010 is listed in areas 1 and 2"):
        rating_area_for(with_areas(params, areas), None, "01103")
