"""The shop, enroll and confirmation pages through Django's test client: only the owner gets them
(404 for anyone else), filters, sort, compare, how much credit to use, the review step, and a
selection whose posted prices are ignored."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from apps.applications.models import Application
from apps.enrollment import selectors, services
from apps.enrollment.models import Enrollment
from apps.web.templatetags.web_format import dollars
from tests.enrollment.conftest import DEC_15, FAMILY, SINGLE, household, make_application

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def december(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pages run on December 15, 2025 (open enrollment for 2026)."""
    monkeypatch.setattr(services, "current_date", lambda: DEC_15)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def shop_url(app: Application) -> str:
    return reverse("enrollment:shop", args=[app.public_id])


def plan_ids(page: str) -> list[str]:
    return re.findall(r'<tr data-plan-id="([^"]+)"', page)


def enroll(client: Client, app: Application, **data: Any) -> Any:
    return client.post(reverse("enrollment:enroll", args=[app.public_id]), data)


def test_the_urls_match_the_adr(family_app: Application) -> None:
    pid = family_app.public_id
    assert reverse("enrollment:shop", args=[pid]) == f"/applications/{pid}/shop/"
    assert reverse("enrollment:enroll", args=[pid]) == f"/applications/{pid}/enroll/"
    assert reverse("enrollment:detail", args=[pid]) == f"/enrollments/{pid}/"


def test_the_shop_needs_sign_in(family_app: Application) -> None:
    response = Client().get(shop_url(family_app))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_owner_sees_plans_for_the_people_who_may_enroll(
    family_app: Application, alice: Any
) -> None:
    response = client_for(alice).get(shop_url(family_app))
    assert response.status_code == 200
    page = response.content.decode()
    shop = selectors.shop_for(family_app)
    quotes = selectors.quotes(shop)
    assert plan_ids(page) == [q.plan.plan_id for q in quotes]  # cheapest first
    assert "Ana, Ben." in page
    assert "Not included, because they may get MassHealth or CHIP:" in page
    assert "Caro, Dani" in page
    assert "$617.28 a month" in page  # the stored credit
    assert "ConnectorCare Plan Type 3A" in page
    first = quotes[0]
    assert dollars(first.net.enrollee_pays) in page


def test_other_people_get_404_everywhere(family_app: Application, alice: Any, mallory: Any) -> None:
    q = selectors.quotes(selectors.shop_for(family_app))[0]
    mine = client_for(alice)
    assert enroll(mine, family_app, plan_id=q.plan.plan_id, idempotency_key="k").status_code == 302
    enrollment = Enrollment.objects.get()
    other = client_for(mallory)
    assert other.get(shop_url(family_app)).status_code == 404
    response = enroll(other, family_app, plan_id=q.plan.plan_id, idempotency_key="k2")
    assert response.status_code == 404
    assert other.get(reverse("enrollment:detail", args=[enrollment.public_id])).status_code == 404
    assert Enrollment.objects.count() == 1
    # an id that does not exist answers the same
    missing = "00000000-0000-4000-8000-000000000000"
    assert other.get(f"/applications/{missing}/shop/").status_code == 404
    assert other.get(f"/enrollments/{missing}/").status_code == 404


def test_an_undetermined_application_has_no_shop(demo_catalog: None, alice: Any) -> None:
    app = make_application(alice, household(SINGLE), status=Application.Status.SUBMITTED)
    assert client_for(alice).get(shop_url(app)).status_code == 404


def test_filter_and_sort(family_app: Application, alice: Any) -> None:
    client = client_for(alice)
    quotes = {q.plan.plan_id: q for q in selectors.quotes(selectors.shop_for(family_app))}
    page = client.get(shop_url(family_app), {"metal": "Gold"}).content.decode()
    shown = plan_ids(page)
    assert shown and all(quotes[p].plan.metal_level == "Gold" for p in shown)
    page = client.get(shop_url(family_app), {"sort": "deductible"}).content.decode()
    deductibles = [quotes[p].plan.deductible_individual or 0 for p in plan_ids(page)]
    assert deductibles == sorted(deductibles)
    page = client.get(shop_url(family_app), {"sort": "moop"}).content.decode()
    moops = [quotes[p].plan.moop_individual or 0 for p in plan_ids(page)]
    assert moops == sorted(moops)
    page = client.get(shop_url(family_app), {"max_price": "200"}).content.decode()
    assert all(quotes[p].net.enrollee_pays <= 200 for p in plan_ids(page))
    issuer = next(iter(quotes.values())).plan.issuer_id
    page = client.get(shop_url(family_app), {"issuer": issuer}).content.decode()
    assert all(quotes[p].plan.issuer_id == issuer for p in plan_ids(page))
    page = client.get(shop_url(family_app), {"metal": "Mithril"}).content.decode()
    assert "Choose a metal level from the list" in page
    assert len(plan_ids(page)) == len(quotes)  # a wrong filter is left out


