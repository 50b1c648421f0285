"""``exchange determine``: every example explained; CMS-shaped answers; exit 2 on bad input."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from exchange.cli import determine_command

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = determine_command(list(args), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_example_is_explained(path: Path) -> None:
    code, out, err = run(str(path))
    assert code == 0, err
    assert "Determination for coverage year" in out
    assert "poverty line" in out
    code, out, err = run(str(path), "--format", "cms")
    assert code == 0, err
    estimates = json.loads(out)["estimates"]
    assert estimates
    assert all(set(e) >= {"aptc", "csr", "is_medicaid_chip"} for e in estimates)


def test_worked_example_in_text_and_json() -> None:
    code, out, _ = run(str(ROOT / "examples/suffolk_family_2026.json"))
    assert code == 0
    assert (
        "Your household's income of $65,000 is 202% of the poverty line for a household of 4 "
        "($32,150, the 2025 guideline used for 2026 coverage)." in out
    )
    assert "ConnectorCare Plan Type 3A" in out
    code, out, _ = run(str(ROOT / "examples/suffolk_family_2026.json"), "--format", "json")
    data = json.loads(out)
    assert data["tax_households"][0]["max_aptc_monthly"] == 617.28
    assert data["parameters"]["version"]
    assert [m["program"] for m in data["members"]] == [
        "connectorcare",
        "connectorcare",
        "chip",
        "chip",
    ]


def test_cms_format_and_year_override() -> None:
    code, out, _ = run(
        str(ROOT / "examples/cms_estimate_request_2026.json"), "--format", "cms", "--year", "2025"
    )
    assert code == 0
    est = json.loads(out)["estimates"]
    _code2, out2, _ = run(str(ROOT / "examples/cms_estimate_request_2026.json"), "--format", "cms")
    assert est != json.loads(out2)["estimates"]  # 2025's ARPA schedule gives a larger credit
    assert est[0]["aptc"] > json.loads(out2)["estimates"][0]["aptc"]


def test_bad_input_exits_2_naming_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "coverage_year": 2026,
                "address": {"state": "MA"},
                "members": [{"id": "a", "date_of_birth": "1990-02-30"}],
            }
        )
    )
    code, out, err = run(str(bad))
    assert code == 2
    assert out == ""
    assert "members[0].date_of_birth: not a date (YYYY-MM-DD): '1990-02-30'" in err


def test_invalid_json_and_missing_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    code, _, err = run(str(bad))
    assert code == 2
    assert "not valid JSON" in err
    assert "line 1" in err
    code, _, err = run(str(tmp_path / "missing.json"))
    assert code == 2
    assert "cannot read" in err


def test_unsupported_year_exits_2(tmp_path: Path) -> None:
    code, _, err = run(str(ROOT / "examples/single_adult_220pct_2026.json"), "--year", "2031")
    assert code == 2
    assert "coverage year 2031 is not supported" in err


def test_console_command_is_installed() -> None:
    exe = Path(sys.executable).parent / "exchange"
    assert exe.exists(), "the exchange console command is installed with the project"
    result = subprocess.run(
        [
            str(exe),
            "determine",
            str(ROOT / "examples/single_adult_220pct_2026.json"),
            "--format",
            "cms",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["estimates"][0]["csr"] == "73% AV Level Silver Plan CSR"
