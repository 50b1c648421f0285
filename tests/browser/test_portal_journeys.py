"""The consumer portal in a real browser (Debian's headless Chromium, driven by Playwright): a
person signs up, confirms the email, applies for 2026 through every step's form, signs and submits,
reads the results, downloads the notice, and, when someone can buy a plan, filters, compares, uses
less than the whole tax credit, and enrolls; the dashboard shows it all.

- One journey per household of tests/applications/factories.py: (a) ``family_180`` (children on
  CHIP, parents ConnectorCare 2B), (b) ``single_220`` (credit and 73% CSR), (c)
  ``couple_above_400`` (no credit in 2026), (d) ``employer_employee_only`` (the job's offer is
  affordable for the employee only), (e) ``masshealth_120`` (everyone MassHealth). The figures on
  the results page equal the rules engine's for the submitted household.
- Journey (a) again in Spanish.
- Robustness: a step save that fails (the error shown, what was typed kept, nothing lost), a submit
  that fails, a double click on "Sign and submit", a refresh of the results, and the same submit
  sent twice (a retry after a lost response): one application, one confirmation number.
- In household (d) the spouse told she gets ConnectorCare gets it in the shop (her own enrollment
  group, apart from the employee at full price).
- Every page visited is checked with axe-core (no serious or critical violations), at 375 px
  (no horizontal scroll), and saved as test-artifacts/screenshots/portal-*.png.

The enrollment services read the date through ``apps.enrollment.services.current_date()``: it is
December 10, 2025 here (2026's open enrollment), so coverage starts on January 1, 2026.
"""

from __future__ import annotations

import copy
import datetime as dt
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import DatabaseError

from apps.applications import services as application_services
from apps.applications.models import Application, StatusChange
from apps.applications.steps import STEPS
from apps.eligibility import services as eligibility_services
from apps.eligibility.models import EligibilityDetermination
from apps.enrollment import services as enrollment_services
from apps.enrollment.models import Enrollment
from tests.accounts.factories import make_person
from tests.applications.factories import HOUSEHOLDS, make_application, signature_of
from tests.browser.journey import Walk, squash
from tests.jobs.runner import run_jobs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OPEN_ENROLLMENT_DAY = dt.date(2025, 12, 10)

#: What each household should get (the issue's cases), beside "what the engine says".
EXPECTED: dict[str, dict[str, tuple[str, str | None]]] = {
    "family_180": {
        "m1": ("connectorcare", "2B"),
        "m2": ("connectorcare", "2B"),
        "m3": ("chip", None),
        "m4": ("chip", None),
    },
    "single_220": {"m1": ("connectorcare", "3A")},
    "couple_above_400": {"m1": ("qhp", None), "m2": ("qhp", None)},
    "employer_employee_only": {
        "m1": ("qhp", None),
        "m2": ("connectorcare", "3A"),
        "m3": ("chip", None),
    },
    "masshealth_120": {
        "m1": ("medicaid", None),
        "m2": ("medicaid", None),
        "m3": ("medicaid", None),
    },
}


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """Emails go through the job queue (tests/conftest.py) and are delivered by ``run_jobs``."""
    cache.clear()  # allauth's rate limits


