"""Cited, dated parameters: loaded and validated once, then resolved per coverage year."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

from rules.parameters.loader import (
    PARAMETERS_ROOT,
    DatedValue,
    Parameter,
    ParameterError,
    ParameterFiles,
    Reference,
    load_parameter_files,
)
from rules.parameters.year import Guideline, UsedParameter, YearParameters, build_year_parameters

__all__ = [
    "DatedValue",
    "Guideline",
    "Parameter",
    "ParameterError",
    "ParameterFiles",
    "ParameterSet",
    "Reference",
    "UsedParameter",
    "YearParameters",
    "load_parameters",
]


class ParameterSet:
    """All parameter files plus the typed values for each coverage year, built on first use."""

    def __init__(self, files: ParameterFiles) -> None:
        self.files = files
        self.version = files.version
        entry = files.get("coverage_years").at(dt.date.max)
        where = f"{files.get('coverage_years').path}: values.{entry.start.isoformat()}.value"
        value = entry.value
        if not isinstance(value, dict) or not {"first", "last"} <= set(value):
            raise ParameterError(f"{where}: expected a mapping with first and last")
        first, last = value["first"], value["last"]
        if not (isinstance(first, int) and isinstance(last, int) and first <= last):
            raise ParameterError(f"{where}: first and last must be years, first <= last")
        self.coverage_years: tuple[int, ...] = tuple(range(first, last + 1))
        self._years: dict[tuple[int, dt.date], YearParameters] = {}

    def for_year(self, coverage_year: int, on: dt.date | None = None) -> YearParameters:
        """The parameters for ``coverage_year`` in force on ``on`` (default: January 1 of it)."""
        if coverage_year not in self.coverage_years:
            raise ParameterError(
                f"coverage year {coverage_year} is not supported "
                f"(supported: {', '.join(str(y) for y in self.coverage_years)})"
            )
        day = on or dt.date(coverage_year, 1, 1)
        key = (coverage_year, day)
        found = self._years.get(key)
        if found is None:
            found = build_year_parameters(self.files, coverage_year, day)
            self._years[key] = found
        return found

    def shopping_year(self, today: dt.date) -> int:
        """The coverage year people shop for on ``today``: the latest supported year whose open
        enrollment has started (next year's from November 1), else the first supported year."""
        current = self.coverage_years[0]
        for year in self.coverage_years:
            if self.for_year(year).open_enrollment_start <= today:
                current = year
        return current

    def validate(self) -> None:
        """Build every supported year, so a wrong shape fails now, not on a resident's request."""
        for year in self.coverage_years:
            self.for_year(year)


def load_parameters(root: Path | None = None) -> ParameterSet:
    """Load, validate and cache the parameter files (the default folder is loaded once)."""
    if root is None:
        return _default_parameters()
    return _parameters_at(root.resolve())


@lru_cache(maxsize=4)
def _parameters_at(root: Path) -> ParameterSet:
    params = ParameterSet(load_parameter_files(root))
    params.validate()
    return params


@lru_cache(maxsize=1)
def _default_parameters() -> ParameterSet:
    params = ParameterSet(load_parameter_files(PARAMETERS_ROOT))
    params.validate()
    return params
