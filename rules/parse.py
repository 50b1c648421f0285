"""Parse the household JSON (and CMS Marketplace API estimate requests) into the engine's inputs.

Every problem raises :class:`InputError` with the JSON path of the field and what is wrong, for
example ``members[1].date_of_birth: not a date (YYYY-MM-DD): '1990-13-01'``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, TypeVar

from rules.household import (
    MAY_BE_NEGATIVE,
    Address,
    Deduction,
    DeductionType,
    EmployerOffer,
    FilingStatus,
    Frequency,
    Household,
    Immigration,
    ImmigrationStatus,
    Income,
    IncomeType,
    Member,
    Relationship,
    RelationshipType,
    Sex,
    TaxInfo,
)

E = TypeVar("E", bound=StrEnum)

HOUSEHOLD_KEYS = {"coverage_year", "coverage_start", "address", "members", "relationships"}
MEMBER_KEYS = {
    "id",
    "name",
    "date_of_birth",
    "sex",
    "seeking_coverage",
    "tax",
    "pregnant",
    "expected_children",
    "immigration",
    "incarcerated",
    "incarceration_pending_disposition",
    "american_indian_alaska_native",
    "state_resident",
    "blind_or_disabled",
    "medicare",
    "other_mec",
    "employer_offer",
    "incomes",
    "deductions",
}
MAX_MEMBERS = 20
MIN_YEAR, MAX_YEAR = 2014, 2100  # marketplace coverage began in 2014
MAX_AMOUNT = Decimal("100000000")


class InputError(ValueError):
    """Bad input: ``path`` names the field, ``message`` says what is wrong."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.message = message


def _mapping(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputError(path, f"must be an object, got {_kind(value)}")
    return value


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "a list", str: "a string", bool: "true/false"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__
    )


def _no_unknown(data: dict[str, Any], allowed: set[str], path: str) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        prefix = f"{path}." if path else ""
        raise InputError(
            f"{prefix}{unknown[0]}", f"unknown field (allowed: {', '.join(sorted(allowed))})"
        )


def _bool(data: dict[str, Any], key: str, path: str, default: bool) -> bool:
    value = data.get(key, default)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise InputError(f"{path}.{key}", f"must be true or false, got {_kind(value)}")
    return value


def _str(data: dict[str, Any], key: str, path: str, required: bool = False) -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            raise InputError(f"{path}.{key}" if path else key, "is required")
        return None
    if not isinstance(value, str) or not value.strip():
        raise InputError(
            f"{path}.{key}" if path else key, f"must be a non-empty string, got {_kind(value)}"
        )
    return value.strip()


def _enum(cls: type[E], data: dict[str, Any], key: str, path: str, default: E | None) -> E:
    value = data.get(key)
    if value is None:
        if default is None:
            raise InputError(
                f"{path}.{key}", f"is required (one of: {', '.join(e.value for e in cls)})"
            )
        return default
    try:
        return cls(value)
    except ValueError:
        raise InputError(
            f"{path}.{key}", f"{value!r} is not one of: {', '.join(e.value for e in cls)}"
        ) from None


def _date(value: Any, path: str) -> dt.date:
    if not isinstance(value, str):
        raise InputError(path, f"must be a date string YYYY-MM-DD, got {_kind(value)}")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(path, f"not a date (YYYY-MM-DD): {value!r}") from None


def _money(value: Any, path: str, negative: bool = False) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise InputError(path, f"must be a number, got {_kind(value)}")
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise InputError(path, f"not a number: {value!r}") from None
    if not amount.is_finite():
        raise InputError(path, f"not a finite number: {value!r}")
    if amount < 0 and not negative:
        raise InputError(path, f"must not be negative, got {value}")
    if abs(amount) > MAX_AMOUNT:
        raise InputError(path, f"is implausibly large: {value}")
    return amount


def _list(data: dict[str, Any], key: str, path: str) -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(f"{path}.{key}" if path else key, f"must be a list, got {_kind(value)}")
    return value


