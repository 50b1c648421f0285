"""Audit the pinned dependencies for known vulnerabilities: ``python -m scripts.audit_dependencies``.

Two sources, and an honest account of what each could check (docs/security.md):

1. **pip-audit** on ``requirements/dev.txt`` (which includes base.txt), ``--disable-pip
   --no-deps`` (the files pin every transitive dependency). Its PyPI service asks
   ``https://pypi.org/pypi/<name>/<version>/json`` for each pin; where that address is not served
   (some mirrors and proxies serve only the project-level JSON) every pin comes back "not found"
   and is *not audited*, although pip-audit still prints "No known vulnerabilities found".
2. **PyPI's project JSON** (``https://pypi.org/pypi/<name>/json``), which lists the known
   vulnerabilities of the *latest* release and every release's files with their "yanked" flag.
   It tells (a) whether a pin is yanked and (b) for a pin that *is* the latest release, whether
   that release has known vulnerabilities. For an older pin it tells nothing about
   vulnerabilities: that pin stays not audited.

Exit status: 1 when any source reports a known vulnerability in a pinned version; otherwise 0 —
with a loud warning naming how many pins were not audited and why — unless
``EXCHANGE_REQUIRE_AUDIT=1``, when unaudited pins exit 2. Yanked pins are reported (warning).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "requirements" / "dev.txt"
PYPI_PROJECT = "https://pypi.org/pypi/{name}/json"

Fetch = Callable[[str], "dict[str, Any] | None"]


def normalize(name: str) -> str:
    """PEP 503 name: lower case, runs of -_. as one dash."""
    return re.sub(r"[-_.]+", "-", name).lower()


# --- reading the pins -----------------------------------------------------------------------------


def read_pins(path: Path) -> dict[str, str]:
    """``name==version`` lines of a requirements file and the files it includes (``-r``)."""
    pins: dict[str, str] = {}
    for raw in path.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith(("-r ", "--requirement ")):
            pins.update(read_pins(path.parent / line.split(None, 1)[1]))
            continue
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*==\s*([^\s;]+).*", line)
        if match is None:
            raise ValueError(f"{path.name}: not an exact pin: {raw!r}")
        pins[normalize(match.group(1))] = match.group(3)
    return pins


# --- pip-audit ------------------------------------------------------------------------------------


@dataclass
class PipAudit:
    vulnerable: dict[str, list[str]] = field(default_factory=dict)  # name -> vulnerability ids
    audited: set[str] = field(default_factory=set)
    skipped: dict[str, str] = field(default_factory=dict)  # name -> why
    failure: str = ""  # pip-audit did not run or gave no report


def parse_pip_audit(report: str, returncode: int, stderr: str = "") -> PipAudit:
    """pip-audit's ``-f json`` report: which pins were audited, skipped (and why), vulnerable."""
    try:
        data = json.loads(report) if report.strip() else None
    except json.JSONDecodeError:
        data = None
    if not isinstance(data, dict) or "dependencies" not in data:
        tail = " ".join(stderr.strip().splitlines()[-1:]) or f"exit status {returncode}"
        return PipAudit(failure=f"pip-audit gave no report ({tail})")
    result = PipAudit()
    for dep in data["dependencies"]:
        name = normalize(str(dep.get("name", "")))
        if dep.get("skip_reason"):
            result.skipped[name] = str(dep["skip_reason"])
            continue
        result.audited.add(name)
        vulns = dep.get("vulns") or []
        if vulns:
            result.vulnerable[name] = [str(v.get("id", "?")) for v in vulns]
    return result


