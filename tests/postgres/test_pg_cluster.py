"""scripts/pg_cluster.py: a throwaway cluster, reachable through DATABASE_URL, removed afterwards;
and the portability fixes PostgreSQL showed (docs/postgresql.md)."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from scripts import pg_cluster

ROOT = Path(__file__).resolve().parents[2]


def _binaries() -> None:
    try:
        pg_cluster.find_bin_dir()
    except pg_cluster.ClusterError as exc:
        pytest.skip(str(exc))


def test_run_gives_the_command_a_database_and_its_exit_status(tmp_path: Path) -> None:
    _binaries()
    out = tmp_path / "out.txt"
    probe = (
        "import os, sys, psycopg\n"
        "url = os.environ['DATABASE_URL']\n"
        "with psycopg.connect(url) as c:\n"
        "    fsync = c.execute('SHOW fsync').fetchone()[0]\n"
        "    listen = c.execute('SHOW listen_addresses').fetchone()[0]\n"
        "    superuser = c.execute('SELECT rolsuper FROM pg_roles WHERE rolname = current_user')"
        ".fetchone()[0]\n"
        "    port = c.execute('SHOW port').fetchone()[0]\n"
        f"open({str(out)!r}, 'w').write(' '.join([url, fsync, listen, str(superuser), port]))\n"
        "sys.exit(7)\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "scripts.pg_cluster", "run", "--", sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 7, done.stderr
    url, fsync, listen, superuser, port = out.read_text().split()
    assert url.startswith("postgres://exchange:") and f"@127.0.0.1:{port}/" in url
    assert (fsync, listen, superuser) == ("on", "127.0.0.1", "False")
    with socket.socket() as client, pytest.raises(ConnectionRefusedError):  # stopped
        client.connect(("127.0.0.1", int(port)))


def test_no_fsync_is_for_test_suites_only() -> None:
    _binaries()
    with pg_cluster.cluster(durable=False) as pg:
        import psycopg

        with psycopg.connect(pg.url) as conn:
            row = conn.execute("SHOW fsync").fetchone()
            assert row is not None and row[0] == "off"
        assert pg.data_dir.exists()
    assert not pg.directory.exists()


def test_run_without_a_command_is_refused() -> None:
    with pytest.raises(SystemExit) as exc:
        pg_cluster.main(["run", "--"])
    assert exc.value.code == 2


def test_missing_binaries_say_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXCHANGE_PG_BIN", "/nonexistent")
    monkeypatch.setattr("scripts.pg_cluster.glob.glob", lambda pattern: [])
    monkeypatch.setattr("scripts.pg_cluster.shutil.which", lambda name: None)
    with pytest.raises(pg_cluster.ClusterError, match="make postgres"):
        pg_cluster.find_bin_dir()
