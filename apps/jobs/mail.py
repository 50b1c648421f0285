"""Email through the job queue, delivered once per key.

- :class:`QueuedEmailBackend` is the ``EMAIL_BACKEND``: every message Django (or django-allauth)
  sends is stored in the outbox (:class:`~apps.jobs.models.OutboundEmail`) and a
  :func:`deliver_queued_email` job is enqueued, both in the caller's transaction. Nothing is sent
  while a web request waits on a mail server.
- :func:`deliver_once` sends a message built by a job (the application and enrollment
  confirmations) under a natural key such as ``application-submitted:12``.

Both lock the outbox row, send through the real backend (``EMAIL_DELIVERY_BACKEND``: the console
by default, locmem in tests, SMTP in production) and mark the row sent in the same transaction: a
job that runs twice sends once. A crash after the mail server accepted the message and before the
commit sends it again on the retry (at-least-once; see docs/adr/0004-background-jobs.md).
"""

from __future__ import annotations

import base64
import email
import logging
import uuid
from collections.abc import Sequence
from email.mime.base import MIMEBase
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.jobs.models import OutboundEmail
from apps.jobs.retry import PermanentJobError, durable_task

log = logging.getLogger(__name__)

QUEUED_BACKEND = "apps.jobs.mail.QueuedEmailBackend"
DEFAULT_DELIVERY_BACKEND = "django.core.mail.backends.console.EmailBackend"
#: Emails go before notices: a resident may be waiting for a verification link.
EMAIL_PRIORITY = 10


# --- serialising a message into the outbox (JSON) and back -------------------------------------


def _encode(content: Any) -> dict[str, str]:
    if isinstance(content, bytes):
        return {"bytes": base64.b64encode(content).decode("ascii")}
    return {"text": str(content)}


def _decode(value: dict[str, str]) -> str | bytes:
    if "bytes" in value:
        return base64.b64decode(value["bytes"])
    return value["text"]


def serialize(message: EmailMessage) -> dict[str, Any]:
    """A JSON-safe copy of ``message`` (an EmailMessage or EmailMultiAlternatives) with
    everything needed to send it again: addresses, headers, body, alternatives, attachments."""
    attachments: list[dict[str, Any]] = []
    for attachment in message.attachments:
        if isinstance(attachment, MIMEBase):
            attachments.append({"mime": _encode(attachment.as_bytes())})
        else:
            filename, content, mimetype = attachment
            attachments.append(
                {"filename": filename, "content": _encode(content), "mimetype": mimetype}
            )
    alternatives = [
        {"content": _encode(content), "mimetype": mimetype}
        for content, mimetype in getattr(message, "alternatives", [])
    ]
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": {str(k): str(v) for k, v in message.extra_headers.items()},
        "content_subtype": message.content_subtype,
        "mixed_subtype": message.mixed_subtype,
        "alternatives": alternatives,
        "attachments": attachments,
    }


def deserialize(data: dict[str, Any]) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    message.content_subtype = data["content_subtype"]
    message.mixed_subtype = data["mixed_subtype"]
    for alternative in data["alternatives"]:
        message.attach_alternative(_decode(alternative["content"]), alternative["mimetype"])
    for attachment in data["attachments"]:
        if "mime" in attachment:
            message.attach(_mime_part(_decode(attachment["mime"])))
        else:
            message.attach(
                attachment["filename"], _decode(attachment["content"]), attachment["mimetype"]
            )
    return message


def _mime_part(raw: str | bytes) -> MIMEBase:
    """A MIME attachment back from its bytes (Django attaches only MIMEBase parts as they are)."""
    parsed = email.message_from_bytes(raw if isinstance(raw, bytes) else raw.encode())
    part = MIMEBase(parsed.get_content_maintype(), parsed.get_content_subtype())
    del part["Content-Type"], part["MIME-Version"]
    for name, value in parsed.items():
        part[name] = value
    part.set_payload(parsed.get_payload())
    return part


# --- delivering -----------------------------------------------------------------------------------


def delivery_backend() -> str:
    backend = str(getattr(settings, "EMAIL_DELIVERY_BACKEND", "") or DEFAULT_DELIVERY_BACKEND)
    if backend == QUEUED_BACKEND:
        raise ImproperlyConfigured("EMAIL_DELIVERY_BACKEND cannot be the queued backend itself")
    return backend


def _recipients(message: EmailMessage) -> list[str]:
    return [str(a) for a in message.recipients()]


def _send_and_mark(row: OutboundEmail, message: EmailMessage) -> bool:
    """Send ``message`` through the delivery backend unless ``row`` (locked by the caller, inside
    its transaction) is already sent; then mark it sent."""
    if row.sent_at is not None:
        log.info("email %s was already sent at %s", row.key, row.sent_at.isoformat())
        return False
    with get_connection(delivery_backend(), fail_silently=False) as connection:
        message.connection = connection
        message.send(fail_silently=False)
    row.sent_at = timezone.now()
    row.save(update_fields=["sent_at"])
    return True


def _locked(key: str, message: EmailMessage) -> OutboundEmail:
    """The outbox row for ``key``, created if missing, locked until the transaction ends."""
    row = OutboundEmail.objects.select_for_update().filter(key=key).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            return OutboundEmail.objects.create(
                key=key,
                subject=str(message.subject)[:998],
                recipients=_recipients(message),
                message=serialize(message),
            )
    except IntegrityError:  # another worker created it at the same moment: wait for its lock
        return OutboundEmail.objects.select_for_update().get(key=key)


def deliver_once(key: str, message: EmailMessage) -> bool:
    """Send ``message`` unless a message with ``key`` was already sent. True if sent now.
    Call from a job: it talks to the mail server."""
    with transaction.atomic():
        return _send_and_mark(_locked(key, message), message)


@durable_task(priority=EMAIL_PRIORITY)
def deliver_queued_email(outbound_pk: int) -> bool:
    """Deliver one message stored by :class:`QueuedEmailBackend` (once)."""
    with transaction.atomic():
        row = OutboundEmail.objects.select_for_update().filter(pk=outbound_pk).first()
        if row is None:
            raise PermanentJobError(f"no outbox row {outbound_pk}")
        return _send_and_mark(row, deserialize(row.message))


def enqueue_message(message: EmailMessage) -> OutboundEmail:
    """Store ``message`` in the outbox and enqueue its delivery, in the current transaction."""
    with transaction.atomic():
        row = OutboundEmail.objects.create(
            key=f"message:{uuid.uuid4()}",
            subject=str(message.subject)[:998],
            recipients=_recipients(message),
            message=serialize(message),
        )
        deliver_queued_email.enqueue(row.pk)
    return row


class QueuedEmailBackend(BaseEmailBackend):
    """``EMAIL_BACKEND`` that queues each message for a worker to deliver (see the module)."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = 0
        for message in email_messages:
            if not message.recipients():
                continue
            try:
                enqueue_message(message)
            except Exception:
                if not self.fail_silently:
                    raise
                log.exception("could not queue an email")
                continue
            sent += 1
        return sent
