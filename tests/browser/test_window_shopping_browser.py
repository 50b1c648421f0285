"""The window-shopping page in a real browser: a family's walk through the form and results, the
two-county ZIP code, a 375 px wide screen, the page without JavaScript, and axe-core's checks."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import SCREENSHOTS, screenshot, serious_violations

pytestmark = pytest.mark.browser

USWDS_BLUE = "rgb(0, 94, 162)"  # .usa-button background (blue-60v)


def open_form(page: Any, live_server: Any) -> None:
    response = page.goto(f"{live_server.url}/window-shopping/")
    assert response is not None and response.status == 200


def fill_family(page: Any) -> None:
    page.get_by_label("ZIP code").fill("02118")
    page.get_by_label("Your age").fill("40")
    page.get_by_label("Your spouse's age (if you are married)").fill("38")
    page.get_by_label("Ages of your dependents who need coverage (if any)").fill("10, 7")
    page.get_by_label("Household income for the year").fill("65000")
    page.get_by_label("Coverage year").select_option("2026")


def test_family_sees_chip_connectorcare_and_plans(
    page: Any, live_server: Any, catalog: None
) -> None:
    css = []
    page.on(
        "response",
        lambda r: css.append((r.url, r.status)) if r.url.endswith("uswds.min.css") else None,
    )
    open_form(page, live_server)
    # USWDS's stylesheet is served and applied
    assert css and all(status == 200 for _, status in css)
    button = page.get_by_role("button", name="See what you can get")
    assert button.evaluate("b => getComputedStyle(b).backgroundColor") == USWDS_BLUE
    assert page.evaluate("document.documentElement.lang") == "en"
    assert serious_violations(page) == []
    screenshot(page, "window-shopping-form")

    fill_family(page)
    button.click()
    page.wait_for_selector("#results")
    assert "zip=02118" in page.url and "income=65000" in page.url  # bookmarkable

    summary = page.locator(".usa-summary-box").inner_text()
    for line in (
        "Person 1 (you, age 40): ConnectorCare Plan Type 3A",
        "Person 2 (your spouse, age 38): ConnectorCare Plan Type 3A",
        "Person 3 (dependent, age 10): MassHealth Family Assistance (CHIP)",
        "Person 4 (dependent, age 7): MassHealth Family Assistance (CHIP)",
    ):
        assert line in summary
    assert re.search(r"Premium tax credit: \$[\d,.]+ a month", summary)
    rows = page.locator("#plan-table tbody tr")
    assert rows.count() > 10
    assert page.locator("#plan-table tbody tr", has_text="ConnectorCare Plan Type 3A").count() > 0
    chart = page.locator("#income-chart")
    assert chart.get_attribute("role") == "img"
    assert chart.is_visible()

    assert serious_violations(page) == []
    screenshot(page, "window-shopping-results")
    page.locator("#what-if").screenshot(path=str(SCREENSHOTS / "window-shopping-chart.png"))

    # filter and sort with the form's controls
    page.get_by_label("Metal level").select_option("Gold")
    page.get_by_label("Sort by").select_option("-price")
    page.get_by_role("button", name="Show plans").click()
    page.wait_for_selector("#plan-table")
    metals = page.locator("#plan-table tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.metal)"
    )
    prices = page.locator("#plan-table tbody tr").evaluate_all(
        "rows => rows.map(r => Number(r.dataset.price))"
    )
    assert metals and set(metals) == {"Gold"}
    assert prices == sorted(prices, reverse=True)
    assert "metal=Gold" in page.url


def test_two_county_zip_asks_for_the_county(page: Any, live_server: Any, catalog: None) -> None:
    open_form(page, live_server)
    page.get_by_label("ZIP code").fill("01434")
    page.get_by_label("Your age").fill("40")
    page.get_by_label("Household income for the year").fill("30000")
    page.get_by_label("Coverage year").select_option("2026")
    page.get_by_role("button", name="See what you can get").click()

    county = page.get_by_role("group", name="County")
    county.wait_for()
    assert "Choose your county: ZIP code 01434 is in Middlesex County and Worcester County" in (
        page.locator("#error-summary").inner_text()
    )
    assert serious_violations(page) == []
    # USWDS hides the radio input itself behind its styled label: click the label, as people do
    page.locator("label.usa-radio__label", has_text="Worcester County").click()
    assert page.get_by_label("Worcester County").is_checked()
    page.get_by_role("button", name="See what you can get").click()
    page.wait_for_selector("#results")
    assert "(Worcester County)" in page.locator("#results").inner_text()
    assert "county=25027" in page.url
    assert page.locator("#plan-table tbody tr").count() > 0


def test_errors_are_summarised_and_linked(page: Any, live_server: Any) -> None:
    open_form(page, live_server)
    page.get_by_label("Household income for the year").fill("lots")
    page.get_by_role("button", name="See what you can get").click()
    summary = page.locator("#error-summary")
    summary.wait_for()
    assert page.title().startswith("Error: ")
    # the summary has the focus, so screen readers read it first
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert "Enter your ZIP code" in summary.inner_text()
    assert "Enter your age" in summary.inner_text()
    assert "as an amount in dollars" in summary.inner_text()
    summary.get_by_role("link", name="Enter your ZIP code").click()
    assert page.evaluate("document.activeElement.id") == "id_zip"
    assert page.locator("#id_zip").get_attribute("aria-invalid") == "true"
    assert serious_violations(page) == []
    screenshot(page, "window-shopping-errors", full_page=False)


def test_small_screen(browser: Any, live_server: Any, catalog: None) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=2)
    page = context.new_page()
    try:
        page.goto(
            f"{live_server.url}/window-shopping/?zip=02118&age=40&spouse_age=38"
            "&dependents=10%2C+7&income=65000&year=2026"
        )
        page.wait_for_selector("#results")
        # nothing wider than the screen: no sideways scrolling
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        assert page.locator("#income-chart").bounding_box()["width"] <= 375
        # the plan table stacks into cards
        first = page.locator("#plan-table tbody tr").first
        assert first.bounding_box()["width"] <= 375
        assert serious_violations(page) == []
        screenshot(page, "window-shopping-375px")
        page.goto(page.url.split("#")[0] + "#results")
        screenshot(page, "window-shopping-375px-results", full_page=False)
        page.goto(page.url.split("#")[0] + "#what-if")
        screenshot(page, "window-shopping-375px-chart", full_page=False)
    finally:
        context.close()


def test_works_without_javascript(browser: Any, live_server: Any, catalog: None) -> None:
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1024, "height": 800}
    )
    page = context.new_page()
    try:
        open_form(page, live_server)
        fill_family(page)
        page.get_by_role("button", name="See what you can get").click()
        page.wait_for_selector("#plan-table")
        page.get_by_label("Metal level").select_option("Bronze")
        page.get_by_role("button", name="Show plans").click()
        page.wait_for_selector("#plan-count")
        metals = {
            page.locator("#plan-table tbody tr").nth(i).get_attribute("data-metal")
            for i in range(page.locator("#plan-table tbody tr").count())
        }
        assert metals == {"Bronze"}
        # the figures behind the chart, in a <details> element that opens without JavaScript
        page.get_by_text("Show the chart’s figures as a table").click()
        assert page.locator("#income-table").is_visible()
        assert page.locator("#income-table tbody tr").count() == 57
    finally:
        context.close()
