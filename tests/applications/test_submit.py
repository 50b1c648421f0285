"""Submit: one transaction, idempotent on its key, statuses with history, stored determination,
the confirmation email and the notice as jobs enqueued in the same transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail

from apps.applications import services
from apps.applications.models import Application, StatusChange
from apps.applications.services import CONFIRMATION_PATTERN
from apps.eligibility import services as eligibility_services
from apps.eligibility.models import EligibilityDetermination
from rules import RULES_VERSION
from tests.applications import factories as f
from tests.jobs.runner import jobs, run_jobs

pytestmark = pytest.mark.django_db
Capture = Callable[..., Any]
EMAIL_JOB = "apps.applications.emails.send_submitted_email"
NOTICE_JOB = "apps.notices.tasks.store_eligibility_notice"


def submitted(
    user: Any, answers: f.Answers | None = None, key: str = "key-1"
) -> services.SubmitResult:
    answers = answers or f.family_180()
    app = f.make_application(user, answers)
    return services.submit(app, user, key, f.signature_of(answers))


def test_submit_determines_and_records_everything(
    user: Any, django_capture_on_commit_callbacks: Capture
) -> None:
    answers = f.family_180()
    app = f.make_application(user, answers)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.submit(app, user, "key-1", "  ana   SILVA ")
    assert result.created
    stored = Application.objects.get(pk=app.pk)
    assert stored.status == "determined"
    assert stored.confirmation_number == result.confirmation_number
    assert CONFIRMATION_PATTERN.fullmatch(result.confirmation_number)
    assert result.confirmation_number.startswith("MA-2026-")
    assert (stored.submit_key, stored.signature) == ("key-1", "ana SILVA")
    assert stored.submitted_at is not None
    history = list(
        stored.history.order_by("pk").values_list("old_status", "new_status", "changed_by")
    )
    assert history == [
        ("", "draft", user.pk),
        ("draft", "submitted", user.pk),
        ("submitted", "determined", user.pk),
    ]
    d = EligibilityDetermination.objects.get(application=stored)
    assert d.rules_version == RULES_VERSION
    assert d.parameters_version
    assert d.household == services.household_json(stored)
    programs = [m["program"] for m in d.result["members"]]
    assert programs == ["connectorcare", "connectorcare", "chip", "chip"]
    first_reason = d.result["members"][0]["reasons"][0]
    assert first_reason["code"] == "ptc_eligible" and first_reason["figures"]["name"] == "Ana Silva"
    assert [j.task_path for j in jobs()] == [EMAIL_JOB, NOTICE_JOB]
    assert [j.args_kwargs["args"] for j in jobs()] == [[stored.pk], [stored.pk, "en"]]
    assert mail.outbox == []  # sent by a worker, once the submit has committed
    assert run_jobs() == 2
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ana@example.com"]
    assert result.confirmation_number in message.subject
    assert f"/applications/{stored.public_id}/" in message.body


def test_the_email_is_in_the_application_language(
    user: Any, django_capture_on_commit_callbacks: Capture
) -> None:
    answers = f.single_220()
    app = f.make_application(user, answers)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(app, user, "key-1", f.signature_of(answers), language="es")
    assert Application.objects.get(pk=app.pk).language == "es"
    run_jobs()
    assert mail.outbox[0].subject.startswith("Recibimos su solicitud")


def test_a_failure_inside_changes_nothing(
    user: Any, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Capture
) -> None:
    answers = f.family_180()
    app = f.make_application(user, answers)
    before = Application.objects.get(pk=app.pk)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the engine broke")

    monkeypatch.setattr(eligibility_services, "determine", broken)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(services.SubmitFailed) as caught,
    ):
        services.submit(app, user, "key-1", f.signature_of(answers))
    assert "was not submitted" in caught.value.message
    stored = Application.objects.get(pk=app.pk)
    assert stored.status == "draft"
    assert stored.confirmation_number is None and stored.submit_key is None
    assert stored.signature == "" and stored.submitted_at is None
    assert (stored.data, stored.version) == (before.data, before.version)
    assert not EligibilityDetermination.objects.exists()
    assert list(stored.history.values_list("new_status", flat=True)) == ["draft"]
    assert callbacks == [] and jobs() == [] and mail.outbox == []
    # The same key works once the problem is gone.
    monkeypatch.undo()
    assert services.submit(app, user, "key-1", f.signature_of(answers)).created


def test_a_failure_storing_the_determination_changes_nothing(
    user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = f.single_220()
    app = f.make_application(user, answers)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise EligibilityDetermination.DoesNotExist("disk full")

    monkeypatch.setattr(eligibility_services, "store_determination", broken)
    with pytest.raises(services.SubmitFailed):
        services.submit(app, user, "key-1", f.signature_of(answers))
    stored = Application.objects.get(pk=app.pk)
    assert (stored.status, stored.confirmation_number) == ("draft", None)
    assert StatusChange.objects.filter(application=stored).count() == 1


def test_double_submit_with_the_same_key_is_one_submit(
    user: Any, django_capture_on_commit_callbacks: Capture
) -> None:
    answers = f.family_180()
    app = f.make_application(user, answers)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.submit(app, user, "same-key", f.signature_of(answers))
        second = services.submit(app, user, "same-key", f.signature_of(answers))
    assert first.created and not second.created
    assert second.confirmation_number == first.confirmation_number
    assert second.determination.pk == first.determination.pk
    assert Application.objects.filter(owner=user, status="determined").count() == 1
    assert EligibilityDetermination.objects.count() == 1
    assert StatusChange.objects.filter(application=app).count() == 3
    assert [j.task_path for j in jobs()] == [EMAIL_JOB, NOTICE_JOB]  # queued once
    run_jobs()
    assert len(mail.outbox) == 1


def test_refresh_after_submit_returns_the_stored_result(user: Any) -> None:
    first = submitted(user)
    # A fresh copy of the application, as a new request would load it.
    fresh = Application.objects.get(pk=first.application.pk)
    again = services.submit(fresh, user, "KEY-1", "whatever is typed")
    assert not again.created
    assert again.confirmation_number == first.confirmation_number


def test_a_second_submit_with_another_key_is_refused(user: Any) -> None:
    first = submitted(user)
    app = Application.objects.get(pk=first.application.pk)
    with pytest.raises(services.AlreadySubmitted) as caught:
        services.submit(app, user, "key-2", "Ana Silva")
    assert caught.value.confirmation_number == first.confirmation_number
    assert first.confirmation_number in caught.value.message
    assert EligibilityDetermination.objects.count() == 1
    assert Application.objects.get(pk=app.pk).submit_key == "key-1"


def test_submit_needs_every_step(user: Any) -> None:
    answers = f.family_180()
    app = f.make_application(user, answers, steps=("people", "tax"))
    with pytest.raises(services.Incomplete) as caught:
        services.submit(app, user, "key-1", "Ana Silva")
    assert caught.value.steps[0] == "address"
    assert Application.objects.get(pk=app.pk).status == "draft"


def test_submit_needs_the_applicants_name_and_the_attestation(user: Any) -> None:
    answers = f.family_180()
    app = f.make_application(user, answers)
    with pytest.raises(services.SignatureInvalid, match="Ana Silva"):
        services.submit(app, user, "key-1", "Ben Silva")
    with pytest.raises(services.SignatureInvalid):
        services.submit(app, user, "key-1", "   ")
    with pytest.raises(services.SignatureInvalid):
        services.submit(app, user, "key-1", "Ana Silva", attested=False)
    with pytest.raises(services.ApplicationError):
        services.submit(app, user, "", "Ana Silva")
    stored = Application.objects.get(pk=app.pk)
    assert (stored.status, stored.submit_key) == ("draft", None)


def test_confirmation_numbers_are_unique(user: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    first = submitted(user, key="k1")
    other = f.make_user("bo@example.com")
    answers = f.single_220()
    app = f.make_application(other, answers)
    taken = first.confirmation_number.split("-")
    draws = iter([*taken[2], *taken[3], *"ABCDEFGH"])
    monkeypatch.setattr("apps.applications.services.secrets.choice", lambda alphabet: next(draws))
    result = services.submit(app, other, "k2", f.signature_of(answers))
    assert result.confirmation_number == "MA-2026-ABCD-EFGH"


def test_every_household_submits(user: Any) -> None:
    for number, (name, make) in enumerate(f.HOUSEHOLDS.items()):
        owner = f.make_user(f"{name}@example.com")
        answers = make()
        app = f.make_application(owner, answers)
        result = services.submit(app, owner, f"key-{number}", f.signature_of(answers))
        assert result.application.status == "determined", name
