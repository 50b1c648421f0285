"""The eligibility notice as a job: the submit enqueues it, the job stores the PDF, the view serves
the stored PDF, renders and stores it at once when the job has not run yet, and renders another
language on demand."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from apps.applications import services
from apps.applications.models import Application
from apps.notices import services as notices
from apps.notices.models import Notice
from apps.notices.tasks import store_eligibility_notice
from tests.applications import factories as f
from tests.jobs.runner import jobs, run_jobs

pytestmark = pytest.mark.django_db


def _submitted(user: Any, language: str = "en") -> Application:
    answers = f.single_220()
    app = f.make_application(user, answers)
    services.submit(app, user, "key-1", f.signature_of(answers), language=language)
    return Application.objects.get(pk=app.pk)


def _count_renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = notices.render_eligibility_notice

    def counting(application: Application, language: str) -> bytes:
        calls.append(language)
        return real(application, language)

    monkeypatch.setattr(notices, "render_eligibility_notice", counting)
    return calls


def test_the_submit_queues_the_notice_and_the_job_stores_it(
    user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _submitted(user, language="es")
    assert [j.args_kwargs["args"] for j in jobs("apps.notices.tasks.store_eligibility_notice")] == [
        [app.pk, "es"]
    ]
    assert not Notice.objects.exists()
    renders = _count_renders(monkeypatch)
    run_jobs()
    notice = Notice.objects.get()
    assert (notice.application_id, notice.kind, notice.language) == (app.pk, "eligibility", "es")
    assert bytes(notice.pdf).startswith(b"%PDF-")
    assert notice.rules_version == app.determination.rules_version
    assert notice.parameters_version == app.determination.parameters_version
    assert renders == ["es"]
    # Run again (a duplicate or a retry): still one notice, not rendered again.
    store_eligibility_notice.enqueue(app.pk, "es")
    run_jobs()
    assert Notice.objects.count() == 1 and renders == ["es"]


def test_the_view_serves_the_stored_pdf(user: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    app = _submitted(user)
    run_jobs()
    stored = bytes(Notice.objects.get(language="en").pdf)

    def no_rendering(*args: Any, **kwargs: Any) -> bytes:
        raise AssertionError("the stored notice should be served")

    monkeypatch.setattr(notices, "render_eligibility_notice", no_rendering)
    client = Client()
    client.force_login(user)
    response = client.get(reverse("notices:eligibility", args=[app.public_id]))
    assert response.status_code == 200
    assert response.content == stored


def test_before_the_job_runs_the_view_renders_and_stores_it_then_the_job_does_nothing(
    user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _submitted(user)
    renders = _count_renders(monkeypatch)
    client = Client()
    client.force_login(user)
    response = client.get(reverse("notices:eligibility", args=[app.public_id]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert renders == ["en"]
    assert bytes(Notice.objects.get(language="en").pdf) == response.content
    run_jobs()  # the queued notice job finds it stored
    assert renders == ["en"] and Notice.objects.count() == 1

    # Another language: rendered on demand and stored beside it.
    response = client.get(reverse("notices:eligibility", args=[app.public_id]), {"lang": "es"})
    assert response["Content-Language"] == "es"
    assert sorted(Notice.objects.values_list("language", flat=True)) == ["en", "es"]
    assert renders == ["en", "es"]
    client.get(reverse("notices:eligibility", args=[app.public_id]), {"lang": "es"})
    assert renders == ["en", "es"]


def test_a_notice_job_for_an_application_without_a_decision_fails_for_good(user: Any) -> None:
    app = f.make_application(user, f.single_220())  # a draft
    store_eligibility_notice.enqueue(app.pk, "en")
    run_jobs()
    [job] = jobs()
    assert job.status == "FAILED"
    assert job.exception_class_path == "apps.jobs.retry.PermanentJobError"
    assert not Notice.objects.exists()
