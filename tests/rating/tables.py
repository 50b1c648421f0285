"""Synthetic Massachusetts-style rate tables for the rating tests.

A plan's rate for an age is ``base x factor(age)`` in cents (half-up), with the Massachusetts age
factors of shared/reference/RULES.md (211 CMR 66.07; 0-20 .751, 21-26 1.183, ..., 60-64 2.365).
``base`` is the rate of factor 1.000, so age 21 pays ``base x 1.183`` (base 400.00: 473.20).
The rows have the Rate PUF's shape: 0-14, one row per age 15..63, then "64 and over".
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from rating import AgeRate, PlanRates, RatingRules

MA_FACTORS: dict[int, Decimal] = {
    **{age: Decimal("0.751") for age in range(21)},
    **{age: Decimal("1.183") for age in range(21, 27)},
    27: Decimal("1.220"),
    28: Decimal("1.250"),
    29: Decimal("1.275"),
    30: Decimal("1.287"),
    31: Decimal("1.305"),
    32: Decimal("1.323"),
    33: Decimal("1.334"),
    34: Decimal("1.346"),
    35: Decimal("1.352"),
    36: Decimal("1.358"),
    37: Decimal("1.363"),
    38: Decimal("1.369"),
    39: Decimal("1.381"),
    40: Decimal("1.393"),
    41: Decimal("1.410"),
    42: Decimal("1.427"),
    43: Decimal("1.450"),
    44: Decimal("1.478"),
    45: Decimal("1.511"),
    46: Decimal("1.550"),
    47: Decimal("1.593"),
    48: Decimal("1.641"),
    49: Decimal("1.688"),
    50: Decimal("1.741"),
    51: Decimal("1.792"),
    52: Decimal("1.847"),
    53: Decimal("1.902"),
    54: Decimal("1.961"),
    55: Decimal("2.019"),
    56: Decimal("2.080"),
    57: Decimal("2.142"),
    58: Decimal("2.206"),
    59: Decimal("2.280"),
    **{age: Decimal("2.365") for age in range(60, 65)},
}

# Federal default age curve (45 CFR 147.102(e); RULES.md), the ages the child tests use.
FEDERAL_CHILD_FACTORS: dict[int, Decimal] = {
    **{age: Decimal("0.765") for age in range(15)},
    15: Decimal("0.833"),
    16: Decimal("0.859"),
    17: Decimal("0.885"),
    18: Decimal("0.913"),
    19: Decimal("0.941"),
    20: Decimal("0.970"),
}

# Massachusetts: at most 3 children charged, a child is 20 or younger, no tobacco rating.
MA_RULES = RatingRules(max_children=3, child_max_age=20, tobacco_rating=False)


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def puf_bands(last_age_max: int = 64) -> list[tuple[int, int]]:
    """The Rate PUF's age bands: 0-14, 15, 16, ..., 63, and "64 and over"."""
    return [(0, 14), *((age, age) for age in range(15, 64)), (64, last_age_max)]


def ma_plan(
    base: Decimal,
    plan_id: str = "12345MA0010001",
    rating_area: int = 5,
    factors: dict[int, Decimal] | None = None,
    tobacco_load: Decimal | None = None,
    last_age_max: int = 64,
) -> PlanRates:
    """A plan's rate table: ``base x factor`` per band (factor of the band's first age), and a
    tobacco rate of ``individual x tobacco_load`` when a load is given."""
    table = MA_FACTORS | (factors or {})
    rows = []
    for lo, hi in puf_bands(last_age_max):
        individual = cents(base * table[lo])
        tobacco = cents(individual * tobacco_load) if tobacco_load is not None else None
        rows.append(AgeRate(age_min=lo, age_max=hi, individual=individual, tobacco=tobacco))
    return PlanRates(plan_id=plan_id, rating_area=rating_area, rates=tuple(rows))
