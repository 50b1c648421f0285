"""An email backend for the load test: each message is appended to ``<dir>/<recipient>.eml`` so a
simulated resident can read its own verification link, as a person reads their inbox.

The directory comes from ``EXCHANGE_BENCH_MAILBOX``. Only benchmarks use this backend."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage


def mailbox_dir() -> Path:
    return Path(os.environ.get("EXCHANGE_BENCH_MAILBOX", "var/bench-mailbox"))


def inbox_path(directory: Path, address: str) -> Path:
    safe = "".join(c if c.isalnum() or c in "@.-_+" else "_" for c in address.lower())
    return directory / f"{safe}.eml"


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        directory = mailbox_dir()
        directory.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            text = message.message().as_string()
            for address in message.recipients():
                with inbox_path(directory, address).open("a", encoding="utf-8") as inbox:
                    inbox.write(text + "\n\n")
            sent += 1
        return sent
