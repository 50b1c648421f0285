"""Every create and update of applications, determinations, enrollments and accounts writes the
audit rows it should (action, actor, object, changed fields), in the change's transaction."""

from __future__ import annotations

import json
from typing import Any

import pytest
from allauth.account.forms import default_token_generator  # type: ignore[import-untyped]
from allauth.account.models import (  # type: ignore[import-untyped]
    EmailAddress,
    EmailConfirmationHMAC,
)
from allauth.account.utils import user_pk_to_url_str  # type: ignore[import-untyped]
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client

from apps.applications import services
from apps.applications.models import Application
from apps.audit.models import AuditEvent
from apps.audit.services import MASK
from apps.eligibility import services as eligibility_services
from apps.enrollment import selectors as shop
from apps.enrollment import services as enrollment_services
from tests.applications import factories as f
from tests.enrollment.conftest import DEC_15, SINGLE, household
from tests.enrollment.conftest import make_application as determined_application

pytestmark = pytest.mark.django_db
PASSWORD = "a long Passphrase 42"


def rows(**filters: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(**filters).order_by("id"))


def summary(event: AuditEvent) -> tuple[str, str, str, str]:
    return (event.action, event.actor_label, event.object_type, event.object_id)


@pytest.fixture
def user(db: None) -> User:
    person: User = f.make_user("rosa@example.com")
    return person


# --- applications -------------------------------------------------------------------------------


def test_starting_an_application_records_its_creation(user: User) -> None:
    app = services.start_application(user, 2026)
    [event] = rows()
    assert summary(event) == ("create", "resident", "application", str(app.public_id))
    assert event.actor == user
    assert event.changes == {
        "owner_id": {"old": None, "new": user.pk},
        "coverage_year": {"old": None, "new": 2026},
        "status": {"old": None, "new": "draft"},
        "language": {"old": None, "new": "en"},
        "current_step": {"old": None, "new": "people"},
    }
    services.start_application(user, 2026)  # the same draft again: nothing created
    assert len(rows()) == 1


def test_saving_a_step_records_the_changed_answers_by_path(user: User) -> None:
    answers = f.single_220()
    app = services.start_application(user, 2026)
    services.save_step(app, "people", answers["people"], user)
    event = rows(action="update")[-1]
    assert summary(event) == ("update", "resident", "application", str(app.public_id))
    assert event.changes["data.people.members.0.first_name"] == {"old": None, "new": "Rosa"}
    assert event.changes["data.people.members.0.date_of_birth"] == {
        "old": None,
        "new": "1990-05-01",
    }
    assert event.changes["version"] == {"old": 0, "new": 1}
    assert event.changes["current_step"] == {"old": "people", "new": "tax"}

    changed = json.loads(json.dumps(answers["people"]))
    changed["members"][0]["first_name"] = "Rosalia"
    services.save_step(app, "people", changed, user)
    event = rows(action="update")[-1]
    assert event.changes == {
        "data.people.members.0.first_name": {"old": "Rosa", "new": "Rosalia"},
        "version": {"old": 1, "new": 2},
    }


def test_a_social_security_number_never_reaches_the_audit_trail(user: User) -> None:
    answers = f.single_220()
    app = services.start_application(user, 2026)
    services.save_step(app, "people", answers["people"], user, ssns={"m1": "123-45-6789"})
    event = rows(action="update")[-1]
    assert event.changes["ssn.m1"] == {"old": None, "new": MASK}  # recorded as set, masked
    dumped = json.dumps([e.changes for e in rows()])
    assert "6789" not in dumped and "123456789" not in dumped


def test_a_refused_save_records_nothing(user: User) -> None:
    app = services.start_application(user, 2026)
    with pytest.raises(services.StepInvalid):
        services.save_step(app, "people", {"members": [], "relationships": []}, user)
    assert [e.action for e in rows()] == ["create"]


