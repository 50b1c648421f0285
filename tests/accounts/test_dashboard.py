"""The dashboard at /my/: only the signed-in person's applications and enrollments, with the
statuses the database holds and the links to go on."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import NoReverseMatch, reverse

from apps.accounts import selectors
from tests.accounts.factories import make_application, make_enrollment

pytestmark = pytest.mark.django_db


def url_or_none(name: str, *args: object) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def test_the_dashboard_needs_sign_in(client: Client) -> None:
    response = client.get("/my/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/my/"
    assert reverse("accounts:dashboard") == "/my/"


def test_lists_only_the_signed_in_persons_applications_and_enrollments(
    client: Client, person: User, other_person: User
) -> None:
    draft = make_application(person, current_step="income")
    determined = make_application(person, "determined", coverage_year=2025)
    enrollment = make_enrollment(determined)
    theirs = make_application(other_person, "determined")
    their_enrollment = make_enrollment(
        theirs, plan_name="Someone Else Gold PPO", issuer_name="Other Insurer"
    )

    client.force_login(person)
    response = client.get("/my/")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    page = response.content.decode()
    assert f'id="application-{draft.public_id}"' in page
    assert f'id="application-{determined.public_id}"' in page
    assert f'id="enrollment-{enrollment.public_id}"' in page
    assert str(theirs.public_id) not in page
    assert str(their_enrollment.public_id) not in page
    assert theirs.confirmation_number is not None
    assert theirs.confirmation_number not in page
    assert "Someone Else Gold PPO" not in page
    assert "You are signed in as ana@example.org." in page

    # the other person sees theirs only
    client.force_login(other_person)
    page = client.get("/my/").content.decode()
    assert str(theirs.public_id) in page
    assert str(draft.public_id) not in page and str(enrollment.public_id) not in page

    # the selector itself
    mine = selectors.dashboard(person)
    assert [a.pk for a in mine.applications] == [determined.pk, draft.pk]  # newest first
    assert [e.pk for e in mine.enrollments] == [enrollment.pk]
    assert not mine.is_empty


def card(page: str, element_id: str) -> str:
    start = page.index(f'id="{element_id}"')
    return page[start : page.index("</li>", start)]


def test_statuses_come_from_the_database_with_the_right_links(client: Client, person: User) -> None:
    draft = make_application(person, current_step="income")
    submitted = make_application(person, "submitted")
    determined = make_application(person, "determined")
    enrollment = make_enrollment(determined)
    client.force_login(person)
    page = client.get("/my/").content.decode()

    draft_card = card(page, f"application-{draft.public_id}")
    assert 'data-status="draft"' in draft_card
    assert "Not sent yet (draft)" in draft_card
    assert "Last saved" in draft_card
    assert "Application for 2026 coverage" in draft_card
    step_url = url_or_none("applications:step", draft.public_id, "income")
    if step_url:
        assert f'href="{step_url}"' in draft_card
        assert "Continue your 2026 application" in draft_card

    submitted_card = card(page, f"application-{submitted.public_id}")
    assert "Sent: waiting for your results" in submitted_card
    assert f"<dd data-confirmation-number>{submitted.confirmation_number}</dd>" in submitted_card
    determined_card = card(page, f"application-{determined.public_id}")
    assert "Results ready" in determined_card
    assert f"<dd data-confirmation-number>{determined.confirmation_number}</dd>" in determined_card
    results_url = url_or_none("applications:results", determined.public_id)
    if results_url:
        assert f'href="{results_url}"' in determined_card
        assert "See the results of your 2026 application" in determined_card

    enrollment_card = card(page, f"enrollment-{enrollment.public_id}")
    assert "Harbor Silver HMO" in enrollment_card
    assert "Waiting for your first payment" in enrollment_card
    assert "$112.40 a month" in enrollment_card
    assert "Jan. 1, 2026" in enrollment_card
    detail_url = url_or_none("enrollment:detail", enrollment.public_id)
    if detail_url:
        assert f'href="{detail_url}"' in enrollment_card

    # A status changed in the database shows at once.
    type(draft).objects.filter(pk=draft.pk).update(status="submitted")
    page = client.get("/my/").content.decode()
    assert "Sent: waiting for your results" in card(page, f"application-{draft.public_id}")


def test_an_empty_dashboard_and_the_start_button(client: Client, person: User) -> None:
    client.force_login(person)
    page = client.get("/my/").content.decode()
    assert 'id="no-applications"' in page
    assert 'id="no-enrollments"' in page
    start = url_or_none("applications:start")
    if start:
        form = re.search(rf'<form method="post" action="{start}"[\s\S]*?</form>', page)
        assert form is not None
        assert "csrfmiddlewaretoken" in form.group(0)
        assert "Start a new application" in form.group(0)
    else:
        assert "Start a new application" not in page
    assert selectors.dashboard(person).is_empty


def test_the_dashboard_in_spanish(client: Client, person: User) -> None:
    determined = make_application(person, "determined")
    make_enrollment(determined)
    client.force_login(person)
    page = client.get("/my/", headers={"accept-language": "es"}).content.decode()
    assert '<html lang="es">' in page
    assert "Mis solicitudes e inscripciones" in page
    assert "Resultados listos" in page
    assert "Esperando su primer pago" in page
    assert "$112.40 al mes" in page
    assert "Mis solicitudes</a>" in page  # the header link
    assert "1 de enero de 2026" in page
