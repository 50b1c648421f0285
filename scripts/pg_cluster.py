"""A throwaway PostgreSQL cluster: initialised in a temporary folder, started on a free loopback
port, removed afterwards. The test command runs the suite on it; the crash benchmark runs the
exchange on it.

    python -m scripts.pg_cluster run [--no-fsync] -- COMMAND [ARG...]

starts a cluster, runs COMMAND with ``DATABASE_URL`` pointing at it, stops and deletes the cluster
(also when COMMAND fails or on Ctrl-C) and exits with COMMAND's status. From Python::

    with pg_cluster.cluster() as pg:
        os.environ["DATABASE_URL"] = pg.url

Why each choice:

- The server binaries come from Debian's ``postgresql`` package (``/usr/lib/postgresql/<v>/bin``,
  the newest version found), or ``$EXCHANGE_PG_BIN`` if set. ``make postgres`` installs them.
- PostgreSQL refuses to run as root, and CI runs as root: then every server command runs as the
  ``postgres`` user the Debian package creates (``$EXCHANGE_PG_USER`` to change it), and the
  temporary folder is given to that user.
- The server listens on 127.0.0.1 only (password, SCRAM) and on a Unix socket inside the temporary
  folder (trust, only its owner can reach it); nothing is left listening after the cluster stops.
- ``fsync`` is on by default: the crash test measures durability, so the cluster must be as
  durable as a real one. ``durable=False`` (``--no-fsync``) turns off fsync, synchronous commit
  and full-page writes, for the test suite only, where durability is not under test and the
  per-test database flushes would otherwise wait on the disk.
- The application connects as an ordinary role that owns its database and may create databases
  (pytest-django creates ``test_<name>``), not as a superuser, like in production.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DB_NAME = "exchange"
DB_USER = "exchange"
START_TIMEOUT = 60  # seconds


class ClusterError(RuntimeError):
    """The cluster could not be created or started; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class Cluster:
    """A running cluster: ``url`` is the application's ``DATABASE_URL``."""

    url: str
    port: int
    directory: Path
    bin_dir: Path
    log_file: Path

    @property
    def data_dir(self) -> Path:
        return self.directory / "data"


def find_bin_dir() -> Path:
    """The folder holding ``initdb`` and ``pg_ctl``: ``$EXCHANGE_PG_BIN``, else the newest
    ``/usr/lib/postgresql/<version>/bin``, else the ``PATH``."""
    override = os.environ.get("EXCHANGE_PG_BIN", "").strip()
    candidates: list[Path] = []
    if override:
        candidates.append(Path(override))
    found = glob.glob("/usr/lib/postgresql/*/bin/initdb")
    found.sort(key=lambda p: [int(n) for n in re.findall(r"\d+", Path(p).parts[-3])], reverse=True)
    candidates.extend(Path(p).parent for p in found)
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    raise ClusterError(
        "PostgreSQL's server binaries (initdb, pg_ctl) were not found in "
        "/usr/lib/postgresql/*/bin or on the PATH: run `make postgres` (apt-get install "
        "postgresql) or set EXCHANGE_PG_BIN to the folder that holds them."
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _server_user() -> pwd.struct_passwd | None:
    """The account to run the server as when we are root (None when we are not root)."""
    if os.geteuid() != 0:
        return None
    name = os.environ.get("EXCHANGE_PG_USER", "postgres")
    try:
        return pwd.getpwnam(name)
    except KeyError:
        raise ClusterError(
            f"PostgreSQL cannot run as root and there is no {name!r} user to run it as: install "
            "Debian's postgresql package (it creates the user) or set EXCHANGE_PG_USER."
        ) from None


def _run(
    args: Sequence[str | Path], user: pwd.struct_passwd | None, cwd: Path, **kwargs: Any
) -> subprocess.CompletedProcess[str]:
    """Run a server command, as ``user`` when given (we are root), and fail with its output."""
    drop: dict[str, Any] = {}
    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    env.pop("PGDATA", None)
    if user is not None:
        drop = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}
        env.update(HOME=user.pw_dir, USER=user.pw_name, LOGNAME=user.pw_name)
    process = subprocess.Popen(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **drop,
        **kwargs,
    )
    try:
        stdout, stderr = process.communicate()
    except BaseException:
        # Interrupted (Ctrl-C, SIGTERM): let the command finish, so that a server ``pg_ctl start``
        # is bringing up is running (and gets stopped) rather than appearing after the clean-up.
        with contextlib.suppress(BaseException):
            process.wait(timeout=START_TIMEOUT + 5)
        raise
    if process.returncode != 0:
        raise ClusterError(
            f"{Path(str(args[0])).name} failed ({process.returncode}):\n{stdout}{stderr}"
        )
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def _settings(port: int, socket_dir: Path, durable: bool) -> str:
    lines = [
        "# written by scripts/pg_cluster.py",
        "listen_addresses = '127.0.0.1'",
        f"port = {port}",
        f"unix_socket_directories = '{socket_dir}'",
        "max_connections = 200",
        "logging_collector = off",
        "log_min_messages = warning",
    ]
    if durable:
        lines += ["fsync = on", "synchronous_commit = on", "full_page_writes = on"]
    else:
        lines += ["fsync = off", "synchronous_commit = off", "full_page_writes = off"]
    return "\n".join(lines) + "\n"


