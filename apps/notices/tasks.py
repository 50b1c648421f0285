"""Background jobs of the notices app: render and store the eligibility notice after a
determination (enqueued in the submit's transaction)."""

from __future__ import annotations

from apps.applications.models import Application
from apps.enrollment.selectors import NoDetermination
from apps.jobs.retry import PermanentJobError, durable_task
from apps.notices import services


@durable_task()
def store_eligibility_notice(application_pk: int, language: str) -> int:
    """Render the eligibility notice in ``language`` and store it (once: a second run finds it
    stored). Returns the notice's id."""
    application = Application.objects.filter(pk=application_pk).first()
    if application is None:
        raise PermanentJobError(f"no application {application_pk}")
    try:
        return services.stored_eligibility_notice(application, language).pk
    except NoDetermination as exc:
        raise PermanentJobError(f"application {application_pk} has no determination") from exc
