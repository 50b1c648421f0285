"""The parameters in force for one coverage year, resolved once into typed, frozen values.

Building a :class:`YearParameters` checks the *shape* of each file's value (the format was checked
by the loader); a wrong shape raises :class:`ParameterError` naming the file, date and key.
Determinations then read plain attributes: no YAML, no dictionaries on the hot path.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from rules.parameters.loader import DatedValue, ParameterError, ParameterFiles

T = TypeVar("T")

PROGRAMS = ("premium_tax_credit", "cost_sharing_reductions", "connectorcare", "medicaid", "chip")
REGIONS = ("contiguous", "alaska", "hawaii")
MAX_PRECOMPUTED_SIZE = 30


@dataclass(frozen=True, slots=True)
class Guideline:
    """One year's HHS poverty guideline for one region: first person and each additional."""

    guideline_year: int
    region: str
    first: Decimal
    additional: Decimal
    provisional: str | None
    amounts: tuple[Decimal, ...] = ()  # precomputed for sizes 0..MAX_PRECOMPUTED_SIZE

    def for_size(self, size: int) -> Decimal:
        if size < len(self.amounts):
            return self.amounts[size]
        return self.first + self.additional * (size - 1)


@dataclass(frozen=True, slots=True)
class ApplicableBand:
    from_fpl: Decimal
    to_fpl: Decimal | None
    initial: Decimal  # percent of income
    final: Decimal


@dataclass(frozen=True, slots=True)
class CsrBand:
    max_fpl: Decimal
    level: str  # "94" | "87" | "73"
    variant: str  # plan variant suffix "06" | "05" | "04"


@dataclass(frozen=True, slots=True)
class ChipPremiumBand:
    above_fpl: Decimal
    per_child: Decimal
    family_cap: Decimal


@dataclass(frozen=True, slots=True)
class PlanTypeBand:
    plan_type: str
    max_fpl: Decimal


@dataclass(frozen=True, slots=True)
class RatingArea:
    area: int
    zip3: tuple[str, ...]
    counties: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MedicaidLimits:
    """MassHealth income limits in percent of FPL, before the MAGI disregard."""

    infant: Decimal
    child: Decimal
    young_adult: Decimal
    pregnant: Decimal
    parent_caretaker: Decimal
    adult: Decimal
    chip_child: Decimal


@dataclass(frozen=True, slots=True)
class AgeGroups:
    infant_max: int
    child_max: int
    young_adult_max: int
    adult_max: int
    chip_max: int
    dependent_child_max: int


@dataclass(frozen=True, slots=True)
class UsedParameter:
    name: str
    start: dt.date
    provisional: str | None


@dataclass(frozen=True, slots=True)
class YearParameters:
    coverage_year: int
    on: dt.date
    version: str
    guidelines: dict[str, dict[str, Guideline]]  # program -> region -> guideline
    applicable_bands: tuple[ApplicableBand, ...]
    ptc_upper_limit: Decimal | None
    ptc_lower_limit: Decimal
    below_100_lawfully_present_exception: bool
    ptc_statuses: frozenset[str]
    qhp_statuses: frozenset[str]
    affordability_percentage: Decimal
    csr_bands: tuple[CsrBand, ...]
    aian_zero_max_fpl: Decimal
    aian_zero_variant: str
    aian_limited_variant: str
    dependent_unearned_threshold: Decimal
    dependent_earned_addition: Decimal
    standard_deduction_single: Decimal
    magi_disregard: Decimal
    medicaid_statuses: frozenset[str]
    medicaid_five_year_bar_statuses: frozenset[str]
    masshealth_limits: MedicaidLimits
    age_groups: AgeGroups
    lawfully_present_children_pregnant_covered: bool
    lawfully_present_child_max_age: int
    pregnancy_counted_own: bool
    pregnancy_counted_others: bool
    chip_premium_bands: tuple[ChipPremiumBand, ...]
    connectorcare_income_limit: Decimal
    connectorcare_plan_types: tuple[PlanTypeBand, ...]
    connectorcare_contributions: dict[str, Decimal]
    age_curve_federal: tuple[Decimal, ...]  # index = age 0..64
    age_curve_state: tuple[Decimal, ...]
    rating_children_max: int
    rating_child_max_age: int
    rating_areas: tuple[RatingArea, ...]
    tobacco_rating: bool
    catastrophic_max_age: int
    connectorcare_plan_variants: dict[str, str]  # plan type -> plan variant suffix
    open_enrollment_start: dt.date
    open_enrollment_end: dt.date
    exchange_state: str
    used: tuple[UsedParameter, ...]
    provisional: tuple[UsedParameter, ...]  # the used values marked provisional
    #: Values derived from the parameters, computed once on first use (e.g. the applicable figure at
    #: each whole percent of poverty); not part of equality.
    memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    def guideline(self, program: str, state: str) -> Guideline:
        region = "alaska" if state == "AK" else "hawaii" if state == "HI" else "contiguous"
        return self.guidelines[program][region]


