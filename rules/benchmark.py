"""The benchmark (second-lowest-cost silver plan) premium, passed into the engine.

The engine asks a :class:`BenchmarkSource` for the monthly benchmark premium covering the members
who get the credit. The plan catalog provides the real one (``rating`` + catalog); until then, and
in tests, :class:`ReferenceBenchmark` prices a rating area's age-0 benchmark level with the state age
curve and the three-oldest-children rule (45 CFR 147.102(c)).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from rules.household import Address
from rules.parameters import ParameterError, ParameterFiles, ParameterSet, YearParameters

CENT = Decimal("0.01")


class BenchmarkSource(Protocol):
    def benchmark_monthly(
        self,
        params: YearParameters,
        address: Address,
        ages: Sequence[int],
        member_ids: Sequence[str] = (),
    ) -> Decimal:
        """Monthly second-lowest-cost silver premium covering these members (their ages, and ids)."""
        ...


def rating_area(params: YearParameters, address: Address) -> int:
    """The rating area of an address: by the ZIP code's first three digits where the state defines
    areas by ZIP (Massachusetts, 211 CMR 41.03), else by county FIPS. rating.geography applies the
    same rule with ZIP-to-county data."""
    if address.zip:
        prefix = address.zip[:3]
        for area in params.rating_areas:
            if prefix in area.zip3:
                return area.area
    if address.county_fips:
        for area in params.rating_areas:
            if address.county_fips in area.counties:
                return area.area
    raise LookupError(
        f"address: no rating area for county {address.county_fips!r} / ZIP {address.zip!r}"
    )


def charged_ages(params: YearParameters, ages: Sequence[int]) -> list[int]:
    """Ages that pay a premium: at most the N oldest children under the child age limit."""
    children = sorted((a for a in ages if a <= params.rating_child_max_age), reverse=True)
    adults = [a for a in ages if a > params.rating_child_max_age]
    return adults + children[: params.rating_children_max]


def age_rated(params: YearParameters, base_age0: Decimal, age: int) -> Decimal:
    curve = params.age_curve_state
    factor = curve[min(age, 64)] / curve[0]
    return (base_age0 * factor).quantize(CENT, rounding=ROUND_HALF_UP)


class ReferenceBenchmark:
    """Benchmark levels per rating area (monthly premium at age 0), priced by age."""

    def __init__(self, levels: Mapping[int, Mapping[int, Decimal]]) -> None:
        self.levels = levels  # coverage year -> rating area -> monthly premium at age 0
        self._areas: dict[tuple[int, str | None, str | None], int] = {}
        self._rated: dict[tuple[int, int, int], Decimal] = {}

    @classmethod
    def from_parameters(
        cls, params: YearParameters, levels: Mapping[int, Decimal]
    ) -> ReferenceBenchmark:
        return cls({params.coverage_year: levels})

    def benchmark_monthly(
        self,
        params: YearParameters,
        address: Address,
        ages: Sequence[int],
        member_ids: Sequence[str] = (),
    ) -> Decimal:
        year = params.coverage_year
        year_levels = self.levels.get(year)
        if year_levels is None:
            raise ParameterError(f"no benchmark levels for coverage year {year}")
        place = (year, address.county_fips, address.zip)
        area = self._areas.get(place)
        if area is None:
            area = self._areas[place] = rating_area(params, address)
        total = Decimal(0)
        for age in charged_ages(params, ages):
            key = (year, area, age)
            premium = self._rated.get(key)
            if premium is None:
                premium = self._rated[key] = age_rated(params, year_levels[area], age)
            total += premium
        return total


class FixedBenchmark:
    """A fixed monthly amount whatever the ages: one for all, or one per tax household keyed by any
    of its member ids (for differential tests and what-ifs)."""

    def __init__(self, monthly: Decimal, by_member: Mapping[str, Decimal] | None = None) -> None:
        self.monthly = monthly
        self.by_member = by_member or {}

    def benchmark_monthly(
        self,
        params: YearParameters,
        address: Address,
        ages: Sequence[int],
        member_ids: Sequence[str] = (),
    ) -> Decimal:
        for member_id in member_ids:
            if member_id in self.by_member:
                return self.by_member[member_id]
        return self.monthly


def reference_levels(files: ParameterFiles, coverage_year: int) -> dict[int, Decimal]:
    """Benchmark levels by rating area from ``states/ma/reference_benchmark_premium``."""
    parameter = files.get("states/ma/reference_benchmark_premium")
    entry = parameter.at(dt.date(coverage_year, 1, 1))
    where = f"{parameter.path}: values.{entry.start.isoformat()}.value"
    if not isinstance(entry.value, dict) or not entry.value:
        raise ParameterError(f"{where}: expected a mapping of rating area -> monthly premium")
    levels: dict[int, Decimal] = {}
    for area, amount in entry.value.items():
        if isinstance(amount, bool) or not isinstance(amount, (int, float)):
            raise ParameterError(f"{where}.{area}: expected a number")
        levels[int(area)] = Decimal(str(amount))
    return levels


def reference_benchmark(params: ParameterSet) -> ReferenceBenchmark:
    """The reference benchmark for every supported coverage year (until the catalog is loaded)."""
    return ReferenceBenchmark(
        {year: reference_levels(params.files, year) for year in params.coverage_years}
    )
