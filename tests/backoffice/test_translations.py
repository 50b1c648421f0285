"""Spanish catalogs of the back office and the audit trail: every string translated, placeholders
intact, and a string shared with the resident pages translated the same way (Django merges the
apps' catalogs, so two translations of one string would make one page change words)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = [
    ROOT / "apps" / app / "locale/es/LC_MESSAGES/django.po" for app in ("backoffice", "audit")
]
RESIDENT_CATALOGS = [
    ROOT / "apps" / app / "locale/es/LC_MESSAGES/django.po"
    for app in ("web", "accounts", "applications", "enrollment")
]


def translations(po: Path) -> dict[str, str]:
    """msgid -> msgstr of a catalog (the header left out)."""
    out: dict[str, str] = {}
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#")]
        text = "\n".join(lines)
        found = re.search(r'^msgid ((?:".*"\n?)+)^msgstr ((?:".*"\n?)+)', text + "\n", re.M)
        if found is None:
            continue
        msgid, msgstr = (
            "".join(json.loads(part) for part in re.findall(r'".*"', group))
            for group in found.groups()
        )
        if msgid:
            out[msgid] = msgstr
    return out


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: p.parts[-5])
def test_every_string_is_translated(po: Path) -> None:
    text = po.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in text
    strings = translations(po)
    assert len(strings) > 10
    assert [msgid for msgid, msgstr in strings.items() if not msgstr] == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: p.parts[-5])
def test_placeholders_match(po: Path) -> None:
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(po)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_shared_strings_are_translated_as_on_the_resident_pages() -> None:
    ours: dict[str, str] = {}
    for po in CATALOGS:
        ours.update(translations(po))
    theirs: dict[str, set[str]] = {}
    for po in RESIDENT_CATALOGS:
        for msgid, msgstr in translations(po).items():
            if msgstr:
                theirs.setdefault(msgid, set()).add(msgstr)
    shared = ours.keys() & theirs.keys()
    assert "Confirmation number" in shared
    assert {m: ours[m] for m in shared if ours[m] not in theirs[m]} == {}
