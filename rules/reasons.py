"""Stable reason codes, and the plain-language sentence for each, with the figures used.

A :class:`Reason` holds a code and the figures; its sentence is rendered from the template on
demand (``reason.text``), so the engine stays fast and a translation is a new template table
(``TEMPLATES_ES``, rendered by ``reason.text_in("es")``; ``text`` stays English).
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


# --- Spanish -------------------------------------------------------------------------------------
# The same sentences in Spanish, with the same placeholders. A few figures are English words built
# by the engine (household size, expected children, group names, immigration status, the five-year
# bar); ``_SPANISH_FIGURES`` turns them into Spanish before the template is filled.

TEMPLATES_ES: dict[Code, str] = {
    Code.MEDICAID_HOUSEHOLD_INCOME: (
        "Para MassHealth, el hogar de {name} cuenta {size} {people} con ingresos de {income} al año, "
        "el {fpl}% del nivel de pobreza ({guideline}, la guía de {guideline_year})."
    ),
    Code.MEDICAID_INFANT: (
        "{name} califica para MassHealth Standard: los bebés menores de 1 año califican con ingresos "
        "del hogar de hasta el {limit}% del nivel de pobreza ({base}% más el descuento de 5 puntos), y "
        "los de {name} son el {fpl}%."
    ),
    Code.MEDICAID_CHILD: (
        "{name} califica para MassHealth Standard: los niños de 1 a 18 años califican con ingresos del "
        "hogar de hasta el {limit}% del nivel de pobreza ({base}% más el descuento de 5 puntos), y los "
        "de {name} son el {fpl}%."
    ),
    Code.MEDICAID_YOUNG_ADULT: (
        "{name} califica para MassHealth Standard: los jóvenes de 19 y 20 años califican con ingresos "
        "del hogar de hasta el {limit}% del nivel de pobreza, y los de {name} son el {fpl}%."
    ),
    Code.MEDICAID_PREGNANT: (
        "{name} califica para MassHealth Standard: las personas embarazadas califican con ingresos del "
        "hogar de hasta el {limit}% del nivel de pobreza, contando en el hogar {expected} por nacer, y "
        "los de {name} son el {fpl}%."
    ),
    Code.MEDICAID_PARENT_CARETAKER: (
        "{name} califica para MassHealth Standard: los padres y familiares a cargo de niños califican "
        "con ingresos del hogar de hasta el {limit}% del nivel de pobreza, y los de {name} son el "
        "{fpl}%."
    ),
    Code.MEDICAID_ADULT: (
        "{name} califica para MassHealth CarePlus: los adultos de 19 a 64 años califican con ingresos "
        "del hogar de hasta el {limit}% del nivel de pobreza, y los de {name} son el {fpl}%."
    ),
    Code.CHIP_CHILD: (
        "{name} califica para MassHealth Family Assistance (CHIP): los menores de 19 años califican "
        "con ingresos del hogar de hasta el {limit}% del nivel de pobreza, y los de {name} son el "
        "{fpl}%."
    ),
    Code.CHIP_PREMIUM: (
        "Como los ingresos del hogar superan el {above}% del nivel de pobreza, la prima de CHIP es de "
        "{per_child} al mes por niño, con un máximo de {family_cap} al mes por familia."
    ),
    Code.MEDICAID_EMERGENCY_ONLY: (
        "{name} puede obtener MassHealth Limited (solo servicios de emergencia): los ingresos del hogar, "
        "el {fpl}% del nivel de pobreza, están dentro del límite del {limit}%, pero la situación "
        "migratoria de {name} no permite MassHealth completo."
    ),
    Code.MEDICAID_INCOME_ABOVE_LIMIT: (
        "{name} no califica para MassHealth por sus ingresos: los ingresos del hogar son el {fpl}% del "
        "nivel de pobreza, por encima del límite del {limit}% para {group}."
    ),
    Code.MEDICAID_IMMIGRATION_STATUS: (
        "La situación migratoria de {name} ({status}) no permite MassHealth completo{bar}."
    ),
    Code.MEDICAID_NO_MAGI_GROUP: (
        "{name} no pertenece a un grupo de MassHealth basado en los ingresos (edad: {age}); MassHealth "
        "para personas de 65 años o más o con Medicare se decide con otras reglas."
    ),
    Code.MEDICAID_INCARCERATED: (
        "Mientras una persona está encarcelada, MassHealth solo paga la atención hospitalaria con "
        "internación."
    ),
    Code.CHIP_HAS_OTHER_COVERAGE: (
        "{name} tiene otro seguro médico, por lo que no califica para CHIP (Family Assistance)."
    ),
    Code.REFER_NON_MAGI: (
        "Como {name} informó una discapacidad o ceguera, MassHealth también revisará el caso de {name} "
        "según sus reglas de discapacidad, que pueden cubrir más."
    ),
    Code.NOT_STATE_RESIDENT: (
        "{name} no vive en Massachusetts, por lo que no puede obtener cobertura a través de este "
        "mercado de seguros."
    ),
    Code.INCARCERATED: (
        "{name} está encarcelado/a (sin estar pendiente de la resolución de cargos), por lo que no "
        "puede comprar un plan en el mercado de seguros."
    ),
    Code.NOT_LAWFULLY_PRESENT: (
        "{name} no es ciudadano/a, nacional ni inmigrante con presencia legal, por lo que no puede "
        "comprar un plan en el mercado de seguros."
    ),
    Code.NOT_TAX_FILER: (
        "{name} no está en un hogar que piense presentar una declaración federal de impuestos de "
        "{year}, y el crédito tributario para la prima lo requiere."
    ),
    Code.MARRIED_FILING_SEPARATELY: (
        "Las personas casadas deben presentar una declaración de impuestos conjunta para obtener el "
        "crédito tributario para la prima (salvo que sean víctimas de violencia doméstica o de "
        "abandono conyugal)."
    ),
    Code.PTC_INCOME_BELOW_LIMIT: (
        "Los ingresos del hogar, {income}, son el {fpl}% del nivel de pobreza, por debajo del mínimo "
        "del {limit}% para el crédito tributario para la prima."
    ),
    Code.PTC_INCOME_ABOVE_LIMIT: (
        "Los ingresos del hogar, {income}, son el {fpl}% del nivel de pobreza, por encima del límite "
        "del {limit}% para el crédito tributario para la prima en {year}."
    ),
    Code.PTC_BELOW_100_EXCEPTION: (
        "Los ingresos del hogar están por debajo del 100% del nivel de pobreza, pero {name}, quien "
        "presenta la declaración de impuestos, es inmigrante con presencia legal y no puede obtener "
        "MassHealth por su situación migratoria, así que el hogar puede recibir el crédito "
        "tributario para la prima en {year}."
    ),
    Code.PTC_IMMIGRATION_STATUS: (
        "La situación migratoria de {name} ({status}) no permite el crédito tributario para la prima "
        "en {year}."
    ),
    Code.HAS_MEDICAID: (
        "{name} califica para MassHealth, por lo que no puede recibir también el crédito tributario "
        "para la prima."
    ),
    Code.HAS_MEDICARE: (
        "{name} tiene Medicare, por lo que no puede recibir el crédito tributario para la prima."
    ),
    Code.HAS_OTHER_MEC: (
        "{name} tiene otro seguro médico que cuenta como cobertura esencial mínima, por lo que no "
        "puede recibir el crédito tributario para la prima."
    ),
    Code.EMPLOYER_AFFORDABLE_EMPLOYEE: (
        "El empleo de {name} ofrece un seguro médico que cuesta {premium} al año solo para el "
        "empleado, el {share}% de los ingresos del hogar, lo que se considera asequible (no más del "
        "{limit}% en {year}), por lo que {name} no puede recibir el crédito tributario para la prima."
    ),
    Code.EMPLOYER_AFFORDABLE_FAMILY: (
        "El empleo de {employee} ofrece un seguro familiar que cuesta {premium} al año, el {share}% de "
        "los ingresos del hogar, lo que se considera asequible para la familia (no más del {limit}% en "
        "{year}), por lo que {name} no puede recibir el crédito tributario para la prima."
    ),
    Code.EMPLOYER_UNAFFORDABLE: (
        "El seguro del empleo ofrecido a {name} cuesta {premium} al año, el {share}% de los ingresos "
        "del hogar, más del {limit}% que se considera asequible en {year}, así que no impide recibir "
        "el crédito."
    ),
    Code.EMPLOYER_NOT_MINIMUM_VALUE: (
        "El seguro del empleo ofrecido a {name} no cumple con el valor mínimo, así que no impide "
        "recibir el crédito."
    ),
    Code.TAX_HOUSEHOLD_INCOME: (
        "Los ingresos de su hogar, {income}, son el {fpl}% del nivel de pobreza para un hogar de "
        "{size} ({guideline}, la guía de {guideline_year} que se usa para la cobertura de {year})."
    ),
    Code.EXPECTED_CONTRIBUTION: (
        "Con esos ingresos, se espera que usted pague el {figure}% de sus ingresos, {annual} al año "
        "({monthly} al mes), para el plan plata de referencia, que cuesta {benchmark} al mes para "
        "{covered}; por eso, el crédito tributario para la prima es de hasta {aptc} al mes."
    ),
    Code.PTC_ELIGIBLE: (
        "{name} puede recibir el crédito tributario para la prima: los ingresos del hogar, el {fpl}% "
        "del nivel de pobreza, están dentro de los límites de {year}, y {name} no tiene otra "
        "cobertura asequible."
    ),
    Code.PTC_ZERO_AMOUNT: (
        "El plan de referencia cuesta {benchmark} al mes, no más que su contribución esperada de "
        "{monthly} al mes, así que el crédito es de $0."
    ),
    Code.CSR: (
        "Con ingresos del {fpl}% del nivel de pobreza (como máximo el {max}%), los planes plata tienen "
        "deducibles y copagos más bajos para {name} (reducción de costos compartidos del {level}%)."
    ),
    Code.CSR_AIAN_ZERO: (
        "Como indígena estadounidense o nativo de Alaska con ingresos de hasta el {max}% del nivel de "
        "pobreza, {name} no paga deducibles ni copagos en ningún nivel de metal (costos compartidos "
        "cero)."
    ),
    Code.CSR_AIAN_LIMITED: (
        "Como indígena estadounidense o nativo de Alaska, {name} no paga costos compartidos por la "
        "atención de proveedores de salud indígena (costos compartidos limitados)."
    ),
    Code.CONNECTORCARE: (
        "{name} califica para ConnectorCare, tipo de plan {plan_type}: los ingresos, el {fpl}% del "
        "nivel de pobreza, no superan el {max}%, y el plan ConnectorCare de menor costo le cuesta a "
        "{name} {contribution} al mes."
    ),
    Code.CONNECTORCARE_INCOME_ABOVE_LIMIT: (
        "Los ingresos del hogar, el {fpl}% del nivel de pobreza, superan el límite del {limit}% para "
        "ConnectorCare en {year}."
    ),
    Code.QHP_ELIGIBLE: (
        "{name} puede comprar un plan de salud en el mercado de seguros a precio completo."
    ),
    Code.NOT_SEEKING_COVERAGE: "{name} no está solicitando cobertura.",
}

#: The template tables by language code; English is ``TEMPLATES``.
TEMPLATE_TABLES: dict[str, dict[Code, str]] = {"en": TEMPLATES, "es": TEMPLATES_ES}

#: English words the engine puts into figures, by figure name, in Spanish.
_SPANISH_FIGURES: dict[str, dict[str, str]] = {
    "people": {"person": "persona", "people": "personas"},
    "group": {
        "pregnant people": "personas embarazadas",
        "infants": "bebés",
        "children": "niños",
        "young adults aged 19 and 20": "jóvenes de 19 y 20 años",
        "parents and caretaker relatives": "padres y familiares a cargo de niños",
        "adults": "adultos",
        "children (CHIP)": "niños (CHIP)",
    },
    "status": {
        "citizen": "ciudadano/a",
        "lawful permanent resident": "residente permanente legal",
        "refugee or asylee": "refugiado/a o asilado/a",
        "cuban haitian entrant": "participante cubano/haitiano",
        "cofa migrant": "migrante COFA",
        "other qualified noncitizen": "otro extranjero calificado",
        "other lawfully present": "otra presencia legal",
        "not lawfully present": "sin presencia legal",
    },
    "bar": {
        "": "",
        " until the five-year waiting period is met": (
            " hasta que se cumpla el período de espera de cinco años"
        ),
    },
}


def _expected_es(value: Any) -> str:
    """'child' / '3 children' (the engine's words) as Spanish: 'un bebé' / '3 bebés'."""
    text = str(value)
    count = text.split(" ", 1)[0]
    if count.isdigit() and int(count) > 1:
        return f"{count} bebés"
    return "un bebé"


def _show_es(key: str, value: Any) -> Any:
    shown = _show(key, value)
    if key == "expected":
        return _expected_es(value)
    if key == "covered" and isinstance(value, tuple) and len(value) > 1:
        return ", ".join(str(v) for v in value[:-1]) + f" y {value[-1]}"
    words = _SPANISH_FIGURES.get(key)
    if words is not None and isinstance(shown, str):
        return words.get(shown, shown)
    return shown


class Reason(NamedTuple):
    """A reason code and the figures its sentence shows (a named tuple: cheap to make)."""

    code: Code
    figures: dict[str, Any]

    @property
    def text(self) -> str:
        return TEMPLATES[self.code].format(**{k: _show(k, v) for k, v in self.figures.items()})

    def text_in(self, language: str) -> str:
        """The sentence in ``language`` ("es", "es-us", "en"...); English for any other language."""
        code = language.split("-", 1)[0].split("_", 1)[0].lower()
        if code == "es":
            return TEMPLATES_ES[self.code].format(
                **{k: _show_es(k, v) for k, v in self.figures.items()}
            )
        return self.text

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code.value, "text": self.text}


_new_tuple = tuple.__new__


def reason(code: Code, **figures: Any) -> Reason:
    """A reason with its figures (built directly as a tuple: this runs a dozen times per
    determination)."""
    return _new_tuple(Reason, (code, figures))
