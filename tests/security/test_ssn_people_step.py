"""The people step's Social Security number field: saved encrypted through the page, shown masked,
never in the answers, the household JSON, the determination, the review page in full, or logs."""

from __future__ import annotations

import html
import json
import logging
from typing import Any

import pytest
from django.test import Client

from apps.applications import services, ssn
from apps.applications.models import Application, MemberSSN
from apps.applications.steps import STEPS
from apps.eligibility.models import EligibilityDetermination
from tests.applications import factories as f

pytestmark = pytest.mark.django_db

ANA = "212-47-6789"
BEN = "234-56-7801"


def text(response: Any) -> str:
    return str(html.unescape(response.content.decode()))


def post_people(client: Client, app: Application, answers: Any, **extra: str) -> Any:
    app.refresh_from_db()
    data = f.post_data("people", answers, app)
    data["action"] = "continue"
    data.update(extra)
    return client.post(f"/apply/{app.public_id}/people/", data)


def _everything_stored_about(app: Application) -> str:
    app.refresh_from_db()
    parts = [json.dumps(app.data)]
    determination = EligibilityDetermination.objects.filter(application=app).first()
    if determination is not None:
        parts.append(
            json.dumps(
                {
                    f.name: str(getattr(determination, f.name))
                    for f in determination._meta.concrete_fields
                }
            )
        )
    return "\n".join(parts)


def test_people_step_round_trip_masked_and_kept_out_of_answers(
    signed_in: Client, user: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    answers = f.family_180()
    app = f.make_application(user, answers, steps=())
    page = text(signed_in.get(f"/apply/{app.public_id}/people/"))
    assert "Your Social Security number (if you have one)" in page
    response = post_people(signed_in, app, answers["people"], **{"m1-ssn": "212 47 6789"})
    assert response.status_code == 302, text(response)
    assert ssn.reveal_ssn(app, "m1") == ANA
    assert ssn.masked_ssn(app, "m2") is None
    page = text(signed_in.get(f"/apply/{app.public_id}/people/"))
    assert "***-**-6789" in page and "212-47" not in page and "212476789" not in page
    # blank keeps, a new number replaces, a second person gets theirs
    response = post_people(signed_in, app, answers["people"], **{"m2-ssn": BEN})
    assert response.status_code == 302
    assert ssn.masked_ssns(app) == {"m1": "***-**-6789", "m2": "***-**-7801"}
    for step in STEPS[1:]:
        services.save_step(app, step, answers[step], user)
    review = text(signed_in.get(f"/apply/{app.public_id}/review/"))
    assert "Social Security number of Ana Silva" in review and "***-**-6789" in review
    assert "***-**-7801" in review
    assert "212-47" not in review and "234-56" not in review
    household = json.dumps(services.household_json(app))
    services.submit(app, user, "key-1", f.signature_of(answers))
    stored = _everything_stored_about(app) + household
    for number in (ANA, BEN):
        assert number not in stored and number.replace("-", "") not in stored
    for record in caplog.records:
        message = record.getMessage()
        assert "6789" not in message and "7801" not in message


def test_invalid_number_is_refused_and_says_why(signed_in: Client, user: Any) -> None:
    answers = f.family_180()
    app = f.make_application(user, answers, steps=())
    response = post_people(signed_in, app, answers["people"], **{"m2-ssn": "666-12-3456"})
    assert response.status_code == 200
    page = text(response)
    assert "Social Security number of Ben Silva" in page and "666" in page
    app.refresh_from_db()
    assert "people" not in app.data and not MemberSSN.objects.exists()
    response = post_people(signed_in, app, answers["people"], **{"m1-ssn": "12345"})
    assert "Your Social Security number: Enter a Social Security number with 9 digits" in text(
        response
    )


def test_service_refuses_an_invalid_number_and_stores_nothing(user: Any) -> None:
    answers = f.family_180()
    app = f.make_application(user, answers, steps=())
    with pytest.raises(services.StepInvalid) as caught:
        services.save_step(app, "people", answers["people"], user, ssns={"m3": "078-05-1120"})
    assert "m3-ssn" in caught.value.errors
    app.refresh_from_db()
    assert "people" not in app.data and not MemberSSN.objects.exists()


def test_removed_person_loses_their_number(user: Any) -> None:
    answers = f.family_180()
    app = f.make_application(user, answers, steps=())
    services.save_step(app, "people", answers["people"], user, ssns={"m4": "345-67-8901"})
    assert ssn.masked_ssn(app, "m4") == "***-**-8901"
    three = f.people(
        answers["people"]["members"][:3],
        {("m1", "m2"): "spouse", ("m1", "m3"): "child", ("m2", "m3"): "child"},
    )
    services.save_step(app, "people", three, user)
    assert ssn.masked_ssn(app, "m4") is None


def test_spanish_label(client: Client, user: Any) -> None:
    client.force_login(user)
    app = f.make_application(user, f.family_180(), steps=())
    page = text(client.get(f"/apply/{app.public_id}/people/", HTTP_ACCEPT_LANGUAGE="es"))
    assert "Su número de Seguro Social (si tiene uno)" in page