def parse_household(data: Any) -> Household:
    """Parse and check the project's household JSON (docs/rules/household-input.md)."""
    root = _mapping(data, "")
    _no_unknown(root, HOUSEHOLD_KEYS, "")
    year = root.get("coverage_year")
    if isinstance(year, bool) or not isinstance(year, int):
        raise InputError(
            "coverage_year", f"is required and must be a whole year, got {_kind(year)}"
        )
    start = None
    if root.get("coverage_start") is not None:
        start = _date(root["coverage_start"], "coverage_start")
        if start.year != year:
            raise InputError("coverage_start", f"must fall in coverage_year {year}, got {start}")
    address = _address(_mapping(root.get("address"), "address"))
    raw_members = _list(root, "members", "")
    if not raw_members:
        raise InputError("members", "at least one member is required")
    if len(raw_members) > MAX_MEMBERS:
        raise InputError("members", f"at most {MAX_MEMBERS} members, got {len(raw_members)}")
    members = tuple(_member(m, f"members[{i}]", year) for i, m in enumerate(raw_members))
    relationships = tuple(
        _relationship(r, f"relationships[{i}]")
        for i, r in enumerate(_list(root, "relationships", ""))
    )
    household = Household(
        coverage_year=year,
        address=address,
        members=members,
        relationships=relationships,
        coverage_start=start,
    )
    _check_links(household)
    return household


def _address(data: dict[str, Any]) -> Address:
    _no_unknown(data, {"state", "county_fips", "zip"}, "address")
    state = _str(data, "state", "address", required=True)
    assert state is not None
    if len(state) != 2 or not state.isalpha():
        raise InputError("address.state", f"must be a two-letter state code, got {state!r}")
    county = _str(data, "county_fips", "address")
    if county is not None and (len(county) != 5 or not county.isdigit()):
        raise InputError("address.county_fips", f"must be five digits, got {county!r}")
    zipcode = _str(data, "zip", "address")
    if zipcode is not None and (len(zipcode) != 5 or not zipcode.isdigit()):
        raise InputError("address.zip", f"must be five digits, got {zipcode!r}")
    return Address(state=state.upper(), county_fips=county, zip=zipcode)


def _member(raw: Any, path: str, year: int) -> Member:
    data = _mapping(raw, path)
    _no_unknown(data, MEMBER_KEYS, path)
    member_id = _str(data, "id", path, required=True)
    assert member_id is not None
    if "date_of_birth" not in data:
        raise InputError(f"{path}.date_of_birth", "is required")
    dob = _date(data["date_of_birth"], f"{path}.date_of_birth")
    if dob > dt.date(year, 12, 31):
        raise InputError(
            f"{path}.date_of_birth", f"is after the end of coverage year {year}: {dob}"
        )
    if dob.year < year - 130:
        raise InputError(f"{path}.date_of_birth", f"is implausibly early: {dob}")
    pregnant = _bool(data, "pregnant", path, False)
    expected = data.get("expected_children")
    if expected is None:
        expected_children = 1 if pregnant else 0
    elif isinstance(expected, bool) or not isinstance(expected, int) or not 0 <= expected <= 8:
        raise InputError(
            f"{path}.expected_children", f"must be a whole number 0 to 8, got {expected!r}"
        )
    else:
        expected_children = expected
        if expected_children > 0:
            pregnant = True
    if pregnant and expected_children == 0:
        expected_children = 1
    return Member(
        id=member_id,
        name=_str(data, "name", path) or "",
        date_of_birth=dob,
        sex=_enum(Sex, data, "sex", path, Sex.UNKNOWN),
        seeking_coverage=_bool(data, "seeking_coverage", path, True),
        tax=_tax(data.get("tax"), f"{path}.tax"),
        pregnant=pregnant,
        expected_children=expected_children,
        immigration=_immigration(data.get("immigration"), f"{path}.immigration"),
        incarcerated=_bool(data, "incarcerated", path, False),
        incarceration_pending_disposition=_bool(
            data, "incarceration_pending_disposition", path, False
        ),
        american_indian_alaska_native=_bool(data, "american_indian_alaska_native", path, False),
        state_resident=_bool(data, "state_resident", path, True),
        blind_or_disabled=_bool(data, "blind_or_disabled", path, False),
        medicare=_bool(data, "medicare", path, False),
        other_mec=_bool(data, "other_mec", path, False),
        employer_offer=_offer(data.get("employer_offer"), f"{path}.employer_offer"),
        incomes=tuple(
            _income(x, f"{path}.incomes[{i}]") for i, x in enumerate(_list(data, "incomes", path))
        ),
        deductions=tuple(
            _deduction(x, f"{path}.deductions[{i}]")
            for i, x in enumerate(_list(data, "deductions", path))
        ),
    )


