"""Writes the reason-code table of docs/rules/determination.md from rules/reasons.py.
Run: .venv/bin/python scripts/build_reason_docs.py"""

from __future__ import annotations

from pathlib import Path

from rules.reasons import TEMPLATES, Code

DOC = Path(__file__).resolve().parents[1] / "docs" / "rules" / "determination.md"
START = "<!-- reason-codes:start -->"
END = "<!-- reason-codes:end -->"


def table() -> str:
    rows = [f"| `{c.value}` | {TEMPLATES[c].replace('|', '/')} |" for c in Code]
    return "\n".join(["| code | sentence template |", "|---|---|", *rows])


def render(text: str) -> str:
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{table()}\n{END}{tail}"


if __name__ == "__main__":
    DOC.write_text(render(DOC.read_text()), encoding="utf-8")
    print(f"wrote {DOC}")
