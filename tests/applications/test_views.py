"""The application's pages through Django's test client: sign-in, ownership (404), each step's
Continue / Back / Add, errors with the typed input kept, review, submit and results."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.db import DatabaseError
from django.test import Client

from apps.applications import services
from apps.applications.models import Application
from apps.applications.steps import STEPS
from apps.eligibility.models import EligibilityDetermination
from tests.applications import factories as f

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    return html.unescape(str(response.content.decode()))


def step_url(app: Application, step: str) -> str:
    return f"/apply/{app.public_id}/{step}/"


def post_step(client: Client, app: Application, step: str, answers: Any, **extra: str) -> Any:
    app.refresh_from_db()
    data = f.post_data(step, answers, app)
    data.setdefault("action", "continue")
    data.update(extra)
    return client.post(step_url(app, step), data)


def review_key(client: Client, app: Application) -> str:
    page = text(client.get(f"/apply/{app.public_id}/review/"))
    found = re.search(r'name="idempotency_key" value="([^"]+)"', page)
    assert found
    return found.group(1)


def all_urls(app: Application) -> list[tuple[str, str]]:
    base = f"/apply/{app.public_id}/"
    return [
        ("get", base),
        *[("get", f"{base}{s}/") for s in STEPS],
        *[("post", f"{base}{s}/") for s in STEPS],
        ("get", f"{base}review/"),
        ("post", f"{base}submit/"),
        ("get", f"/applications/{app.public_id}/"),
    ]


# --- access -----------------------------------------------------------------------------------------


def test_every_page_needs_sign_in(client: Client, user: Any) -> None:
    app = f.make_application(user, f.single_220())
    for method, url in [*all_urls(app), ("post", "/apply/start/")]:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


@pytest.mark.parametrize("submitted", [False, True])
def test_another_person_gets_404_everywhere(
    client: Client, user: Any, other_user: Any, submitted: bool
) -> None:
    answers = f.single_220()
    app = f.make_application(user, answers)
    if submitted:
        services.submit(app, user, "key-1", f.signature_of(answers))
    before = Application.objects.get(pk=app.pk)
    client.force_login(other_user)
    for method, url in all_urls(app):
        data = {"action": "continue", "m1-first_name": "Eve", "idempotency_key": "x"}
        response = client.post(url, data) if method == "post" else client.get(url)
        assert response.status_code == 404, (method, url)
    after = Application.objects.get(pk=app.pk)
    assert (after.data, after.version, after.status) == (before.data, before.version, before.status)


def test_unknown_application_or_step_is_404(signed_in: Client, user: Any) -> None:
    app = f.make_application(user, f.single_220(), steps=())
    assert signed_in.get("/apply/00000000-0000-4000-8000-000000000000/people/").status_code == 404
    assert signed_in.get(step_url(app, "nonsense")).status_code == 404


# --- start and resume -------------------------------------------------------------------------------


def test_start_then_resume_where_left(signed_in: Client, user: Any) -> None:
    response = signed_in.post("/apply/start/", {"coverage_year": "2026"})
    app = Application.objects.get(owner=user)
    assert response["Location"] == step_url(app, "people")
    assert signed_in.get("/apply/start/").status_code == 405
    answers = f.family_180()
    assert post_step(signed_in, app, "people", answers["people"]).status_code == 302
    assert post_step(signed_in, app, "tax", answers["tax"])["Location"] == step_url(app, "address")
    assert signed_in.get(f"/apply/{app.public_id}/")["Location"] == step_url(app, "address")


def test_start_for_a_year_without_rules(signed_in: Client) -> None:
    response = signed_in.post("/apply/start/", {"coverage_year": "2019"})
    assert response.status_code == 400
    assert "Applications for 2019 are not open" in text(response)


def test_steps_after_people_wait_for_the_people(signed_in: Client, user: Any) -> None:
    app = f.make_application(user, steps=())
    assert signed_in.get(step_url(app, "income"))["Location"] == step_url(app, "people")


# --- the people step --------------------------------------------------------------------------------


def test_people_page_has_the_step_indicator_and_labels(signed_in: Client, user: Any) -> None:
    app = f.make_application(user, steps=())
    page = text(signed_in.get(step_url(app, "people")))
    assert "usa-step-indicator" in page
    assert 'aria-current="step"' in page
    assert '<label class="usa-label" for="id_m1-first_name">First name</label>' in page
    assert "Add another person" in page
    assert "<h1" in page and "People in your household" in page


def test_add_another_person_without_javascript(signed_in: Client, user: Any) -> None:
    app = f.make_application(user, steps=())
    response = signed_in.post(
        step_url(app, "people"),
        {"action": "add", "member_ids": "m1", "m1-first_name": "Ana", "m1-last_name": "Silva"},
    )
    page = text(response)
    assert response.status_code == 200
    assert 'name="m2-first_name"' in page
    assert 'value="Ana"' in page
    assert "There is a problem" not in page and "usa-error-message" not in page
    assert "Person 2 is your…" in page  # the new relationship question
    app.refresh_from_db()
    assert app.data == {}  # nothing saved yet


def test_remove_a_person_and_empty_blocks_are_dropped(signed_in: Client, user: Any) -> None:
    app = f.make_application(user, steps=())
    answers = f.single_220()["people"]
    data = f.post_data("people", answers, app)
    data.update({"member_ids": "m1,m2,m3", "last_id": "3", "m2-first_name": "Bo"})
    response = signed_in.post(step_url(app, "people"), {**data, "action": "remove-m2"})
    page = text(response)
    assert 'name="m2-first_name"' not in page and 'name="m3-first_name"' in page
    # m3 left empty: Continue saves the one person.
    data["member_ids"] = "m1,m3"
    response = signed_in.post(step_url(app, "people"), {**data, "action": "continue"})
    assert response.status_code == 302
    app.refresh_from_db()
    assert [m["id"] for m in app.data["people"]["members"]] == ["m1"]


def test_errors_are_summarised_linked_and_keep_the_input(signed_in: Client, user: Any) -> None:
    app = f.make_application(user, steps=())
    response = signed_in.post(
        step_url(app, "people"),
        {
            "action": "continue",
            "member_ids": "m1",
            "m1-first_name": "Ana",
            "m1-date_of_birth": "13/45/1990",
        },
    )
    page = text(response)
    assert response.status_code == 200
    assert "<title>Error:" in page
    assert 'id="error-summary"' in page
    assert '<a class="usa-link" href="#id_m1-last_name">Enter your last name</a>' in page
    assert 'href="#id_m1-sex_0"' in page
    assert 'id="id_m1-date_of_birth_error"' in page
    assert 'aria-describedby="id_m1-date_of_birth_helptext id_m1-date_of_birth_error"' in page
    assert 'aria-invalid="true"' in page
    assert 'value="Ana"' in page and 'value="13/45/1990"' in page
    app.refresh_from_db()
    assert app.data == {} and app.version == 0


def test_a_failed_save_keeps_the_typed_input_and_says_so(
    signed_in: Client, user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = f.family_180()
    app = f.make_application(user, answers, steps=("people",))

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise DatabaseError("database is locked")

    monkeypatch.setattr(services, "save_step", broken)
    changed = f.family_180()["tax"]
    response = post_step(signed_in, app, "tax", changed, **{"m4-claimed_by": "m2"})
    page = text(response)
    assert response.status_code == 200
    assert "Your answers were not saved" in page
    assert "We could not save your answers. Please try again." in page
    assert re.search(r'<option value="m2" selected>Yes, Ben Silva will</option>', page)
    app.refresh_from_db()
    assert "tax" not in app.data and app.version == 1


# --- continue and back ------------------------------------------------------------------------------


def test_back_saves_what_was_typed(signed_in: Client, user: Any) -> None:
    answers = f.family_180()
    app = f.make_application(user, answers, steps=("people", "tax", "address"))
    changed = dict(answers["address"])
    changed["home"] = dict(changed["home"], street="9 Elm Street")
    response = post_step(signed_in, app, "address", changed, action="back")
    assert response["Location"] == step_url(app, "tax")
    app.refresh_from_db()
    assert app.data["address"]["home"]["street"] == "9 Elm Street"
    assert app.current_step == "immigration"
    page = text(signed_in.get(step_url(app, "address")))
    assert 'value="9 Elm Street"' in page


def test_back_with_a_mistake_keeps_the_page_and_offers_to_leave(
    signed_in: Client, user: Any
) -> None:
    answers = f.family_180()
    app = f.make_application(user, answers, steps=("people", "tax", "address"))
    changed = dict(answers["address"])
    changed["home"] = dict(changed["home"], zip="99999")
    response = post_step(signed_in, app, "address", changed, action="back")
    page = text(response)
    assert response.status_code == 200
    assert "We could not find ZIP code 99999" in page
    assert f'href="{step_url(app, "tax")}">go back without saving' in page
    app.refresh_from_db()
    assert app.data["address"]["home"]["zip"] == "02118"


def test_back_from_an_untouched_empty_step_just_goes_back(signed_in: Client, user: Any) -> None:
    app = f.make_application(user, f.family_180(), steps=("people",))
    response = signed_in.post(step_url(app, "tax"), {"action": "back"})
    assert response["Location"] == step_url(app, "people")


def test_continue_through_every_step_to_review(signed_in: Client, user: Any) -> None:
    answers = f.family_180()
    app = f.make_application(user, steps=())
    for i, step in enumerate(STEPS):
        page = signed_in.get(step_url(app, step))
        assert page.status_code == 200, step
        response = post_step(signed_in, app, step, answers[step])
        following = STEPS[i + 1] if i + 1 < len(STEPS) else None
        expected = step_url(app, following) if following else f"/apply/{app.public_id}/review/"
        assert response.status_code == 302, (step, text(response)[-2000:])
        assert response["Location"] == expected
    app.refresh_from_db()
    assert {s: app.data[s] for s in STEPS} == answers
    assert app.current_step == "review"


def test_two_county_zip_asks_for_the_county(signed_in: Client, user: Any) -> None:
    app = f.make_application(user, f.family_180(), steps=("people",))
    data = f.post_data("address", f.BOSTON, app)
    data.update({"zip": "01434", "county": "", "action": "continue"})
    page = text(signed_in.post(step_url(app, "address"), data))
    assert "Choose your county: ZIP code 01434 is in Middlesex County and Worcester County" in page
    assert 'name="county" value="25017"' in page and 'href="#id_county_0"' in page
    data["county"] = "25017"
    assert signed_in.post(step_url(app, "address"), data).status_code == 302


def test_income_add_another_row(signed_in: Client, user: Any) -> None:
    app = f.make_application(user, f.family_180(), steps=("people",))
    data = f.post_data("income", f.family_180()["income"], app)
    data["action"] = "add-income-m1"
    page = text(signed_in.post(step_url(app, "income"), data))
    assert 'name="m1-income-1-amount"' in page and 'value="58000"' in page
    assert "usa-error-message" not in page


def test_change_from_review_returns_to_review(signed_in: Client, user: Any) -> None:
    answers = f.family_180()
    app = f.make_application(user, answers)
    page = text(signed_in.get(step_url(app, "income") + "?return=review"))
    assert 'name="return" value="review"' in page
    response = post_step(signed_in, app, "income", answers["income"], **{"return": "review"})
    assert response["Location"] == f"/apply/{app.public_id}/review/"


# --- review, submit, results ------------------------------------------------------------------------


def test_review_lists_answers_with_change_links(signed_in: Client, user: Any) -> None:
    app = f.make_application(user, f.family_180())
    page = text(signed_in.get(f"/apply/{app.public_id}/review/"))
    assert "Ana Silva" in page and "Married filing jointly" in page
    assert "Job (wages, salary, tips): $58,000 (once a year)" in page
    assert page.count("?return=review") == len(STEPS)
    assert 'name="idempotency_key"' in page and 'name="signature"' in page


def test_review_of_an_unfinished_application_has_no_submit(signed_in: Client, user: Any) -> None:
    app = f.make_application(user, f.family_180(), steps=("people", "tax"))
    page = text(signed_in.get(f"/apply/{app.public_id}/review/"))
    assert "This step needs answers before you can submit." in page
    assert 'name="signature"' not in page


def test_submit_form_errors(signed_in: Client, user: Any) -> None:
    app = f.make_application(user, f.family_180())
    key = review_key(signed_in, app)
    response = signed_in.post(f"/apply/{app.public_id}/submit/", {"idempotency_key": key})
    page = text(response)
    assert "Check the box to confirm that your answers are true" in page
    assert "Type your full name to sign the application" in page
    assert f'value="{key}"' in page  # the same key on the page shown again
    response = signed_in.post(
        f"/apply/{app.public_id}/submit/",
        {"idempotency_key": key, "attest": "on", "signature": "Someone Else"},
    )
    assert "Type your full name as you entered it on the first step: Ana Silva." in text(response)
    assert Application.objects.get(pk=app.pk).status == "draft"


def test_submit_then_results(signed_in: Client, user: Any) -> None:
    app = f.make_application(user, f.family_180())
    key = review_key(signed_in, app)
    form = {"idempotency_key": key, "attest": "on", "signature": "Ana Silva"}
    response = signed_in.post(f"/apply/{app.public_id}/submit/", form)
    assert response["Location"] == f"/applications/{app.public_id}/"
    # A double click or a refresh resends the same key: same result, one submit.
    again = signed_in.post(f"/apply/{app.public_id}/submit/", form)
    assert again["Location"] == f"/applications/{app.public_id}/"
    assert EligibilityDetermination.objects.count() == 1
    app.refresh_from_db()
    page = text(signed_in.get(f"/applications/{app.public_id}/"))
    assert app.confirmation_number and app.confirmation_number in page
    assert "Eligibility decided" in page
    assert "MassHealth Family Assistance (CHIP)" in page
    assert "ConnectorCare Plan Type 2B" in page
    assert "Carla Silva qualifies for MassHealth Family Assistance (CHIP)" in page
    assert "Your premium tax credit" in page
    assert 'id="next-masshealth"' in page and 'id="next-marketplace"' in page


def test_submit_with_a_new_key_after_submitting_is_refused(signed_in: Client, user: Any) -> None:
    answers = f.single_220()
    app = f.make_application(user, answers)
    first = services.submit(app, user, "key-1", f.signature_of(answers))
    response = signed_in.post(
        f"/apply/{app.public_id}/submit/",
        {
            "idempotency_key": "6f1c1b53-9a51-4d55-9bd2-1e0f0a3b8a11",
            "attest": "on",
            "signature": "Rosa Lima",
        },
    )
    page = text(response)
    assert response.status_code == 409
    assert "This application was already submitted" in page
    assert first.confirmation_number in page


def test_a_failed_submit_shows_the_draft_and_the_error(
    signed_in: Client, user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from apps.eligibility import services as eligibility_services

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise LookupError("no silver plan")

    monkeypatch.setattr(eligibility_services, "determine", broken)
    app = f.make_application(user, f.single_220())
    key = review_key(signed_in, app)
    response = signed_in.post(
        f"/apply/{app.public_id}/submit/",
        {"idempotency_key": key, "attest": "on", "signature": "Rosa Lima"},
    )
    page = text(response)
    assert response.status_code == 503
    assert "Your application was not submitted" in page
    assert 'value="Rosa Lima"' in page
    assert Application.objects.get(pk=app.pk).status == "draft"


def test_a_submitted_application_is_read_only(signed_in: Client, user: Any) -> None:
    answers = f.single_220()
    app = f.make_application(user, answers)
    services.submit(app, user, "key-1", f.signature_of(answers))
    app.refresh_from_db()
    version = app.version
    assert signed_in.get(step_url(app, "income"))["Location"] == f"/apply/{app.public_id}/review/"
    response = post_step(signed_in, app, "income", f.single_220()["income"])
    assert response["Location"] == f"/apply/{app.public_id}/review/"
    app.refresh_from_db()
    assert app.version == version
    page = text(signed_in.get(f"/apply/{app.public_id}/review/"))
    assert "?return=review" not in page and 'name="signature"' not in page
    assert "can no longer be changed" in page
    assert (
        signed_in.get(f"/apply/{app.public_id}/")["Location"] == f"/applications/{app.public_id}/"
    )


def test_results_of_a_draft_go_back_to_the_application(signed_in: Client, user: Any) -> None:
    app = f.make_application(user, f.single_220(), steps=("people",))
    response = signed_in.get(f"/applications/{app.public_id}/")
    assert response["Location"] == f"/apply/{app.public_id}/"


def test_results_next_steps_for_masshealth_only(signed_in: Client, user: Any) -> None:
    answers = f.masshealth_120()
    app = f.make_application(user, answers)
    services.submit(app, user, "key-1", f.signature_of(answers))
    page = text(signed_in.get(f"/applications/{app.public_id}/"))
    assert 'id="next-masshealth"' in page
    assert 'id="next-marketplace"' not in page and "Shop for plans" not in page
    assert "You do not need to choose a plan" in page


def test_results_in_spanish(client: Client, user: Any) -> None:
    answers = f.family_180()
    app = f.make_application(user, answers)
    services.submit(app, user, "key-1", f.signature_of(answers))
    client.force_login(user)
    page = text(client.get(f"/applications/{app.public_id}/", HTTP_ACCEPT_LANGUAGE="es"))
    assert "Carla Silva califica para MassHealth Family Assistance (CHIP)" in page
    assert "Lo que puede obtener cada persona" in page
