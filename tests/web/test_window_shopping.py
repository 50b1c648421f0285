"""The window-shopping page through Django's test client: the form and its messages, the county
choice, the engine's figures on the page, the plan filters, the income chart, and the pages shown
when something is missing (no catalog, an unknown ZIP code, a ZIP code outside Massachusetts)."""

from __future__ import annotations

import html
import io
import re
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from apps.api import shopping
from apps.plans import selectors as plans
from apps.plans.models import (
    CatalogImport,
    Crosswalk,
    Issuer,
    Plan,
    Rate,
    ServiceArea,
    ServiceAreaCounty,
)
from apps.web import window
from apps.web.forms import parse_money
from rating.types import Enrollee
from rules import Program
from rules.reasons import money

ROOT = Path(__file__).resolve().parents[2]
URL = "/window-shopping/"
FAMILY = {
    "zip": "02118",
    "age": "40",
    "spouse_age": "38",
    "dependents": "10, 7",
    "income": "65,000",
    "year": "2026",
}
FAMILY_BODY: dict[str, Any] = {
    "year": 2026,
    "place": {"state": "MA", "zipcode": "02118", "countyfips": "25025"},
    "household": {
        "income": 65000,
        "has_married_couple": True,
        "people": [{"age": 40}, {"age": 38}, {"age": 10}, {"age": 7}],
    },
}


def remove_catalog(year: int) -> None:
    Rate.objects.filter(year=year).delete()
    Plan.objects.filter(year=year).delete()
    Crosswalk.objects.filter(year=year).delete()
    ServiceAreaCounty.objects.filter(service_area__year=year).delete()
    ServiceArea.objects.filter(year=year).delete()
    Issuer.objects.filter(year=year).delete()
    CatalogImport.objects.filter(year=year).delete()


