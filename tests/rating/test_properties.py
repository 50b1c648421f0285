"""Properties of premium rating that hold for every input (hypothesis)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from rating import (
    ConnectorCareShare,
    Enrollee,
    ehb_premium,
    household_premium,
    lowest,
    net_premium,
    rate_for,
    second_lowest,
)
from tests.rating.tables import MA_RULES, ma_plan

SETTINGS = settings(max_examples=400, deadline=None)
CENT = Decimal("0.01")


def money(max_value: str = "9000") -> st.SearchStrategy[Decimal]:
    return st.decimals(min_value=0, max_value=Decimal(max_value), places=2)


fractions = st.decimals(min_value=0, max_value=1, places=4)
connectorcare = st.none() | st.builds(
    ConnectorCareShare, contribution=money("1000"), lowest_cost_premium=money()
)


@SETTINGS
@given(
    premium=money(),
    percent=fractions,
    available=money(),
    requested=st.none() | money(),
    cc=connectorcare,
)
def test_net_premium_parts_add_up_and_stay_in_bounds(
    premium: Decimal,
    percent: Decimal,
    available: Decimal,
    requested: Decimal | None,
    cc: ConnectorCareShare | None,
) -> None:
    ehb = ehb_premium(premium, percent)
    n = net_premium(premium, ehb, available, requested, cc)
    assert n.aptc_applied + n.state_subsidy + n.enrollee_pays == n.premium == premium
    assert n.enrollee_pays >= 0
    assert n.state_subsidy >= 0
    assert 0 <= n.aptc_applied <= min(available, ehb)
    if requested is not None:
        assert n.aptc_applied <= requested
    else:
        assert n.aptc_applied == min(available, ehb)
    if cc is None:
        assert n.state_subsidy == 0
    for amount in (n.premium, n.ehb_premium, n.aptc_applied, n.state_subsidy, n.enrollee_pays):
        assert amount == amount.quantize(CENT)


@SETTINGS
@given(
    premium=money(),
    percent=fractions,
    available=money(),
    requested=money(),
    cc=connectorcare,
)
def test_asking_for_less_credit_never_lowers_what_the_enrollee_pays(
    premium: Decimal,
    percent: Decimal,
    available: Decimal,
    requested: Decimal,
    cc: ConnectorCareShare | None,
) -> None:
    ehb = ehb_premium(premium, percent)
    full = net_premium(premium, ehb, available, None, cc)
    partial = net_premium(premium, ehb, available, requested, cc)
    assert partial.enrollee_pays >= full.enrollee_pays
    assert partial.state_subsidy == full.state_subsidy


@SETTINGS
@given(premium=money(), percent=fractions)
def test_ehb_portion_is_cents_and_never_above_the_premium(
    premium: Decimal, percent: Decimal
) -> None:
    ehb = ehb_premium(premium, percent)
    assert 0 <= ehb <= premium
    assert ehb == ehb.quantize(CENT)
    assert abs(ehb - premium * percent) <= Decimal("0.005")


ages = st.integers(min_value=0, max_value=90)
households = st.lists(
    st.builds(Enrollee, member_id=st.uuids().map(str), age=ages, tobacco=st.booleans()),
    max_size=9,
)


@SETTINGS
@given(enrollees=households, base=st.decimals(min_value=50, max_value=900, places=2))
def test_household_premium_charges_at_most_three_children_the_oldest_ones(
    enrollees: list[Enrollee], base: Decimal
) -> None:
    plan = ma_plan(base)
    result = household_premium(plan, enrollees, MA_RULES)
    assert [m.member_id for m in result.members] == [e.member_id for e in enrollees]
    assert result.total == sum((m.premium for m in result.members), Decimal(0))
    by_id = {e.member_id: e for e in enrollees}
    charged_child_ages = [
        by_id[m.member_id].age for m in result.members if m.charged and by_id[m.member_id].age <= 20
    ]
    uncharged = [m for m in result.members if not m.charged]
    children = [e for e in enrollees if e.age <= 20]
    assert len(charged_child_ages) == min(len(children), 3)
    for m in uncharged:
        assert m.premium == 0
        assert by_id[m.member_id].age <= 20
        assert all(by_id[m.member_id].age <= age for age in charged_child_ages)
    for m in result.members:
        if m.charged:
            assert m.premium == rate_for(plan, by_id[m.member_id].age)  # no tobacco rating in MA


@SETTINGS
@given(st.lists(money(), max_size=12))
def test_second_lowest_is_the_second_entry_of_the_sorted_premiums(premiums: list[Decimal]) -> None:
    ranked = sorted(premiums)
    expected = None if not ranked else ranked[min(1, len(ranked) - 1)]
    assert second_lowest(premiums) == expected
    assert second_lowest(iter(premiums)) == expected
    assert second_lowest(reversed(ranked)) == expected
    low = lowest(premiums)
    assert low == (ranked[0] if ranked else None)
    if expected is not None:
        assert low is not None
        assert low <= expected
