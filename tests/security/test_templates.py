"""No served template has inline code a strict Content-Security-Policy would block: <script>
bodies, on*= event handlers, style= attributes, <style> blocks or javascript: URLs. (The notice
PDF templates are rendered by WeasyPrint, never served as HTML, so they may carry styles.)"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOT_SERVED = ("apps/notices/templates/",)  # WeasyPrint PDF sources

PROBLEMS = {
    "inline <script> body": re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>\s*\S", re.I
    ),
    "event-handler attribute": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I),
    "style attribute": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I),
    "<style> block": re.compile(r"<style[\s>]", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def served_templates() -> list[Path]:
    found = sorted(ROOT.glob("apps/*/templates/**/*.html"))
    return [p for p in found if not str(p.relative_to(ROOT)).startswith(NOT_SERVED)]


def test_served_templates_have_no_inline_code() -> None:
    templates = served_templates()
    assert len(templates) > 30
    problems = []
    for path in templates:
        text = path.read_text()
        for what, pattern in PROBLEMS.items():
            if pattern.search(text):
                problems.append(f"{path.relative_to(ROOT)}: {what}")
    assert not problems, "\n".join(problems)


def test_the_scan_finds_each_problem() -> None:
    samples = {
        "inline <script> body": '<script>document.write("x")</script>',
        "event-handler attribute": '<button onclick="go()">',
        "style attribute": '<p class="a" style="color: red">',
        "<style> block": "<style>p { color: red }</style>",
        "javascript: URL": '<a href="javascript:go()">',
    }
    for what, sample in samples.items():
        assert PROBLEMS[what].search(sample), what
    assert not PROBLEMS["inline <script> body"].search('<script src="/static/a.js"></script>')
    assert not PROBLEMS["event-handler attribute"].search('<p data-session-stay class="x">')
