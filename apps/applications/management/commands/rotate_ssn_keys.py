"""Re-encrypt every stored Social Security number with the first key of EXCHANGE_SSN_KEYS."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from apps.applications import ssn


class Command(BaseCommand):
    help = (
        "Re-encrypt stored Social Security numbers with the first key of EXCHANGE_SSN_KEYS "
        "(put the new key first, keep the old ones after it, run this, then remove the old keys)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            count = ssn.rotate_ssn_keys()
        except ssn.SSNKeyError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Re-encrypted {count} Social Security numbers with the first key.")
