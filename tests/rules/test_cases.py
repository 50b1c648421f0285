"""The YAML rule cases per coverage year (see case_runner.py for the format)."""

from __future__ import annotations

import pytest

from tests.rules.case_runner import Case, check_case, load_cases, run_case

CASES = load_cases()


def test_there_are_cases_for_every_coverage_year() -> None:
    years = {c.file.split("/")[0] for c in CASES}
    assert {"2025", "2026", "2027"} <= years


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case) -> None:
    problems = check_case(case, run_case(case))
    assert not problems, "\n".join(problems)