def _tax(raw: Any, path: str) -> TaxInfo:
    if raw is None:
        return TaxInfo()
    data = _mapping(raw, path)
    _no_unknown(data, {"filer", "filing_status", "spouse_id", "claimed_by", "mfs_exception"}, path)
    filer = _bool(data, "filer", path, False)
    status = None
    if data.get("filing_status") is not None:
        status = _enum(FilingStatus, data, "filing_status", path, None)
    if filer and status is None:
        status = FilingStatus.SINGLE
    if not filer and status is not None:
        raise InputError(f"{path}.filing_status", "given for a member who is not a filer")
    spouse = _str(data, "spouse_id", path)
    if status is FilingStatus.MARRIED_FILING_JOINTLY and spouse is None:
        raise InputError(f"{path}.spouse_id", "is required when filing jointly")
    return TaxInfo(
        filer=filer,
        filing_status=status,
        spouse_id=spouse,
        claimed_by=_str(data, "claimed_by", path),
        mfs_exception=_bool(data, "mfs_exception", path, False),
    )


def _immigration(raw: Any, path: str) -> Immigration:
    if raw is None:
        return Immigration()
    data = _mapping(raw, path)
    _no_unknown(data, {"status", "five_year_bar_met"}, path)
    return Immigration(
        status=_enum(ImmigrationStatus, data, "status", path, ImmigrationStatus.CITIZEN),
        five_year_bar_met=_bool(data, "five_year_bar_met", path, True),
    )


def _offer(raw: Any, path: str) -> EmployerOffer | None:
    if raw is None:
        return None
    data = _mapping(raw, path)
    _no_unknown(
        data,
        {"employee_only_premium", "family_premium", "frequency", "covers_family", "minimum_value"},
        path,
    )
    if data.get("employee_only_premium") is None:
        raise InputError(f"{path}.employee_only_premium", "is required")
    family = data.get("family_premium")
    return EmployerOffer(
        employee_only_premium=_money(
            data["employee_only_premium"], f"{path}.employee_only_premium"
        ),
        family_premium=None if family is None else _money(family, f"{path}.family_premium"),
        frequency=_enum(Frequency, data, "frequency", path, Frequency.MONTHLY),
        covers_family=_bool(data, "covers_family", path, True),
        minimum_value=_bool(data, "minimum_value", path, True),
    )


def _income(raw: Any, path: str) -> Income:
    data = _mapping(raw, path)
    _no_unknown(data, {"type", "amount", "frequency"}, path)
    kind = _enum(IncomeType, data, "type", path, None)
    if data.get("amount") is None:
        raise InputError(f"{path}.amount", "is required")
    return Income(
        type=kind,
        amount=_money(data["amount"], f"{path}.amount", negative=kind in MAY_BE_NEGATIVE),
        frequency=_enum(Frequency, data, "frequency", path, Frequency.YEARLY),
    )


def _deduction(raw: Any, path: str) -> Deduction:
    data = _mapping(raw, path)
    _no_unknown(data, {"type", "amount", "frequency"}, path)
    if data.get("amount") is None:
        raise InputError(f"{path}.amount", "is required")
    return Deduction(
        type=_enum(DeductionType, data, "type", path, None),
        amount=_money(data["amount"], f"{path}.amount"),
        frequency=_enum(Frequency, data, "frequency", path, Frequency.YEARLY),
    )


def _relationship(raw: Any, path: str) -> Relationship:
    data = _mapping(raw, path)
    _no_unknown(data, {"from", "to", "type"}, path)
    source = _str(data, "from", path, required=True)
    target = _str(data, "to", path, required=True)
    assert source is not None
    assert target is not None
    if source == target:
        raise InputError(f"{path}.to", "a member cannot be related to themself")
    return Relationship(
        from_id=source, to_id=target, type=_enum(RelationshipType, data, "type", path, None)
    )


