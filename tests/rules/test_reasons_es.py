"""Every reason code has an English and a Spanish sentence, with the same figures."""

from __future__ import annotations

import string
from decimal import Decimal
from typing import Any

import pytest

from rules import determine, load_parameters, parse_household, reference_benchmark
from rules.engine import GROUP_LABEL
from rules.household import ImmigrationStatus
from rules.reasons import _SPANISH_FIGURES, TEMPLATE_TABLES, TEMPLATES, TEMPLATES_ES, Code, reason

SAMPLE: dict[str, Any] = {
    "name": "Ana",
    "employee": "Ben",
    "size": 3,
    "people": "people",
    "income": Decimal("45000"),
    "fpl": 150,
    "guideline": Decimal("27320"),
    "guideline_year": 2026,
    "year": 2026,
    "limit": Decimal("138"),
    "base": Decimal("133"),
    "expected": "2 children",
    "above": Decimal("200"),
    "per_child": Decimal("12"),
    "family_cap": Decimal("36"),
    "status": "lawful permanent resident",
    "bar": " until the five-year waiting period is met",
    "age": 70,
    "group": "parents and caretaker relatives",
    "premium": Decimal("1200"),
    "share": Decimal("2.67"),
    "figure": Decimal("0.0667"),
    "annual": Decimal("3002"),
    "monthly": Decimal("250"),
    "benchmark": Decimal("612.40"),
    "covered": ("Ana", "Ben"),
    "aptc": Decimal("362.40"),
    "max": Decimal("250"),
    "level": "73",
    "plan_type": "3A",
    "contribution": Decimal("103"),
}


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_code_has_an_english_and_a_spanish_template() -> None:
    assert set(TEMPLATE_TABLES) == {"en", "es"}
    for code in Code:
        assert code in TEMPLATES, code
        assert code in TEMPLATES_ES, f"add a Spanish template for {code.value}"
        assert TEMPLATES_ES[code] != TEMPLATES[code], code


@pytest.mark.parametrize("code", list(Code))
def test_spanish_template_uses_the_same_figures(code: Code) -> None:
    assert _fields(TEMPLATES_ES[code]) == _fields(TEMPLATES[code])


@pytest.mark.parametrize("code", list(Code))
def test_text_in_renders_both_languages(code: Code) -> None:
    figures = {k: SAMPLE[k] for k in _fields(TEMPLATES[code])}
    r = reason(code, **figures)
    assert r.text_in("en") == r.text
    assert r.text_in("en-us") == r.text
    assert r.text_in("fr") == r.text  # no table: English
    spanish = r.text_in("es")
    assert spanish == r.text_in("es-US")
    assert spanish != r.text
    assert "{" not in spanish


def test_english_words_in_figures_become_spanish() -> None:
    r = reason(
        Code.MEDICAID_INCOME_ABOVE_LIMIT,
        name="Ana",
        fpl=200,
        limit=Decimal("138"),
        group="parents and caretaker relatives",
    )
    assert "padres y familiares a cargo de niños" in r.text_in("es")
    r = reason(
        Code.MEDICAID_IMMIGRATION_STATUS,
        name="Ana",
        status="lawful permanent resident",
        bar=" until the five-year waiting period is met",
    )
    assert r.text_in("es") == (
        "La situación migratoria de Ana (residente permanente legal) no permite MassHealth "
        "completo hasta que se cumpla el período de espera de cinco años."
    )
    one = reason(Code.MEDICAID_PREGNANT, name="Ana", limit=205, base=200, fpl=180, expected="child")
    assert "un bebé por nacer" in one.text_in("es")
    twins = one._replace(figures={**one.figures, "expected": "2 children"})
    assert "2 bebés por nacer" in twins.text_in("es")
    size = reason(
        Code.MEDICAID_HOUSEHOLD_INCOME,
        name="Ana",
        size=1,
        people="person",
        income=Decimal(20000),
        fpl=125,
        guideline=Decimal(15960),
        guideline_year=2026,
    )
    assert "cuenta 1 persona con ingresos de $20,000 al año, el 125%" in size.text_in("es")


def test_every_word_the_engine_puts_in_figures_has_a_spanish_word() -> None:
    assert set(GROUP_LABEL.values()) <= set(_SPANISH_FIGURES["group"])
    statuses = {s.value.replace("_", " ") for s in ImmigrationStatus}
    assert statuses <= set(_SPANISH_FIGURES["status"])


def test_a_real_determination_reads_in_spanish() -> None:
    params = load_parameters()
    household = parse_household(
        {
            "coverage_year": 2026,
            "address": {"state": "MA", "county_fips": "25025", "zip": "02118"},
            "members": [
                {
                    "id": "m1",
                    "name": "Ana",
                    "date_of_birth": "1990-05-01",
                    "tax": {"filer": True},
                    "incomes": [{"type": "wages", "amount": 40000, "frequency": "yearly"}],
                }
            ],
        }
    )
    d = determine(household, params, reference_benchmark(params))
    reasons = [*d.members[0].reasons, *d.tax_households[0].reasons]
    for r in reasons:
        text = r.text_in("es")
        assert text and "{" not in text
    assert any("ConnectorCare" in r.text_in("es") for r in reasons)
