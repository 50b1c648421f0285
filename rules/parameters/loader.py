"""Load and validate the cited, dated parameter files under ``rules/parameters/``.

Each YAML file holds one parameter or table: ``description``, ``unit``, and ``values`` keyed by the
date each value took effect, every value with its legal ``reference`` (see docs/rules/parameters.md).
A malformed, undated or unreferenced file raises :class:`ParameterError` naming the file and key;
callers load once at start-up so a bad file stops the exchange before it answers anyone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

PARAMETERS_ROOT = Path(__file__).resolve().parent
ALLOWED_TOP_LEVEL = frozenset({"description", "unit", "values", "note", "documentation"})
ALLOWED_ENTRY_KEYS = frozenset({"value", "reference", "provisional", "note"})


class ParameterError(Exception):
    """A parameter file is malformed; the message names the file and the key."""


@dataclass(frozen=True, slots=True)
class Reference:
    title: str
    href: str


@dataclass(frozen=True, slots=True)
class DatedValue:
    start: dt.date
    value: Any
    references: tuple[Reference, ...]
    provisional: str | None


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    path: str
    description: str
    unit: Any
    values: tuple[DatedValue, ...]  # sorted by start date

    def at(self, on: dt.date) -> DatedValue:
        """The value in force on ``on``: the latest value whose start date is on or before it."""
        found: DatedValue | None = None
        for entry in self.values:
            if entry.start <= on:
                found = entry
            else:
                break
        if found is None:
            raise ParameterError(
                f"{self.path}: values: no value in force on {on.isoformat()} "
                f"(earliest is {self.values[0].start.isoformat()})"
            )
        return found


@dataclass(frozen=True, slots=True)
class ParameterFiles:
    """Every parameter file, validated for format, with a version hash of their contents."""

    parameters: dict[str, Parameter]
    version: str

    def get(self, name: str) -> Parameter:
        try:
            return self.parameters[name]
        except KeyError:
            raise ParameterError(
                f"rules/parameters/{name}.yaml: parameter file is missing"
            ) from None


def _relative(path: Path, root: Path) -> str:
    try:
        return f"rules/parameters/{path.relative_to(root).as_posix()}"
    except ValueError:
        return str(path)


def _parse_references(raw: Any, where: str) -> tuple[Reference, ...]:
    if raw is None:
        raise ParameterError(f"{where}.reference: missing (every value needs a legal reference)")
    items = raw if isinstance(raw, list) else [raw]
    if not items:
        raise ParameterError(f"{where}.reference: empty (every value needs a legal reference)")
    refs: list[Reference] = []
    for i, item in enumerate(items):
        if isinstance(item, str) and item.strip():
            refs.append(Reference(title=item.strip(), href=""))
            continue
        if not isinstance(item, dict):
            raise ParameterError(f"{where}.reference[{i}]: must be a mapping with title and href")
        title = item.get("title")
        href = item.get("href", "")
        if not isinstance(title, str) or not title.strip():
            raise ParameterError(f"{where}.reference[{i}].title: missing or empty")
        if not isinstance(href, str):
            raise ParameterError(f"{where}.reference[{i}].href: must be a string")
        refs.append(Reference(title=title.strip(), href=href.strip()))
    return tuple(refs)


def _parse_date(key: Any, where: str) -> dt.date:
    if isinstance(key, dt.datetime):
        return key.date()
    if isinstance(key, dt.date):
        return key
    if isinstance(key, str):
        try:
            return dt.date.fromisoformat(key)
        except ValueError:
            pass
    raise ParameterError(f"{where}: key {key!r} is not a date (YYYY-MM-DD)")


def parse_parameter_file(path: Path, root: Path = PARAMETERS_ROOT) -> Parameter:
    """Parse and validate the format of one parameter file."""
    rel = _relative(path, root)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ParameterError(f"{rel}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise ParameterError(f"{rel}: must be a mapping with description, unit and values")
    unknown = set(raw) - ALLOWED_TOP_LEVEL
    if unknown:
        raise ParameterError(f"{rel}: unknown key(s) {sorted(unknown)}")
    description = raw.get("description")
    if not isinstance(description, str) or not description.strip():
        raise ParameterError(f"{rel}: description: missing or empty")
    unit = raw.get("unit")
    if unit is None or unit == "" or unit == {}:
        raise ParameterError(f"{rel}: unit: missing")
    values = raw.get("values")
    if not isinstance(values, dict) or not values:
        raise ParameterError(
            f"{rel}: values: missing or empty (values are keyed by effective date)"
        )
    entries: list[DatedValue] = []
    for key, entry in values.items():
        start = _parse_date(key, f"{rel}: values")
        where = f"{rel}: values.{start.isoformat()}"
        if not isinstance(entry, dict):
            raise ParameterError(f"{where}: must be a mapping with value and reference")
        bad = set(entry) - ALLOWED_ENTRY_KEYS
        if bad:
            raise ParameterError(f"{where}: unknown key(s) {sorted(bad)}")
        if "value" not in entry:
            raise ParameterError(f"{where}.value: missing")
        refs = _parse_references(entry.get("reference"), where)
        provisional = entry.get("provisional")
        if provisional is not None and (
            not isinstance(provisional, str) or not provisional.strip()
        ):
            raise ParameterError(f"{where}.provisional: must say what the value is based on")
        entries.append(
            DatedValue(start=start, value=entry["value"], references=refs, provisional=provisional)
        )
    entries.sort(key=lambda e: e.start)
    name = path.relative_to(root).with_suffix("").as_posix()
    return Parameter(
        name=name, path=rel, description=description.strip(), unit=unit, values=tuple(entries)
    )


def load_parameter_files(root: Path = PARAMETERS_ROOT) -> ParameterFiles:
    """Read every ``*.yaml`` under ``root``; the version is a hash of their names and contents."""
    digest = hashlib.sha256()
    parameters: dict[str, Parameter] = {}
    paths = sorted(root.rglob("*.yaml"))
    if not paths:
        raise ParameterError(f"{root}: no parameter files found")
    for path in paths:
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
        parameter = parse_parameter_file(path, root)
        parameters[parameter.name] = parameter
    return ParameterFiles(parameters=parameters, version=digest.hexdigest()[:12])