def _dec(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ParameterError(f"{where}: expected a number, got {value!r}")
    try:
        return Decimal(str(value))
    except ArithmeticError:
        raise ParameterError(f"{where}: expected a number, got {value!r}") from None


def _opt_dec(value: Any, where: str) -> Decimal | None:
    return None if value is None else _dec(value, where)


def _int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ParameterError(f"{where}: expected a whole number, got {value!r}")
    return int(value)


def _date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ParameterError(f"{where}: expected a date (YYYY-MM-DD), got {value!r}")


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ParameterError(f"{where}: expected true or false, got {value!r}")
    return value


def _str(value: Any, where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ParameterError(f"{where}: expected a string, got {value!r}")
    return str(value)


def _map(value: Any, where: str) -> dict[Any, Any]:
    if not isinstance(value, dict):
        raise ParameterError(f"{where}: expected a mapping, got {type(value).__name__}")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise ParameterError(f"{where}: expected a non-empty list")
    return value


def _key(mapping: dict[Any, Any], key: str, where: str) -> Any:
    if key not in mapping:
        raise ParameterError(f"{where}.{key}: missing")
    return mapping[key]


class _Resolver:
    """Looks values up in force on a date, remembering which were used (and which provisional)."""

    def __init__(self, files: ParameterFiles, on: dt.date) -> None:
        self.files = files
        self.on = on
        self.used: dict[str, UsedParameter] = {}

    def entry(self, name: str, on: dt.date | None = None) -> tuple[DatedValue, str]:
        parameter = self.files.get(name)
        entry = parameter.at(on or self.on)
        key = name if on is None else f"{name}@{entry.start.isoformat()}"
        self.used[key] = UsedParameter(name=name, start=entry.start, provisional=entry.provisional)
        return entry, f"{parameter.path}: values.{entry.start.isoformat()}.value"

    def get(self, name: str, convert: Callable[[Any, str], T], on: dt.date | None = None) -> T:
        entry, where = self.entry(name, on)
        return convert(entry.value, where)


def _guideline_for_year(
    files: ParameterFiles, resolver: _Resolver, year: int, region: str
) -> Guideline:
    parameter = files.get("gov/hhs/poverty_guidelines")
    # Guidelines are keyed by the date each year's figures took effect; the figures for guideline
    # year Y are the ones in force at the end of year Y.
    entry, where = resolver.entry(parameter.name, on=dt.date(year, 12, 31))
    value = _map(entry.value, where)
    listed = _int(_key(value, "guideline_year", where), f"{where}.guideline_year")
    if listed != year:
        raise ParameterError(
            f"{where}.guideline_year: the {year} poverty guidelines are not in the file "
            f"(latest is {listed}); add them, marked provisional if not yet published"
        )
    reg = _map(_key(value, region, where), f"{where}.{region}")
    first = _dec(_key(reg, "first", f"{where}.{region}"), f"{where}.{region}.first")
    additional = _dec(_key(reg, "additional", f"{where}.{region}"), f"{where}.{region}.additional")
    return Guideline(
        guideline_year=year,
        region=region,
        first=first,
        additional=additional,
        provisional=entry.provisional,
        amounts=tuple(first + additional * (n - 1) for n in range(MAX_PRECOMPUTED_SIZE + 1)),
    )


def _status_set(value: Any, where: str) -> frozenset[str]:
    return frozenset(_str(v, f"{where}[{i}]") for i, v in enumerate(_list(value, where)))


def _age_curve(value: Any, where: str) -> tuple[Decimal, ...]:
    mapping = _map(value, where)
    factors: list[Decimal] = []
    for age in range(65):
        raw = mapping.get(age, mapping.get(str(age)))
        if raw is None:
            raise ParameterError(f"{where}.{age}: missing (every age 0..64 needs a factor)")
        factors.append(_dec(raw, f"{where}.{age}"))
    return tuple(factors)


def build_year_parameters(files: ParameterFiles, coverage_year: int, on: dt.date) -> YearParameters:
    """Resolve every parameter for a coverage year, looked up on date ``on``."""
    r = _Resolver(files, on)

    offsets_entry, where = r.entry("gov/aca/guideline_year_offset")
    offsets = _map(offsets_entry.value, where)
    guidelines: dict[str, dict[str, Guideline]] = {}
    for program in PROGRAMS:
        offset = _int(_key(offsets, program, where), f"{where}.{program}")
        guidelines[program] = {
            region: _guideline_for_year(files, r, coverage_year + offset, region)
            for region in REGIONS
        }

    entry, where = r.entry("gov/aca/applicable_percentage")
    bands: list[ApplicableBand] = []
    for i, raw in enumerate(_list(entry.value, where)):
        w = f"{where}[{i}]"
        band = _map(raw, w)
        bands.append(
            ApplicableBand(
                from_fpl=_dec(_key(band, "from_fpl", w), f"{w}.from_fpl"),
                to_fpl=_opt_dec(band.get("to_fpl"), f"{w}.to_fpl"),
                initial=_dec(_key(band, "initial", w), f"{w}.initial"),
                final=_dec(_key(band, "final", w), f"{w}.final"),
            )
        )
    for prev, nxt in itertools.pairwise(bands):
        if prev.to_fpl != nxt.from_fpl:
            raise ParameterError(
                f"{where}: bands must be contiguous ({prev.to_fpl} then {nxt.from_fpl})"
            )

    entry, where = r.entry("gov/aca/csr_bands")
    csr_bands = []
    for i, raw in enumerate(_list(entry.value, where)):
        w = f"{where}[{i}]"
        band = _map(raw, w)
        csr_bands.append(
            CsrBand(
                max_fpl=_dec(_key(band, "max_fpl", w), f"{w}.max_fpl"),
                level=_str(_key(band, "level", w), f"{w}.level"),
                variant=_str(_key(band, "variant", w), f"{w}.variant"),
            )
        )

    entry, aw = r.entry("gov/aca/aian_cost_sharing")
    aian = _map(entry.value, aw)

    entry, fw = r.entry("gov/irs/dependent_filing_threshold")
    filing = _map(entry.value, fw)

    entry, mw = r.entry("gov/hhs/medicaid/qualified_immigration_statuses")
    medicaid_statuses = _map(entry.value, mw)

    entry, where = r.entry("states/ma/masshealth/income_limits")
    lim = _map(entry.value, where)
    limits = MedicaidLimits(
        **{
            k: _dec(_key(lim, k, where), f"{where}.{k}")
            for k in (
                "infant",
                "child",
                "young_adult",
                "pregnant",
                "parent_caretaker",
                "adult",
                "chip_child",
            )
        }
    )
    entry, where = r.entry("states/ma/masshealth/age_groups")
    ages = _map(entry.value, where)
    age_groups = AgeGroups(
        **{
            k: _int(_key(ages, k, where), f"{where}.{k}")
            for k in (
                "infant_max",
                "child_max",
                "young_adult_max",
                "adult_max",
                "chip_max",
                "dependent_child_max",
            )
        }
    )
    entry, iw = r.entry("states/ma/masshealth/lawfully_present_children_pregnant")
    ichia = _map(entry.value, iw)
    entry, pw = r.entry("states/ma/masshealth/pregnancy_household_count")
    pregnancy = _map(entry.value, pw)

    entry, where = r.entry("states/ma/masshealth/chip_premiums")
    chip_bands = []
    for i, raw in enumerate(_list(entry.value, where)):
        w = f"{where}[{i}]"
        band = _map(raw, w)
        chip_bands.append(
            ChipPremiumBand(
                above_fpl=_dec(_key(band, "above_fpl", w), f"{w}.above_fpl"),
                per_child=_dec(_key(band, "per_child", w), f"{w}.per_child"),
                family_cap=_dec(_key(band, "family_cap", w), f"{w}.family_cap"),
            )
        )
    chip_bands.sort(key=lambda b: b.above_fpl)

    entry, where = r.entry("states/ma/connectorcare/plan_types")
    plan_types = []
    for i, raw in enumerate(_list(entry.value, where)):
        w = f"{where}[{i}]"
        band = _map(raw, w)
        plan_types.append(
            PlanTypeBand(
                plan_type=_str(_key(band, "plan_type", w), f"{w}.plan_type"),
                max_fpl=_dec(_key(band, "max_fpl", w), f"{w}.max_fpl"),
            )
        )
    plan_types.sort(key=lambda b: b.max_fpl)
    entry, where = r.entry("states/ma/connectorcare/enrollee_contributions")
    contributions = {str(k): _dec(v, f"{where}.{k}") for k, v in _map(entry.value, where).items()}
    for plan_type in plan_types:
        if plan_type.plan_type not in contributions:
            raise ParameterError(
                f"{where}.{plan_type.plan_type}: missing (a plan type has no contribution)"
            )

    entry, cw = r.entry("gov/hhs/rating_children_charged")
    children = _map(entry.value, cw)

    entry, where = r.entry("states/ma/rating_areas")
    areas = []
    for i, raw in enumerate(_list(entry.value, where)):
        w = f"{where}[{i}]"
        area = _map(raw, w)
        areas.append(
            RatingArea(
                area=_int(_key(area, "area", w), f"{w}.area"),
                zip3=tuple(_str(z, f"{w}.zip3") for z in _list(_key(area, "zip3", w), f"{w}.zip3")),
                counties=tuple(
                    _str(c, f"{w}.counties")
                    for c in _list(_key(area, "counties", w), f"{w}.counties")
                ),
            )
        )

    tobacco_rating = r.get("states/ma/tobacco_rating", _bool)
    catastrophic_max_age = r.get("gov/aca/catastrophic_plan_max_age", _int)
    entry, vw = r.entry("states/ma/connectorcare/plan_variants")
    plan_variants = {str(k): _str(v, f"{vw}.{k}") for k, v in _map(entry.value, vw).items()}
    entry, ow = r.entry("gov/aca/open_enrollment_period", on=dt.date(coverage_year, 1, 1))
    oe = _map(entry.value, ow)
    used = tuple(sorted(r.used.values(), key=lambda u: (u.name, u.start)))
    return YearParameters(
        coverage_year=coverage_year,
        on=on,
        version=files.version,
        guidelines=guidelines,
        applicable_bands=tuple(bands),
        ptc_upper_limit=r.get("gov/aca/ptc_upper_income_limit", _opt_dec),
        ptc_lower_limit=r.get("gov/aca/ptc_lower_income_limit", _dec),
        below_100_lawfully_present_exception=r.get(
            "gov/aca/ptc_below_100_lawfully_present_exception", _bool
        ),
        ptc_statuses=r.get("gov/aca/ptc_eligible_immigration_statuses", _status_set),
        qhp_statuses=r.get("gov/aca/qhp_eligible_immigration_statuses", _status_set),
        affordability_percentage=r.get("gov/aca/employer_affordability_percentage", _dec),
        csr_bands=tuple(sorted(csr_bands, key=lambda b: b.max_fpl)),
        aian_zero_max_fpl=_dec(_key(aian, "zero_max_fpl", aw), f"{aw}.zero_max_fpl"),
        aian_zero_variant=_str(_key(aian, "zero_variant", aw), f"{aw}.zero_variant"),
        aian_limited_variant=_str(_key(aian, "limited_variant", aw), f"{aw}.limited_variant"),
        dependent_unearned_threshold=_dec(
            _key(filing, "unearned_income", fw), f"{fw}.unearned_income"
        ),
        dependent_earned_addition=_dec(
            _key(filing, "earned_income_addition", fw), f"{fw}.earned_income_addition"
        ),
        standard_deduction_single=_dec(
            _key(filing, "standard_deduction_single", fw), f"{fw}.standard_deduction_single"
        ),
        magi_disregard=r.get("gov/hhs/medicaid/magi_disregard", _dec),
        medicaid_statuses=_status_set(_key(medicaid_statuses, "full", mw), f"{mw}.full"),
        medicaid_five_year_bar_statuses=frozenset(
            _str(s, f"{mw}.five_year_bar_applies")
            for s in medicaid_statuses.get("five_year_bar_applies") or []
        ),
        masshealth_limits=limits,
        age_groups=age_groups,
        lawfully_present_children_pregnant_covered=_bool(
            _key(ichia, "covered", iw), f"{iw}.covered"
        ),
        lawfully_present_child_max_age=_int(_key(ichia, "max_age", iw), f"{iw}.max_age"),
        pregnancy_counted_own=_bool(
            _key(pregnancy, "pregnant_member_own_household", pw),
            f"{pw}.pregnant_member_own_household",
        ),
        pregnancy_counted_others=_bool(
            _key(pregnancy, "others_households", pw), f"{pw}.others_households"
        ),
        chip_premium_bands=tuple(chip_bands),
        connectorcare_income_limit=r.get("states/ma/connectorcare/income_limit", _dec),
        connectorcare_plan_types=tuple(plan_types),
        connectorcare_contributions=contributions,
        age_curve_federal=r.get("gov/hhs/age_curve_federal", _age_curve),
        age_curve_state=r.get("states/ma/age_curve", _age_curve),
        rating_children_max=_int(_key(children, "max_children", cw), f"{cw}.max_children"),
        rating_child_max_age=_int(_key(children, "child_max_age", cw), f"{cw}.child_max_age"),
        rating_areas=tuple(areas),
        tobacco_rating=tobacco_rating,
        catastrophic_max_age=catastrophic_max_age,
        connectorcare_plan_variants=plan_variants,
        open_enrollment_start=_date(_key(oe, "start", ow), f"{ow}.start"),
        open_enrollment_end=_date(_key(oe, "end", ow), f"{ow}.end"),
        exchange_state=r.get("exchange_state", _str),
        used=used,
        provisional=tuple(u for u in used if u.provisional),
    )
