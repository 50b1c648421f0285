"""Audit events are append-only in three layers: the model, its manager and the database."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from apps.audit import services as audit
from apps.audit.models import AppendOnly, AuditEvent

pytestmark = pytest.mark.django_db


def make_event(object_id: str = "app-1") -> AuditEvent:
    with transaction.atomic():
        return audit.record(
            audit.Action.UPDATE,
            audit.ObjectType.APPLICATION,
            object_id,
            changes={"status": {"old": "draft", "new": "submitted"}},
        )


def test_a_stored_event_cannot_be_saved_again() -> None:
    event = make_event()
    event.actor_label = "someone else"
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.save(update_fields=["actor_label"])
    assert AuditEvent.objects.get(pk=event.pk).actor_label == "system"


def test_an_event_loaded_from_the_database_cannot_be_saved_or_deleted() -> None:
    event = AuditEvent.objects.get(pk=make_event().pk)
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize(
    "change",
    [
        lambda qs: qs.update(actor_label="x"),
        lambda qs: qs.delete(),
        lambda qs: qs.bulk_update(list(qs), ["actor_label"]),
        lambda qs: qs.update_or_create(object_id="app-1", defaults={"actor_label": "x"}),
    ],
    ids=["update", "delete", "bulk_update", "update_or_create"],
)
def test_the_manager_refuses_bulk_changes(change: Callable[[Any], Any]) -> None:
    make_event()
    with pytest.raises(AppendOnly):
        change(AuditEvent.objects.all())
    with pytest.raises(AppendOnly):
        change(AuditEvent.objects.filter(object_id="app-1"))
    assert AuditEvent.objects.get().actor_label == "system"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET actor_label = 'forged'",
        "UPDATE audit_auditevent SET changes = '{}' WHERE object_id = 'app-1'",
        "DELETE FROM audit_auditevent",
        "DELETE FROM audit_auditevent WHERE object_id = 'app-1'",
    ],
)
def test_the_database_refuses_update_and_delete_in_raw_sql(sql: str) -> None:
    event = make_event()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor_label == "system"
    assert stored.changes == {"status": {"old": "draft", "new": "submitted"}}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_postgresql_refuses_truncate() -> None:
    make_event()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # run the pending foreign-key checks
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.count() == 1


def test_inserting_still_works_after_a_refusal() -> None:
    make_event("a")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    make_event("b")
    assert sorted(AuditEvent.objects.values_list("object_id", flat=True)) == ["a", "b"]


def test_the_triggers_are_installed_by_the_migration() -> None:
    names = _trigger_names()
    if connection.vendor == "sqlite":
        assert names >= {"audit_auditevent_no_update", "audit_auditevent_no_delete"}
    else:
        assert names >= {"audit_auditevent_no_change", "audit_auditevent_no_truncate"}


def _trigger_names() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                ["audit_auditevent"],
            )
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_auditevent'::regclass"
            )
        return {row[0] for row in cursor.fetchall()}


def test_the_reverse_migration_drops_the_triggers_and_they_can_be_put_back() -> None:
    from apps.audit import triggers

    triggers.remove(connection)  # what migration 0002 runs backwards
    try:
        assert not {n for n in _trigger_names() if n.startswith("audit_auditevent_no")}
        make_event()
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent")  # without triggers, nothing stops it
        assert not AuditEvent.objects.exists()
    finally:
        triggers.install(connection)
    assert len({n for n in _trigger_names() if n.startswith("audit_auditevent_no")}) == 2


@pytest.mark.django_db(transaction=True)
def test_record_refuses_to_write_outside_a_transaction() -> None:
    with pytest.raises(audit.NotInTransaction):
        audit.record(audit.Action.UPDATE, audit.ObjectType.APPLICATION, "x")
    assert AuditEvent.objects.count() == 0
    with transaction.atomic():
        audit.record(audit.Action.UPDATE, audit.ObjectType.APPLICATION, "x")
    assert AuditEvent.objects.count() == 1  # committed; the flush after this test must still work
