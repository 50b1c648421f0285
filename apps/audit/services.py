"""Writing the audit trail: ``record`` one event inside the transaction of the change it describes.

Callers pass what changed as ``{field: (old, new)}`` (``field_changes``) or let ``json_changes``
compare two JSON values (such as ``Application.data``) path by path, so an event names the answers
that changed rather than copying the whole blob. Values under a key that names a secret
(passwords, SSNs, keys, tokens, ciphertexts) are replaced by ``MASK`` before they are stored.
"""

from __future__ import annotations

import copy
import datetime as dt
import decimal
import re
import uuid
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from apps.audit.models import AuditEvent

Action = AuditEvent.Action
ObjectType = AuditEvent.ObjectType

MASK = "[redacted]"
#: Key names (anywhere in a path) whose values are never written to the audit trail.
SECRET_KEY = re.compile(r"ssn|password|secret|token|cipher|key|hash", re.IGNORECASE)
SYSTEM = "system"
RESIDENT = "resident"


class NotInTransaction(RuntimeError):
    """``record`` was called outside a transaction: the change and its audit row could part."""


def actor_label(user: Any) -> str:
    """ "system" (no user), "staff:<username>" for staff, "resident" for anyone else."""
    if user is None or not getattr(user, "pk", None):
        return SYSTEM
    if getattr(user, "is_staff", False):
        return f"staff:{user.get_username()}"
    return RESIDENT


def record(
    action: str,
    object_type: str,
    object_id: Any,
    *,
    actor: Any = None,
    changes: Mapping[str, Any] | None = None,
    related_id: Any = "",
    request: HttpRequest | None = None,
    using: str | None = None,
) -> AuditEvent:
    """Append one audit event. Must run inside the caller's ``transaction.atomic()`` (raises
    :class:`NotInTransaction` otherwise), so it commits or rolls back with the change.

    ``changes`` is ``{name: {"old": ..., "new": ...}}`` (see ``field_changes`` and
    ``json_changes``); secrets in it are masked again here, whatever the caller did."""
    if not transaction.get_connection(using).in_atomic_block:
        raise NotInTransaction(
            "audit.record must be called inside transaction.atomic() with the change it records"
        )
    if action not in Action.values:
        raise ValueError(f"unknown audit action {action!r}")
    if object_type not in ObjectType.values:
        raise ValueError(f"unknown audit object type {object_type!r}")
    user = actor if getattr(actor, "pk", None) else None
    event = AuditEvent(
        actor=user,
        actor_label=actor_label(user),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        related_id=str(related_id or ""),
        changes=_masked_changes(changes or {}),
        request_id=_request_id(request),
        ip_address=_ip(request),
    )
    event.save(using=using)
    return event


# --- changes ----------------------------------------------------------------------------------


def json_value(value: Any) -> Any:
    """A value as JSON: dates ISO, decimals and UUIDs as exact strings, tuples as lists."""
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def field_changes(pairs: Mapping[str, tuple[Any, Any]]) -> dict[str, dict[str, Any]]:
    """``{field: (old, new)}`` -> ``{field: {"old": old, "new": new}}`` for the fields that
    differ (a created object: old is None)."""
    return {
        name: {"old": json_value(old), "new": json_value(new)}
        for name, (old, new) in pairs.items()
        if old != new
    }


def created(obj: Any, fields: list[str]) -> dict[str, dict[str, Any]]:
    """The changes of a new object: each of ``fields`` from None to its value."""
    return field_changes({f: (None, getattr(obj, f)) for f in fields})


def snapshot(obj: Any, fields: list[str]) -> dict[str, Any]:
    """The values of ``fields`` now (deep copies), to compare after a change (``changes_since``)."""
    return {f: copy.deepcopy(getattr(obj, f)) for f in fields}


def changes_since(before: Mapping[str, Any], obj: Any) -> dict[str, dict[str, Any]]:
    """What changed in ``obj`` since ``snapshot``: JSON objects and lists by path
    (``json_changes``), other fields whole."""
    out: dict[str, dict[str, Any]] = {}
    for name, old in before.items():
        new = getattr(obj, name)
        if isinstance(old, (dict, list)) or isinstance(new, (dict, list)):
            out.update(json_changes(old, new, name))
        else:
            out.update(field_changes({name: (old, new)}))
    return out


def json_changes(old: Any, new: Any, prefix: str) -> dict[str, dict[str, Any]]:
    """The leaves that differ between two JSON values, by dotted path under ``prefix``
    ("data.people.members.0.first_name"); a leaf is a scalar, a list of scalars, or an empty
    list or object. A path present on one side only has None on the other."""
    before = dict(_leaves(old, prefix))
    after = dict(_leaves(new, prefix))
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(before.keys() | after.keys(), key=_path_key):
        a, b = before.get(path), after.get(path)
        if a != b:
            out[path] = {"old": json_value(a), "new": json_value(b)}
    return out


def _path_key(path: str) -> list[tuple[int, Any]]:
    return [(0, int(p)) if p.isdigit() else (1, p) for p in path.split(".")]


def _leaves(value: Any, path: str) -> list[tuple[str, Any]]:
    if isinstance(value, dict) and value:
        return [leaf for k, v in value.items() for leaf in _leaves(v, f"{path}.{k}")]
    if isinstance(value, (list, tuple)) and any(isinstance(v, (dict, list)) for v in value):
        return [leaf for i, v in enumerate(value) for leaf in _leaves(v, f"{path}.{i}")]
    if value is None:
        return []
    return [(path, value)]


def _masked_changes(changes: Mapping[str, Any]) -> dict[str, Any]:
    return {name: _mask(name, json_value(change)) for name, change in changes.items()}


def _mask(path: str, change: Any) -> Any:
    secret = bool(SECRET_KEY.search(path))
    if isinstance(change, dict) and change.keys() <= {"old", "new"}:
        return {
            k: (None if v is None else MASK) if secret else _deep_mask(v) for k, v in change.items()
        }
    return MASK if secret else _deep_mask(change)


def _deep_mask(value: Any) -> Any:
    """Mask secrets inside a value (a sub-object recorded whole)."""
    if isinstance(value, dict):
        return {
            k: (MASK if SECRET_KEY.search(k) and v is not None else _deep_mask(v))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_deep_mask(v) for v in value]
    return value


# --- request context ----------------------------------------------------------------------------


def _request_id(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    value = request.headers.get("X-Request-ID", "") or getattr(request, "request_id", "")
    return str(value)[:64]


def _ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    address = request.META.get("REMOTE_ADDR") or None
    return str(address) if address else None
