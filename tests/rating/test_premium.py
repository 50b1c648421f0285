"""Golden cases for rating/premium.py, each computed by hand (the arithmetic is in the comments).

Rate tables come from tests/rating/tables.py: rate = base x Massachusetts age factor, in cents.
With base 400.00: 0-20 400 x .751 = 300.40; 21-26 400 x 1.183 = 473.20; 38 400 x 1.369 = 547.60;
40 400 x 1.393 = 557.20; 43 400 x 1.450 = 580.00; 45 400 x 1.511 = 604.40;
60-64 400 x 2.365 = 946.00.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from rating import (
    AgeRate,
    ConnectorCareShare,
    Enrollee,
    MemberPremium,
    NetPremium,
    PlanRates,
    RatingRules,
    ehb_premium,
    household_premium,
    lowest,
    net_premium,
    rate_for,
    second_lowest,
)
from tests.rating.tables import FEDERAL_CHILD_FACTORS, MA_RULES, ma_plan

D = Decimal
PLAN = ma_plan(D("400.00"))


# --- rate_for -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (0, "300.40"),  # band 0-14: 400 x .751
        (14, "300.40"),  # same band
        (15, "300.40"),  # single-age band 15, MA factor .751 up to 20
        (20, "300.40"),
        (21, "473.20"),  # 400 x 1.183
        (26, "473.20"),
        (27, "488.00"),  # 400 x 1.220
        (38, "547.60"),  # 400 x 1.369
        (40, "557.20"),  # 400 x 1.393
        (59, "912.00"),  # 400 x 2.280
        (60, "946.00"),  # 400 x 2.365
        (64, "946.00"),  # the "64 and over" row
    ],
)
def test_single_adult_by_age_band(age: int, expected: str) -> None:
    assert rate_for(PLAN, age) == D(expected)


@pytest.mark.parametrize("age", [65, 70, 99])
def test_age_above_the_last_band_takes_the_last_band(age: int) -> None:
    # The PUF's last row is "64 and over"; stored with age_max 64 an older member still pays it.
    assert rate_for(PLAN, age) == D("946.00")
    # Stored open-ended (age_max 120) the result is the same.
    assert rate_for(ma_plan(D("400.00"), last_age_max=120), age) == D("946.00")


def test_rate_table_out_of_order_still_finds_the_last_band() -> None:
    shuffled = PlanRates(
        plan_id=PLAN.plan_id, rating_area=PLAN.rating_area, rates=tuple(reversed(PLAN.rates))
    )
    assert rate_for(shuffled, 40) == D("557.20")
    assert rate_for(shuffled, 80) == D("946.00")


def test_tobacco_rate_only_when_the_row_has_one() -> None:
    with_tobacco = ma_plan(D("400.00"), tobacco_load=D("1.2"))
    assert rate_for(with_tobacco, 40, tobacco=True) == D("668.64")  # 557.20 x 1.2
    assert rate_for(with_tobacco, 40, tobacco=False) == D("557.20")
    assert rate_for(PLAN, 40, tobacco=True) == D("557.20")  # no tobacco rate: individual rate


@pytest.mark.parametrize(
    ("rates", "age"),
    [
        (PlanRates(plan_id="12345MA0010001", rating_area=5, rates=()), 30),  # empty table
        (  # a gap: nothing covers 15-20
            PlanRates(
                plan_id="12345MA0010001",
                rating_area=5,
                rates=(
                    AgeRate(age_min=0, age_max=14, individual=D("300.40")),
                    AgeRate(age_min=21, age_max=64, individual=D("473.20")),
                ),
            ),
            17,
        ),
        (  # the table starts at 21: a child is not covered
            PlanRates(
                plan_id="12345MA0010001",
                rating_area=5,
                rates=(AgeRate(age_min=21, age_max=64, individual=D("473.20")),),
            ),
            3,
        ),
        (PLAN, -1),  # negative age
    ],
)
def test_no_row_for_the_age_is_a_clear_error(rates: PlanRates, age: int) -> None:
    with pytest.raises(ValueError, match=rf"12345MA0010001.*rating area 5.*age {age}\b"):
        rate_for(rates, age)


# --- household_premium --------------------------------------------------------------------------


def test_family_with_four_children_charges_the_three_oldest() -> None:
    enrollees = [
        Enrollee("mom", 45),  # 604.40
        Enrollee("dad", 43),  # 580.00
        Enrollee("adult-son", 21),  # 473.20: 21 is past the child age limit, charged as an adult
        Enrollee("kid8", 8),  # the youngest of four children under 21: not charged
        Enrollee("kid16", 16),  # 300.40
        Enrollee("kid10a", 10),  # 300.40
        Enrollee("kid10b", 10),  # 300.40
    ]
    result = household_premium(PLAN, enrollees, MA_RULES)
    assert result.members == (
        MemberPremium("mom", D("604.40"), True),
        MemberPremium("dad", D("580.00"), True),
        MemberPremium("adult-son", D("473.20"), True),
        MemberPremium("kid8", D("0.00"), False),
        MemberPremium("kid16", D("300.40"), True),
        MemberPremium("kid10a", D("300.40"), True),
        MemberPremium("kid10b", D("300.40"), True),
    )
    # 604.40 + 580.00 + 473.20 + 3 x 300.40 = 2558.80
    assert result.total == D("2558.80")


def test_the_oldest_children_are_charged_by_age_not_by_order() -> None:
    # Federal curve for children (base 400): 14 -> 306.00, 15 -> 333.20, 16 -> 343.60, 17 -> 354.00.
    plan = ma_plan(D("400.00"), factors=FEDERAL_CHILD_FACTORS)
    kids = [Enrollee("k14", 14), Enrollee("k17", 17), Enrollee("k15", 15), Enrollee("k16", 16)]
    result = household_premium(plan, kids, MA_RULES)
    assert [(m.member_id, m.premium, m.charged) for m in result.members] == [
        ("k14", D("0.00"), False),
        ("k17", D("354.00"), True),
        ("k15", D("333.20"), True),
        ("k16", D("343.60"), True),
    ]
    assert result.total == D("1030.80")  # 354.00 + 343.60 + 333.20


def test_same_age_children_break_ties_by_the_order_given() -> None:
    kids = [Enrollee(name, 10) for name in ("a", "b", "c", "d")]
    result = household_premium(PLAN, kids, MA_RULES)
    assert [m.charged for m in result.members] == [True, True, True, False]
    assert result.total == D("901.20")  # 3 x 300.40
    flipped = household_premium(PLAN, list(reversed(kids)), MA_RULES)
    assert [(m.member_id, m.charged) for m in flipped.members] == [
        ("d", True),
        ("c", True),
        ("b", True),
        ("a", False),
    ]


def test_three_children_or_fewer_are_all_charged() -> None:
    kids = [Enrollee("a", 3), Enrollee("b", 1), Enrollee("c", 20)]
    result = household_premium(PLAN, kids, MA_RULES)
    assert all(m.charged for m in result.members)
    assert result.total == D("901.20")


def test_tobacco_applies_only_where_the_state_rates_tobacco() -> None:
    plan = ma_plan(D("400.00"), tobacco_load=D("1.2"))
    smoker = [Enrollee("x", 40, tobacco=True)]
    # Massachusetts: no tobacco rating, the individual rate.
    assert household_premium(plan, smoker, MA_RULES).total == D("557.20")
    allows = RatingRules(max_children=3, child_max_age=20, tobacco_rating=True)
    assert household_premium(plan, smoker, allows).total == D("668.64")  # 557.20 x 1.2


def test_empty_household_costs_nothing() -> None:
    result = household_premium(PLAN, [], MA_RULES)
    assert result.total == D("0.00")
    assert result.members == ()


def test_negative_age_is_an_error_even_for_an_uncharged_child() -> None:
    kids = [Enrollee("a", 10), Enrollee("b", 10), Enrollee("c", 10), Enrollee("d", -1)]
    with pytest.raises(ValueError, match="member d: age -1"):
        household_premium(PLAN, kids, MA_RULES)


# --- ehb_premium --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "percent", "expected"),
    [
        ("2558.80", "0.9625", "2462.85"),  # 2462.845 exactly: half-up (half-even would give .84)
        ("1187.66", "0.9950", "1181.72"),  # 1181.7217 rounds down
        ("1104.80", "0.9950", "1099.28"),  # 1099.276 rounds up
        ("557.20", "0.98", "546.06"),  # 546.056
        ("557.20", "1", "557.20"),
        ("557.20", "0", "0.00"),
    ],
)
def test_ehb_portion_is_rounded_to_cents_half_up(total: str, percent: str, expected: str) -> None:
    assert ehb_premium(D(total), D(percent)) == D(expected)


@pytest.mark.parametrize(
    ("total", "percent"), [("100.00", "1.01"), ("100.00", "-0.1"), ("-1", "1")]
)
def test_ehb_rejects_impossible_inputs(total: str, percent: str) -> None:
    with pytest.raises(ValueError):
        ehb_premium(D(total), D(percent))


# --- net_premium --------------------------------------------------------------------------------


def net(
    premium: str,
    ehb: str,
    available: str,
    requested: str | None = None,
    cc: ConnectorCareShare | None = None,
) -> NetPremium:
    return net_premium(
        D(premium), D(ehb), D(available), None if requested is None else D(requested), cc
    )


def test_aptc_above_the_ehb_portion_is_capped_at_it() -> None:
    # Premium 557.20, EHB 98% -> 546.06; 600.00 available but only 546.06 may be applied.
    assert net("557.20", "546.06", "600.00") == NetPremium(
        premium=D("557.20"),
        ehb_premium=D("546.06"),
        aptc_applied=D("546.06"),
        state_subsidy=D("0.00"),
        enrollee_pays=D("11.14"),  # 557.20 - 546.06
    )


def test_aptc_above_the_premium_leaves_nothing_to_pay() -> None:
    # A child-only plan at 300.40, all EHB; 800.00 of credit available.
    result = net("300.40", "300.40", "800.00")
    assert result.aptc_applied == D("300.40")
    assert result.enrollee_pays == D("0.00")
    assert result.state_subsidy == D("0.00")


def test_requested_aptc_below_the_maximum_is_applied_as_requested() -> None:
    result = net("557.20", "546.06", "400.00", requested="250.00")
    assert result.aptc_applied == D("250.00")
    assert result.enrollee_pays == D("307.20")  # 557.20 - 250.00


@pytest.mark.parametrize(
    ("requested", "applied"),
    [
        ("400.00", "400.00"),  # exactly the maximum
        ("500.00", "400.00"),  # above the available credit: capped at it
        ("1000.00", "400.00"),
        ("0", "0.00"),  # no credit in advance
    ],
)
def test_requested_aptc_is_capped_at_the_maximum(requested: str, applied: str) -> None:
    assert net("557.20", "546.06", "400.00", requested=requested).aptc_applied == D(applied)


def test_requested_aptc_above_the_ehb_portion_is_capped_at_it() -> None:
    assert net("557.20", "546.06", "900.00", requested="700.00").aptc_applied == D("546.06")


@pytest.mark.parametrize(
    ("premium", "ehb", "available", "requested", "message"),
    [
        ("557.20", "546.06", "400.00", "-0.01", "APTC requested"),
        ("557.20", "546.06", "-1", None, "APTC available"),
        ("557.20", "600.00", "400.00", None, "EHB portion"),
        ("-1", "0", "0", None, "premium"),
    ],
)
def test_net_premium_rejects_impossible_inputs(
    premium: str, ehb: str, available: str, requested: str | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        net(premium, ehb, available, requested)


# ConnectorCare household: adults 40 and 38, plan type 2B, $53 per adult -> contribution 106.00.
# Lowest-cost ConnectorCare plan (base 400): 557.20 + 547.60 = 1104.80, EHB 99.5% -> 1099.28.
# A pricier ConnectorCare plan (base 430): 430 x 1.393 = 598.99, 430 x 1.369 = 588.67 -> 1187.66,
# EHB 99.5% -> 1181.72. APTC available: 950.00 a month.
COUPLE = [Enrollee("a", 40), Enrollee("b", 38)]
SHARE_2B = ConnectorCareShare(contribution=2 * D("53"), lowest_cost_premium=D("1104.80"))


def test_connectorcare_premiums_for_the_couple() -> None:
    lowest_cost = household_premium(ma_plan(D("400.00")), COUPLE, MA_RULES).total
    pricier = household_premium(ma_plan(D("430.00"), "12345MA0010002"), COUPLE, MA_RULES).total
    assert lowest_cost == D("1104.80")
    assert pricier == D("1187.66")
    assert ehb_premium(lowest_cost, D("0.995")) == D("1099.28")  # 1099.276
    assert ehb_premium(pricier, D("0.995")) == D("1181.72")  # 1181.7217


def test_connectorcare_lowest_cost_plan_costs_the_contribution() -> None:
    result = net("1104.80", "1099.28", "950.00", cc=SHARE_2B)
    # APTC min(950.00, 1099.28) = 950.00; left 1104.80 - 950.00 = 154.80;
    # enrollee min(154.80, 106.00 + 0) = 106.00; state 154.80 - 106.00 = 48.80.
    assert result == NetPremium(
        premium=D("1104.80"),
        ehb_premium=D("1099.28"),
        aptc_applied=D("950.00"),
        state_subsidy=D("48.80"),
        enrollee_pays=D("106.00"),
    )
    assert result.aptc_applied + result.state_subsidy + result.enrollee_pays == result.premium


def test_connectorcare_pricier_plan_adds_the_difference_in_plan_cost() -> None:
    result = net("1187.66", "1181.72", "950.00", cc=SHARE_2B)
    # APTC 950.00; left 1187.66 - 950.00 = 237.66;
    # enrollee min(237.66, 106.00 + (1187.66 - 1104.80 = 82.86)) = 188.86;
    # state 237.66 - 188.86 = 48.80 (the same state subsidy as for the lowest-cost plan).
    assert result == NetPremium(
        premium=D("1187.66"),
        ehb_premium=D("1181.72"),
        aptc_applied=D("950.00"),
        state_subsidy=D("48.80"),
        enrollee_pays=D("188.86"),
    )
    assert D("950.00") + D("48.80") + D("188.86") == D("1187.66")


def test_connectorcare_credit_covering_almost_everything_leaves_no_state_subsidy() -> None:
    result = net("1104.80", "1099.28", "1100.00", cc=SHARE_2B)
    # APTC min(1100.00, 1099.28) = 1099.28; left 5.52 < 106.00: the enrollee pays 5.52, state 0.
    assert result.aptc_applied == D("1099.28")
    assert result.enrollee_pays == D("5.52")
    assert result.state_subsidy == D("0.00")


def test_connectorcare_declined_credit_is_paid_by_the_enrollee_not_the_state() -> None:
    # 956 CMR 12.04(3)(c): the contribution assumes the full credit is elected. Requesting 900.00
    # of the 950.00 keeps the state subsidy at 48.80; the enrollee pays 188.86 + 50.00 = 238.86.
    result = net("1187.66", "1181.72", "950.00", requested="900.00", cc=SHARE_2B)
    assert result.aptc_applied == D("900.00")
    assert result.state_subsidy == D("48.80")
    assert result.enrollee_pays == D("238.86")
    assert D("900.00") + D("48.80") + D("238.86") == D("1187.66")


def test_connectorcare_plan_type_with_no_contribution_is_free_on_the_lowest_plan() -> None:
    share_2a = ConnectorCareShare(contribution=D("0"), lowest_cost_premium=D("1104.80"))
    result = net("1104.80", "1099.28", "950.00", cc=share_2a)
    assert result.enrollee_pays == D("0.00")
    assert result.state_subsidy == D("154.80")  # 1104.80 - 950.00


def test_rejects_a_negative_connectorcare_contribution() -> None:
    bad = ConnectorCareShare(contribution=D("-1"), lowest_cost_premium=D("1104.80"))
    with pytest.raises(ValueError, match="contribution"):
        net("1104.80", "1099.28", "950.00", cc=bad)


# --- lowest / second_lowest ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("premiums", "expected"),
    [
        (["300.00", "310.00", "320.00"], "310.00"),
        (["320.00", "300.00", "310.00"], "310.00"),  # order does not matter
        # Tie for the lowest: two plans at 300.00, so the second-lowest plan costs 300.00 too.
        (["300.00", "300.00", "320.00"], "300.00"),
        (["320.00", "300.00", "300.00"], "300.00"),
        # Tie for second place: 310.00 either way.
        (["300.00", "310.00", "310.00", "330.00"], "310.00"),
        (["300.00"], "300.00"),  # one plan only: its premium
        ([], None),
    ],
)
def test_second_lowest_counts_tied_plans_separately(
    premiums: list[str], expected: str | None
) -> None:
    assert second_lowest(D(p) for p in premiums) == (None if expected is None else D(expected))


def test_lowest() -> None:
    assert lowest(D(p) for p in ["320.00", "300.00", "300.00"]) == D("300.00")
    assert lowest([]) is None
