"""Database triggers that reject UPDATE and DELETE of audit events (apps/audit/triggers.py), for
SQLite and PostgreSQL; reversing the migration drops them."""

from typing import Any

from django.db import migrations

from apps.audit import triggers


def install(apps: Any, schema_editor: Any) -> None:
    triggers.install(schema_editor.connection)


def remove(apps: Any, schema_editor: Any) -> None:
    triggers.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_auditevent")]

    operations = [migrations.RunPython(install, remove, elidable=False)]