def test_compare_up_to_three_plans(family_app: Application, alice: Any) -> None:
    client = client_for(alice)
    quotes = selectors.quotes(selectors.shop_for(family_app))
    chosen = [q.plan.plan_id for q in quotes[:3]]
    page = client.get(shop_url(family_app), {"compare": chosen}).content.decode()
    table = page[page.index('id="comparison-table"') :]
    table = table[: table.index("</table>")]
    assert re.findall(r'<th scope="col" data-plan-id="([^"]+)"', table) == chosen
    assert "Out-of-pocket maximum" in table and "You pay a month" in table
    for q in quotes[:3]:
        assert dollars(q.net.enrollee_pays) in table
    # the boxes stay checked
    for plan_id in chosen:
        assert f'value="{plan_id}" id="compare-{plan_id}" checked' in page
    four = [q.plan.plan_id for q in quotes[:4]]
    page = client.get(shop_url(family_app), {"compare": four}).content.decode()
    assert "comparison-table" not in page
    assert "Choose up to 3 plans to compare. You chose 4." in html.unescape(page)


def test_how_much_credit_to_use_reprices_the_list(single_app: Application, alice: Any) -> None:
    client = client_for(alice)
    shop = selectors.shop_for(single_app)
    full = {q.plan.plan_id: q for q in selectors.quotes(shop)}
    page = client.get(shop_url(single_app), {"aptc": "0"}).content.decode()
    bronze = next(q for q in full.values() if q.plan.metal_level == "Bronze")
    row = page[page.index(f'<tr data-plan-id="{bronze.plan.plan_id}"') :]
    row = row[: row.index("</tr>")]
    assert f'data-price="{bronze.net.premium}"' in row  # no credit: the full premium
    change = dollars(bronze.net.aptc_applied)
    assert f"{change} more than with the full credit" in row
    assert f"You are using $0 of your {dollars(shop.aptc_max)} monthly credit" in page
    # the default is all of it
    page = client.get(shop_url(single_app)).content.decode()
    assert f'name="aptc" value="{shop.aptc_max:.2f}"' in page
    assert f"Prices below use all of your {dollars(shop.aptc_max)} monthly credit." in page
    # more than the maximum is capped
    page = client.get(shop_url(single_app), {"aptc": "5000"}).content.decode()
    assert 'id="aptc-capped"' in page
    assert f'data-price="{bronze.net.enrollee_pays}"' in page
    page = client.get(shop_url(single_app), {"aptc": "-5"}).content.decode()
    assert "Enter the tax credit to use as $0 or more" in page


def test_choose_then_enroll(family_app: Application, alice: Any) -> None:
    client = client_for(alice)
    q = selectors.quotes(selectors.shop_for(family_app))[1]
    page = client.get(shop_url(family_app), {"choose": q.plan.plan_id}).content.decode()
    assert 'id="review"' in page
    assert "January 1, 2026" in page
    key = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', page)
    assert key is not None
    response = enroll(
        client, family_app, plan_id=q.plan.plan_id, aptc="", idempotency_key=key.group(1)
    )
    assert response.status_code == 302
    e = Enrollment.objects.get()
    assert response["Location"] == reverse("enrollment:detail", args=[e.public_id])
    detail = client.get(response["Location"]).content.decode()
    assert e.plan_name in detail
    assert "Ana, Ben" in detail
    assert dollars(e.premium) in detail and dollars(e.net_premium) in detail
    assert dollars(e.aptc_applied) in detail and dollars(e.state_subsidy) in detail
    assert "January 1, 2026" in detail
    assert "Pay your first premium to your insurance company" in detail
    # back in the shop: already chosen, no enroll button
    page = client.get(shop_url(family_app), {"choose": q.plan.plan_id}).content.decode()
    assert 'id="already-enrolled"' in page
    assert 'id="enroll-form"' not in page