def test_a_save_rolled_back_with_its_transaction_leaves_no_audit_row(user: User) -> None:
    app = services.start_application(user, 2026)

    def save_then_fail() -> None:
        with transaction.atomic():
            services.save_step(app, "people", f.single_220()["people"], user)
            assert len(rows(action="update")) == 1
            raise RuntimeError("the request failed after the save")

    with pytest.raises(RuntimeError):
        save_then_fail()
    assert rows(action="update") == []
    assert Application.objects.get(pk=app.pk).data == {}


def test_submitting_records_the_submit_the_statuses_and_the_determination(user: User) -> None:
    answers = f.single_220()
    app = f.make_application(user, answers)
    before = AuditEvent.objects.count()
    result = services.submit(app, user, "key-1", f.signature_of(answers))
    events = rows()[before:]
    public = str(app.public_id)
    determination = str(result.determination.pk)
    assert [summary(e) for e in events] == [
        ("submit", "resident", "application", public),
        ("status_change", "resident", "application", public),
        ("create", "system", "determination", determination),
        ("status_change", "resident", "application", public),
    ]
    submit, submitted, determined, decided = events
    assert set(submit.changes) == {
        "confirmation_number",
        "submit_key",
        "signature",
        "submitted_at",
    }  # the language and the current step (review) did not change
    assert submit.changes["confirmation_number"] == {
        "old": None,
        "new": result.confirmation_number,
    }
    assert submit.changes["submit_key"] == {"old": None, "new": MASK}  # an idempotency key
    assert submit.changes["signature"] == {"old": "", "new": "Rosa Lima"}
    assert submitted.changes == {"status": {"old": "draft", "new": "submitted"}}
    assert decided.changes == {"status": {"old": "submitted", "new": "determined"}}
    assert determined.actor is None
    assert determined.related_id == public
    assert determined.changes["application"] == {"old": None, "new": public}
    assert determined.changes["programs"] == {"old": None, "new": {"m1": "connectorcare"}}
    assert set(determined.changes) == {
        "application",
        "coverage_year",
        "rules_version",
        "parameters_version",
        "programs",
    }
    # A replay with the same key changes nothing and records nothing.
    services.submit(app, user, "key-1", f.signature_of(answers))
    assert AuditEvent.objects.count() == before + 4


def test_a_failed_submit_leaves_no_audit_row(user: User, monkeypatch: pytest.MonkeyPatch) -> None:
    answers = f.single_220()
    app = f.make_application(user, answers)
    before = AuditEvent.objects.count()

    def fail(*args: Any) -> Any:
        raise LookupError("no benchmark plan")

    monkeypatch.setattr(eligibility_services, "determine_and_store", fail)
    with pytest.raises(services.SubmitFailed):
        services.submit(app, user, "key-1", f.signature_of(answers))
    assert AuditEvent.objects.count() == before
    assert Application.objects.get(pk=app.pk).status == "draft"


# --- enrollments --------------------------------------------------------------------------------


def test_enrolling_records_the_new_enrollment(demo_catalog: None, user: User) -> None:
    app = determined_application(user, household(SINGLE))
    q = shop.quotes(shop.shop_for(app))[0]
    enrollment = enrollment_services.enroll(app, user, q.plan.plan_id, None, "e-1", today=DEC_15)
    [event] = rows(object_type="enrollment")
    assert summary(event) == ("create", "resident", "enrollment", str(enrollment.public_id))
    assert event.related_id == str(app.public_id)
    assert event.changes["plan_id"] == {"old": None, "new": q.plan.plan_id}
    assert event.changes["member_ids"] == {"old": None, "new": ["p1"]}
    assert event.changes["net_premium"] == {"old": None, "new": str(enrollment.net_premium)}
    assert event.changes["coverage_start"] == {"old": None, "new": "2026-01-01"}
    assert event.changes["status"] == {"old": None, "new": "pending_payment"}
    assert "idempotency_key" not in event.changes
    # the same key again returns the first enrollment: no second row
    enrollment_services.enroll(app, user, q.plan.plan_id, None, "e-1", today=DEC_15)
    assert len(rows(object_type="enrollment")) == 1


