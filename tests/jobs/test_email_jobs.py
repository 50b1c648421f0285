"""Email through the queue: allauth's messages are stored and delivered by a job; the application
confirmation is a job that sends once however often it runs; a crash between sending and marking
sends again (at-least-once, by design)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import DatabaseError, transaction
from django.test import Client

from apps.applications import services
from apps.applications.emails import send_submitted_email
from apps.jobs import mail as queued_mail
from apps.jobs.models import OutboundEmail
from tests.accounts.factories import PASSWORD
from tests.applications import factories as f
from tests.jobs.runner import jobs, run_jobs

pytestmark = pytest.mark.django_db

DELIVER = "apps.jobs.mail.deliver_queued_email"


def test_the_verification_email_of_a_sign_up_goes_through_the_queue(client: Client) -> None:
    response = client.post(
        "/accounts/signup/",
        {"email": "queued@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert mail.outbox == []  # the request did not talk to a mail server
    [job] = jobs()
    assert job.task_path == DELIVER
    row = OutboundEmail.objects.get()
    assert job.args_kwargs["args"] == [row.pk]
    assert row.recipients == ["queued@example.org"] and row.sent_at is None
    assert "Confirm your email address" in row.subject

    assert run_jobs() == 1
    [message] = mail.outbox
    assert message.to == ["queued@example.org"]
    assert "/accounts/confirm-email/" in str(message.body)
    row.refresh_from_db()
    assert row.sent_at is not None

    # The same delivery job again (a retry after a crash before it was marked done): no second
    # email.
    queued_mail.deliver_queued_email.enqueue(row.pk)
    assert run_jobs() == 1
    assert len(mail.outbox) == 1


def test_a_message_queued_in_a_transaction_that_rolls_back_is_never_sent() -> None:
    def sign_up_that_fails() -> None:
        with transaction.atomic():
            EmailMessage("Hello", "Body", "from@example.org", ["to@example.org"]).send()
            raise RuntimeError("the sign-up failed")

    with pytest.raises(RuntimeError):
        sign_up_that_fails()
    assert not OutboundEmail.objects.exists() and jobs() == []
    assert run_jobs() == 0 and mail.outbox == []


def test_a_message_survives_the_queue_unchanged() -> None:
    message = EmailMultiAlternatives(
        "Sujeto ñ",
        "plain body",
        "from@example.org",
        ["to@example.org"],
        cc=["cc@example.org"],
        bcc=["bcc@example.org"],
        reply_to=["reply@example.org"],
        headers={"X-Exchange": "1"},
    )
    message.attach_alternative("<p>html body</p>", "text/html")
    message.attach("notice.pdf", b"%PDF-1.7 \x00\xff", "application/pdf")
    message.attach("note.txt", "text attachment", "text/plain")
    data = json.loads(json.dumps(queued_mail.serialize(message)))
    again = queued_mail.deserialize(data)
    assert (again.subject, again.body, again.from_email) == (
        "Sujeto ñ",
        "plain body",
        "from@example.org",
    )
    assert (again.to, again.cc, again.bcc, again.reply_to) == (
        ["to@example.org"],
        ["cc@example.org"],
        ["bcc@example.org"],
        ["reply@example.org"],
    )
    assert again.extra_headers == {"X-Exchange": "1"}
    assert list(again.alternatives) == [("<p>html body</p>", "text/html")]
    assert [tuple(a) for a in again.attachments] == [
        ("notice.pdf", b"%PDF-1.7 \x00\xff", "application/pdf"),
        ("note.txt", "text attachment", "text/plain"),
    ]
    assert again.message().as_bytes()  # it still builds a valid MIME message


def _submitted(user: Any) -> int:
    answers = f.single_220()
    app = f.make_application(user, answers)
    services.submit(app, user, "key-1", f.signature_of(answers))
    return app.pk


def test_the_confirmation_job_run_twice_sends_one_email(user: Any) -> None:
    pk = _submitted(user)
    send_submitted_email.enqueue(pk)  # a duplicate of the job the submit enqueued
    run_jobs()
    sent = [m for m in mail.outbox if "We received your application" in m.subject]
    assert len(sent) == 1, [m.subject for m in mail.outbox]
    row = OutboundEmail.objects.get(key=f"application-submitted:{pk}")
    assert row.sent_at is not None and row.recipients == ["ana@example.com"]
    assert send_submitted_email.call(pk) is False  # already sent: nothing to do
    assert len(mail.outbox) == 1


def test_a_crash_between_sending_and_marking_sends_again_on_the_retry(
    user: Any, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    """At-least-once: the mail server accepted the message, then the database failed before the
    row was marked sent; the transaction rolls back, the job is retried and sends again."""
    settings.JOBS_RETRY_BASE_SECONDS = 0
    pk = _submitted(user)
    real_save = OutboundEmail.save
    failures = [DatabaseError("the database went away")]

    def save_then_fail(self: OutboundEmail, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("update_fields") == ["sent_at"] and failures:
            raise failures.pop()
        real_save(self, *args, **kwargs)

    monkeypatch.setattr(OutboundEmail, "save", save_then_fail)
    run_jobs()  # attempt 1 sends and fails to mark; attempt 2 (no backoff here) sends and marks
    sent = [m for m in mail.outbox if "We received your application" in m.subject]
    assert len(sent) == 2
    assert OutboundEmail.objects.get(key=f"application-submitted:{pk}").sent_at is not None
    run_jobs()
    assert len([m for m in mail.outbox if "We received your application" in m.subject]) == 2


def test_a_submit_that_fails_queues_nothing(user: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from apps.eligibility import services as eligibility_services

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the engine broke")

    monkeypatch.setattr(eligibility_services, "determine", broken)
    answers = f.single_220()
    app = f.make_application(user, answers)
    with pytest.raises(services.SubmitFailed):
        services.submit(app, user, "key-1", f.signature_of(answers))
    assert jobs() == [] and not OutboundEmail.objects.exists()


def test_the_delivery_backend_cannot_be_the_queue_itself(settings: Any) -> None:
    settings.EMAIL_DELIVERY_BACKEND = queued_mail.QUEUED_BACKEND
    with pytest.raises(Exception, match="cannot be the queued backend"):
        queued_mail.delivery_backend()
