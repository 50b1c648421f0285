"""Pages of the application: start, each step, review and submit, results.

Thin: each view loads the owner's application (404 for anyone else), reads the form, calls a
service and renders or redirects. Sign-in is required everywhere.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError
from django.forms.utils import ErrorDict
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from apps.applications import selectors, services
from apps.applications.forms import FieldError, StepForm, SubmitForm, context_from
from apps.applications.models import Application
from apps.applications.steps import (
    REVIEW,
    STEP_TITLES,
    STEPS,
    PeopleForm,
    previous_step,
    step_form,
)
from apps.eligibility.selectors import parameters


def _step_url(application: Application, step: str) -> str:
    if step == REVIEW:
        return reverse("applications:review", args=[application.public_id])
    return reverse("applications:step", args=[application.public_id, step])


def _language(request: HttpRequest) -> str:
    return get_language() or "en"


@login_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    """Start a draft for the coverage year asked (default: the year people shop for today)."""
    params = parameters()
    raw = str(request.POST.get("coverage_year", "")).strip()
    year = int(raw) if raw.isdigit() else params.shopping_year(dt.date.today())
    try:
        application = services.start_application(request.user, year, language=_language(request))
    except services.ApplicationError as exc:
        return render(request, "applications/problem.html", {"message": exc.message}, status=400)
    return redirect(_step_url(application, application.current_step))


@login_required
@require_http_methods(["GET"])
def resume(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Where the person left off: the current step of a draft, the results once submitted."""
    application = selectors.application_for(request.user, public_id)
    if application.status != Application.Status.DRAFT:
        return redirect("applications:results", public_id=application.public_id)
    step = application.current_step if application.current_step in (*STEPS, REVIEW) else STEPS[0]
    return redirect(_step_url(application, step))


def _quiet(form: StepForm) -> StepForm:
    """A bound form shown again without complaints (after "Add another ...")."""
    setattr(form, "_errors", ErrorDict())  # noqa: B010 - Django's "already validated" marker
    form.cleaned_data = {}
    return form


@sensitive_post_parameters()  # the people step posts Social Security numbers: kept out of error reports
@login_required
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, public_id: uuid.UUID, step: str) -> HttpResponse:
    """One step: GET shows the stored answers; POST "Continue" saves and goes on, "Back" saves
    what was typed (when it can be) and goes back; "Add another ..." shows one more block."""
    if step not in STEPS:
        raise Http404
    application = selectors.application_for(request.user, public_id)
    if application.status != Application.Status.DRAFT:
        return redirect("applications:review", public_id=application.public_id)
    context = context_from(application.data, application.coverage_year)
    if step != "people" and not context.people:
        return redirect(_step_url(application, "people"))
    stored = application.data.get(step)
    return_to = (request.GET.get("return") or request.POST.get("return")) == REVIEW
    if request.method == "GET":
        form = step_form(step, context, answers=stored)
        return _render_step(request, application, step, form, return_to=return_to)

    action = str(request.POST.get("action", "continue"))
    form = step_form(step, context, answers=stored, data=request.POST)
    if action.startswith(("add", "remove-")) and hasattr(form, "with_action"):
        form = _quiet(step_form(step, context, answers=stored, data=form.with_action(action)))
        return _render_step(request, application, step, form, return_to=return_to)

    back = previous_step(step) if action == "back" else None
    if action == "back" and not form.is_valid():
        if not form.has_changed():
            return redirect(_back_url(application, back))
        return _render_step(
            request, application, step, form, return_to=return_to, back_unsaved=True
        )
    if not form.is_valid():
        return _render_step(request, application, step, form, return_to=return_to)
    try:
        services.save_step(
            application,
            step,
            form.answers(),
            request.user,
            advance=action != "back",
            ssns=form.ssns() if isinstance(form, PeopleForm) else None,
        )
    except services.StepInvalid as exc:
        for name, messages in exc.errors.items():
            for message in messages:
                form.add_error(name if name in form.fields else None, message)
        return _render_step(request, application, step, form, return_to=return_to)
    except (services.ApplicationError, DatabaseError) as exc:
        message = (
            exc.message
            if isinstance(exc, services.ApplicationError)
            else _("We could not save your answers. Please try again.")
        )
        return _render_step(
            request, application, step, form, return_to=return_to, save_error=message
        )
    if action == "back":
        return redirect(_back_url(application, back))
    if return_to:
        return redirect("applications:review", public_id=application.public_id)
    return redirect(
        _step_url(application, STEPS[STEPS.index(step) + 1] if step != STEPS[-1] else REVIEW)
    )


