"""Stable reason codes, and the plain-language sentence for each, with the figures used.

A :class:`Reason` holds a code and the figures; its sentence is rendered from the template on
demand (``reason.text``), so the engine stays fast and a translation is a new template table.
Codes are part of the public contract: never rename one, add a new one.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any, NamedTuple


class Code(StrEnum):
    # Program outcomes
    MEDICAID_INFANT = "medicaid_infant"
    MEDICAID_CHILD = "medicaid_child"
    MEDICAID_YOUNG_ADULT = "medicaid_young_adult"
    MEDICAID_PREGNANT = "medicaid_pregnant"
    MEDICAID_PARENT_CARETAKER = "medicaid_parent_caretaker"
    MEDICAID_ADULT = "medicaid_adult"
    CHIP_CHILD = "chip_child"
    CHIP_PREMIUM = "chip_premium"
    MEDICAID_EMERGENCY_ONLY = "medicaid_emergency_only"
    PTC_ELIGIBLE = "ptc_eligible"
    PTC_ZERO_AMOUNT = "ptc_zero_amount"
    CSR = "csr"
    CSR_AIAN_ZERO = "csr_aian_zero"
    CSR_AIAN_LIMITED = "csr_aian_limited"
    CONNECTORCARE = "connectorcare"
    QHP_ELIGIBLE = "qhp_eligible"
    NOT_SEEKING_COVERAGE = "not_seeking_coverage"
    # Why a program was not available
    MEDICAID_INCOME_ABOVE_LIMIT = "medicaid_income_above_limit"
    MEDICAID_IMMIGRATION_STATUS = "medicaid_immigration_status"
    MEDICAID_NO_MAGI_GROUP = "medicaid_no_magi_group"
    MEDICAID_INCARCERATED = "medicaid_incarcerated_inpatient_only"
    CHIP_HAS_OTHER_COVERAGE = "chip_has_other_coverage"
    REFER_NON_MAGI = "refer_non_magi_masshealth"
    NOT_STATE_RESIDENT = "not_state_resident"
    INCARCERATED = "incarcerated"
    NOT_LAWFULLY_PRESENT = "not_lawfully_present"
    NOT_TAX_FILER = "not_tax_filer"
    MARRIED_FILING_SEPARATELY = "married_filing_separately"
    PTC_INCOME_BELOW_LIMIT = "ptc_income_below_limit"
    PTC_INCOME_ABOVE_LIMIT = "ptc_income_above_limit"
    PTC_BELOW_100_EXCEPTION = "ptc_below_100_lawfully_present_exception"
    PTC_IMMIGRATION_STATUS = "ptc_immigration_status"
    HAS_MEDICAID = "eligible_for_medicaid"
    HAS_MEDICARE = "has_medicare"
    HAS_OTHER_MEC = "has_other_mec"
    EMPLOYER_AFFORDABLE_EMPLOYEE = "employer_coverage_affordable_employee"
    EMPLOYER_AFFORDABLE_FAMILY = "employer_coverage_affordable_family"
    EMPLOYER_UNAFFORDABLE = "employer_coverage_unaffordable"
    EMPLOYER_NOT_MINIMUM_VALUE = "employer_coverage_not_minimum_value"
    CONNECTORCARE_INCOME_ABOVE_LIMIT = "connectorcare_income_above_limit"
    # Household figures
    TAX_HOUSEHOLD_INCOME = "tax_household_income"
    EXPECTED_CONTRIBUTION = "expected_contribution"
    MEDICAID_HOUSEHOLD_INCOME = "medicaid_household_income"


def money(value: Any) -> str:
    """$1,234 for whole dollars, $1,234.56 otherwise (negative shown with a minus sign)."""
    amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if amount == amount.to_integral_value():
        return f"{sign}${int(amount):,}"
    return f"{sign}${amount:,.2f}"


def percent(value: Any) -> str:
    """A percentage with no trailing zeros: 6.67%, 138%."""
    text = f"{Decimal(value):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


CATEGORY_LABEL = {
    "infant": "infants under 1",
    "child": "children aged 1 to 18",
    "young_adult": "young adults aged 19 and 20",
    "pregnant": "pregnant people",
    "parent_caretaker": "parents and caretaker relatives",
    "adult": "adults aged 19 to 64",
    "chip_child": "children under 19 (CHIP)",
}

TEMPLATES: dict[Code, str] = {
    Code.MEDICAID_HOUSEHOLD_INCOME: (
        "For MassHealth, {name}'s household counts {size} {people} with income of {income} a year, "
        "{fpl}% of the poverty line ({guideline}, the {guideline_year} guideline)."
    ),
    Code.MEDICAID_INFANT: (
        "{name} qualifies for MassHealth Standard: infants under 1 qualify with household income up to "
        "{limit}% of the poverty line ({base}% plus the 5-point income disregard), and {name}'s is {fpl}%."
    ),
    Code.MEDICAID_CHILD: (
        "{name} qualifies for MassHealth Standard: children aged 1 to 18 qualify with household income "
        "up to {limit}% of the poverty line ({base}% plus the 5-point disregard), and {name}'s is {fpl}%."
    ),
    Code.MEDICAID_YOUNG_ADULT: (
        "{name} qualifies for MassHealth Standard: young adults aged 19 and 20 qualify with household "
        "income up to {limit}% of the poverty line, and {name}'s is {fpl}%."
    ),
    Code.MEDICAID_PREGNANT: (
        "{name} qualifies for MassHealth Standard: pregnant people qualify with household income up to "
        "{limit}% of the poverty line, counting the expected {expected} in the household, and "
        "{name}'s is {fpl}%."
    ),
    Code.MEDICAID_PARENT_CARETAKER: (
        "{name} qualifies for MassHealth Standard: parents and caretaker relatives qualify with "
        "household income up to {limit}% of the poverty line, and {name}'s is {fpl}%."
    ),
    Code.MEDICAID_ADULT: (
        "{name} qualifies for MassHealth CarePlus: adults aged 19 to 64 qualify with household income "
        "up to {limit}% of the poverty line, and {name}'s is {fpl}%."
    ),
    Code.CHIP_CHILD: (
        "{name} qualifies for MassHealth Family Assistance (CHIP): children under 19 qualify with "
        "household income up to {limit}% of the poverty line, and {name}'s is {fpl}%."
    ),
    Code.CHIP_PREMIUM: (
        "Because household income is above {above}% of the poverty line, the CHIP premium is "
        "{per_child} a month per child, at most {family_cap} a month for the family."
    ),
    Code.MEDICAID_EMERGENCY_ONLY: (
        "{name} can get MassHealth Limited (emergency services only): household income of {fpl}% of "
        "the poverty line is within the {limit}% limit, but {name}'s immigration status does not allow "
        "full MassHealth."
    ),
    Code.MEDICAID_INCOME_ABOVE_LIMIT: (
        "{name} does not qualify for MassHealth on income: household income is {fpl}% of the poverty "
        "line, above the {limit}% limit for {group}."
    ),
    Code.MEDICAID_IMMIGRATION_STATUS: (
        "{name}'s immigration status ({status}) does not allow full MassHealth{bar}."
    ),
    Code.MEDICAID_NO_MAGI_GROUP: (
        "{name} is not in an income-based MassHealth group (age {age}); MassHealth for people 65 and "
        "over or with Medicare is decided on other rules."
    ),
    Code.MEDICAID_INCARCERATED: (
        "While incarcerated, MassHealth pays only for inpatient hospital care."
    ),
    Code.CHIP_HAS_OTHER_COVERAGE: (
        "{name} has other health coverage, so does not qualify for CHIP (Family Assistance)."
    ),
    Code.REFER_NON_MAGI: (
        "Because {name} reported a disability or blindness, MassHealth will also review {name} under "
        "its disability rules, which can cover more."
    ),
    Code.NOT_STATE_RESIDENT: (
        "{name} does not live in Massachusetts, so cannot get coverage through this exchange."
    ),
    Code.INCARCERATED: (
        "{name} is incarcerated (not pending disposition of charges), so cannot buy a plan through the "
        "exchange."
    ),
    Code.NOT_LAWFULLY_PRESENT: (
        "{name} is not a citizen, national or lawfully present immigrant, so cannot buy a plan through "
        "the exchange."
    ),
    Code.NOT_TAX_FILER: (
        "{name} is not in a household that expects to file a federal tax return for {year}, and the "
        "premium tax credit requires one."
    ),
    Code.MARRIED_FILING_SEPARATELY: (
        "Married people must file a joint tax return to get the premium tax credit (unless they are "
        "victims of domestic abuse or spousal abandonment)."
    ),
    Code.PTC_INCOME_BELOW_LIMIT: (
        "Household income of {income} is {fpl}% of the poverty line, below the {limit}% minimum for the "
        "premium tax credit."
    ),
    Code.PTC_INCOME_ABOVE_LIMIT: (
        "Household income of {income} is {fpl}% of the poverty line, above the {limit}% limit for the "
        "premium tax credit in {year}."
    ),
    Code.PTC_BELOW_100_EXCEPTION: (
        "Household income is below 100% of the poverty line, but {name}, who files the tax return, is a "
        "lawfully present immigrant who cannot get MassHealth because of immigration status, so the "
        "household may get the premium tax credit in {year}."
    ),
    Code.PTC_IMMIGRATION_STATUS: (
        "{name}'s immigration status ({status}) does not qualify for the premium tax credit in {year}."
    ),
    Code.HAS_MEDICAID: (
        "{name} qualifies for MassHealth, so cannot also get the premium tax credit."
    ),
    Code.HAS_MEDICARE: "{name} has Medicare, so cannot get the premium tax credit.",
    Code.HAS_OTHER_MEC: (
        "{name} has other health coverage that counts as minimum essential coverage, so cannot get the "
        "premium tax credit."
    ),
    Code.EMPLOYER_AFFORDABLE_EMPLOYEE: (
        "{name}'s job offers health coverage costing {premium} a year for the employee alone, "
        "{share}% of household income, which is affordable (no more than {limit}% in {year}), so "
        "{name} cannot get the premium tax credit."
    ),
    Code.EMPLOYER_AFFORDABLE_FAMILY: (
        "{employee}'s job offers family coverage costing {premium} a year, {share}% of household "
        "income, which is affordable for the family (no more than {limit}% in {year}), so {name} "
        "cannot get the premium tax credit."
    ),
    Code.EMPLOYER_UNAFFORDABLE: (
        "The job-based coverage offered to {name} costs {premium} a year, {share}% of household income, "
        "more than the {limit}% that counts as affordable in {year}, so it does not block the credit."
    ),
    Code.EMPLOYER_NOT_MINIMUM_VALUE: (
        "The job-based coverage offered to {name} does not meet minimum value, so it does not block the "
        "credit."
    ),
    Code.TAX_HOUSEHOLD_INCOME: (
        "Your household's income of {income} is {fpl}% of the poverty line for a household of {size} "
        "({guideline}, the {guideline_year} guideline used for {year} coverage)."
    ),
    Code.EXPECTED_CONTRIBUTION: (
        "At that income you are expected to pay {figure}% of income, {annual} a year ({monthly} a month), "
        "toward the benchmark silver plan, which costs {benchmark} a month for {covered}; so the "
        "premium tax credit is up to {aptc} a month."
    ),
    Code.PTC_ELIGIBLE: (
        "{name} can get the premium tax credit: household income of {fpl}% of the poverty line is "
        "within the limits for {year}, and {name} has no other affordable coverage."
    ),
    Code.PTC_ZERO_AMOUNT: (
        "The benchmark plan costs {benchmark} a month, no more than your expected contribution of "
        "{monthly} a month, so the credit is $0."
    ),
    Code.CSR: (
        "With income of {fpl}% of the poverty line (at most {max}%), silver plans have lower deductibles "
        "and copays for {name} ({level}% cost-sharing reduction)."
    ),
    Code.CSR_AIAN_ZERO: (
        "As an American Indian or Alaska Native with income up to {max}% of the poverty line, {name} "
        "pays no deductibles or copays in any metal level (zero cost sharing)."
    ),
    Code.CSR_AIAN_LIMITED: (
        "As an American Indian or Alaska Native, {name} pays no cost sharing for care from Indian health "
        "providers (limited cost sharing)."
    ),
    Code.CONNECTORCARE: (
        "{name} qualifies for ConnectorCare Plan Type {plan_type}: income of {fpl}% of the poverty line "
        "is at most {max}%, and the lowest-cost ConnectorCare plan costs {name} {contribution} a month."
    ),
    Code.CONNECTORCARE_INCOME_ABOVE_LIMIT: (
        "Household income of {fpl}% of the poverty line is above the {limit}% limit for ConnectorCare "
        "in {year}."
    ),
    Code.QHP_ELIGIBLE: "{name} can buy a health plan through the exchange at full price.",
    Code.NOT_SEEKING_COVERAGE: "{name} is not applying for coverage.",
}


MONEY_KEYS = frozenset(
    {
        "income",
        "guideline",
        "premium",
        "benchmark",
        "annual",
        "monthly",
        "aptc",
        "contribution",
        "per_child",
        "family_cap",
    }
)
NUMBER_KEYS = frozenset({"fpl", "limit", "base", "pct", "share", "max", "above"})


def _show(key: str, value: Any) -> Any:
    if key in MONEY_KEYS:
        return money(value)
    if key == "figure":  # a fraction shown as a percentage: 0.0667 -> 6.67
        return percent(Decimal(value) * 100)[:-1]
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    if key in NUMBER_KEYS and isinstance(value, Decimal):
        return percent(value)[:-1]
    return value


class Reason(NamedTuple):
    """A reason code and the figures its sentence shows (a named tuple: cheap to make)."""

    code: Code
    figures: dict[str, Any]

    @property
    def text(self) -> str:
        return TEMPLATES[self.code].format(**{k: _show(k, v) for k, v in self.figures.items()})

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code.value, "text": self.text}


_new_tuple = tuple.__new__


def reason(code: Code, **figures: Any) -> Reason:
    """A reason with its figures (built directly as a tuple: this runs a dozen times per
    determination)."""
    return _new_tuple(Reason, (code, figures))
