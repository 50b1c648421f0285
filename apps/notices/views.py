"""The eligibility notice PDF of the signed-in owner's application (404 for anyone else).

The PDF is the one stored by the background job; if the job has not run yet (or another language
is asked for), it is rendered now through the same idempotent service and stored, so the resident
never waits on the worker."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from apps.enrollment import selectors
from apps.notices import services


@login_required
@require_GET
def eligibility_notice(request: HttpRequest, public_id: UUID) -> HttpResponse:
    app = selectors.owned_application(request.user, public_id)
    language = services.notice_language(request.GET.get("lang"))
    try:
        pdf = bytes(services.stored_eligibility_notice(app, language).pdf)
    except selectors.NoDetermination:  # no decision yet: there is no notice
        raise Http404 from None
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"eligibility-notice-{app.confirmation_number or app.public_id}-{language}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Content-Language"] = language
    response["Cache-Control"] = "private, no-store"
    return response