def _back_url(application: Application, back: str | None) -> str:
    if back is None:
        return selectors.optional_url("accounts:dashboard") or reverse("home")
    return _step_url(application, back)


def _render_step(
    request: HttpRequest,
    application: Application,
    step: str,
    form: StepForm,
    *,
    return_to: bool = False,
    back_unsaved: bool = False,
    save_error: str | None = None,
) -> HttpResponse:
    errors: list[FieldError] = form.error_list() if form.is_bound and form.errors else []
    back = previous_step(step)
    return render(
        request,
        f"applications/steps/{step}.html",
        {
            "application": application,
            "step": step,
            "title": STEP_TITLES[step],
            "form": form,
            "errors": errors,
            "save_error": save_error,
            "back_unsaved": back_unsaved,
            "back_url": _back_url(application, back) if back else None,
            "steps": selectors.step_links(application, step),
            "step_number": STEPS.index(step) + 1,
            "step_count": len(STEPS) + 1,
            "return_to_review": return_to,
            "coverage_year": application.coverage_year,
        },
    )


@login_required
@require_http_methods(["GET"])
def review(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Every answer with a link to change it, then attestation, signature and submit (a new
    idempotency key each time the page is drawn; a refresh or double click resends the same)."""
    application = selectors.application_for(request.user, public_id)
    form = SubmitForm(
        initial={"idempotency_key": uuid.uuid4()}, expected_name=_applicant_name(application)
    )
    return _render_review(request, application, form)


def _applicant_name(application: Application) -> str:
    context = context_from(application.data, application.coverage_year)
    return context.people[0].name if context.people else ""


def _render_review(
    request: HttpRequest,
    application: Application,
    form: SubmitForm,
    *,
    problem: str | None = None,
    incomplete: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    sections = selectors.review_sections(application)
    errors: list[FieldError] = form.error_list() if form.is_bound and form.errors else []
    return render(
        request,
        "applications/review.html",
        {
            "application": application,
            "step": REVIEW,
            "title": STEP_TITLES[REVIEW],
            "sections": sections,
            "complete": all(s.complete for s in sections),
            "draft": application.status == Application.Status.DRAFT,
            "form": form,
            "errors": errors,
            "problem": problem,
            "steps": selectors.step_links(application, REVIEW),
            "step_number": len(STEPS) + 1,
            "step_count": len(STEPS) + 1,
            "back_url": _step_url(application, STEPS[-1]),
        },
        status=status,
    )


@login_required
@require_POST
def submit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    application = selectors.application_for(request.user, public_id)
    form = SubmitForm(request.POST, expected_name=_applicant_name(application))
    if not form.is_valid():
        return _render_review(request, application, form)
    try:
        services.submit(
            application,
            request.user,
            str(form.cleaned_data["idempotency_key"]),
            form.cleaned_data["signature"],
            attested=bool(form.cleaned_data["attest"]),
            language=_language(request),
        )
    except services.AlreadySubmitted as exc:
        application.refresh_from_db()
        return _render_review(request, application, form, problem=exc.message, status=409)
    except services.SignatureInvalid as exc:
        form.add_error("signature", exc.message)
        return _render_review(request, application, form)
    except services.SubmitFailed as exc:
        return _render_review(request, application, form, problem=exc.message, status=503)
    except services.ApplicationError as exc:
        return _render_review(request, application, form, problem=exc.message)
    return redirect("applications:results", public_id=application.public_id)


@login_required
@require_http_methods(["GET"])
def results(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The status and, once determined, what each person may get and why, and what to do next."""
    application = selectors.application_for(request.user, public_id)
    if application.status == Application.Status.DRAFT:
        return HttpResponseRedirect(reverse("applications:resume", args=[application.public_id]))
    found = selectors.results(application, _language(request))
    context: dict[str, Any] = {
        "application": application,
        "results": found,
        "dashboard_url": selectors.optional_url("accounts:dashboard"),
    }
    return render(request, "applications/results.html", context)
