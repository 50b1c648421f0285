"""The staff page of the job queue: depth per queue and the latest failed jobs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.jobs import selectors


@login_required
@require_GET
def status(request: HttpRequest) -> HttpResponse:
    """Staff only: anyone else signed in gets 404 (the page's existence is not revealed)."""
    if not getattr(request.user, "is_staff", False):
        raise Http404
    queues = selectors.queue_depths()
    return render(
        request,
        "jobs/status.html",
        {
            "queues": [(q, selectors.format_age(q.oldest_ready)) for q in queues],
            "failures": selectors.latest_failures(20),
        },
    )