def _check_links(household: Household) -> None:
    """Ids are unique and every reference names a member; dependency is one level deep."""
    index: dict[str, int] = {}
    for i, m in enumerate(household.members):
        if m.id in index:
            raise InputError(
                f"members[{i}].id", f"duplicate id {m.id!r} (also members[{index[m.id]}])"
            )
        index[m.id] = i
    by_id = {m.id: m for m in household.members}
    for i, m in enumerate(household.members):
        path = f"members[{i}].tax"
        for key, ref in (("spouse_id", m.tax.spouse_id), ("claimed_by", m.tax.claimed_by)):
            if ref is not None and ref not in by_id:
                raise InputError(f"{path}.{key}", f"no member has id {ref!r}")
            if ref == m.id:
                raise InputError(f"{path}.{key}", "a member cannot name themself")
        if m.tax.claimed_by is not None:
            claimer = by_id[m.tax.claimed_by]
            if not claimer.tax.filer:
                raise InputError(
                    f"{path}.claimed_by", f"{claimer.id!r} claims dependents but is not a tax filer"
                )
            if claimer.tax.claimed_by is not None:
                raise InputError(
                    f"{path}.claimed_by", f"{claimer.id!r} is itself claimed as a dependent"
                )
            if m.tax.filing_status is FilingStatus.MARRIED_FILING_JOINTLY:
                raise InputError(
                    f"{path}.claimed_by", "a joint filer cannot be claimed as a dependent"
                )
        if (
            m.tax.filing_status is FilingStatus.MARRIED_FILING_JOINTLY
            and m.tax.spouse_id is not None
        ):
            spouse = by_id[m.tax.spouse_id]
            if spouse.tax.claimed_by is not None:
                raise InputError(f"{path}.spouse_id", f"{spouse.id!r} is claimed as a dependent")
    for i, r in enumerate(household.relationships):
        for key, ref in (("from", r.from_id), ("to", r.to_id)):
            if ref not in by_id:
                raise InputError(f"relationships[{i}].{key}", f"no member has id {ref!r}")


# --- CMS Marketplace API eligibility-estimate requests ----------------------------------------

CMS_ESTIMATE_KEYS = {"household", "place", "year", "market", "aptc_override"}
CMS_PERSON_KEYS = {
    "age",
    "dob",
    "has_mec",
    "is_parent",
    "is_pregnant",
    "pregnant_with",
    "uses_tobacco",
    "last_tobacco_use_date",
    "gender",
    "utilization_level",
    "utilization",
    "relationship",
    "does_not_cohabitate",
    "aptc_eligible",
    "current_enrollment",
}


def is_cms_request(data: Any) -> bool:
    return (
        isinstance(data, dict)
        and ("household" in data or "place" in data)
        and "members" not in data
    )