@pytest.fixture(scope="module")
def catalog(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The synthetic 2026 demo catalog, loaded once for this module (and removed after)."""
    with django_db_blocker.unblock():
        call_command(
            "plans",
            "import",
            str(ROOT / "data/catalog/ma/2026"),
            "--year",
            "2026",
            stdout=io.StringIO(),
        )
    yield
    with django_db_blocker.unblock():
        remove_catalog(2026)


def get(client: Client, **params: str) -> str:
    response = client.get(URL, params)
    assert response.status_code == 200, response.content[:2000]
    return response.content.decode()


def text(page: str) -> str:
    """The page's text, tags removed and spaces collapsed."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page))).strip()


def section(page: str, section_id: str) -> str:
    start = page.index(f'id="{section_id}"')
    end = page.find("</section>", start)
    return page[start:end]


def tag_with_id(page: str, element_id: str) -> str:
    """The opening tag of the element with this id."""
    found = re.search(rf'<[a-z]+\b[^>]*\bid="{element_id}"[^>]*>', page)
    assert found is not None, element_id
    return found.group(0)


def plan_rows(page: str) -> list[tuple[str, str, Decimal]]:
    """(plan id, metal level, you pay) of each row of the plan table, in order."""
    return [
        (m[0], m[1], Decimal(m[2]))
        for m in re.findall(
            r'<tr data-plan-id="([^"]+)" data-metal="([^"]+)" data-price="([^"]+)"', page
        )
    ]


# --- the form ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_form_page_is_accessible_markup(client: Client) -> None:
    page = get(client)
    assert '<html lang="en">' in page
    assert 'class="usa-skipnav" href="#main-content"' in page
    assert 'id="main-content"' in page
    assert "uswds/css/uswds.min.css" in page
    for name, label in [
        ("zip", "ZIP code"),
        ("age", "Your age"),
        ("spouse_age", "Your spouse&#x27;s age (if you are married)"),
        ("dependents", "Ages of your dependents who need coverage (if any)"),
        ("income", "Household income for the year"),
        ("year", "Coverage year"),
    ]:
        assert f'<label class="usa-label" for="id_{name}">{label}</label>' in page
    # the hint is tied to the field
    assert 'aria-describedby="id_zip_helptext"' in page
    # the default coverage year is the one people shop for today
    default = shopping.coverage_year(None)
    assert f'<option value="{default}" selected>{default}</option>' in page
    assert "Your estimate" not in page
    assert "There is a problem" not in page
    # works without JavaScript: a GET form
    assert re.search(r'<form id="window-shopping-form"[^>]*method="get"', page)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"zip": "", "age": "40", "income": "1"}, "zip", "Enter your ZIP code"),
        ({"zip": "2118", "age": "40", "income": "1"}, "zip", "Enter your ZIP code as 5 digits"),
        ({"zip": "99999", "age": "40", "income": "1"}, "zip", "We could not find ZIP code 99999"),
        (
            {"zip": "10001", "age": "40", "income": "1"},
            "zip",
            "ZIP code 10001 is in NY, not in Massachusetts",
        ),
        ({"zip": "02118", "age": "", "income": "1"}, "age", "Enter your age"),
        (
            {"zip": "02118", "age": "forty", "income": "1"},
            "age",
            "Enter your age as a whole number of years",
        ),
        ({"zip": "02118", "age": "130", "income": "1"}, "age", "from 0 to 120"),
        (
            {"zip": "02118", "age": "40", "spouse_age": "x", "income": "1"},
            "spouse_age",
            "Enter your spouse&#x27;s age as a whole number of years",
        ),
        (
            {"zip": "02118", "age": "40", "dependents": "10, seven", "income": "1"},
            "dependents",
            "we could not read “seven”",
        ),
        (
            {"zip": "02118", "age": "40", "dependents": ",".join(["5"] * 11), "income": "1"},
            "dependents",
            "Enter at most 10 dependents",
        ),
        (
            {"zip": "02118", "age": "40", "income": ""},
            "income",
            "Enter your household&#x27;s yearly income",
        ),
        (
            {"zip": "02118", "age": "40", "income": "lots"},
            "income",
            "as an amount in dollars, for example 65,000",
        ),
        ({"zip": "02118", "age": "40", "income": "-5"}, "income", "as $0 or more"),
        (
            {"zip": "02118", "age": "40", "income": "1", "year": "1999"},
            "year",
            "Choose a coverage year from the list",
        ),
    ],
)
def test_validation_messages_name_the_field(
    client: Client, params: dict[str, str], field: str, message: str
) -> None:
    page = get(client, **params)
    assert "<title>Error: " in page
    summary = page[page.index('id="error-summary"') : page.index("</form>")]
    # in the summary, linked to the field ...
    assert re.search(rf'<a class="usa-link" href="#id_{field}">[^<]*{re.escape(message)}', summary)
    # ... and next to the field, tied to it for screen readers
    assert re.search(
        rf'<span class="usa-error-message" id="id_{field}_error">[^<]*{re.escape(message)}', page
    )
    control = tag_with_id(page, f"id_{field}")
    assert re.search(rf'aria-describedby="[^"]*id_{field}_error"', control)
    assert 'aria-invalid="true"' in control
    assert "Your estimate" not in page


@pytest.mark.django_db
def test_answers_are_kept_after_an_error(client: Client) -> None:
    page = get(client, zip="02118", age="40", dependents="10, 7", income="abc")
    assert 'value="10, 7"' in page
    assert 'value="abc"' in page
    assert 'class="usa-input usa-input--error"' in page
    assert 'aria-invalid="true"' in page


def test_parse_money() -> None:
    assert parse_money("65000") == Decimal(65000)
    assert parse_money("$65,000") == Decimal(65000)
    assert parse_money(" 65,000.50 ") == Decimal("65000.50")
    assert parse_money("6,50,00") is None
    assert parse_money("sixty") is None
    assert parse_money("") is None


# --- the county -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_two_county_zip_asks_for_the_county(client: Client, catalog: None) -> None:
    page = get(client, zip="01434", age="40", income="30000", year="2026")
    # Devens spans Middlesex and Worcester counties: a choice, not a result
    assert "Your estimate" not in page
    assert '<legend class="usa-legend usa-label--error">County</legend>' in page
    assert re.search(r'type="radio" name="county" value="25017"[^>]*id="id_county_0"', page)
    assert re.search(r'type="radio" name="county" value="25027"[^>]*id="id_county_1"', page)
    assert "Choose your county: ZIP code 01434 is in Middlesex County and Worcester County" in page
    assert 'href="#id_county_0"' in page

    chosen = get(client, zip="01434", county="25027", age="40", income="30000", year="2026")
    assert "Your estimate for 2026" in chosen
    assert "(Worcester County)" in chosen
    assert re.search(r'value="25027"[^>]*checked', chosen)
    # the county is carried along when the plans are filtered
    assert '<input type="hidden" name="county" value="25027">' in chosen
    assert plan_rows(chosen)


