"""The email outbox: one row per message the exchange sends, keyed so that a job that runs twice
sends once (see apps/jobs/mail.py and docs/adr/0004-background-jobs.md)."""

from __future__ import annotations

from django.db import models


class OutboundEmail(models.Model):
    """A message to deliver. ``key`` names what the message is for (``application-submitted:12``,
    ``message:<uuid>`` for a message handed to the queued email backend): the delivery job locks
    the row and sends only while ``sent_at`` is empty."""

    key = models.CharField(max_length=200, unique=True)
    subject = models.CharField(max_length=998, blank=True)
    recipients = models.JSONField(default=list, help_text="to, cc and bcc addresses")
    message = models.JSONField(help_text="the serialised message (apps.jobs.mail.serialize)")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["sent_at"])]

    def __str__(self) -> str:
        return f"{self.key} ({'sent' if self.sent_at else 'not sent'})"
