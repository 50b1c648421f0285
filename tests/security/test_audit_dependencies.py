"""The dependency audit's parsing and decisions, with fakes (no network)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from scripts import audit_dependencies as audit


def write(tmp_path: Path) -> Path:
    (tmp_path / "base.txt").write_text("# runtime\nDjango==5.2.19\nPyYAML==6.0.4  # yaml\n")
    dev = tmp_path / "dev.txt"
    dev.write_text("-r base.txt\nruff==0.15.0\nboolean.py==5.0\n\n")
    return dev


def project(latest: str, releases: dict[str, list[bool]], vulns: tuple[str, ...] = ()) -> Any:
    return {
        "info": {"version": latest},
        "releases": {v: [{"yanked": y} for y in files] for v, files in releases.items()},
        "vulnerabilities": [{"id": v, "aliases": [], "withdrawn": None} for v in vulns],
    }


def pip_audit_json(**deps: Any) -> str:
    out: list[dict[str, Any]] = []
    for name, value in deps.items():
        if isinstance(value, str):
            out.append({"name": name, "skip_reason": value})
        else:
            out.append({"name": name, "version": "1", "vulns": [{"id": i} for i in value]})
    return json.dumps({"dependencies": out, "fixes": []})


def test_read_pins_follows_includes_and_normalizes(tmp_path: Path) -> None:
    assert audit.read_pins(write(tmp_path)) == {
        "django": "5.2.19",
        "pyyaml": "6.0.4",
        "ruff": "0.15.0",
        "boolean-py": "5.0",
    }


def test_read_pins_refuses_a_range(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text("django>=5\n")
    with pytest.raises(ValueError, match="not an exact pin"):
        audit.read_pins(path)


def test_parse_pip_audit() -> None:
    parsed = audit.parse_pip_audit(
        pip_audit_json(django=[], pyyaml=["PYSEC-1"], ruff="Dependency not found on PyPI"), 1
    )
    assert parsed.audited == {"django", "pyyaml"}
    assert parsed.vulnerable == {"pyyaml": ["PYSEC-1"]}
    assert parsed.skipped == {"ruff": "Dependency not found on PyPI"}
    broken = audit.parse_pip_audit("", 1, "Traceback...\nConnectionError: api.osv.dev")
    assert broken.failure == "pip-audit gave no report (ConnectionError: api.osv.dev)"


def test_check_project() -> None:
    latest = audit.check_project(
        "x", "2.0", project("2.0", {"1.0": [False], "2.0": [False]}, ("GHSA-1",))
    )
    assert latest.pin_is_latest and latest.vulnerable == ["GHSA-1"]
    older = audit.check_project("x", "1.0", project("2.0", {"1.0": [False]}, ("GHSA-1",)))
    assert not older.pin_is_latest and older.vulnerable == []  # says nothing about 1.0
    yanked = audit.check_project("x", "1.0", project("2.0", {"1.0": [True, True]}))
    assert yanked.yanked
    partly = audit.check_project("x", "1.0", project("2.0", {"1.0": [True, False]}))
    assert not partly.yanked
    missing = audit.check_project("x", "9.9", project("2.0", {"1.0": [False]}))
    assert missing.missing
    unreachable = audit.check_project("x", "1.0", None)
    assert not unreachable.reachable and not unreachable.pin_is_latest


PINS = {"django": "5.2.19", "pyyaml": "6.0.4", "ruff": "0.15.0"}


def checks(**projects: Any) -> list[audit.ProjectCheck]:
    return [audit.check_project(n, PINS[n], projects.get(n)) for n in PINS]


def test_everything_audited_and_clean_passes() -> None:
    report = audit.decide(
        PINS,
        audit.parse_pip_audit(pip_audit_json(django=[], pyyaml=[], ruff=[]), 0),
        checks(),
        require_audit=True,
    )
    assert report.exit_code == 0 and not report.not_audited
    assert report.lines[-1] == "No known vulnerabilities: every pin was audited."


def test_a_vulnerability_from_pip_audit_fails() -> None:
    report = audit.decide(
        PINS,
        audit.parse_pip_audit(pip_audit_json(django=["PYSEC-9"], pyyaml=[], ruff=[]), 1),
        checks(),
        require_audit=False,
    )
    assert report.exit_code == 1
    assert "  VULNERABLE: django==5.2.19: PYSEC-9" in report.lines


def test_a_vulnerability_of_a_pinned_latest_release_fails_even_when_pip_audit_cannot_reach() -> (
    None
):
    skipped = audit.parse_pip_audit(
        pip_audit_json(django="not found", pyyaml="not found", ruff="not found"), 0
    )
    report = audit.decide(
        PINS,
        skipped,
        checks(ruff=project("0.15.0", {"0.15.0": [False]}, ("GHSA-r",))),
        require_audit=False,
    )
    assert report.exit_code == 1
    assert report.vulnerable == {"ruff": ["GHSA-r"]}


def test_unaudited_pins_warn_loudly_and_pass_unless_required() -> None:
    skipped = audit.parse_pip_audit(
        pip_audit_json(django="Dependency not found on PyPI", pyyaml="x", ruff="x"), 0
    )
    projects = checks(
        django=project("6.0", {"5.2.19": [False]}),  # older than the latest: not audited
        pyyaml=project("6.0.4", {"6.0.4": [True]}),  # latest, no vulnerabilities, but yanked
        ruff=None,  # unreachable
    )
    report = audit.decide(PINS, skipped, projects, require_audit=False)
    assert report.exit_code == 0
    assert report.not_audited == ["django", "ruff"]
    text = "\n".join(report.lines)
    assert "WARNING: 2 of 3 pinned dependencies were NOT audited" in text
    assert "django==5.2.19, ruff==0.15.0" in text
    assert "Dependency not found on PyPI" in text
    assert "pyyaml==6.0.4 is YANKED" in text
    required = audit.decide(PINS, skipped, projects, require_audit=True)
    assert required.exit_code == 2


def test_main_with_fakes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dev = write(tmp_path)
    fetched: list[str] = []

    def fetch(name: str) -> Any:
        fetched.append(name)
        return project("1", {"1": [False]})

    def run(path: Path) -> audit.PipAudit:
        assert path == dev
        return audit.parse_pip_audit("", 1, "ConnectionError")

    assert audit.main(dev, run, fetch, {}) == 0
    assert sorted(fetched) == ["boolean-py", "django", "pyyaml", "ruff"]
    err = capsys.readouterr().err
    assert "pip-audit gave no report (ConnectionError)" in err and "NOT audited" in err
    assert audit.main(dev, run, fetch, {"EXCHANGE_REQUIRE_AUDIT": "1"}) == 2
