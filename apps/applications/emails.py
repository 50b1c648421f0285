"""The confirmation email sent after a submit, in the application's language: a background job
enqueued in the submit's transaction (docs/adr/0004-background-jobs.md), delivered once per
application."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from apps.applications.models import Application
from apps.jobs.mail import EMAIL_PRIORITY, deliver_once
from apps.jobs.retry import PermanentJobError, durable_task

log = logging.getLogger(__name__)


@durable_task(priority=EMAIL_PRIORITY)
def send_submitted_email(application_pk: int) -> bool:
    """Tell the owner the application was received: confirmation number and where to see the
    results. Runs once the submit has committed; sent once (key ``application-submitted:<pk>``)
    however often the job runs. True if sent by this run."""
    application = Application.objects.select_related("owner").filter(pk=application_pk).first()
    if application is None:
        raise PermanentJobError(f"no application {application_pk}")
    email = getattr(application.owner, "email", "")
    if not email:
        log.warning("application %s: the owner has no email address", application_pk)
        return False
    with translation.override(application.language or "en"):
        context = {
            "application": application,
            "results_url": f"https://{_domain()}"
            + reverse("applications:results", args=[application.public_id]),
        }
        subject = " ".join(
            render_to_string("applications/email/submitted_subject.txt", context).split()
        )
        body = render_to_string("applications/email/submitted_body.txt", context)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
    return deliver_once(f"application-submitted:{application_pk}", message)


def _domain() -> str:
    try:
        return str(Site.objects.get_current().domain)
    except Site.DoesNotExist:  # pragma: no cover - the sites migration creates one
        return "localhost"
