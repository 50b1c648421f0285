"""Properties that hold for every household (hypothesis)."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rules import Determination, FixedBenchmark, determine, load_parameters, parse_household
from rules.benchmark import reference_benchmark
from tests.rules.strategies import households, with_wages

PARAMS = load_parameters()
REFERENCE = reference_benchmark(PARAMS)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def run(data: dict[str, Any], benchmark: Any = REFERENCE) -> Determination:
    return determine(parse_household(data), PARAMS, benchmark)


@SETTINGS
@given(households())
def test_aptc_is_never_negative_nor_above_the_benchmark(data: dict[str, Any]) -> None:
    d = run(data)
    for th in d.tax_households:
        assert th.max_aptc_monthly >= 0
        if th.benchmark_monthly is None:
            assert th.max_aptc_monthly == 0
        else:
            assert th.max_aptc_monthly <= th.benchmark_monthly


@SETTINGS
@given(households(), st.integers(0, 400_000), st.integers(1, 100_000))
def test_more_income_never_means_more_aptc(data: dict[str, Any], low: int, extra: int) -> None:
    """Within one year's schedule and for the same members getting the credit, a higher income never
    gives a larger credit (the Medicaid boundary changes who gets the credit, so is excluded)."""
    bench = FixedBenchmark(Decimal("1500"))
    a = run(with_wages(data, low), bench)
    b = run(with_wages(data, low + extra), bench)
    for ta, tb in zip(a.tax_households, b.tax_households, strict=True):
        if ta.aptc_member_ids and ta.aptc_member_ids == tb.aptc_member_ids:
            assert tb.max_aptc_monthly <= ta.max_aptc_monthly, (low, low + extra)
            assert tb.applicable_percentage is not None
            assert ta.applicable_percentage is not None
            assert tb.applicable_percentage >= ta.applicable_percentage


def _by_member(d: Determination) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for m in d.members:
        row = m.as_dict()
        row.pop("tax_household")
        if row["medicaid_household"]:
            row["medicaid_household"]["members"] = sorted(row["medicaid_household"]["members"])
        out[m.member_id] = row
    return out


def _households(d: Determination) -> list[Any]:
    rows = []
    for th in d.tax_households:
        row = th.as_dict()
        row.pop("index")
        row["members"] = sorted(row["members"])
        row["filers"] = sorted(row["filers"])
        row["aptc_members"] = sorted(row["aptc_members"])
        row["reasons"] = sorted(r["code"] for r in row["reasons"])
        rows.append(row)
    return sorted(rows, key=lambda r: r["members"])


@SETTINGS
@given(households(), st.randoms(use_true_random=False))
def test_results_are_deterministic_and_independent_of_member_order(
    data: dict[str, Any], rnd: random.Random
) -> None:
    first = run(data)
    again = run(data)
    assert first == again
    shuffled = dict(data)
    shuffled["members"] = rnd.sample(data["members"], len(data["members"]))
    shuffled["relationships"] = rnd.sample(data["relationships"], len(data["relationships"]))
    other = run(shuffled)
    assert _by_member(first) == _by_member(other)
    assert _households(first) == _households(other)
