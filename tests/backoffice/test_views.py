"""The back office: only staff with the permission see a person's record; every view of the full
record and every SSN reveal writes its audit row; SSNs are masked unless revealed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from apps.applications import services
from apps.applications.models import Application
from apps.audit.models import AuditEvent
from apps.enrollment.models import Enrollment
from tests.applications import factories as f

pytestmark = pytest.mark.django_db

SSN = "123-45-6789"
MASKED = "***-**-6789"
NAME = "Rosa"  # the applicant's first name (single_220)


def make_staff(username: str, *permissions: str, staff: bool = True) -> User:
    person = User.objects.create_user(
        username=username, email=f"{username}@exchange.example", password="staff-password-1"
    )
    person.is_staff = staff
    person.save()
    for name in permissions:
        app_label, codename = name.split(".")
        person.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return User.objects.get(pk=person.pk)  # fresh: no cached permissions


@pytest.fixture
def resident(db: None) -> User:
    person: User = f.make_user("rosa@example.com")
    return person


@pytest.fixture
def application(resident: User) -> Application:
    """A submitted application with an SSN for its one member."""
    answers = f.single_220()
    app = services.start_application(resident, 2026)
    services.save_step(app, "people", answers["people"], resident, ssns={"m1": SSN})
    for step in ("tax", "address", "immigration", "circumstances", "income", "coverage"):
        services.save_step(app, step, answers[step], resident)
    services.submit(app, resident, "key-1", f.signature_of(answers))
    return Application.objects.get(pk=app.pk)


@pytest.fixture
def clerk(db: None) -> User:
    return make_staff("clerk", "backoffice.view_person_record")


@pytest.fixture
def supervisor(db: None) -> User:
    return make_staff(
        "supervisor",
        "backoffice.view_person_record",
        "backoffice.reveal_ssn",
        "audit.view_auditevent",
    )


def record_url(app: Application) -> str:
    return f"/staff/applications/{app.public_id}/"


def reveal_url(app: Application, member: str = "m1") -> str:
    return f"/staff/applications/{app.public_id}/members/{member}/ssn/"


def views_and_reveals() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action__in=["view_full_record", "view_ssn"]))


def assert_no_data(body: str, app: Application) -> None:
    for secret in (NAME, "Lima", SSN, MASKED, str(app.confirmation_number), "rosa@example.com"):
        assert secret not in body


# --- who gets in -------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, application: Application) -> None:
    for url in ("/staff/", record_url(application), "/staff/audit/", "/staff/?q=rosa@example.com"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
        assert_no_data(response.content.decode(), application)
    response = client.post(reveal_url(application))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert views_and_reveals() == []


@pytest.mark.parametrize(
    "who",
    [
        "resident",  # the owner of the application
        "staff_without_permission",
        "permission_without_staff",
        "inactive_staff",
    ],
)
def test_anyone_else_gets_not_found(
    client: Client, application: Application, resident: User, who: str
) -> None:
    user = {
        "resident": lambda: resident,
        "staff_without_permission": lambda: make_staff("intern"),
        "permission_without_staff": lambda: make_staff(
            "outsider", "backoffice.view_person_record", "backoffice.reveal_ssn", staff=False
        ),
        "inactive_staff": lambda: _inactive(
            make_staff("gone", "backoffice.view_person_record", "backoffice.reveal_ssn")
        ),
    }[who]()
    client.force_login(user)
    refused = 302 if who == "inactive_staff" else 404  # an inactive account is signed out
    for url in (
        "/staff/",
        f"/staff/?q={application.confirmation_number}",
        record_url(application),
        "/staff/audit/",
    ):
        response = client.get(url)
        assert response.status_code == refused, url
        assert_no_data(response.content.decode(), application)
    response = client.post(reveal_url(application))
    assert response.status_code == refused
    assert_no_data(response.content.decode(), application)
    assert views_and_reveals() == []


def _inactive(user: User) -> User:
    user.is_active = False
    user.save()
    return user


# --- the full record ---------------------------------------------------------------------------


def test_staff_with_the_permission_see_the_full_record_with_ssns_masked(
    client: Client, application: Application, clerk: User
) -> None:
    Enrollment.objects.create(
        application=application,
        owner=application.owner,
        coverage_year=2026,
        plan_id="12345MA0010001-04",
        standard_component_id="12345MA0010001",
        plan_name="Example Silver",
        issuer_id="12345",
        issuer_name="Example Health",
        metal_level="Silver",
        member_ids=["m1"],
        premium=Decimal("500.00"),
        aptc_applied=Decimal("300.00"),
        state_subsidy=Decimal("0.00"),
        net_premium=Decimal("200.00"),
        coverage_start=dt.date(2026, 1, 1),
        idempotency_key="enrol-1",
    )
    client.force_login(clerk)
    response = client.get(record_url(application))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    body = response.content.decode()
    assert "Rosa Lima" in body
    assert str(application.confirmation_number) in body
    assert "rosa@example.com" in body
    assert MASKED in body and SSN not in body
    assert "1 Washington Street" in body  # an answer of the address step
    assert 'data-program="connectorcare"' in body  # the determination
    assert "Example Silver (12345MA0010001-04)" in body  # the enrollment
    assert body.count("<td>determined</td>") == 1  # the status history
    assert "Show SSN" not in body  # no permission to reveal
    assert "/staff/audit/" not in body.split("</nav>", 1)[1]  # no audit link either

    [event] = views_and_reveals()
    assert (event.action, event.actor, event.actor_label) == (
        "view_full_record",
        clerk,
        "staff:clerk",
    )
    assert (event.object_type, event.object_id) == ("application", str(application.public_id))
    assert event.changes == {}
    assert event.ip_address == "127.0.0.1"


def test_each_view_writes_exactly_one_row(
    client: Client, application: Application, clerk: User
) -> None:
    client.force_login(clerk)
    for expected in (1, 2, 3):
        assert client.get(record_url(application)).status_code == 200
        assert AuditEvent.objects.filter(action="view_full_record").count() == expected
    assert client.get("/staff/").status_code == 200  # the search page is not a record view
    assert AuditEvent.objects.filter(action="view_full_record").count() == 3


def test_an_unknown_application_is_not_found_and_not_recorded(client: Client, clerk: User) -> None:
    client.force_login(clerk)
    response = client.get("/staff/applications/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
    assert views_and_reveals() == []


def test_a_draft_without_answers_can_be_viewed(client: Client, resident: User, clerk: User) -> None:
    app = services.start_application(resident, 2026)
    client.force_login(clerk)
    body = client.get(record_url(app)).content.decode()
    assert 'id="no-determination"' in body and 'id="no-enrollments"' in body
    assert AuditEvent.objects.filter(action="view_full_record").count() == 1


# --- revealing an SSN --------------------------------------------------------------------------


def test_revealing_an_ssn_shows_it_once_and_records_it(
    client: Client, application: Application, supervisor: User
) -> None:
    client.force_login(supervisor)
    page = client.get(record_url(application)).content.decode()
    assert MASKED in page and SSN not in page
    assert f'action="{reveal_url(application)}"' in page
    assert "csrfmiddlewaretoken" in page

    response = client.post(reveal_url(application))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    assert f'<p class="font-body-xl" id="ssn">{SSN}</p>' in response.content.decode()
    event = AuditEvent.objects.get(action="view_ssn")
    assert (event.actor, event.actor_label) == (supervisor, "staff:supervisor")
    assert (event.object_type, event.object_id) == ("member", "m1")
    assert event.related_id == str(application.public_id)
    assert SSN not in str(event.changes) and "6789" not in str(event.changes)
    assert [e.action for e in views_and_reveals()] == ["view_ssn", "view_full_record"]


def test_revealing_needs_a_post_with_a_csrf_token(
    application: Application, supervisor: User
) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(supervisor)
    assert strict.get(reveal_url(application)).status_code == 405
    response = strict.post(reveal_url(application))
    assert response.status_code == 403
    assert SSN not in response.content.decode()
    assert views_and_reveals() == []


def test_revealing_needs_its_own_permission(
    client: Client, application: Application, clerk: User
) -> None:
    client.force_login(clerk)
    response = client.post(reveal_url(application))
    assert response.status_code == 404
    assert SSN not in response.content.decode()
    assert views_and_reveals() == []


def test_an_unknown_member_is_not_found_and_a_member_without_ssn_is_said(
    client: Client, resident: User, application: Application, supervisor: User
) -> None:
    client.force_login(supervisor)
    assert client.post(reveal_url(application, "m9")).status_code == 404
    assert views_and_reveals() == []
    other = f.make_application(resident, f.single_220(), steps=("people",))
    body = client.post(reveal_url(other)).content.decode()
    assert 'id="ssn-none"' in body
    assert AuditEvent.objects.get(action="view_ssn").changes == {
        "number_on_file": {"old": None, "new": False}
    }


# --- finding an application ----------------------------------------------------------------------


@pytest.mark.parametrize("how", ["number", "lower_without_dashes", "email", "EMAIL"])
def test_finding_an_application(
    client: Client, application: Application, clerk: User, how: str
) -> None:
    number = str(application.confirmation_number)
    query = {
        "number": number,
        "lower_without_dashes": number.replace("-", "").lower(),
        "email": "rosa@example.com",
        "EMAIL": "ROSA@example.COM",
    }[how]
    client.force_login(clerk)
    body = client.get("/staff/", {"q": query}).content.decode()
    assert f'href="{record_url(application)}"' in body
    assert number in body
    assert views_and_reveals() == []


@pytest.mark.parametrize("query", ["nobody@example.com", "MA-2026-AAAA-AAAA", "rosa", "%", "@"])
def test_a_search_that_matches_nothing(
    client: Client, application: Application, clerk: User, query: str
) -> None:
    client.force_login(clerk)
    body = client.get("/staff/", {"q": query}).content.decode()
    assert 'id="nothing-found"' in body
    assert record_url(application) not in body


# --- the audit log ---------------------------------------------------------------------------------


def test_the_audit_log_filters_by_object_id(
    client: Client, application: Application, resident: User, supervisor: User
) -> None:
    other = services.start_application(make_staff("someone"), 2027)
    client.force_login(supervisor)
    client.get(record_url(application))
    client.post(reveal_url(application))
    body = client.get("/staff/audit/", {"object_id": str(application.public_id)}).content.decode()
    for action in ("create", "update", "submit", "status_change", "view_full_record", "view_ssn"):
        assert f'data-action="{action}"' in body
    assert str(other.public_id) not in body
    assert SSN not in body
    everything = client.get("/staff/audit/").content.decode()
    assert str(other.public_id) in everything


def test_the_audit_log_needs_the_audit_permission(
    client: Client, application: Application, clerk: User
) -> None:
    client.force_login(clerk)
    assert client.get("/staff/audit/").status_code == 404


# --- Spanish -------------------------------------------------------------------------------------


def test_the_pages_are_in_spanish(
    client: Client, application: Application, supervisor: User
) -> None:
    client.force_login(supervisor)
    es = {"accept-language": "es"}
    assert "Buscar una solicitud" in client.get("/staff/", headers=es).content.decode()
    record = client.get(record_url(application), headers=es).content.decode()
    assert "Mostrar el número de Seguro Social" in record
    assert "Historial de estados" in record
    audit = client.get("/staff/audit/", headers=es).content.decode()
    assert "Registro de auditoría" in audit
    assert "Registro completo consultado" in audit  # an action's label
