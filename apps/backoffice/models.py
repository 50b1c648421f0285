"""The back office's permissions. There is no table: ``BackOfficeAccess`` only carries the
permissions that staff need on top of ``is_staff`` (grant them to a group, not to each person)."""

from __future__ import annotations

from django.db import models


class BackOfficeAccess(models.Model):
    class Meta:
        managed = False  # no table: a holder of permissions
        default_permissions = ()
        permissions = [
            (
                "view_person_record",
                "Can view a person's full record (every answer) in the back office",
            ),
            ("reveal_ssn", "Can reveal a household member's full Social Security number"),
        ]

    def __str__(self) -> str:
        return "back office access"