# --- accounts -----------------------------------------------------------------------------------


def sign_up(client: Client, email: str = "new@example.org") -> User:
    response = client.post(
        "/accounts/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person: User = User.objects.get(email=email)
    return person


def verified_person(email: str = "ana@example.org") -> User:
    person = User.objects.create_user(username=email, email=email, password=PASSWORD)
    EmailAddress.objects.create(user=person, email=email, verified=True, primary=True)
    return person


def no_secret_in_audit(*secrets: str) -> None:
    dumped = json.dumps([e.changes for e in AuditEvent.objects.all()])
    for secret in secrets:
        assert secret not in dumped


def test_sign_up_records_the_new_account_without_the_password(client: Client) -> None:
    person = sign_up(client)
    [event] = rows()
    assert summary(event) == ("sign_up", "resident", "user", str(person.pk))
    assert event.actor == person
    assert event.changes == {
        "email": {"old": None, "new": "new@example.org"},
        "username": {"old": None, "new": person.get_username()},
        "password": {"old": None, "new": MASK},
    }
    assert event.ip_address == "127.0.0.1"
    no_secret_in_audit(PASSWORD, person.password, person.password.split("$")[-1])


def test_confirming_the_email_is_recorded(client: Client) -> None:
    person = sign_up(client)
    address = EmailAddress.objects.get(user=person)
    key = EmailConfirmationHMAC(address).key
    response = Client().post(f"/accounts/confirm-email/{key}/")
    assert response.status_code == 302
    events = rows(action="email_confirmed")
    assert [summary(e) for e in events] == [("email_confirmed", "resident", "user", str(person.pk))]
    assert events[0].changes == {"verified_email": {"old": None, "new": "new@example.org"}}


def test_changing_the_password_is_recorded(client: Client) -> None:
    person = verified_person()
    client.force_login(person)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "another Pass 43", "password2": "another Pass 43"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    [event] = rows()
    assert summary(event) == ("password_changed", "resident", "user", str(person.pk))
    assert event.changes == {"password": {"old": MASK, "new": MASK}}
    person.refresh_from_db()
    no_secret_in_audit("another Pass 43", person.password)


def test_resetting_a_forgotten_password_is_recorded(client: Client) -> None:
    person = verified_person()
    key = default_token_generator.make_token(person)
    form_url = client.get(f"/accounts/password/reset/key/{user_pk_to_url_str(person)}-{key}/")[
        "Location"
    ]
    response = client.post(
        form_url, {"password1": "another Pass 43", "password2": "another Pass 43"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    events = rows(action__startswith="password")
    assert [summary(e) for e in events] == [("password_reset", "resident", "user", str(person.pk))]
    no_secret_in_audit("another Pass 43")


def test_a_failed_password_change_records_nothing(client: Client) -> None:
    person = verified_person()
    client.force_login(person)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": "wrong", "password1": "another Pass 43", "password2": "another Pass 43"},
    )
    assert response.status_code == 200
    assert rows() == []


def test_adding_an_email_address_is_recorded(client: Client) -> None:
    person = verified_person()
    client.force_login(person)
    response = client.post("/accounts/email/", {"action_add": "", "email": "second@example.org"})
    assert response.status_code == 302, response.content.decode()[:2000]
    [event] = rows(action="email_added")
    assert summary(event) == ("email_added", "resident", "user", str(person.pk))
    assert event.changes == {"email": {"old": None, "new": "second@example.org"}}


def test_staff_actors_are_labelled_with_their_username(user: User) -> None:
    user.is_staff = True
    user.save()
    app = services.start_application(user, 2026)
    assert rows()[0].actor_label == f"staff:{user.get_username()}"
    assert rows()[0].object_id == str(app.public_id)