def parse_cms_estimate(data: Any, year: int | None = None) -> Household:
    """Read a CMS Marketplace API ``POST /households/eligibility/estimates`` body as one tax household:
    the first person files (jointly with the spouse when ``has_married_couple``), the others are
    dependents, ``household.income`` is the filer's yearly income."""
    root = _mapping(data, "")
    _no_unknown(root, CMS_ESTIMATE_KEYS, "")
    coverage_year = year if year is not None else root.get("year")
    if isinstance(coverage_year, bool) or not isinstance(coverage_year, (int, float)):
        raise InputError("year", f"is required and must be a year, got {_kind(coverage_year)}")
    coverage_year = int(coverage_year)
    if not MIN_YEAR <= coverage_year <= MAX_YEAR:
        raise InputError("year", f"must be a coverage year, got {coverage_year}")
    place = _mapping(root.get("place"), "place")
    _no_unknown(place, {"countyfips", "state", "zipcode"}, "place")
    address = _address(
        {
            "state": place.get("state"),
            "county_fips": place.get("countyfips"),
            "zip": place.get("zipcode"),
        }
    )
    hh = _mapping(root.get("household") or {"people": [{"age": 40}]}, "household")
    _no_unknown(
        hh,
        {"income", "people", "has_married_couple", "effective_date", "unemployment_received"},
        "household",
    )
    start = dt.date(coverage_year, 1, 1)
    if hh.get("effective_date") is not None:
        start = _date(hh["effective_date"], "household.effective_date")
        if start.year != coverage_year:
            raise InputError("household.effective_date", f"must fall in year {coverage_year}")
    income = _money(hh.get("income", 0) or 0, "household.income", negative=True)
    people = _list(hh, "people", "household")
    if not people:
        raise InputError("household.people", "at least one person is required")
    if len(people) > MAX_MEMBERS:
        raise InputError("household.people", f"at most {MAX_MEMBERS} people")
    married = _bool(hh, "has_married_couple", "household", False)
    spouse_index = None
    if married:
        if len(people) < 2:
            raise InputError("household.has_married_couple", "needs at least two people")
        spouse_index = next(
            (
                i
                for i, p in enumerate(people)
                if i > 0
                and isinstance(p, dict)
                and str(p.get("relationship", "")).lower() == "spouse"
            ),
            1,
        )
    members: list[Member] = []
    relationships: list[Relationship] = []
    for i, raw in enumerate(people):
        path = f"household.people[{i}]"
        person = _mapping(raw, path)
        _no_unknown(person, CMS_PERSON_KEYS, path)
        member_id = f"person{i + 1}"
        dob = _cms_dob(person, path, start)
        pregnant_with = person.get("pregnant_with")
        if pregnant_with is not None and (
            isinstance(pregnant_with, bool)
            or not isinstance(pregnant_with, (int, float))
            or pregnant_with < 0
        ):
            raise InputError(
                f"{path}.pregnant_with", f"must be a whole number, got {pregnant_with!r}"
            )
        expected = int(pregnant_with or 0)
        pregnant = _bool(person, "is_pregnant", path, False) or expected > 0
        if i == 0:
            tax = TaxInfo(
                filer=True,
                filing_status=FilingStatus.MARRIED_FILING_JOINTLY
                if married
                else FilingStatus.SINGLE,
                spouse_id=f"person{spouse_index + 1}" if spouse_index is not None else None,
            )
        elif i == spouse_index:
            tax = TaxInfo(
                filer=True, filing_status=FilingStatus.MARRIED_FILING_JOINTLY, spouse_id="person1"
            )
        else:
            tax = TaxInfo(filer=False, claimed_by="person1")
            relationships.append(Relationship("person1", member_id, RelationshipType.PARENT))
            if spouse_index is not None:
                relationships.append(
                    Relationship(f"person{spouse_index + 1}", member_id, RelationshipType.PARENT)
                )
        gender = person.get("gender")
        members.append(
            Member(
                id=member_id,
                date_of_birth=dob,
                sex=Sex.FEMALE
                if gender == "Female"
                else Sex.MALE
                if gender == "Male"
                else Sex.UNKNOWN,
                tax=tax,
                pregnant=pregnant,
                expected_children=max(expected, 1) if pregnant else 0,
                other_mec=_bool(person, "has_mec", path, False)
                or not _bool(person, "aptc_eligible", path, True),
                incomes=(Income(IncomeType.WAGES, income, Frequency.YEARLY),) if i == 0 else (),
            )
        )
    return Household(
        coverage_year=coverage_year,
        address=address,
        members=tuple(members),
        relationships=tuple(relationships),
        coverage_start=start,
    )


def _cms_dob(person: dict[str, Any], path: str, start: dt.date) -> dt.date:
    age = person.get("age")
    if age is not None:  # CMS: when both are given, age takes precedence
        if isinstance(age, bool) or not isinstance(age, (int, float)) or not 0 <= age <= 125:
            raise InputError(f"{path}.age", f"must be a whole number 0 to 125, got {age!r}")
        day = min(start.day, 28) if start.month == 2 else start.day
        return dt.date(start.year - int(age), start.month, day)
    if person.get("dob") is None:
        raise InputError(f"{path}.age", "age or dob is required")
    dob = _date(person["dob"], f"{path}.dob")
    if dob > start:
        raise InputError(f"{path}.dob", f"is after the coverage start {start}")
    return dob
