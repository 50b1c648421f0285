"""The confirmation email sent after a submit (queued with ``transaction.on_commit``), in the
application's language."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from apps.applications.models import Application

log = logging.getLogger(__name__)


def send_submitted_email(application_pk: int) -> None:
    """Tell the owner the application was received: confirmation number and where to see the
    results. Sent once, after the submit commits."""
    application = Application.objects.select_related("owner").get(pk=application_pk)
    email = getattr(application.owner, "email", "")
    if not email:
        log.warning("application %s: the owner has no email address", application_pk)
        return
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
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])


def _domain() -> str:
    try:
        return str(Site.objects.get_current().domain)
    except Site.DoesNotExist:  # pragma: no cover - the sites migration creates one
        return "localhost"
