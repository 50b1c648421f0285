"""Runs the YAML rule cases in tests/rules/cases/<year>/*.yaml.

A case file is a list of cases::

    - name: single adult at 220% FPL gets a credit and 73% CSR
      source: where the expected figures come from (a hand calculation, IRS/CMS example...)
      household: {...}            # the project's household JSON (docs/rules/household-input.md)
      benchmark_monthly: 500.00   # optional: a fixed benchmark; default the reference benchmark
      expect:
        members:
          p1: {program: qhp_with_aptc, csr: "73", reasons: [ptc_eligible, csr]}
        tax_households:
          - {fpl_percent: 220, applicable_percentage: 0.0722, max_aptc_monthly: 123.45}

Only the keys written under ``expect`` are compared; ``reasons`` lists codes that must be present.
A member's ``medicaid_household`` may be checked with ``medicaid_size``, ``medicaid_income`` and
``medicaid_fpl_percent``. Money compares to the cent.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from rules import Determination, FixedBenchmark, determine, load_parameters, parse_household
from rules.benchmark import reference_benchmark

CASES_DIR = Path(__file__).parent / "cases"


@dataclass(frozen=True)
class Case:
    file: str
    name: str
    data: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.file}::{self.name}"


def load_cases() -> list[Case]:
    cases: list[Case] = []
    for path in sorted(CASES_DIR.rglob("*.yaml")):
        rel = path.relative_to(CASES_DIR).as_posix()
        items = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(items, list), f"{rel}: a case file is a list of cases"
        for item in items:
            assert "name" in item and "household" in item and "expect" in item, (
                f"{rel}: {item!r:.80}"
            )
            cases.append(Case(file=rel, name=item["name"], data=item))
    return cases


def run_case(case: Case) -> Determination:
    params = load_parameters()
    household = parse_household(case.data["household"])
    if "benchmark_monthly" in case.data:
        benchmark: Any = FixedBenchmark(Decimal(str(case.data["benchmark_monthly"])))
    else:
        benchmark = reference_benchmark(params)
    return determine(household, params, benchmark)


def _same(actual: Any, expected: Any) -> bool:
    if isinstance(expected, float) or isinstance(actual, Decimal):
        if actual is None or expected is None:
            return actual is expected
        return abs(Decimal(str(actual)) - Decimal(str(expected))) < Decimal("0.005")
    return bool(actual == expected)


def check_case(case: Case, d: Determination) -> list[str]:
    problems: list[str] = []
    expect = case.data["expect"]
    for member_id, wanted in (expect.get("members") or {}).items():
        m = d.member(str(member_id))
        row = m.as_dict()
        mh = m.medicaid_household
        row["medicaid_size"] = mh.size if mh else None
        row["medicaid_income"] = float(mh.income) if mh else None
        row["medicaid_fpl_percent"] = mh.fpl_percent if mh else None
        codes = [r.code.value for r in m.reasons]
        for key, value in wanted.items():
            if key == "reasons":
                missing = [c for c in value if c not in codes]
                if missing:
                    problems.append(f"{member_id}.reasons: missing {missing}; got {codes}")
                continue
            if key not in row:
                problems.append(f"{member_id}.{key}: no such result field")
            elif not _same(row[key], value):
                problems.append(f"{member_id}.{key}: expected {value!r}, got {row[key]!r}")
    for i, wanted in enumerate(expect.get("tax_households") or []):
        if i >= len(d.tax_households):
            problems.append(f"tax_households[{i}]: missing (got {len(d.tax_households)})")
            continue
        row = d.tax_households[i].as_dict()
        for key, value in wanted.items():
            if key not in row:
                problems.append(f"tax_households[{i}].{key}: no such result field")
            elif not _same(row[key], value):
                problems.append(f"tax_households[{i}].{key}: expected {value!r}, got {row[key]!r}")
    if "tax_household_count" in expect and len(d.tax_households) != expect["tax_household_count"]:
        problems.append(
            f"tax_household_count: expected {expect['tax_household_count']}, got {len(d.tax_households)}"
        )
    return problems