@pytest.mark.django_db
def test_one_county_zip_ignores_a_county_left_in_the_address(client: Client, catalog: None) -> None:
    page = get(client, zip="02118", county="25027", age="40", income="30000", year="2026")
    assert "Your estimate for 2026" in page
    assert 'name="county"' not in page
    assert "(Suffolk County)" in page


# --- the results ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_results_show_the_engines_figures(client: Client, catalog: None) -> None:
    page = get(client, **FAMILY)
    results = text(section(page, "results"))

    # The same household through the engine and the quote selector directly.
    s = shopping.prepare(FAMILY_BODY, 2026)
    d = s.determination
    programs = [m.program for m in d.members]
    assert programs == [Program.CONNECTORCARE, Program.CONNECTORCARE, Program.CHIP, Program.CHIP]
    th = d.tax_households[0]

    def named(sentence: str) -> str:
        return re.sub(r"person(\d)", r"Person \1", sentence)

    assert f"Premium tax credit: {money(th.max_aptc_monthly)} a month" in results
    assert f"Estimated premium tax credit: {money(th.max_aptc_monthly)} a month" in results
    assert "Person 1 (you, age 40): ConnectorCare Plan Type 3A" in results
    assert "Person 2 (your spouse, age 38): ConnectorCare Plan Type 3A" in results
    assert "Person 3 (dependent, age 10): MassHealth Family Assistance (CHIP)" in results
    assert "Person 4 (dependent, age 7): MassHealth Family Assistance (CHIP)" in results
    for r in th.reasons:
        assert html.unescape(named(r.text)) in results
    for m in d.members:
        for r in m.reasons:
            assert named(r.text) in results
    contribution = d.members[0].connectorcare_contribution
    assert contribution is not None
    assert f"costs {money(contribution)} a month per person" in results
    assert "Silver plans with lower deductibles and copays: 73% cost-sharing reduction" in results
    chip = sum(m.chip_premium or 0 for m in d.members)
    assert f"CHIP premium: {money(chip)} a month for the family" in results

    # Plans: priced for the adults only (the children may get CHIP), cheapest first.
    buyers = [m for m in d.members if not m.is_medicaid_chip]
    help = shopping.household_help(d, [m.member_id for m in buyers])
    assert help.connectorcare_plan_type == "3A"
    assert help.csr == "73"
    quoted = plans.quote(s.params, s.place, [Enrollee(m.member_id, m.age) for m in buyers], help)
    rows = plan_rows(page)
    assert [(r[0], r[2]) for r in rows] == [(q.plan.plan_id, q.net.enrollee_pays) for q in quoted]
    assert any(q.plan.connectorcare_plan_type == "3A" for q in quoted)
    plans_text = text(section(page, "plans"))
    assert "Prices are for 2 people: Person 1, Person 2." in plans_text
    assert f"Showing {len(quoted)} of {len(quoted)} plans." in plans_text
    cc = min((q for q in quoted if q.plan.connectorcare_plan_type), key=lambda q: q.premium.total)
    assert cc.net.enrollee_pays == 2 * contribution
    assert f"{money(cc.net.state_subsidy)} state subsidy" in plans_text


@pytest.mark.django_db
def test_everyone_on_masshealth_prices_no_plan(client: Client, catalog: None) -> None:
    page = get(client, zip="02118", age="30", dependents="2", income="12000", year="2026")
    results = text(section(page, "results"))
    assert "Person 1 (you, age 30): MassHealth Standard" in results
    assert "Person 2 (dependent, age 2): MassHealth Standard" in results
    assert "Premium tax credit:" not in results
    assert "Your premium tax credit" not in results
    assert "Everyone in your household may qualify for MassHealth or CHIP" in page
    assert plan_rows(page) == []


@pytest.mark.django_db
def test_single_adult_above_the_credit_limit(client: Client, catalog: None) -> None:
    page = get(client, zip="02118", age="45", income="$90,000", year="2026")
    results = text(section(page, "results"))
    assert "Person 1 (you, age 45): A plan at full price" in results
    assert "above the 400% limit for the premium tax credit in 2026" in results
    rows = plan_rows(page)
    assert rows
    # at full price, "you pay" is the premium
    s = shopping.prepare(
        {
            "year": 2026,
            "place": {"state": "MA", "zipcode": "02118"},
            "household": {"income": 90000, "people": [{"age": 45}]},
        },
        2026,
    )
    quoted = shopping.quotes(s)
    assert [r[2] for r in rows] == [q.premium.total for q in quoted]