def run_pip_audit(requirements: Path) -> PipAudit:
    command = [
        str(Path(sys.executable).with_name("pip-audit")),
        "-r",
        str(requirements),
        "--disable-pip",
        "--no-deps",
        "--progress-spinner",
        "off",
        "-f",
        "json",
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return PipAudit(failure=f"pip-audit could not run ({exc})")
    return parse_pip_audit(done.stdout, done.returncode, done.stderr)


# --- PyPI project JSON ----------------------------------------------------------------------------


@dataclass
class ProjectCheck:
    name: str
    pinned: str
    reachable: bool = True
    latest: str = ""
    yanked: bool = False
    missing: bool = False  # the pinned version is not a release of the project
    latest_vulnerabilities: list[str] = field(default_factory=list)

    @property
    def pin_is_latest(self) -> bool:
        return self.reachable and self.pinned == self.latest

    @property
    def vulnerable(self) -> list[str]:
        """Known vulnerabilities of the pinned version (known only when it is the latest)."""
        return self.latest_vulnerabilities if self.pin_is_latest else []


def check_project(name: str, pinned: str, project: Mapping[str, Any] | None) -> ProjectCheck:
    """What a project's JSON says about a pin (``project`` None: it could not be fetched)."""
    if not project:
        return ProjectCheck(name, pinned, reachable=False)
    info = project.get("info") or {}
    releases = project.get("releases") or {}
    files = releases.get(pinned)
    check = ProjectCheck(name, pinned, latest=str(info.get("version", "")))
    if files is None:
        check.missing = True
    elif files:
        check.yanked = all(bool(f.get("yanked")) for f in files)
    if check.pin_is_latest:
        check.latest_vulnerabilities = [
            str(v.get("id") or ", ".join(v.get("aliases") or []) or "?")
            for v in project.get("vulnerabilities") or []
            if not v.get("withdrawn")
        ]
    return check


def fetch_project(name: str) -> dict[str, Any] | None:
    url = PYPI_PROJECT.format(name=name)
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # nosec B310
            data = json.load(response)
    except (urllib.error.URLError, TimeoutError, ValueError, OSError):
        return None
    return data if isinstance(data, dict) else None


def check_projects(pins: Mapping[str, str], fetch: Fetch) -> list[ProjectCheck]:
    with ThreadPoolExecutor(max_workers=8) as pool:
        projects = list(pool.map(fetch, pins))
    return [
        check_project(name, version, project)
        for (name, version), project in zip(pins.items(), projects, strict=True)
    ]


# --- the decision ---------------------------------------------------------------------------------


@dataclass
class Report:
    exit_code: int
    lines: list[str]
    not_audited: list[str]
    vulnerable: dict[str, list[str]]


def decide(
    pins: Mapping[str, str],
    audit: PipAudit,
    projects: Iterable[ProjectCheck],
    *,
    require_audit: bool,
) -> Report:
    checks = {c.name: c for c in projects}
    vulnerable: dict[str, list[str]] = {}
    for name, ids in audit.vulnerable.items():
        vulnerable.setdefault(name, []).extend(ids)
    for check in checks.values():
        for vid in check.vulnerable:
            if vid not in vulnerable.get(check.name, []):
                vulnerable.setdefault(check.name, []).append(vid)
    covered = audit.audited | {c.name for c in checks.values() if c.pin_is_latest}
    not_audited = sorted(set(pins) - covered)

    lines = [
        f"Dependency audit of {len(pins)} pins ({REQUIREMENTS.relative_to(ROOT)}):",
        f"  pip-audit audited {len(audit.audited)}"
        + (f", skipped {len(audit.skipped)}" if audit.skipped else "")
        + (f" — {audit.failure}" if audit.failure else ""),
        f"  PyPI project JSON: {sum(c.reachable for c in checks.values())} reached; "
        f"{sum(c.pin_is_latest for c in checks.values())} pins are the latest release "
        "(their known vulnerabilities checked)",
    ]
    for check in sorted(checks.values(), key=lambda c: c.name):
        if check.yanked:
            lines.append(f"  WARNING: {check.name}=={check.pinned} is YANKED on PyPI")
        if check.missing:
            lines.append(f"  WARNING: {check.name}=={check.pinned} is not a release on PyPI")
    for name, ids in sorted(vulnerable.items()):
        lines.append(f"  VULNERABLE: {name}=={pins.get(name, '?')}: {', '.join(ids)}")

    if vulnerable:
        lines.append(f"FAILED: {len(vulnerable)} pinned dependencies have known vulnerabilities.")
        return Report(1, lines, not_audited, vulnerable)
    if not_audited:
        reasons = sorted(set(audit.skipped[n] for n in not_audited if n in audit.skipped))
        why = audit.failure or (
            "pip-audit's vulnerability service could not be reached for them"
            + (f" (e.g. {reasons[0]!r})" if reasons else "")
        )
        banner = "!" * 78
        lines += [
            banner,
            f"WARNING: {len(not_audited)} of {len(pins)} pinned dependencies were NOT audited for "
            "known vulnerabilities:",
            f"  {why};",
            "  PyPI's project JSON only lists vulnerabilities of each project's latest release,",
            "  and these pins are older than that.",
            "  Not audited: " + ", ".join(f"{n}=={pins[n]}" for n in not_audited),
            "  Run this where pip-audit can reach PyPI's per-version JSON or OSV "
            "(EXCHANGE_REQUIRE_AUDIT=1 makes this an error).",
            banner,
        ]
        if require_audit:
            lines.append("FAILED: EXCHANGE_REQUIRE_AUDIT=1 and some pins were not audited.")
            return Report(2, lines, not_audited, vulnerable)
        lines.append("No known vulnerabilities in the pins that could be audited.")
        return Report(0, lines, not_audited, vulnerable)
    lines.append("No known vulnerabilities: every pin was audited.")
    return Report(0, lines, not_audited, vulnerable)


def main(
    requirements: Path = REQUIREMENTS,
    run: Callable[[Path], PipAudit] = run_pip_audit,
    fetch: Fetch = fetch_project,
    environ: Mapping[str, str] = os.environ,
) -> int:
    pins = read_pins(requirements)
    audit = run(requirements)
    projects = check_projects(pins, fetch)
    report = decide(
        pins, audit, projects, require_audit=environ.get("EXCHANGE_REQUIRE_AUDIT") == "1"
    )
    stream = sys.stderr if report.exit_code or report.not_audited else sys.stdout
    print("\n".join(report.lines), file=stream)
    return report.exit_code


if __name__ == "__main__":
    sys.exit(main())
