"""Documentation stays in step with the code."""

from __future__ import annotations

from pathlib import Path

from rules.reasons import Code
from scripts.build_reason_docs import render

ROOT = Path(__file__).resolve().parents[2]


def test_every_reason_code_is_documented() -> None:
    text = (ROOT / "docs/rules/determination.md").read_text()
    missing = [c.value for c in Code if f"`{c.value}`" not in text]
    assert not missing, f"add to docs/rules/determination.md: {missing}"
    assert render(text) == text, "run scripts/build_reason_docs.py"


def test_every_parameter_file_is_in_the_catalogue() -> None:
    text = (ROOT / "docs/rules/parameters.md").read_text()
    root = ROOT / "rules/parameters"
    missing = [
        p.relative_to(root).as_posix()
        for p in root.rglob("*.yaml")
        if p.relative_to(root).as_posix() not in text
    ]
    assert not missing, f"add to docs/rules/parameters.md: {missing}"
