"""Differential test against PolicyEngine-US answers recorded in a committed fixture.

Every disagreement must be one of the documented differences (each checked mechanically in
tests/rules/differential.py), and docs/rules/policyengine-differences.md must list them one by one.
"""

from __future__ import annotations

from scripts.build_differential_report import DOC, render
from tests.rules.differential import Disagreement, _run, compare_household, explain, load_fixture


def test_fixture_is_large_and_varied() -> None:
    fixture = load_fixture()
    households = fixture["households"]
    assert len(households) >= 1000
    assert set(fixture["years"]) >= {2025, 2026}
    sizes = {len(h["household"]["members"]) for h in households}
    assert sizes >= {1, 2, 3, 4, 5, 6}


def test_every_disagreement_is_a_documented_difference() -> None:
    unexplained: list[Disagreement] = []
    compared = 0
    for case in load_fixture()["households"]:
        det = _run(case["household"], case)
        found, counts = compare_household(case, det)
        compared += counts["members"]
        unexplained.extend(d for d in found if explain(d, case, det) is None)
    assert compared >= 2500
    assert not unexplained, "\n".join(map(str, unexplained[:30]))


def test_report_lists_every_disagreement() -> None:
    assert DOC.read_text() == render(), "run .venv/bin/python -m scripts.build_differential_report"
