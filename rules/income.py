"""Income: annualised amounts, modified adjusted gross income, and the dependent filing requirement.

MAGI for the premium tax credit (26 USC 36B(d)(2)(B)) and for Medicaid (42 CFR 435.603(e)) is
adjusted gross income plus tax-exempt interest and the Social Security benefits excluded from gross
income; so Social Security counts in full and tax-exempt interest counts. The listed adjustments
(26 USC 62(a): educator expenses, HSA and IRA contributions, half of self-employment tax,
self-employed health insurance and retirement, student loan interest, alimony paid under a pre-2019
agreement) are deducted.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from rules.household import EARNED, PERIODS_PER_YEAR, IncomeType, Member
from rules.parameters import YearParameters

ZERO = Decimal(0)
#: Not part of gross income for the filing requirement (26 USC 86, 103, 6012).
NOT_GROSS = frozenset({IncomeType.SOCIAL_SECURITY, IncomeType.TAX_EXEMPT_INTEREST})


class MemberIncome(NamedTuple):
    magi: Decimal
    earned: Decimal
    unearned: Decimal  # gross unearned income (Social Security and tax-exempt interest excluded)


def member_income(member: Member) -> MemberIncome:
    magi = ZERO
    earned = ZERO
    unearned = ZERO
    for income in member.incomes:
        amount = income.amount * PERIODS_PER_YEAR[income.frequency]
        magi += amount
        if income.type in EARNED:
            earned += amount
        elif income.type not in NOT_GROSS:
            unearned += amount
    for deduction in member.deductions:
        magi -= deduction.amount * PERIODS_PER_YEAR[deduction.frequency]
    return MemberIncome(magi, earned, unearned)


def required_to_file_as_dependent(income: MemberIncome, params: YearParameters) -> bool:
    """Whether a tax dependent must file (26 USC 6012(a)(1)(C), 63(c)(5); IRS Pub. 501 table 2).

    A dependent must file when unearned income is over the minimum, earned income is over the
    standard deduction, or gross income is over the larger of the minimum and earned income (up to
    the standard deduction less the addition) plus the addition.
    """
    minimum = params.dependent_unearned_threshold
    addition = params.dependent_earned_addition
    standard = params.standard_deduction_single
    if income.unearned > minimum:
        return True
    if income.earned > standard:
        return True
    earned_base = min(max(income.earned, ZERO), standard - addition) + addition
    gross = income.earned + income.unearned
    return gross > max(minimum, earned_base)
