"""The rules core imports no framework: no Django, no apps, no config (ARCHITECTURE.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("django", "ninja", "apps", "config", "exchange")
PURE_PACKAGES = ["rules"] + (["rating"] if (ROOT / "rating").is_dir() else [])


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


@pytest.mark.parametrize("package", PURE_PACKAGES)
def test_pure_package_imports_no_framework(package: str) -> None:
    offenders = []
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, f"{package}/ has no Python files"
    for path in files:
        for name in imported_modules(path):
            if name.split(".")[0] in FORBIDDEN:
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not offenders, "\n".join(offenders)


def test_checker_catches_a_django_import(tmp_path: Path) -> None:
    sample = tmp_path / "bad.py"
    sample.write_text("from django.db import models\nimport apps.eligibility\n")
    assert imported_modules(sample) == ["django.db", "apps.eligibility"]