def _create_role_and_database(socket_dir: Path, port: int, password: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        host=str(socket_dir), port=port, user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        conn.execute(
            sql.SQL("CREATE ROLE {} LOGIN CREATEDB PASSWORD {}").format(
                sql.Identifier(DB_USER), sql.Literal(password)
            )
        )
        conn.execute(
            sql.SQL("CREATE DATABASE {} OWNER {}").format(
                sql.Identifier(DB_NAME), sql.Identifier(DB_USER)
            )
        )


@contextlib.contextmanager
def cluster(*, durable: bool = True, keep: bool = False) -> Iterator[Cluster]:
    """Create and start a cluster, yield it, then stop it and delete its folder (unless ``keep``).
    Does not touch ``os.environ``: the caller decides where ``DATABASE_URL`` goes."""
    bin_dir = find_bin_dir()
    user = _server_user()
    directory = Path(tempfile.mkdtemp(prefix="exchange-pg-"))
    data_dir = directory / "data"
    log_file = directory / "server.log"
    started = False
    try:
        if user is not None:
            os.chown(directory, user.pw_uid, user.pw_gid)
        superuser_password = directory / "superuser-password"
        superuser_password.write_text(secrets.token_urlsafe(24) + "\n")
        if user is not None:
            os.chown(superuser_password, user.pw_uid, user.pw_gid)
        superuser_password.chmod(0o600)
        base: list[str | Path] = [
            bin_dir / "initdb",
            "--pgdata",
            data_dir,
            "--username",
            "postgres",
            "--pwfile",
            superuser_password,
            "--auth-local",
            "trust",
            "--auth-host",
            "scram-sha-256",
            "--encoding",
            "UTF8",
        ]
        try:
            _run([*base, "--locale", "C.UTF-8"], user, directory)
        except ClusterError:
            shutil.rmtree(data_dir, ignore_errors=True)
            _run([*base, "--no-locale"], user, directory)
        superuser_password.unlink()
        conf = data_dir / "postgresql.conf"
        original = conf.read_text()
        for attempt in range(5):
            port = free_port()  # another process may take it before the server binds: retry
            conf.write_text(original + _settings(port, directory, durable))
            started = True  # from here on, stop whatever server there may be
            try:
                _run(
                    [
                        bin_dir / "pg_ctl",
                        "start",
                        "--pgdata",
                        data_dir,
                        "--log",
                        log_file,
                        "--wait",
                        "--timeout",
                        str(START_TIMEOUT),
                        "--silent",
                    ],
                    user,
                    directory,
                    start_new_session=True,  # Ctrl-C in the terminal reaches the command, not us
                    stdin=subprocess.DEVNULL,
                )
                break
            except ClusterError as exc:
                if attempt == 4:
                    tail = log_file.read_text()[-2000:] if log_file.exists() else ""
                    raise ClusterError(f"{exc}\nserver log:\n{tail}") from exc
                time.sleep(0.2)
        password = secrets.token_urlsafe(24)
        _create_role_and_database(directory, port, password)
        yield Cluster(
            url=f"postgres://{DB_USER}:{password}@127.0.0.1:{port}/{DB_NAME}",
            port=port,
            directory=directory,
            bin_dir=bin_dir,
            log_file=log_file,
        )
    finally:
        if started:
            stop: list[str | Path] = [
                bin_dir / "pg_ctl",
                "stop",
                "--pgdata",
                data_dir,
                "--wait",
                "--silent",
            ]
            try:
                _run([*stop, "--mode", "fast"], user, directory)
            except ClusterError:
                with contextlib.suppress(ClusterError):
                    _run([*stop, "--mode", "immediate"], user, directory)
        if not keep:
            shutil.rmtree(directory, ignore_errors=True)


class Terminated(Exception):
    """SIGTERM or SIGHUP arrived while the cluster was being set up or torn down."""


def _raise_terminated(signum: int, _frame: Any) -> None:
    raise Terminated(signum)


def run(command: Sequence[str], *, durable: bool = True) -> int:
    """Run ``command`` with ``DATABASE_URL`` set to a fresh cluster; return its exit status
    (128 + the signal number when a signal ended it). A SIGTERM or SIGHUP is passed on to the
    command while it runs; before or after, it stops the set-up, and the cluster is removed."""
    handlers = {s: signal.signal(s, _raise_terminated) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        return _run_command(command, durable)
    except Terminated as exc:
        return 128 + int(exc.args[0])
    except KeyboardInterrupt:
        return 128 + signal.SIGINT
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)


def _run_command(command: Sequence[str], durable: bool) -> int:
    with cluster(durable=durable) as pg:
        env = {**os.environ, "DATABASE_URL": pg.url}
        child = subprocess.Popen(command, env=env)

        def forward(signum: int, _frame: Any) -> None:
            with contextlib.suppress(ProcessLookupError):
                child.send_signal(signum)

        previous = {s: signal.signal(s, forward) for s in (signal.SIGTERM, signal.SIGHUP)}
        try:
            try:
                status = child.wait()
            except KeyboardInterrupt:
                # Ctrl-C in a terminal reaches the command too: give it time to finish (pytest
                # prints its summary), then make sure it ends before the cluster goes away.
                try:
                    status = child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    child.terminate()
                    status = child.wait()
        finally:
            for signum in previous:
                signal.signal(signum, _raise_terminated)
            if child.poll() is None:
                child.kill()
                child.wait()
    return 128 - status if status < 0 else status


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.pg_cluster",
        description="Run a command against a throwaway PostgreSQL cluster.",
    )
    sub = parser.add_subparsers(dest="action", required=True)
    run_parser = sub.add_parser(
        "run", help="start a cluster, run COMMAND with DATABASE_URL set, remove the cluster"
    )
    run_parser.add_argument(
        "--no-fsync",
        action="store_true",
        help="fsync, synchronous commit and full-page writes off (test suites: faster, not durable)",
    )
    run_parser.add_argument("command", nargs=argparse.REMAINDER, help="-- COMMAND [ARG...]")
    args = parser.parse_args(argv)
    command = list(args.command)
    if command and command[0] == "--":
        command = command[1:]
    if not command:
        parser.error("give the command to run after --")
    try:
        return run(command, durable=not args.no_fsync)
    except ClusterError as exc:
        print(f"pg_cluster: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
