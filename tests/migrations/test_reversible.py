"""Every project migration can be reversed, on whichever database the suite runs (SQLite, or
PostgreSQL under ``make pytest-postgres``).

Two checks: each operation of every ``apps.*`` migration declares a reverse (``RunPython`` needs
``reverse_code``, ``RunSQL`` needs ``reverse_sql``), unless the migration is listed in
:data:`IRREVERSIBLE` with the reason; and the project apps really migrate back to zero (their
tables are gone) and forward again (their tables are back), so the reverse operations also run."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

pytestmark = pytest.mark.migrations

# (app label, migration name) -> why it cannot be reversed. Empty: every migration is reversible.
IRREVERSIBLE: dict[tuple[str, str], str] = {}


def project_labels() -> list[str]:
    return sorted(
        config.label
        for config in django_apps.get_app_configs()
        if config.name.startswith("apps.")
        and MigrationLoader.migrations_module(config.label)[0] is not None
    )


def project_migrations() -> dict[tuple[str, str], Any]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    labels = set(project_labels())
    return {key: migration for key, migration in loader.disk_migrations.items() if key[0] in labels}


def project_tables() -> set[str]:
    """The tables of the project's managed models that exist in the database now."""
    existing = set(connection.introspection.table_names())
    wanted = {
        model._meta.db_table
        for label in project_labels()
        for model in django_apps.get_app_config(label).get_models()
        if model._meta.managed
    }
    return wanted & existing


def test_the_project_has_migrations_to_check() -> None:
    labels = project_labels()
    assert {"applications", "eligibility", "enrollment", "plans"} <= set(labels)
    assert len(project_migrations()) >= len(labels)


def test_every_operation_declares_its_reverse() -> None:
    irreversible = sorted(
        f"{label}.{name}: {type(operation).__name__} {operation.describe()}"
        for (label, name), migration in project_migrations().items()
        for operation in migration.operations
        if not operation.reversible and (label, name) not in IRREVERSIBLE
    )
    assert irreversible == [], (
        "give these operations a reverse (RunPython reverse_code, RunSQL reverse_sql) or list "
        "the migration in IRREVERSIBLE with the reason"
    )


def test_the_irreversible_list_is_current() -> None:
    """An entry for a migration that no longer exists (or became reversible) is removed."""
    migrations = project_migrations()
    stale = [
        key
        for key in IRREVERSIBLE
        if key not in migrations or all(op.reversible for op in migrations[key].operations)
    ]
    assert stale == []


@pytest.mark.django_db(transaction=True)
def test_every_app_migrates_to_zero_and_back() -> None:
    labels = project_labels()
    assert project_tables(), "the test database should have the project's tables"
    if IRREVERSIBLE:
        pytest.skip(f"irreversible migrations: {sorted(IRREVERSIBLE)}")

    executor = MigrationExecutor(connection)
    backwards = [(label, None) for label in labels]
    plan = executor.migration_plan(backwards)
    assert plan and all(backward for _migration, backward in plan)
    executor.migrate(backwards, plan=plan)

    assert project_tables() == set()
    executor.loader.build_graph()
    recorded = executor.loader.applied_migrations
    assert not [key for key in recorded if key[0] in labels]

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    executor.loader.build_graph()
    assert set(project_migrations()) <= set(executor.loader.applied_migrations)
    managed = {
        model._meta.db_table
        for label in labels
        for model in django_apps.get_app_config(label).get_models()
        if model._meta.managed
    }
    assert project_tables() == managed