def test_posted_prices_are_ignored(single_app: Application, alice: Any) -> None:
    client = client_for(alice)
    q = selectors.quotes(selectors.shop_for(single_app))[0]
    response = enroll(
        client,
        single_app,
        plan_id=q.plan.plan_id,
        idempotency_key="fake-price",
        premium="1.00",
        net_premium="0.00",
        aptc_applied="99999",
        state_subsidy="5000",
        coverage_start="2025-11-01",
    )
    assert response.status_code == 302
    e = Enrollment.objects.get()
    assert (e.premium, e.aptc_applied, e.state_subsidy, e.net_premium) == (
        q.net.premium,
        q.net.aptc_applied,
        q.net.state_subsidy,
        q.net.enrollee_pays,
    )
    assert e.coverage_start == dt.date(2026, 1, 1)


def test_a_double_click_makes_one_enrollment(single_app: Application, alice: Any) -> None:
    client = client_for(alice)
    q = selectors.quotes(selectors.shop_for(single_app))[0]
    data = {"plan_id": q.plan.plan_id, "aptc": "10.00", "idempotency_key": "dbl"}
    first = enroll(client, single_app, **data)
    second = enroll(client, single_app, **data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Enrollment.objects.count() == 1
    assert Enrollment.objects.get().aptc_applied == Decimal("10.00")


def test_a_refused_selection_shows_why(
    single_app: Application, alice: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "current_date", lambda: dt.date(2026, 4, 1))
    client = client_for(alice)
    q = selectors.quotes(selectors.shop_for(single_app))[0]
    response = enroll(client, single_app, plan_id=q.plan.plan_id, idempotency_key="late")
    assert response.status_code == 409
    page = html.unescape(response.content.decode())
    assert "Open enrollment for 2026 coverage ended on January 23, 2026" in page
    assert not Enrollment.objects.exists()
    response = enroll(client, single_app, plan_id=q.plan.plan_id, aptc="-3", idempotency_key="n")
    assert response.status_code == 400


def test_a_plan_not_offered_shows_why(single_app: Application, alice: Any) -> None:
    response = enroll(
        client_for(alice), single_app, plan_id="99999MA9999999-01", idempotency_key="x"
    )
    assert response.status_code == 409
    assert "This plan is not offered" in html.unescape(response.content.decode())


def test_nobody_to_enroll_page(demo_catalog: None, alice: Any) -> None:
    data = household(SINGLE)
    data["members"][0]["incomes"] = [{"type": "wages", "amount": 9000, "frequency": "yearly"}]
    app = make_application(alice, data)
    page = client_for(alice).get(shop_url(app)).content.decode()
    assert 'id="no-buyers"' in page


def test_the_shop_in_spanish(demo_catalog: None, alice: Any) -> None:
    app = make_application(alice, household(FAMILY), language="es")
    client = client_for(alice)
    page = client.get(shop_url(app), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<html lang="es">' in page
    assert "Elija un plan de salud para 2026" in html.unescape(page)
    assert "Crédito tributario" in html.unescape(page)


def test_outside_open_enrollment_the_shop_says_so(
    single_app: Application, alice: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "current_date", lambda: dt.date(2026, 5, 1))
    client = client_for(alice)
    q = selectors.quotes(selectors.shop_for(single_app))[0]
    page = html.unescape(
        client.get(shop_url(single_app), {"choose": q.plan.plan_id}).content.decode()
    )
    assert 'id="enrollment-closed"' in page
    assert "Open enrollment for 2026 coverage ended on January 23, 2026" in page
    assert 'id="review-problem"' in page
    assert 'id="enroll-form"' not in page
    assert plan_ids(page)  # the plans can still be compared


def test_full_price_shop_has_no_credit_choice(demo_catalog: None, alice: Any) -> None:
    data = household(SINGLE)
    data["members"][0]["incomes"] = [{"type": "wages", "amount": 200_000, "frequency": "yearly"}]
    app = make_application(alice, data)
    shop = selectors.shop_for(app)
    assert shop.aptc_max == 0
    page = client_for(alice).get(shop_url(app)).content.decode()
    assert 'id="credit"' not in page
    quotes = selectors.quotes(shop)
    assert plan_ids(page) == [q.plan.plan_id for q in quotes]
    assert all(q.net.enrollee_pays == q.net.premium for q in quotes)


def test_no_catalog_for_the_year(demo_catalog: None, alice: Any) -> None:
    app = make_application(alice, household(SINGLE, year=2025))
    page = client_for(alice).get(shop_url(app)).content.decode()
    assert 'id="no-catalog"' in page
    assert not plan_ids(page)