# --- filters and sorting ----------------------------------------------------------------------


@pytest.mark.django_db
def test_plans_filter_and_sort_by_get_parameters(client: Client, catalog: None) -> None:
    everything = plan_rows(get(client, **FAMILY))
    prices = [r[2] for r in everything]
    assert prices == sorted(prices)
    metals = {r[1] for r in everything}
    assert {"Bronze", "Silver", "Gold"} <= metals

    gold = plan_rows(get(client, **FAMILY, metal="Gold"))
    assert gold
    assert {r[1] for r in gold} == {"Gold"}
    assert len(gold) == sum(1 for r in everything if r[1] == "Gold")

    dearest = plan_rows(get(client, **FAMILY, sort="-price"))
    assert [r[2] for r in dearest] == sorted(prices, reverse=True)

    cap = sorted(prices)[len(prices) // 2]
    capped = plan_rows(get(client, **FAMILY, max_price=str(cap)))
    assert capped
    assert all(r[2] <= cap for r in capped)
    assert len(capped) == sum(1 for p in prices if p <= cap)

    page = get(client, **FAMILY, plan_type="PPO")
    assert all(re.search(rf'data-plan-id="{r[0]}"[\s\S]*?· PPO', page) for r in plan_rows(page))

    issuer = Plan.objects.filter(year=2026).values_list("issuer__hios_id", flat=True).first()
    assert issuer is not None
    by_issuer = plan_rows(get(client, **FAMILY, issuer=issuer))
    assert by_issuer
    assert all(r[0].startswith(issuer) for r in by_issuer)

    page = get(client, **FAMILY, sort="name")
    names = re.findall(
        r'<th scope="row" data-label="Plan">\s*<span class="text-bold">([^<]+)<', page
    )
    assert names == sorted(names, key=str.lower)

    # the filter form keeps the household's answers, so it works without JavaScript
    filters = page[
        page.index('class="plan-filters"') : page.index(
            "</form>", page.index('class="plan-filters"')
        )
    ]
    for name, value in FAMILY.items():
        assert f'<input type="hidden" name="{name}" value="{html.escape(value)}">' in filters


@pytest.mark.django_db
def test_bad_filters_show_a_message_and_all_plans(client: Client, catalog: None) -> None:
    page = get(client, **FAMILY, metal="Tin", max_price="cheap")
    assert "Choose a metal level from the list" in page
    assert "Enter the most you want to pay a month as an amount in dollars" in page
    assert len(plan_rows(page)) == len(plan_rows(get(client, **FAMILY)))


# --- the chart --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_income_chart(client: Client, catalog: None) -> None:
    page = get(client, **FAMILY)
    what_if = section(page, "what-if")
    svg = re.search(r"<svg [^>]*id=\"income-chart\"[^>]*>.*?</svg>", what_if, flags=re.S)
    assert svg is not None
    chart = svg.group(0)
    assert 'role="img"' in chart
    assert 'aria-labelledby="income-chart-title income-chart-desc"' in chart
    assert '<title id="income-chart-title">What if my income changes?</title>' in chart
    assert '<desc id="income-chart-desc">' in chart

    inputs = window.ShoppingInput(
        year=2026,
        zip_code="02118",
        county_fips="25025",
        age=40,
        spouse_age=38,
        dependent_ages=(10, 7),
        income=Decimal(65000),
    )
    rng = window.income_range(window.estimate(inputs))
    grid = list(range(window.CHART_FROM, window.CHART_TO + 1, window.CHART_STEP))
    assert [p.percent for p in rng.points] == grid  # 50% to 600%, every 10 points: 56
    assert len(rng.points) == 56
    count = len(rng.points) + len(rng.edges)
    assert f'data-points="{count}"' in chart
    for key in ("help", "benchmark", "cheapest"):
        series = re.search(rf'data-series="{key}" data-count="(\d+)">(.*?)</g>', chart, flags=re.S)
        assert series is not None
        coordinates = re.findall(
            r"(-?[\d.]+),(-?[\d.]+)", " ".join(re.findall(r'points="([^"]+)"', series.group(2)))
        )
        assert len(coordinates) == int(series.group(1))
        drawn = sum(
            1
            for p in [*rng.points, *rng.edges]
            if getattr(p, f"{key}_net" if key != "help" else "help") is not None
        )
        assert len(coordinates) == drawn
    # one numbered marker per change, and the household's own income
    assert chart.count('class="marker"') == len(rng.changes)
    assert 'class="you"' in chart

    # the same figures as a table: every grid point, plus the household's own income
    table = what_if[what_if.index('id="income-table"') :]
    assert table.count("<tr") == 1 + len(rng.points) + 1
    assert "$65,000 (your income)" in table

    # a grid point against the engine directly: 300% of the poverty line
    p300 = next(p for p in rng.points if p.percent == 300)
    assert p300.income == rng.guideline * 3
    body = {**FAMILY_BODY, "household": {**FAMILY_BODY["household"], "income": float(p300.income)}}
    s = shopping.prepare(body, 2026)
    d = s.determination
    buyers = [m for m in d.members if not m.is_medicaid_chip]
    help = shopping.household_help(d, [m.member_id for m in buyers])
    assert p300.aptc == help.aptc
    assert p300.connectorcare_plan_type == help.connectorcare_plan_type
    quoted = plans.quote(s.params, s.place, [Enrollee(m.member_id, m.age) for m in buyers], help)
    assert p300.cheapest_net == quoted[0].net.enrollee_pays
    found = plans.benchmark(s.params, s.place, [Enrollee(m.member_id, m.age) for m in buyers])
    assert found is not None
    bench = next(
        q
        for q in quoted
        if q.plan.standard_component_id == found[0].standard_component_id
        and not q.plan.connectorcare_plan_type
    )
    assert p300.benchmark_net == bench.net.enrollee_pays
    assert p300.help is not None
    assert f"<td>{money(p300.help)}</td>" in table

    # the changes, to the dollar, in plain language
    changes = text(what_if[what_if.index('id="changes"') :])
    assert "Person 1 and Person 2: MassHealth Standard → ConnectorCare Plan Type 2A" in changes
    assert (
        "Person 3 and Person 4: MassHealth Standard → MassHealth Family Assistance (CHIP)"
        in changes
    )
    assert (
        "ConnectorCare Plan Type 3C → A plan at full price (income above the limit for the premium tax credit)"
        in changes
    )
    for c in rng.changes:
        before = window._Pricer(window.estimate(inputs)).signature(c.income - 1)
        after = window._Pricer(window.estimate(inputs)).signature(c.income)
        assert before != after
        assert f"From {money(c.income)} a year ({c.fpl_percent}% of the poverty line)" in changes


@pytest.mark.django_db
def test_page_is_fast(client: Client, catalog: None) -> None:
    get(client, **FAMILY)  # warm the catalog cache
    start = time.perf_counter()
    get(client, **{**FAMILY, "income": "71,000"})
    assert time.perf_counter() - start < 0.5


# --- when something is missing ----------------------------------------------------------------


@pytest.mark.django_db
def test_no_catalog_for_the_year(client: Client) -> None:
    assert not CatalogImport.objects.filter(year=2027).exists()
    page = get(client, **{**FAMILY, "year": "2027"})
    assert "Plans for 2027 are not available" in page
    assert "We do not have the plans and prices for 2027" in page
    assert plan_rows(page) == []
    # the eligibility part still works (credit from the reference benchmark)
    results = text(section(page, "results"))
    assert "Person 3 (dependent, age 10): MassHealth Family Assistance (CHIP)" in results
    assert "Premium tax credit:" in results
    # the chart shows the help only
    assert 'data-series="help"' in page
    assert 'data-series="cheapest"' not in page


@pytest.mark.django_db
def test_place_problems_are_messages_not_errors(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_area(inputs: window.ShoppingInput) -> window.Estimate:
        raise plans.PlaceError("countyfips", "no rating area")

    monkeypatch.setattr(window, "estimate", no_area)
    page = get(client, **FAMILY)
    assert "We cannot show an estimate" in page
    assert "We could not find the premium rating area for ZIP code 02118" in page

    def no_plans(inputs: window.ShoppingInput) -> window.Estimate:
        raise window.NoPlans("address: no silver plan is offered in county 25025 in 2026")

    monkeypatch.setattr(window, "estimate", no_plans)
    page = get(client, **FAMILY)
    assert "We could not find the plans sold in ZIP code 02118 for 2026" in page