@pytest.fixture(autouse=True)
def _open_enrollment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shop and the enrollment run on December 10, 2025: coverage starts January 1, 2026."""
    monkeypatch.setattr(enrollment_services, "current_date", lambda: OPEN_ENROLLMENT_DAY)


@pytest.fixture
def tab(browser: Any) -> Iterator[Any]:
    """A tab 1000 px wide (the screenshots are used in docs/portal.md)."""
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def check_expected(walk: Walk, key: str) -> None:
    """The household gets what the issue says it should (besides matching the engine)."""
    determination = EligibilityDetermination.objects.get(application=walk.refresh())
    members = determination.result["members"]
    got = {m["id"]: (m["program"], m["connectorcare_plan_type"]) for m in members}
    assert got == EXPECTED[key]
    if key == "single_220":
        assert members[0]["csr"] == "73" and members[0]["aptc_eligible"]
    credit = sum(
        Decimal(str(t["max_aptc_monthly"])) for t in determination.result["tax_households"]
    )
    assert (credit > 0) == (key not in ("couple_above_400", "masshealth_120"))


def walk_through(walk: Walk, key: str) -> str:
    """Sign up, apply, submit, results, notice; shop, compare and enroll when someone can buy a
    plan (MassHealth's next steps otherwise); the dashboard. The notice's text."""
    walk.sign_up()
    walk.start()
    walk.apply()
    walk.review_and_submit()
    answer = walk.check_results()
    check_expected(walk, key)
    notice = walk.download_notice(answer)
    page = walk.page
    if key == "masshealth_120":
        assert page.locator("#next-masshealth").is_visible()
        assert page.locator("#next-marketplace").count() == 0
        assert page.locator("#shop-link").count() == 0
        # the shop's address, typed: nobody to buy a plan for
        results_url = page.url
        page.goto(walk.url(f"/applications/{walk.refresh().public_id}/shop/"))
        assert page.locator("#no-buyers").is_visible()
        assert page.locator("#plan-table").count() == 0
        walk.looked_at("shop-nobody")
        page.goto(results_url)
        walk.dashboard(None)
        assert Enrollment.objects.count() == 0
    else:
        assert page.locator("#next-marketplace").is_visible()
        shown = walk.shop_compare_enroll(answer)
        walk.dashboard(shown["plan"])
        enrollment = Enrollment.objects.get()
        assert enrollment.application == walk.refresh()
        assert enrollment.coverage_start == dt.date(2026, 1, 1)
    assert Application.objects.count() == 1
    return notice


@pytest.mark.parametrize("key", list(HOUSEHOLDS))
def test_journey(key: str, tab: Any, live_server: Any, catalog: None) -> None:
    walk = Walk(tab, live_server.url, key, HOUSEHOLDS[key]())
    walk_through(walk, key)
    pages = set(walk.pages)
    assert {f"step-{n}-{step}" for n, step in enumerate(STEPS, start=1)} <= pages
    assert {"sign-up", "confirm-email", "review", "results", "dashboard"} <= pages


def test_family_journey_in_spanish(tab: Any, live_server: Any, catalog: None) -> None:
    """Journey (a) in Spanish, chosen on the sign-up page: every page, the results, the notice and
    the enrollment in Spanish."""
    walk = Walk(tab, live_server.url, "family_180", HOUSEHOLDS["family_180"](), language="es")
    notice = squash(walk_through(walk, "family_180"))
    app = walk.refresh()
    assert app.language == "es"
    for spanish in (
        "Su aviso de elegibilidad",
        "Sus resultados",
        "Ana Silva puede recibir el crédito tributario para la prima",
        "califica para MassHealth Family Assistance (CHIP)",
    ):
        assert spanish in notice, spanish
    # the explanations are the engine's Spanish sentences, not the English ones with a note
    assert "se muestran en inglés" not in notice

    page = walk.page
    page.goto(walk.url(f"/applications/{app.public_id}/"))
    body = squash(page.locator("#main-content").inner_text())
    for spanish in (
        "Su solicitud de cobertura para 2026",
        "Lo que puede obtener cada persona",
        "Qué sucede ahora",
        "Elija un plan de salud",
        "ConnectorCare, tipo de plan 2B",
    ):
        assert spanish in body, spanish
    page.set_viewport_size({"width": 375, "height": 800})
    walk.looked_at("results-375px")


def fail_once(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> None:
    """The next call of ``module.name`` (in the live server's thread) raises a DatabaseError;
    the call after that works again."""
    real = getattr(module, name)

    def failing(*args: Any, **kwargs: Any) -> Any:
        monkeypatch.setattr(module, name, real)
        raise DatabaseError("forced failure for the test")

    monkeypatch.setattr(module, name, failing)


def test_failed_saves_double_submit_refresh_and_retry(
    tab: Any, live_server: Any, catalog: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A step save that fails shows the error and keeps what was typed, and nothing stored is
    lost; a submit that fails leaves the draft as it was; a double click on "Sign and submit", a
    refresh of the results and the same submit sent again give one application with one
    confirmation number."""
    answers = HOUSEHOLDS["single_220"]()
    walk = Walk(tab, live_server.url, "robustness", answers)
    user = make_person(walk.email)
    page = walk.page
    page.goto(walk.url("/accounts/login/?next=/my/"))
    walk.sign_in()
    page.wait_for_url(walk.url("/my/"))
    walk.start()
    app = walk.refresh()

    # 1. The first save of the people step fails: the error, the typed values, nothing stored.
    walk.looked_at("step-1-people")
    people = walk.fields_of("people")
    walk.fill(people)
    fail_once(monkeypatch, application_services, "save_step")
    people_url = page.url
    page.locator('.step-buttons button[value="continue"]').click()
    page.locator("#save-error").wait_for()
    assert page.url == people_url
    assert page.title().startswith("Error:")
    assert "What you typed is still on this page." in page.locator("#save-error").inner_text()
    assert_typed(page, people)
    app = walk.refresh()
    assert app.data == {} and app.version == 0
    walk.looked_at("save-failed")

    # ... and Continue saves it.
    walk.continue_to("tax")
    assert walk.refresh().data["people"] == answers["people"]
    for step, after in (
        ("tax", "address"),
        ("address", "immigration"),
        ("immigration", "circumstances"),
        ("circumstances", "income"),
        ("income", "coverage"),
    ):
        walk.fill(walk.fields_of(step))
        walk.continue_to(after)

    # 2. Back on the income step, a changed amount whose save fails: the stored answer is kept.
    before = walk.refresh()
    stored, version = copy.deepcopy(before.data), before.version
    page.goto(walk.url(f"/apply/{app.public_id}/income/"))
    page.locator('[name="m1-income-0-amount"]').fill("36000")
    fail_once(monkeypatch, application_services, "save_step")
    page.locator('.step-buttons button[value="continue"]').click()
    page.locator("#save-error").wait_for()
    assert page.locator('[name="m1-income-0-amount"]').input_value() == "36000"
    after_failure = walk.refresh()
    assert after_failure.data == stored and after_failure.version == version
    assert stored["income"]["members"]["m1"]["incomes"][0]["amount"] == "34500"
    walk.continue_to("coverage")
    saved = walk.refresh()
    assert saved.data["income"]["members"]["m1"]["incomes"][0]["amount"] == "36000"
    assert saved.version == version + 1
    walk.fill(walk.fields_of("coverage"))
    walk.continue_to("review")

    # 3. The submit fails (the engine's result cannot be stored): still a draft, nothing sent.
    walk.looked_at("review")
    walk.tick(page.locator("#id_attest"))
    page.locator("#id_signature").fill(signature_of(answers))
    form = page.locator("#submit-form")
    key = form.locator('[name="idempotency_key"]').input_value()
    fail_once(monkeypatch, eligibility_services, "determine_and_store")
    form.locator('button[type="submit"]').click()
    page.locator("#submit-problem").wait_for()
    draft = walk.refresh()
    assert draft.status == Application.Status.DRAFT
    assert draft.confirmation_number is None and not draft.submit_key
    assert EligibilityDetermination.objects.count() == 0
    assert StatusChange.objects.filter(application=draft).count() == 1
    assert page.locator("#id_attest").is_checked()
    assert page.locator("#id_signature").input_value() == signature_of(answers)
    assert page.locator('#submit-form [name="idempotency_key"]').input_value() == key
    walk.looked_at("submit-failed")

    # 4. Sign and submit again, and the request reaches the server twice (a double click that
    #    sends both, or the browser's retry after the first response was lost: Chromium itself
    #    sends one request on a double click). The second gets the stored result.
    fields = form.evaluate("f => Object.fromEntries(new FormData(f))")
    submit_path = f"/apply/{app.public_id}/submit/"
    results_path = f"/applications/{app.public_id}/"
    replies: list[tuple[int, str]] = []

    def twice(route: Any) -> None:
        for _attempt in range(2):
            reply = route.fetch(max_redirects=0)
            replies.append((reply.status, reply.headers.get("location", "")))
        route.fulfill(response=reply)

    page.route(f"**{submit_path}", twice)
    form.locator('button[type="submit"]').dblclick()
    page.wait_for_url(walk.url(results_path))
    page.unroute(f"**{submit_path}")
    # two requests for each one the browser sent (Chromium sends one on a double click)
    assert len(replies) in (2, 4) and set(replies) == {(302, results_path)}
    number = page.locator("#confirmation-number").inner_text()
    submitted = walk.refresh()
    assert submitted.status == Application.Status.DETERMINED
    assert number == submitted.confirmation_number
    assert_one_submit(user, submitted)

    # 5. A refresh of the results: the same application and number.
    page.reload()
    assert page.locator("#confirmation-number").inner_text() == number
    assert_one_submit(user, submitted)
    walk.looked_at("results")

    # 6. The same form sent once more later (the browser's session, the same key): the stored
    #    result, not a new submit.
    response = page.request.post(walk.url(submit_path), form=fields)
    assert response.ok and response.url == walk.url(results_path)
    assert f">{number}<" in response.text()
    assert_one_submit(user, submitted)

    # 7. Going back to the review: the answers, no form, the confirmation number.
    page.goto(walk.url(f"/apply/{app.public_id}/review/"))
    assert page.locator("#submit-form").count() == 0
    assert number in page.locator("#main-content").inner_text()
    walk.looked_at("review-after-submit")


def assert_typed(page: Any, fields: dict[str, Any]) -> None:
    """The form shows ``fields`` as they were typed and chosen."""
    for name, value in fields.items():
        controls = page.locator(f'#step-form [name="{name}"]')
        kind = controls.first.evaluate("e => e.type")
        if kind == "hidden":
            continue
        if kind == "radio":
            checked = controls.and_(page.locator(":checked"))
            assert checked.get_attribute("value") == value, name
        else:
            assert controls.input_value() == value, name


def assert_one_submit(user: Any, application: Application) -> None:
    """One application, submitted once: one determination, one of each status change, one
    confirmation email."""
    assert Application.objects.filter(owner=user).count() == 1
    assert EligibilityDetermination.objects.filter(application=application).count() == 1
    changes = list(
        StatusChange.objects.filter(application=application)
        .order_by("pk")
        .values_list("old_status", "new_status")
    )
    assert changes == [("", "draft"), ("draft", "submitted"), ("submitted", "determined")]
    number = str(application.confirmation_number)
    run_jobs()  # the confirmation email is a job (queued once by the submit)
    sent = [m for m in mail.outbox if number in str(m.body)]
    assert len(sent) == 1, [m.subject for m in mail.outbox]


def test_the_connectorcare_spouse_of_an_employee_can_get_connectorcare(
    tab: Any, live_server: Any, catalog: None
) -> None:
    """Household (d): the employee (a plan at full price) and the spouse (ConnectorCare 3A) should
    each be able to get what the results page told them."""
    answers = HOUSEHOLDS["employer_employee_only"]()
    walk = Walk(tab, live_server.url, "employer-connectorcare", answers)
    user = make_person(walk.email)
    application = make_application(user, answers)
    application_services.submit(
        application, user, uuid.uuid4().hex, signature_of(answers), language="en"
    )
    page = walk.page
    page.goto(walk.url(f"/accounts/login/?next=/applications/{application.public_id}/"))
    walk.sign_in()
    page.wait_for_url(walk.url(f"/applications/{application.public_id}/"))
    assert "Marta Ortiz: ConnectorCare Plan Type 3A" in squash(
        page.locator("#result-m2 h3").inner_text()
    )
    page.locator("#shop-link").click()
    page.locator("#plan-table").wait_for()
    connectorcare_plans = page.locator("#plan-table tbody tr", has_text="ConnectorCare 3A")
    assert connectorcare_plans.count() > 0 or page.locator("#summary-connectorcare").count() > 0
