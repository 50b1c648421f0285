"""Helpers of the portal journeys (tests/browser/test_portal_journeys.py): a person in a real browser
signs up, applies step by step through the real forms, signs and submits, reads the results,
downloads the notice, shops, compares and enrolls.

:class:`Walk` drives one journey in one language. Every page it lands on goes through
:meth:`Walk.looked_at`: axe-core (no serious or critical violations), the page's language, no
horizontal scroll at 375 px, and a screenshot under test-artifacts/screenshots/portal-*.png.

What to type comes from the households of tests/applications/factories.py: each step's answers are
turned into the form fields a browser posts (``post_data``) and typed or clicked one by one; the
expected figures come from the rules engine run on the submitted application's household JSON.
Controls are found by their names and ids, not their labels, so the same code walks the Spanish
pages.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from typing import Any

from django.core import mail

from apps.applications.models import Application
from apps.applications.services import CONFIRMATION_PATTERN, household_json
from apps.applications.steps import STEPS
from apps.eligibility.selectors import benchmark_source, parameters
from rules import Determination, determine, parse_household
from rules.determination import MemberResult, TaxHouseholdResult
from rules.reasons import money
from tests.accounts.factories import PASSWORD
from tests.applications.factories import Answers, post_data, signature_of
from tests.browser.conftest import ROOT, SCREENSHOTS, serious_violations
from tests.jobs.runner import run_jobs

YEAR = 2026
NARROW = 375
NOTICES = ROOT / "test-artifacts" / "notices"
#: Form fields a step may leave out of the page: the county is asked only when the ZIP code is in
#: more than one county.
MAY_BE_ABSENT = frozenset({"county"})

#: What the pages say, in each language (from the templates and the .po files).
TEXT: dict[str, dict[str, str]] = {
    "en": {
        "connectorcare": "ConnectorCare Plan Type {type}",
        "chip": "MassHealth Family Assistance (CHIP)",
        "medicaid": "MassHealth Standard",
        "medicaid_adult": "MassHealth CarePlus",
        "qhp_with_aptc": "A health plan with the premium tax credit",
        "qhp": "A health plan at full price",
        "csr": "({level}% cost-sharing reduction)",
        "cc_contribution": "The lowest-cost ConnectorCare plan costs {amount} a month.",
        "chip_premium": "CHIP premium: {amount} a month.",
        "credit": "Up to {amount} a month, paid straight to your insurance company",
        "a_month": "{amount} a month",
        "status": "Eligibility decided",
        "what_each": "What each person can get",
        "notice_title": "Your eligibility notice",
        "silver": "Silver",
        "coverage_start": "January 1, 2026",
        "using": "You are using {used} of your {max} monthly credit.",
    },
    "es": {
        "connectorcare": "ConnectorCare, tipo de plan {type}",
        "chip": "MassHealth Family Assistance (CHIP)",
        "medicaid": "MassHealth Standard",
        "medicaid_adult": "MassHealth CarePlus",
        "qhp_with_aptc": "Un plan de salud con el crédito tributario para la prima",
        "qhp": "Un plan de salud a precio completo",
        "csr": "(reducción de costos compartidos del {level}%)",
        "cc_contribution": "El plan ConnectorCare de menor costo cuesta {amount} al mes.",
        "chip_premium": "Prima de CHIP: {amount} al mes.",
        "credit": "Hasta {amount} al mes, que se pagan directamente a su compañía de seguros",
        "a_month": "{amount} al mes",
        "status": "Elegibilidad decidida",
        "what_each": "Lo que puede obtener cada persona",
        "notice_title": "Su aviso de elegibilidad",
        "silver": "Plata",
        "coverage_start": "1 de enero de 2026",
        "using": "Está usando {used} de su crédito mensual de {max}.",
    },
}


def program_text(member: MemberResult, language: str) -> str:
    """The program of a member in the words of the results page."""
    text = TEXT[language]
    program = str(member.program)
    if program == "connectorcare":
        return text["connectorcare"].format(type=member.connectorcare_plan_type)
    if program == "medicaid":
        return text["medicaid_adult" if member.medicaid_category == "adult" else "medicaid"]
    return text[program]


def engine_answer(application: Application) -> tuple[Determination, dict[str, str]]:
    """What the rules engine says for the submitted application (its household JSON as the submit
    builds it, the exchange's parameters and benchmark premiums), and each member's name."""
    household = household_json(application)
    answer = determine(parse_household(household), parameters(), benchmark_source())
    names = {m["id"]: m["name"] for m in household["members"]}
    return answer, names


def pdf_text(pdf: bytes, name: str, picture: Path | None = None) -> str:
    """The PDF's text (pdftotext -layout); the PDF is kept under test-artifacts/notices/ and its
    first page drawn at ``picture`` (pdftoppm), when given."""
    assert pdf.startswith(b"%PDF-"), pdf[:40]
    NOTICES.mkdir(parents=True, exist_ok=True)
    path = NOTICES / f"{name}.pdf"
    path.write_bytes(pdf)
    tool = shutil.which("pdftotext")
    assert tool is not None, "pdftotext (poppler-utils) is needed: `make test` installs it"
    draw = shutil.which("pdftoppm")
    if picture is not None and draw is not None:
        stem = str(picture.with_suffix(""))
        subprocess.run(
            [draw, "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(path), stem],
            check=True,
        )
    return subprocess.run(
        [tool, "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def squash(text: str) -> str:
    """Text with runs of white space as one space (what a person reads)."""
    return " ".join(text.split())


@dataclass
class Walk:
    """One person's journey through the portal in one language."""

    page: Any
    base: str
    name: str  # the household key, and the screenshots' prefix
    answers: Answers
    language: str = "en"
    email: str = ""
    pages: list[str] = field(default_factory=list)  # every page checked, in order
    application: Application | None = None
    shots: int = 0

    def __post_init__(self) -> None:
        if not self.email:
            self.email = f"{self.name.replace('_', '-')}-{self.language}@example.org"

    @property
    def text(self) -> dict[str, str]:
        return TEXT[self.language]

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    # --- every page ---------------------------------------------------------------------------

    def looked_at(self, where: str, *, full_page: bool = False) -> None:
        """Check the page as it is now: its language, axe-core, no horizontal scroll at 375 px;
        then save a screenshot."""
        page = self.page
        page.wait_for_load_state()
        assert page.evaluate("document.documentElement.lang") == self.language, where
        violations = serious_violations(page)
        assert violations == [], f"{self.name} ({self.language}), {where}: {violations}"
        size = page.viewport_size
        page.set_viewport_size({"width": NARROW, "height": 800})
        try:
            width = page.evaluate("document.scrollingElement.scrollWidth")
            assert width <= NARROW + 1, f"{where}: {width} px wide at {NARROW} px"
        finally:
            page.set_viewport_size(size)
        self.pages.append(where)
        self.snap(where, full_page=full_page)

    def snap(self, what: str, *, full_page: bool = False) -> None:
        """A screenshot of the page as it is now."""
        self.page.screenshot(path=str(self.shot_path(what)), full_page=full_page)

    def shot_path(self, what: str) -> Path:
        """test-artifacts/screenshots/portal-<household>[-<language>]-NN-<what>.png (numbered in
        the order of the journey)."""
        self.shots += 1
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        suffix = "" if self.language == "en" else f"-{self.language}"
        return SCREENSHOTS / f"portal-{self.name}{suffix}-{self.shots:02d}-{what}.png"

    def click_and_wait(self, locator: Any, url: str | re.Pattern[str]) -> None:
        locator.click()
        self.page.wait_for_url(url)

    # --- account --------------------------------------------------------------------------------

    def sign_up(self) -> None:
        """Create an account, follow the link in the email, sign in: the dashboard."""
        page = self.page
        page.goto(self.url("/accounts/signup/"))
        if self.language != "en":
            page.locator(f'button[name="language"][value="{self.language}"]').click()
            page.wait_for_function(f"document.documentElement.lang === '{self.language}'")
        self.looked_at("sign-up")
        form = page.locator("#signup-form")
        form.locator('[name="email"]').fill(self.email)
        form.locator('[name="password1"]').fill(PASSWORD)
        form.locator('[name="password2"]').fill(PASSWORD)
        form.locator('button[type="submit"]').click()
        page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))
        self.looked_at("check-your-email")
        run_jobs()  # the worker delivers the queued email
        sent = [m for m in mail.outbox if self.email in m.to]
        assert len(sent) == 1, [m.subject for m in mail.outbox]
        link = re.search(r"https?://\S+/accounts/confirm-email/\S+", str(sent[0].body))
        assert link is not None, sent[0].body
        page.goto(link.group(0))
        self.looked_at("confirm-email")
        page.locator('form[action*="/accounts/confirm-email/"] button[type="submit"]').click()
        page.wait_for_load_state()
        if "/accounts/login/" in page.url:
            self.looked_at("sign-in")
            self.sign_in()
        page.wait_for_url(self.url("/my/"))
        self.looked_at("dashboard-new")

    def sign_in(self) -> None:
        form = self.page.locator("#login-form")
        form.locator('[name="login"]').fill(self.email)
        form.locator('[name="password"]').fill(PASSWORD)
        form.locator('button[type="submit"]').click()

    # --- the application --------------------------------------------------------------------------

    def start(self) -> None:
        """Start an application from the dashboard's button, for the coverage year ``YEAR``.

        The dashboard's button posts no year, so the view starts one for the year people shop for
        today (from November 1, next year's). The start view takes ``coverage_year``; the test adds
        it to the dashboard's form, as a year choice would."""
        page = self.page
        form = page.locator('form[action$="/apply/start/"]')
        form.evaluate(
            """(f, year) => { const i = document.createElement('input');
                 i.type = 'hidden'; i.name = 'coverage_year'; i.value = year; f.appendChild(i); }""",
            str(YEAR),
        )
        form.locator('button[type="submit"]').click()
        page.wait_for_url(re.compile(r"/apply/[0-9a-f-]{36}/people/$"))
        public_id = page.url.rstrip("/").split("/")[-2]
        self.application = Application.objects.get(public_id=public_id)
        assert self.application.coverage_year == YEAR
        assert self.application.status == Application.Status.DRAFT

    def refresh(self) -> Application:
        assert self.application is not None
        self.application.refresh_from_db()
        return self.application

    def fields_of(self, step: str) -> dict[str, Any]:
        """The fields a browser posts for the household's answers on ``step``."""
        return post_data(step, self.answers[step], self.refresh())

    def fill(self, fields: dict[str, Any]) -> None:
        """Type, choose and tick ``fields`` in the step's form, as a person would."""
        page = self.page
        for name, value in fields.items():
            controls = page.locator(f'#step-form [name="{name}"]')
            if controls.count() == 0:
                assert name in MAY_BE_ABSENT or value in ("", []), f"no field {name} on the page"
                continue
            kind = controls.first.evaluate("e => e.tagName.toLowerCase() + ':' + (e.type || '')")
            if kind == "input:hidden":
                continue  # kept by the form itself (who is in the household, how many rows)
            if kind.startswith("select"):
                controls.select_option(str(value))
            elif kind in ("input:radio", "input:checkbox"):
                wanted = value if isinstance(value, list) else [value]
                for one in wanted:
                    box = (
                        controls if one == "on" else controls.and_(page.locator(f'[value="{one}"]'))
                    )
                    self.tick(box)
            else:
                controls.fill(str(value))

    def tick(self, box: Any) -> None:
        """Check a radio button or checkbox by clicking its label (USWDS hides the input)."""
        box_id = box.get_attribute("id")
        self.page.locator(f'label[for="{box_id}"]').click()
        assert box.is_checked(), box_id

    def continue_to(self, after: str) -> None:
        """Save and continue; wait for the next page (a step, or the review)."""
        assert self.application is not None
        self.click_and_wait(
            self.page.locator('.step-buttons button[value="continue"]'),
            re.compile(rf"/apply/{self.application.public_id}/{after}/$"),
        )

    def people_step(self) -> None:
        fields = self.fields_of("people")
        members = [m["id"] for m in self.answers["people"]["members"]]

        def of(mid: str) -> dict[str, Any]:
            return {k: v for k, v in fields.items() if k.startswith(f"{mid}-")}

        self.fill(of(members[0]))
        for count, mid in enumerate(members[1:], start=2):
            # "Add another person" sends the form and shows it again with one more person
            self.page.locator('#step-form button[name="action"][value="add"]').click()
            self.page.locator(f"#person-{mid}").wait_for()
            self.looked_at(f"step-1-people-{count}")
            self.fill(of(mid))
        self.fill({k: v for k, v in fields.items() if k.startswith("rel-")})

    def apply(self) -> None:
        """Every step, in order, through the real forms; each saved with "Save and continue"."""
        for position, step in enumerate(STEPS):
            after = STEPS[position + 1] if position + 1 < len(STEPS) else "review"
            self.looked_at(f"step-{position + 1}-{step}")
            if step == "people":
                self.people_step()
            else:
                self.fill(self.fields_of(step))
            self.snap(f"step-{position + 1}-{step}-answered")
            self.continue_to(after)
            stored = self.refresh().data.get(step)
            assert stored == self.answers[step], (step, stored)

    def review_and_submit(self) -> str:
        """Check the review page, attest, sign and submit; the confirmation number shown."""
        page = self.page
        self.looked_at("review", full_page=True)
        assert page.locator(".review-section .usa-alert--warning").count() == 0
        assert page.locator(".review-section").count() == len(STEPS)
        self.tick(page.locator("#id_attest"))
        page.locator("#id_signature").fill(signature_of(self.answers))
        page.locator("#sign-heading").evaluate("h => h.scrollIntoView()")
        self.snap("review-signed")
        self.click_and_wait(
            page.locator('#submit-form button[type="submit"]'), re.compile(r"/applications/")
        )
        app = self.refresh()
        assert app.status == Application.Status.DETERMINED
        assert app.confirmation_number and CONFIRMATION_PATTERN.fullmatch(app.confirmation_number)
        shown: str = page.locator("#confirmation-number").inner_text()
        assert shown == app.confirmation_number
        return shown

    # --- results --------------------------------------------------------------------------------

    def check_results(self) -> Determination:
        """The results page says what the rules engine says, person by person, and the credit."""
        page = self.page
        self.looked_at("results", full_page=True)
        self.snap("results-top")
        text = self.text
        assert page.locator("#application-status").inner_text() == text["status"]
        assert page.get_by_role("heading", name=text["what_each"]).is_visible()
        answer, names = engine_answer(self.refresh())
        shown_programs = page.locator("#outcomes [data-program]").evaluate_all(
            "spans => spans.map(s => s.dataset.program)"
        )
        assert shown_programs == [str(m.program) for m in answer.members]
        for m in answer.members:
            self._check_member(m, names[m.member_id])
        credits = [t for t in answer.tax_households if t.aptc_member_ids]
        if credits:
            for th in credits:
                self._check_credit(th)
        else:
            assert page.locator("#credit").count() == 0
        return answer

    def _check_member(self, m: MemberResult, name: str) -> None:
        block = self.page.locator(f"#result-{m.member_id}")
        label = program_text(m, self.language)
        assert squash(block.locator("h3").inner_text()) == f"{name}: {label}"
        body = squash(block.inner_text())
        if m.csr in ("73", "87", "94"):
            assert self.text["csr"].format(level=m.csr) in body, body
        if m.connectorcare_contribution is not None:
            amount = money(m.connectorcare_contribution)
            assert self.text["cc_contribution"].format(amount=amount) in body, body
        if m.chip_premium:
            assert self.text["chip_premium"].format(amount=money(m.chip_premium)) in body, body

    def _check_credit(self, th: TaxHouseholdResult) -> None:
        page = self.page
        credit = squash(page.locator("#credit + p").inner_text())
        assert self.text["credit"].format(amount=money(th.max_aptc_monthly)) in credit, credit
        cells = page.locator("#credit ~ table.figure-table td").all_inner_texts()
        a_month = self.text["a_month"]
        expected = [money(th.income), f"{th.fpl_percent}%", str(th.size)]
        if th.expected_contribution_monthly is not None:
            expected.append(a_month.format(amount=money(th.expected_contribution_monthly)))
        if th.benchmark_monthly is not None:
            expected.append(a_month.format(amount=money(th.benchmark_monthly)))
        assert [squash(c) for c in cells[: len(expected)]] == expected

    def download_notice(self, answer: Determination) -> str:
        """Download the eligibility notice from the results page: a PDF in the page's language with
        the confirmation number and the credit."""
        page = self.page
        app = self.refresh()
        link = page.locator('#main-content a[href$="/notice.pdf"]').first
        href = link.get_attribute("href")
        assert href == f"/applications/{app.public_id}/notice.pdf"
        # Chromium opens the PDF in its viewer: keep the bytes it receives on the way
        received: list[Any] = []

        def keep(route: Any) -> None:
            received.append(route.fetch())
            route.fulfill(response=received[-1])

        page.route(self.url(href), keep)
        link.click()
        page.wait_for_url(self.url(href))
        page.unroute(self.url(href))
        assert len(received) == 1
        response = received[0]
        assert response.status == 200
        assert response.headers["content-type"] == "application/pdf"
        assert response.headers["content-language"] == self.language
        pdf = response.body()
        page.go_back()
        page.wait_for_url(self.url(f"/applications/{app.public_id}/"))
        text = pdf_text(pdf, f"portal-{self.name}-{self.language}", self.shot_path("notice"))
        flat = squash(text)
        assert app.confirmation_number and app.confirmation_number in flat
        assert self.text["notice_title"] in flat
        for th in answer.tax_households:
            if th.aptc_member_ids:
                assert money(th.max_aptc_monthly) in flat
        return text

    # --- shop and enroll ------------------------------------------------------------------------

    def shop_compare_enroll(self, answer: Determination) -> dict[str, str]:
        """From the results: the shop; filter to silver plans; compare two; use less than the whole
        credit (the prices go up); choose one of the compared plans; enroll. The confirmation."""
        page = self.page
        app = self.refresh()
        shop_path = f"/applications/{app.public_id}/shop/"
        self.click_and_wait(page.locator("#shop-link"), re.compile(re.escape(shop_path)))
        self.looked_at("shop")
        total = page.locator("#plan-table tbody tr").count()
        assert total > 1
        aptc_max = sum(
            (t.max_aptc_monthly for t in answer.tax_households if t.aptc_member_ids), Decimal(0)
        )
        summary = squash(page.locator("#help-heading + ul").inner_text())
        if aptc_max:
            assert money(aptc_max) in summary, summary
        else:
            assert page.locator("#credit").count() == 0  # nothing to choose

        # filter: silver plans only
        page.locator("#id_metal").select_option("Silver")
        page.locator('#filters button[type="submit"]').click()
        page.wait_for_url(re.compile(r"metal=Silver"))
        rows = page.locator("#plan-table tbody tr")
        silver = rows.count()
        assert 1 < silver < total
        for row_text in rows.locator("th").all_inner_texts():
            assert self.text["silver"] in row_text, row_text
        self.looked_at("shop-silver")

        # compare the two cheapest silver plans
        ids = rows.evaluate_all("rs => rs.slice(0, 2).map(r => r.dataset.planId)")
        for plan_id in ids:
            self.tick(page.locator(f'#plan-table input[name="compare"][value="{plan_id}"]'))
        page.locator('#plans button[formaction$="#comparison"]').first.click()
        page.locator("#comparison-table").wait_for()
        compared = page.locator("#comparison-table thead th[data-plan-id]").evaluate_all(
            "ths => ths.map(th => th.dataset.planId)"
        )
        assert compared == ids
        self.looked_at("compare")
        full_price = self.prices()

        applied = aptc_max
        if aptc_max:
            # use less of the credit: the prices go up by at most the credit not used
            applied = (aptc_max / 2).quantize(Decimal("1"), rounding=ROUND_DOWN)
            page.locator("#id_aptc").fill(f"{applied}")
            page.locator('#credit button[type="submit"]').click()
            page.wait_for_url(re.compile(rf"aptc={applied}"))
            message = squash(page.locator("#credit-change").inner_text())
            used = self.text["using"].format(used=money(applied), max=money(aptc_max))
            assert used in message, message
            partial = self.prices()
            assert partial.keys() == full_price.keys()
            changes = {p: partial[p] - full_price[p] for p in partial}
            assert all(Decimal(0) <= c <= aptc_max - applied for c in changes.values()), changes
            assert any(c > 0 for c in changes.values()), changes
            assert page.locator(".plan-change").count() > 0
            compared_now = page.locator("#comparison-table thead th[data-plan-id]")
            assert compared_now.count() == 2  # the comparison is kept
            self.looked_at("shop-less-credit")
            page.locator("#credit").evaluate("s => s.scrollIntoView()")
            self.snap("shop-credit")

        # choose the first compared plan: the review of the choice, then enroll
        chosen = ids[0]
        page.locator(f'#comparison-table button[name="choose"][value="{chosen}"]').click()
        page.locator("#review").wait_for()
        assert squash(page.locator("#review-start").inner_text()) == self.text["coverage_start"]
        review_pays = page.locator("#review-pays").inner_text()
        review_aptc = page.locator("#review-aptc").inner_text()
        assert Decimal(re.sub(r"[$,]", "", review_pays)) == self.prices()[chosen]
        assert review_aptc == money(applied)
        self.looked_at("shop-review-choice")
        page.locator('#enroll-form button[type="submit"]').click()
        page.wait_for_url(re.compile(r"/enrollments/[0-9a-f-]{36}/$"))
        self.looked_at("enrolled", full_page=True)
        shown = {
            key: squash(page.locator(f"#{key}").inner_text())
            for key in ("plan", "members", "premium", "aptc", "state-subsidy", "net-premium")
        }
        shown["coverage-start"] = squash(page.locator("#coverage-start").inner_text())
        assert shown["coverage-start"] == self.text["coverage_start"]
        assert shown["net-premium"] == review_pays
        assert shown["aptc"] == review_aptc
        # what the person pays is the full premium less the credit and the state subsidy
        amounts = {
            k: Decimal(re.sub(r"[$,]", "", shown[k]))
            for k in ("premium", "aptc", "state-subsidy", "net-premium")
        }
        assert amounts["net-premium"] == (
            amounts["premium"] - amounts["aptc"] - amounts["state-subsidy"]
        )
        assert amounts["aptc"] == applied
        return shown

    def prices(self) -> dict[str, Decimal]:
        """What the person pays a month for each plan listed."""
        rows = self.page.locator("#plan-table tbody tr").evaluate_all(
            "rs => rs.map(r => [r.dataset.planId, r.dataset.price])"
        )
        return {plan_id: Decimal(price) for plan_id, price in rows}

    def dashboard(self, enrolled_plan: str | None) -> None:
        """Back to "My applications and enrollments" (the page's link): the determined application
        and the enrollment."""
        page = self.page
        self.click_and_wait(page.locator('#main-content a[href="/my/"]').last, self.url("/my/"))
        app = self.refresh()
        card = page.locator(f"#application-{app.public_id}")
        assert card.get_attribute("data-status") == "determined"
        assert card.locator("[data-confirmation-number]").inner_text() == app.confirmation_number
        enrollments = page.locator("#enrollments [data-status]")
        if enrolled_plan is None:
            assert enrollments.count() == 0
            assert page.locator("#no-enrollments").is_visible()
        else:
            assert enrollments.count() == 1
            assert enrollments.first.get_attribute("data-status") == "pending_payment"
            assert enrolled_plan.startswith(enrollments.first.locator("h3").inner_text())
        self.looked_at("dashboard", full_page=True)
