"""Sign-up with email verification, sign-in, sign-out and password reset (django-allauth with
this app's USWDS templates), in English and Spanish."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from tests.accounts.factories import PASSWORD, make_person
from tests.jobs.runner import run_jobs

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://testserver(/\S+)")
EmailAddress = apps.get_model("account", "EmailAddress")  # allauth's (untyped)


def link_in(body: str) -> str:
    found = LINK.search(body)
    assert found is not None, body
    return found.group(1)


def sign_up(client: Client, email: str = "new@example.org", **headers: str) -> str:
    response = client.post(
        "/accounts/signup/",
        {"email": email, "password1": PASSWORD, "password2": PASSWORD},
        headers=headers,
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return str(response["Location"])


def test_sign_up_creates_an_unverified_account_and_emails_the_link(client: Client) -> None:
    page = client.get("/accounts/signup/").content.decode()
    assert '<label class="usa-label" for="id_email">Email address</label>' in page
    assert 'aria-describedby="id_email_helptext"' in page
    assert "placeholder" not in page
    assert 'class="usa-button margin-top-3" type="submit">Create account</button>' in page

    assert sign_up(client) == "/accounts/confirm-email/"
    user = User.objects.get(email="new@example.org")
    address = EmailAddress.objects.get(user=user)
    assert not address.verified
    assert mail.outbox == []  # queued by the request, delivered by a worker
    assert run_jobs() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new@example.org"]
    assert "Confirm your email address" in message.subject
    assert link_in(str(message.body)).startswith("/accounts/confirm-email/")
    sent = client.get("/accounts/confirm-email/").content.decode()
    assert "Check your email" in sent

    # Not verified yet: signing in does not sign in (it sends a new link, once the 3-minute
    # cool-down after the last one is over).
    fresh = Client()
    response = fresh.post("/accounts/login/", {"login": "new@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in fresh.session


def test_confirming_the_email_lets_the_person_sign_in(client: Client) -> None:
    sign_up(client)
    run_jobs()
    confirm_url = link_in(str(mail.outbox[0].body))
    browser = Client()  # the email is opened in another browser
    page = browser.get(confirm_url).content.decode()
    assert "<strong>new@example.org</strong>" in page
    assert "Confirm my email address" in page
    response = browser.post(confirm_url)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="new@example.org").verified

    response = browser.post("/accounts/login/", {"login": "new@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/my/"
    dashboard = browser.get("/my/")
    assert dashboard.status_code == 200
    assert "My applications and enrollments" in dashboard.content.decode()


def test_a_used_or_wrong_confirmation_link_says_so(client: Client) -> None:
    page = client.get("/accounts/confirm-email/not-a-key/").content.decode()
    assert "This link does not work any more" in page


def test_sign_up_errors_are_summarised_and_shown_at_each_field(client: Client) -> None:
    response = client.post(
        "/accounts/signup/", {"email": "not an email", "password1": "abc", "password2": "abd"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: Create an account" in page
    summary = page[page.index('id="error-summary"') : page.index('id="signup-form"')]
    assert 'href="#id_email"' in summary
    assert 'href="#id_password1"' in summary or 'href="#id_password2"' in summary
    assert 'class="usa-input usa-input--error"' in page
    assert 'aria-invalid="true"' in page
    assert 'id="id_email_error"' in page
    assert 'aria-describedby="id_email_helptext id_email_error"' in page
    assert not User.objects.filter(email="not an email").exists()


def test_sign_in_and_sign_out(client: Client, person: User) -> None:
    page = client.get("/accounts/login/?next=/my/").content.decode()
    assert '<label class="usa-label" for="id_login">Email address</label>' in page
    assert 'name="next" value="/my/"' in page
    response = client.post("/accounts/login/", {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/my/"
    home = client.get("/").content.decode()
    assert 'form="sign-out-form"' in home
    assert "My applications" in home
    assert "Successfully signed in" in home  # allauth's message, shown by base.html

    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get("/my/")["Location"] == "/accounts/login/?next=/my/"


def test_a_wrong_password_is_an_error_in_the_summary(client: Client, person: User) -> None:
    response = client.post("/accounts/login/", {"login": person.email, "password": "wrong"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: Sign in" in page
    assert 'id="error-summary"' in page
    assert '<a class="usa-link" href="#id_login">The email address and/or password' in page


def test_password_reset_by_email(client: Client, person: User) -> None:
    assert client.get("/accounts/password/reset/").status_code == 200
    response = client.post("/accounts/password/reset/", {"email": person.email})
    assert response.status_code == 302
    run_jobs()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [person.email]
    assert "Choose a new password" in message.subject
    key_url = link_in(str(message.body))
    assert key_url.startswith("/accounts/password/reset/key/")

    form_url = client.get(key_url)["Location"]  # the key moves into the session
    page = client.get(form_url).content.decode()
    assert "Choose a new password" in page
    response = client.post(
        form_url, {"password1": "another Passphrase 43", "password2": "another Passphrase 43"}
    )
    assert response.status_code == 302
    assert "Your password is changed" in client.get(response["Location"]).content.decode()
    fresh = Client()
    response = fresh.post(
        "/accounts/login/", {"login": person.email, "password": "another Passphrase 43"}
    )
    assert response["Location"] == "/my/"


def test_password_reset_for_an_unknown_address_does_not_reveal_it(client: Client) -> None:
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/done/"
    run_jobs()
    assert len(mail.outbox) == 1
    assert "No account uses this email address" in mail.outbox[0].subject


def test_spanish_sign_up_and_email(client: Client) -> None:
    page = client.get("/accounts/signup/", headers={"accept-language": "es"}).content.decode()
    assert '<html lang="es">' in page
    assert "Crear una cuenta" in page
    assert "Correo electrónico" in page
    assert "Crear cuenta</button>" in page
    sign_up(client, "nueva@example.org", **{"accept-language": "es"})
    run_jobs()
    message = mail.outbox[0]
    assert "Confirme su dirección de correo electrónico" in message.subject
    assert "abra este enlace" in message.body
    sent = client.get("/accounts/confirm-email/", headers={"accept-language": "es"})
    assert "Revise su correo electrónico" in sent.content.decode()


def test_spanish_sign_in_error(client: Client) -> None:
    make_person("carla@example.org")
    response = client.post(
        "/accounts/login/",
        {"login": "carla@example.org", "password": "mala"},
        headers={"accept-language": "es"},
    )
    page = response.content.decode()
    assert "Hay un problema" in page
    assert "Iniciar sesión" in page
