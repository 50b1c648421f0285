"""Accounts in a real browser: sign up, confirm the email, sign in, the dashboard, the language
switch, axe-core on each page in English and Spanish, a 375 px screen, and the session warning
(with Playwright's fake clock)."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from apps.accounts.middleware import MARKER_COOKIE
from tests.accounts.factories import PASSWORD, make_application, make_enrollment, make_person
from tests.browser.conftest import screenshot, serious_violations
from tests.jobs.runner import run_jobs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "rosa@example.org"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """Emails go through the job queue (tests/conftest.py) and are delivered by ``run_jobs``."""
    cache.clear()  # allauth's rate limits


def no_serious_violations(page: Any, where: str) -> None:
    violations = serious_violations(page)
    assert violations == [], f"{where}: {violations}"


def sign_in(page: Any, email: str) -> None:
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()


def test_sign_up_confirm_sign_in_dashboard_and_spanish(page: Any, live_server: Any) -> None:
    base = live_server.url
    page.goto(f"{base}/accounts/signup/")
    assert page.evaluate("document.documentElement.lang") == "en"
    no_serious_violations(page, "sign-up (en)")
    screenshot(page, "accounts-sign-up")

    # a mistake first: the error summary gets the focus and links to the field
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Type the password again").fill(PASSWORD + "x")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_selector("#error-summary")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.title().startswith("Error: ")
    no_serious_violations(page, "sign-up with an error (en)")

    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Type the password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    assert run_jobs() == 1  # the verification email, queued by the sign-up
    assert len(mail.outbox) == 1
    found = re.search(r"https?://\S+/accounts/confirm-email/\S+", str(mail.outbox[0].body))
    assert found is not None, mail.outbox[0].body

    page.goto(found.group(0))
    page.get_by_role("button", name="Confirm my email address").click()
    page.wait_for_load_state()
    if "/accounts/login/" in page.url:
        no_serious_violations(page, "sign-in (en)")
        screenshot(page, "accounts-sign-in")
        sign_in(page, EMAIL)
    page.wait_for_url(f"{base}/my/")

    # Some applications and an enrollment for the new account, then the dashboard.
    user = User.objects.get(email=EMAIL)
    make_application(user, current_step="income")
    make_enrollment(make_application(user, "determined"))
    page.reload()
    page.get_by_role("heading", name="My applications and enrollments").wait_for()
    assert page.locator("[data-status=draft]").count() == 1
    assert page.get_by_text("Results ready").is_visible()
    assert page.get_by_text("Harbor Silver HMO").first.is_visible()
    no_serious_violations(page, "dashboard (en)")
    screenshot(page, "accounts-dashboard")

    # Español: the same page comes back in Spanish
    page.get_by_role("button", name="Español").click()
    page.wait_for_url(f"{base}/my/")
    assert page.evaluate("document.documentElement.lang") == "es"
    page.get_by_role("heading", name="Mis solicitudes e inscripciones").wait_for()
    assert page.get_by_text("Resultados listos").is_visible()
    no_serious_violations(page, "dashboard (es)")
    page.set_viewport_size({"width": 375, "height": 812})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    no_serious_violations(page, "dashboard (es, 375 px)")
    screenshot(page, "accounts-dashboard-375px-es")
    page.set_viewport_size({"width": 1280, "height": 900})

    # sign out (in Spanish), then the sign-in and sign-up pages in Spanish
    page.get_by_role("button", name="Cerrar sesión").click()
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/accounts/login/")
    assert page.evaluate("document.documentElement.lang") == "es"
    page.get_by_role("heading", name="Iniciar sesión").wait_for()
    no_serious_violations(page, "sign-in (es)")
    page.goto(f"{base}/accounts/signup/")
    page.get_by_role("heading", name="Crear una cuenta").wait_for()
    no_serious_violations(page, "sign-up (es)")
    page.set_viewport_size({"width": 375, "height": 812})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "accounts-sign-up-375px-es")

    # back to English, signing in again from the sign-in page
    page.get_by_role("button", name="English").click()
    page.get_by_role("heading", name="Create an account").wait_for()
    page.goto(f"{base}/accounts/login/")
    no_serious_violations(page, "sign-in (en)")
    sign_in(page, EMAIL)
    page.wait_for_url(f"{base}/my/")


def test_session_warning_stay_signed_in_and_the_end(page: Any, live_server: Any) -> None:
    base = live_server.url
    make_person(EMAIL)
    page.clock.install()
    page.goto(f"{base}/accounts/login/?next=/my/")
    sign_in(page, EMAIL)
    page.wait_for_url(f"{base}/my/")
    dialog = page.locator("#session-warning")
    assert not dialog.is_visible()

    # 28 minutes later: the warning, with the focus on "Stay signed in"
    page.clock.fast_forward("28:01")
    dialog.wait_for(state="visible")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Stay signed in"
    assert re.fullmatch(r"1:5\d", dialog.locator("[role=timer]").inner_text())
    no_serious_violations(page, "session warning")
    screenshot(page, "accounts-session-warning", full_page=False)
    page.get_by_role("button", name="Stay signed in").click()
    dialog.wait_for(state="hidden")

    # Without an answer, at the end the page goes to the sign-in page, which says why.
    page.clock.fast_forward("28:01")
    dialog.wait_for(state="visible")
    Session.objects.update(expire_date=timezone.now())  # the server's session ends too
    page.context.add_cookies(
        [{"name": MARKER_COOKIE, "value": str(int(time.time()) - 1800), "url": base}]
    )
    page.clock.fast_forward("02:00")
    page.wait_for_url(re.compile(r"/accounts/login/\?next=/my/"))
    message = page.locator("#session-ended")
    assert "You were signed out after 30 minutes without activity" in message.inner_text()
    assert "Nothing you saved was lost" in message.inner_text()
    no_serious_violations(page, "sign-in after the session ended")
