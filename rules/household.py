"""The household application the rules engine takes: frozen dataclasses, no framework.

The JSON form of these (``docs/rules/household-input.md``, ``rules/schema/household.schema.json``)
is parsed by :mod:`rules.parse`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    UNKNOWN = "unknown"


class FilingStatus(StrEnum):
    SINGLE = "single"
    HEAD_OF_HOUSEHOLD = "head_of_household"
    MARRIED_FILING_JOINTLY = "married_filing_jointly"
    MARRIED_FILING_SEPARATELY = "married_filing_separately"
    QUALIFYING_SURVIVING_SPOUSE = "qualifying_surviving_spouse"


class ImmigrationStatus(StrEnum):
    CITIZEN = "citizen"
    LAWFUL_PERMANENT_RESIDENT = "lawful_permanent_resident"
    REFUGEE_OR_ASYLEE = "refugee_or_asylee"
    CUBAN_HAITIAN_ENTRANT = "cuban_haitian_entrant"
    COFA_MIGRANT = "cofa_migrant"
    OTHER_QUALIFIED_NONCITIZEN = "other_qualified_noncitizen"
    OTHER_LAWFULLY_PRESENT = "other_lawfully_present"
    NOT_LAWFULLY_PRESENT = "not_lawfully_present"


class Frequency(StrEnum):
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    SEMIMONTHLY = "semimonthly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"


PERIODS_PER_YEAR: dict[Frequency, int] = {
    Frequency.WEEKLY: 52,
    Frequency.BIWEEKLY: 26,
    Frequency.SEMIMONTHLY: 24,
    Frequency.MONTHLY: 12,
    Frequency.QUARTERLY: 4,
    Frequency.YEARLY: 1,
}


class IncomeType(StrEnum):
    WAGES = "wages"
    SELF_EMPLOYMENT = "self_employment"
    UNEMPLOYMENT = "unemployment"
    SOCIAL_SECURITY = "social_security"
    PENSION = "pension"
    TAXABLE_INTEREST = "taxable_interest"
    TAX_EXEMPT_INTEREST = "tax_exempt_interest"
    DIVIDENDS = "dividends"
    CAPITAL_GAINS = "capital_gains"
    RENTAL = "rental"
    ALIMONY_PRE2019 = "alimony_pre2019"
    OTHER = "other"


#: Income types that may be negative (a business, capital or rental loss).
MAY_BE_NEGATIVE = frozenset(
    {IncomeType.SELF_EMPLOYMENT, IncomeType.CAPITAL_GAINS, IncomeType.RENTAL}
)
#: Earned income for the dependent filing requirement (26 USC 63(c)(5), 6012).
EARNED = frozenset({IncomeType.WAGES, IncomeType.SELF_EMPLOYMENT})


class DeductionType(StrEnum):
    ALIMONY_PAID_PRE2019 = "alimony_paid_pre2019"
    STUDENT_LOAN_INTEREST = "student_loan_interest"
    EDUCATOR_EXPENSES = "educator_expenses"
    IRA_CONTRIBUTION = "ira_contribution"
    HSA_CONTRIBUTION = "hsa_contribution"
    SELF_EMPLOYMENT_TAX_HALF = "self_employment_tax_half"
    SELF_EMPLOYED_HEALTH_INSURANCE = "self_employed_health_insurance"
    SELF_EMPLOYED_RETIREMENT = "self_employed_retirement"
    OTHER_ADJUSTMENT = "other_adjustment"


class RelationshipType(StrEnum):
    SPOUSE = "spouse"
    PARENT = "parent"
    STEPPARENT = "stepparent"
    CARETAKER = "caretaker"
    SIBLING = "sibling"
    GRANDPARENT = "grandparent"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Income:
    type: IncomeType
    amount: Decimal
    frequency: Frequency

    @property
    def annual(self) -> Decimal:
        return self.amount * PERIODS_PER_YEAR[self.frequency]


@dataclass(frozen=True, slots=True)
class Deduction:
    type: DeductionType
    amount: Decimal
    frequency: Frequency

    @property
    def annual(self) -> Decimal:
        return self.amount * PERIODS_PER_YEAR[self.frequency]


@dataclass(frozen=True, slots=True)
class EmployerOffer:
    """An offer of employer coverage to a member as the employee (lowest-cost minimum-value plan)."""

    employee_only_premium: Decimal
    family_premium: Decimal | None
    frequency: Frequency = Frequency.MONTHLY
    covers_family: bool = True
    minimum_value: bool = True

    @property
    def employee_only_annual(self) -> Decimal:
        return self.employee_only_premium * PERIODS_PER_YEAR[self.frequency]

    @property
    def family_annual(self) -> Decimal | None:
        if self.family_premium is None:
            return None
        return self.family_premium * PERIODS_PER_YEAR[self.frequency]


@dataclass(frozen=True, slots=True)
class TaxInfo:
    filer: bool = False
    filing_status: FilingStatus | None = None
    spouse_id: str | None = None
    claimed_by: str | None = None
    mfs_exception: bool = False


@dataclass(frozen=True, slots=True)
class Immigration:
    status: ImmigrationStatus = ImmigrationStatus.CITIZEN
    five_year_bar_met: bool = True


@dataclass(frozen=True, slots=True)
class Member:
    id: str
    date_of_birth: dt.date
    name: str = ""
    sex: Sex = Sex.UNKNOWN
    seeking_coverage: bool = True
    tax: TaxInfo = field(default_factory=TaxInfo)
    pregnant: bool = False
    expected_children: int = 0
    immigration: Immigration = field(default_factory=Immigration)
    incarcerated: bool = False
    incarceration_pending_disposition: bool = False
    american_indian_alaska_native: bool = False
    state_resident: bool = True
    blind_or_disabled: bool = False
    medicare: bool = False
    other_mec: bool = False
    employer_offer: EmployerOffer | None = None
    incomes: tuple[Income, ...] = ()
    deductions: tuple[Deduction, ...] = ()

    def age_on(self, day: dt.date) -> int:
        years = day.year - self.date_of_birth.year
        if (day.month, day.day) < (self.date_of_birth.month, self.date_of_birth.day):
            years -= 1
        return years


@dataclass(frozen=True, slots=True)
class Relationship:
    """``from_id`` is the ``type`` of ``to_id`` (for example: p1 is the parent of p3)."""

    from_id: str
    to_id: str
    type: RelationshipType


@dataclass(frozen=True, slots=True)
class Address:
    state: str
    county_fips: str | None = None
    zip: str | None = None


@dataclass(frozen=True, slots=True)
class Household:
    coverage_year: int
    address: Address
    members: tuple[Member, ...]
    relationships: tuple[Relationship, ...] = ()
    coverage_start: dt.date | None = None

    @property
    def start(self) -> dt.date:
        return self.coverage_start or dt.date(self.coverage_year, 1, 1)
