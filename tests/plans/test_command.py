"""``exchange plans import DIR --year YEAR``: summary, unchanged re-import, every error, exit code."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.plans.models import Plan
from tests.plans.pufdata import AGE_LABELS, PufFiles

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("plans", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_import_prints_a_summary_and_a_second_run_is_unchanged(tmp_path: Path) -> None:
    folder = PufFiles.small().write(tmp_path)
    out, _ = run("import", str(folder), "--year", "2026")
    assert f"Plan year 2026 catalog from {folder}: imported" in out
    assert "  Plan Attributes PUF: plan-attributes-puf.csv" in out
    assert "  MA: new" in out
    rates = 16 * len(AGE_LABELS)
    assert (
        f"    issuers 2, plans 9, rates {rates:,}, service areas 2 (16 counties), crosswalk rows 3"
        in out
    )
    assert "    plan-attributes-puf.csv: 1 SHOP rows" in out
    assert f"    rate-puf.csv: {len(AGE_LABELS)} rows of skipped (SHOP or dental) plans" in out
    assert Plan.objects.count() == 9

    out, _ = run("import", str(folder), "--year", "2026")
    assert ": unchanged (" in out
    assert "  MA: unchanged (same content as the last import; nothing written)" in out


@pytest.mark.django_db
def test_bad_files_list_every_error_and_fail(tmp_path: Path) -> None:
    files = PufFiles.small()
    files.rates[15]["IndividualRate"] = "abc"
    files.rates[16]["RatingAreaId"] = "Rating Area 9"
    folder = files.write(tmp_path)
    err = io.StringIO()
    with pytest.raises(
        CommandError, match=r"^2 errors in .* \(rate-puf.csv 2\); nothing was imported$"
    ) as caught:
        call_command("plans", "import", str(folder), "--year", "2026", stderr=err)
    assert caught.value.returncode == 2
    assert err.getvalue().splitlines() == [
        "rate-puf.csv:17: IndividualRate: not a number: 'abc'",
        "rate-puf.csv:18: RatingAreaId: MA has no rating area 9 (rating areas 1 to 7, per "
        "rules/parameters/states/ma/rating_areas.yaml)",
    ]
    assert not Plan.objects.exists()


@pytest.mark.django_db
def test_wrong_year_and_state_option(tmp_path: Path) -> None:
    folder = PufFiles.small().write(tmp_path)
    err = io.StringIO()
    small = PufFiles.small()
    # Every row's BusinessYear (and every rate's RateEffectiveDate) is wrong; the crosswalk
    # lacks the 2027 columns.
    counts = (
        f"plan-attributes-puf.csv {len(small.plans)}, rate-puf.csv {2 * len(small.rates):,}, "
        f"service-area-puf.csv {len(small.areas)}, plan-id-crosswalk-puf.csv 3"
    )
    with pytest.raises(CommandError, match=rf"errors in .* \({counts}\); nothing was imported"):
        call_command("plans", "import", str(folder), "--year", "2027", stderr=err)
    assert "plan-attributes-puf.csv:2: BusinessYear: plan year '2026' is not 2027" in err.getvalue()
    out, _ = run("import", str(folder), "--year", "2026", "--state", "MA")
    assert "  MA: new" in out


def test_the_exchange_command_end_to_end(tmp_path: Path) -> None:
    """The console script, on a SQLite file: migrate, import, import again, bad files."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "EXCHANGE_VAR_DIR": str(tmp_path / "var"),
    }
    exchange = [sys.executable, "-m", "exchange.cli"]

    def sh(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*exchange, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )

    assert sh("migrate", "--noinput").returncode == 0
    folder = PufFiles.small().write(tmp_path / "puf")
    done = sh("plans", "import", str(folder), "--year", "2026")
    assert done.returncode == 0, done.stderr
    assert "MA: new" in done.stdout
    again = sh("plans", "import", str(folder), "--year", "2026")
    assert "MA: unchanged" in again.stdout

    (folder / "rate-puf.csv").unlink()
    failed = sh("plans", "import", str(folder), "--year", "2026")
    assert failed.returncode == 2
    assert f"{folder}: no Rate PUF: expected rate-puf.csv (or rate*.csv, any case)" in failed.stderr
    assert sh("plans").returncode != 0  # the sub-action is required
