"""Where a household lives: ZIP code to counties to premium rating area. Pure Python, no framework.

Sources
-------
- ZIP code to county: the ``zipcodes`` package (USPS ZIP codes, one county per ZIP), plus
  ``rating/data/zip_county_extra.csv``: the Massachusetts ZIP codes that the Census Bureau's ZCTA to
  County Relationship File splits across counties (that file's header cites its source). A ZIP
  in two counties gets both.
- County name to 5-digit county FIPS, and the list of a state's counties: the ``addfips`` package
  (Census county list, 2020 vintage).
- Rating areas: ``YearParameters.rating_areas`` (``rules/parameters/states/ma/rating_areas.yaml``),
  data, not code: each area lists its ZIP-3 prefixes and its counties.

The rating area rule (:func:`rating_area_for`)
-----------------------------------------------
Massachusetts defines its rating regions by the first three digits of the ZIP code (211 CMR
41.03(2), 211 CMR 66.07(1)(b)2); the CMS county grouping (Berkshire, Franklin, Hampden and
Hampshire in area 1, and so on) only approximates them (carriers may use either, 211 CMR
41.03(3)). So:

1. A ZIP code whose first three digits are listed for an area is in that area, whatever its
   county. The two rules disagree for about 150 Massachusetts ZIP codes, e.g. 02139 (Cambridge,
   Middlesex County): ZIP-3 021 puts it in area 5, where Middlesex County would say area 3; the
   ZIP rule wins and a county passed alongside such a ZIP is not consulted.
2. A ZIP code whose ZIP-3 is listed for no area (ZIP-3 055: unique ZIP codes of the IRS in Andover,
   Essex County; or a ZIP code of another state) falls back to the county rule for the ZIP's own
   counties, narrowed to ``county_fips`` when given (which must then be one of them, when the ZIP's
   counties are known). It has an area only when all those counties share one.
3. With no ZIP code, the county rule alone.

No area found raises :class:`LookupError` with the reason; a malformed ZIP code or county FIPS
raises :class:`ValueError`.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib.resources import files
from typing import Any, cast

import addfips  # type: ignore[import-untyped]
import zipcodes

from rules.parameters.year import RatingArea, YearParameters

__all__ = [
    "County",
    "counties_for_zip",
    "counties_in_state",
    "normalize_zip",
    "rating_area_for",
]

#: The county list used for names and FIPS codes (``addfips`` ships 2000, 2010, 2015 and 2020).
COUNTY_VINTAGE = 2020
EXTRA_ZIP_COUNTIES = "data/zip_county_extra.csv"  # inside the ``rating`` package

_ZIP_RE = re.compile(r"([0-9]{5})(?:-?[0-9]{4})?")  # ZIP or ZIP+4
_FIVE_DIGITS = re.compile(r"[0-9]{5}")


@dataclass(frozen=True, slots=True)
class County:
    fips: str  # 5 digits: state FIPS + county FIPS, e.g. "25025"
    name: str  # as the Census names it, e.g. "Suffolk County"
    state: str  # postal abbreviation, e.g. "MA"


# --- ZIP codes -----------------------------------------------------------------------------------


def normalize_zip(zip_code: str) -> str:
    """The 5-digit ZIP code of ``"02118"``, ``"02118-1234"`` or ``"021181234"``.

    Raises ValueError naming the input for anything else (a ZIP code is a string: the integer 2118
    has lost its leading zero).
    """
    if isinstance(zip_code, str):
        match = _ZIP_RE.fullmatch(zip_code.strip())
        if match:
            return match.group(1)
    raise ValueError(
        f"invalid ZIP code {zip_code!r}: expected 5 digits (or ZIP+4, e.g. 02118-1234) as a string"
    )


def counties_for_zip(zip_code: str) -> tuple[County, ...]:
    """The counties a ZIP code lies in, sorted by FIPS; empty for a ZIP code not on file.

    Raises ValueError for a malformed ZIP code. Counties the ``zipcodes`` data names but the
    county list does not know (a handful of ZIP codes outside Massachusetts, e.g. a county named
    under the wrong state) are left out.
    """
    return _counties_for_zip5(normalize_zip(zip_code))


@functools.lru_cache(maxsize=8192)
def _counties_for_zip5(zip5: str) -> tuple[County, ...]:
    found: set[str] = set()
    for state, county_name in _zip_records(zip5):
        fips = _county_fips(state, county_name)
        if fips is not None:
            found.add(fips)
    found.update(_extra_zip_counties().get(zip5, ()))
    table = _county_table()
    return tuple(table[fips] for fips in sorted(found) if fips in table)


def _zip_records(zip5: str) -> list[tuple[str, str]]:
    """(state, county name) of each ``zipcodes`` record of a 5-digit ZIP code (typed wrapper)."""
    matching = cast(Callable[[str], list[dict[str, Any]]], zipcodes.matching)
    records: list[tuple[str, str]] = []
    for record in matching(zip5):
        state, county_name = record.get("state"), record.get("county")
        if isinstance(state, str) and isinstance(county_name, str) and state and county_name:
            records.append((state, county_name))
    return records


@functools.cache
def _extra_zip_counties() -> dict[str, tuple[str, ...]]:
    """The supplemental ZIP-to-county rows: ZIP code -> county FIPS codes."""
    resource = files("rating").joinpath(EXTRA_ZIP_COUNTIES)
    text = resource.read_text(encoding="utf-8")
    numbered = [
        (number, line)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.startswith("#")
    ]
    reader = csv.DictReader(line for _, line in numbered)
    found: dict[str, set[str]] = {}
    for (number, _), row in zip(numbered[1:], reader, strict=True):
        zip5, fips = (row.get("zip") or "").strip(), (row.get("county_fips") or "").strip()
        if not (_FIVE_DIGITS.fullmatch(zip5) and _FIVE_DIGITS.fullmatch(fips)):
            raise ValueError(
                f"{EXTRA_ZIP_COUNTIES}:{number}: expected a 5-digit zip and county_fips, "
                f"got {zip5!r}, {fips!r}"
            )
        found.setdefault(zip5, set()).add(fips)
    return {zip5: tuple(sorted(fips)) for zip5, fips in found.items()}


# --- Counties ------------------------------------------------------------------------------------


def counties_in_state(state: str) -> tuple[County, ...]:
    """Every county (or county equivalent) of a state, sorted by FIPS.

    ``state`` is a postal abbreviation (``"MA"``), a state name or a 2-digit state FIPS code; an
    unknown state raises ValueError. Used to expand service areas that cover the entire state.
    """
    state_fips = _state_fips(state)
    if state_fips is None:
        raise ValueError(f"unknown state {state!r}")
    return _counties_in_state_fips(state_fips)


@functools.lru_cache(maxsize=64)
def _counties_in_state_fips(state_fips: str) -> tuple[County, ...]:
    return tuple(c for fips, c in sorted(_county_table().items()) if fips[:2] == state_fips)


@functools.cache
def _addfips() -> Any:
    return addfips.AddFIPS(vintage=COUNTY_VINTAGE)


def _state_fips(state: str) -> str | None:
    """2-digit state FIPS code of a postal abbreviation, name or FIPS code (typed wrapper)."""
    found = _addfips().get_state_fips(state.strip()) if isinstance(state, str) else None
    return found if isinstance(found, str) else None


def _county_fips(state: str, county_name: str) -> str | None:
    """5-digit county FIPS code of a county name in a state, or None (typed wrapper).

    ``addfips`` matches names with or without the "County"/"Parish"/... suffix, diacritics and
    "St."/"Saint"; names it misses because of spacing or punctuation ("St Louis County",
    "La Porte County", "Municipality of Anchorage") are matched on letters and digits alone.
    """
    found = _addfips().get_county_fips(county_name, state)
    if isinstance(found, str) and _FIVE_DIGITS.fullmatch(found):
        return found
    state_fips = _state_fips(state)
    if state_fips is None:
        return None
    return _squashed_names().get((state_fips, _squash(county_name)))


_NAME_PREFIXES = ("municipality of ", "city and borough of ", "borough of ")
_NAME_SUFFIXES = (
    " city and borough",
    " census area",
    " municipality",
    " municipio",
    " borough",
    " county",
    " parish",
)


def _squash(name: str) -> str:
    name = name.lower().strip()
    for prefix in _NAME_PREFIXES:
        name = name.removeprefix(prefix)
    for suffix in _NAME_SUFFIXES:
        if name.endswith(suffix):
            name = name.removesuffix(suffix)
            break
    return re.sub(r"[^a-z0-9]", "", name)


@functools.cache
def _squashed_names() -> dict[tuple[str, str], str]:
    """(state FIPS, squashed county name) -> county FIPS, leaving out names two counties share."""
    found: dict[tuple[str, str], str | None] = {}
    for fips, county in _county_table().items():
        key = (fips[:2], _squash(county.name))
        found[key] = None if key in found and found[key] != fips else fips
    return {key: fips for key, fips in found.items() if fips is not None}


@functools.cache
def _county_table() -> dict[str, County]:
    """County FIPS -> County, from the county list that ``addfips`` ships."""
    data = files("addfips").joinpath("data")
    postal: dict[str, str] = {}
    with data.joinpath("states.csv").open("r", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            postal[row["fips"]] = row["postal"]
    table: dict[str, County] = {}
    with data.joinpath(f"counties_{COUNTY_VINTAGE}.csv").open("r", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            fips = row["statefp"] + row["countyfp"]
            state = postal.get(row["statefp"], row["statefp"])
            table[fips] = County(fips=fips, name=row["name"], state=state)
    return table


# --- Rating areas --------------------------------------------------------------------------------


def rating_area_for(params: YearParameters, county_fips: str | None, zip_code: str | None) -> int:
    """The premium rating area of a household, by its ZIP code and/or county FIPS code.

    The ZIP code decides when its ZIP-3 is listed for an area; otherwise the county rule applies
    (see the module docstring). Raises LookupError when no area applies (e.g. a ZIP code of
    another state) or the counties of a ZIP code are in different areas and no county narrows
    them; ValueError for a malformed ZIP code or county FIPS, or when neither is given.
    """
    by_zip3, by_county = _area_index(params.rating_areas)
    county = _normalize_fips(county_fips) if county_fips is not None else None
    if zip_code is None:
        if county is None:
            raise ValueError("rating_area_for needs a ZIP code or a county FIPS code")
        area = by_county.get(county)
        if area is None:
            raise LookupError(f"no rating area for county {county}: it is in no area's county list")
        return area

    zip5 = normalize_zip(zip_code)
    area = by_zip3.get(zip5[:3])
    if area is not None:
        return area  # 211 CMR 41.03: the ZIP code decides, even where the county would differ

    zip_counties = tuple(c.fips for c in counties_for_zip(zip5))
    if county is not None:
        if zip_counties and county not in zip_counties:
            raise LookupError(
                f"no rating area for ZIP {zip5} in county {county}: the ZIP code lies in "
                f"{_listing(zip_counties)}, not in county {county}"
            )
        candidates: tuple[str, ...] = (county,)
    else:
        candidates = zip_counties
    if not candidates:
        raise LookupError(
            f"no rating area for ZIP {zip5}: ZIP-3 {zip5[:3]} is in no rating area and the ZIP "
            "code's county is not known"
        )
    outside = [c for c in candidates if c not in by_county]
    if outside:
        raise LookupError(
            f"no rating area for ZIP {zip5}: ZIP-3 {zip5[:3]} is in no rating area and "
            f"{_listing(outside)} {'is' if len(outside) == 1 else 'are'} in no area's county list"
            + ("" if county is not None or len(candidates) == 1 else "; give the county")
        )
    areas = sorted({by_county[c] for c in candidates})
    if len(areas) > 1:
        raise LookupError(
            f"no single rating area for ZIP {zip5}: it lies in {_listing(candidates)}, which are "
            f"in areas {', '.join(str(a) for a in areas)}; give the county"
        )
    return areas[0]


def _normalize_fips(county_fips: str) -> str:
    if isinstance(county_fips, str) and _FIVE_DIGITS.fullmatch(county_fips.strip()):
        return county_fips.strip()
    raise ValueError(f"invalid county FIPS code {county_fips!r}: expected 5 digits as a string")


def _listing(fips: Iterable[str]) -> str:
    codes = list(fips)
    return ("county " if len(codes) == 1 else "counties ") + ", ".join(codes)


@functools.lru_cache(maxsize=16)
def _area_index(areas: tuple[RatingArea, ...]) -> tuple[dict[str, int], dict[str, int]]:
    """ZIP-3 -> area and county FIPS -> area; a prefix or county listed in two areas is an error."""
    by_zip3: dict[str, int] = {}
    by_county: dict[str, int] = {}
    for area in areas:
        for kind, index, keys in (
            ("ZIP-3", by_zip3, area.zip3),
            ("county", by_county, area.counties),
        ):
            for key in keys:
                if index.setdefault(key, area.area) != area.area:
                    raise ValueError(
                        f"rating areas: {kind} {key} is listed in areas {index[key]} and {area.area}"
                    )
    return by_zip3, by_county
