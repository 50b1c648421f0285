"""Crash test of submit: application submissions over HTTP while the server is killed with SIGKILL
and restarted; afterwards the database must hold every confirmed application exactly once.

    .venv/bin/python -m benchmarks.crash_submit [--applications 500] [--clients 16] [--kills 8]
        [--seed N] [--workers 3] [--threads 4]

1. Starts a throwaway PostgreSQL cluster (scripts/pg_cluster.py, fsync on), migrates it and
   imports the 2026 demo catalog (the determination needs the benchmark plans).
2. Prepares ``--applications`` residents, each with a verified account, a signed-in session and a
   complete draft application (five household shapes from tests/applications/factories.py),
   through the services, as the portal's steps would have saved them.
3. Starts the exchange under gunicorn with production settings (benchmarks/settings.py: plain
   HTTP on loopback) in its own process group.
4. ``--clients`` threads each take residents one at a time: fetch the review page (CSRF token and
   the idempotency key the page generates), then POST the submit. On a connection error, a
   timeout or a 5xx they retry the POST with THE SAME key until the results page gives them a
   confirmation number. Meanwhile a killer SIGKILLs gunicorn's whole process group (master and
   workers) at random moments, at least ``--kills`` times, spread over the run, and restarts it.
5. When every resident has a number (or the deadline passed), each client posts its submit once
   more with its key, with the server left alone: the same number must come back.
6. Checks the database and prints the counts below; exits 1 if anything was lost, duplicated,
   partially written, stuck, or if fewer kills than asked happened.

- lost: a confirmation number given to a client with no application of that client holding it,
  determined, with a stored determination;
- duplicated: an application with more than one determination, two applications with the same
  confirmation number, a client given two different numbers (also on the final replay), or more
  than one "submitted" (or "determined") history row for an application;
- partially written: a confirmation number without a determination, a draft with a confirmation
  number or a submit key, an application left "submitted", or "determined" without both history
  rows.

Results: docs/performance.md ("Crash test").
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import io
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CATALOG = ROOT / "data" / "catalog" / "ma" / "2026"
SHAPES = (
    "single_220",
    "family_180",
    "couple_above_400",
    "employer_employee_only",
    "masshealth_120",
)
REQUEST_TIMEOUT = 15.0  # seconds
DEADLINE = 900.0  # seconds for the whole run: a resident without a number by then is stuck

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
KEY_FIELD = re.compile(r'name="idempotency_key" value="([^"]+)"')
NUMBER = re.compile(r'id="confirmation-number">([^<]+)<')


@dataclass
class Resident:
    email: str
    public_id: str
    signature: str
    session_key: str
    address: str  # X-Forwarded-For: each resident comes from its own address
    cookies: dict[str, str] = field(default_factory=dict)
    key: str | None = None
    csrf: str = ""
    tried: bool = False
    numbers: list[str] = field(default_factory=list)
    replayed: str | None = None
    attempts: int = 0
    unexpected: list[str] = field(default_factory=list)


class Server:
    """gunicorn in its own process group, so one killpg takes the master and every worker."""

    def __init__(self, env: dict[str, str], port: int, workers: int, threads: int) -> None:
        self.env, self.port, self.workers, self.threads = env, port, workers, threads
        self.process: subprocess.Popen[bytes] | None = None
        self.lock = threading.Lock()
        self.kills = 0

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--worker-class",
                "gthread",
                "--threads",
                str(self.threads),
                "--timeout",
                "60",
                "--log-level",
                "error",
            ],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
        )

    def wait_ready(self, seconds: float = 60) -> None:
        deadline = time.time() + seconds
        while time.time() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/accounts/login/")
                if conn.getresponse().status < 500:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("gunicorn did not answer within a minute")

    def kill_and_restart(self) -> None:
        with self.lock:
            assert self.process is not None
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            self.kills += 1
            self._wait_port_free()  # the killed workers may hold the socket a moment longer
            self.start()

    def _wait_port_free(self, seconds: float = 10) -> None:
        deadline = time.time() + seconds
        while time.time() < deadline:
            with socket.socket() as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                try:
                    probe.bind(("127.0.0.1", self.port))
                    return
                except OSError:
                    time.sleep(0.05)

    def stop(self) -> None:
        with self.lock:
            if self.process is not None and self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGTERM)
                try:
                    self.process.wait(20)
                except subprocess.TimeoutExpired:
                    os.killpg(self.process.pid, signal.SIGKILL)
                    self.process.wait()


class Retry(Exception):
    """The server did not answer usefully (down, killed mid-request, 5xx): try again."""


def request(
    port: int, resident: Resident, method: str, path: str, body: dict[str, str] | None = None
) -> tuple[int, str, str]:
    """One request with the resident's cookies; returns (status, Location, body text)."""
    headers = {
        "X-Forwarded-For": resident.address,
        "Cookie": "; ".join(f"{k}={v}" for k, v in resident.cookies.items()),
    }
    data = None
    if body is not None:
        data = urllib.parse.urlencode(body)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Referer"] = f"http://127.0.0.1:{port}{path}"
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        conn.close()
    except (OSError, http.client.HTTPException) as exc:
        raise Retry(type(exc).__name__) from exc
    for header in response.headers.get_all("Set-Cookie") or []:
        for name, morsel in SimpleCookie(header).items():
            resident.cookies[name] = morsel.value
    if response.status >= 500:
        raise Retry(str(response.status))
    return response.status, response.headers.get("Location", ""), text


class Run:
    def __init__(self, residents: list[Resident], server: Server, seed: int) -> None:
        self.residents = residents
        self.server = server
        self.queue = list(residents)
        self.lock = threading.Lock()
        self.confirmed = 0
        self.retries = 0
        self.cut_off = 0  # submit POSTs that got no answer (connection reset, refused, timeout)
        self.server_errors = 0  # answers with a 5xx status
        self.started = time.time()
        self.random = random.Random(seed)

    def next_resident(self) -> Resident | None:
        with self.lock:
            return self.queue.pop() if self.queue else None

    def retry(self, resident: Resident) -> None:
        resident.attempts += 1
        with self.lock:
            self.retries += 1
        if time.time() - self.started > DEADLINE:
            raise TimeoutError
        time.sleep(0.05 + 0.1 * min(resident.attempts, 10) * random.random())

    def until_answer(
        self, resident: Resident, method: str, path: str, body: dict[str, str] | None = None
    ) -> tuple[int, str, str]:
        while True:
            try:
                return request(self.server.port, resident, method, path, body)
            except Retry as exc:
                with self.lock:
                    if str(exc).isdigit():
                        self.server_errors += 1
                    elif method == "POST":
                        self.cut_off += 1
                self.retry(resident)

    def submit(self, resident: Resident) -> str:
        """POST the submit with the resident's key until a confirmation number comes back."""
        assert resident.key is not None
        review = f"/apply/{resident.public_id}/review/"
        while True:
            status, location, text = self.until_answer(
                resident,
                "POST",
                f"/apply/{resident.public_id}/submit/",
                {
                    "csrfmiddlewaretoken": resident.csrf,
                    "idempotency_key": resident.key,
                    "attest": "on",
                    "signature": resident.signature,
                },
            )
            resident.tried = True
            if status != 302 or f"/applications/{resident.public_id}/" not in location:
                resident.unexpected.append(f"submit answered {status} {location} {review}")
                if len(resident.unexpected) > 20:
                    raise RuntimeError(f"{resident.email}: {resident.unexpected[-1]}")
                self.retry(resident)
                continue
            status, _location, text = self.until_answer(resident, "GET", location)
            found = NUMBER.search(text)
            if status == 200 and found:
                return found.group(1).strip()
            resident.unexpected.append(f"results answered {status}")
            self.retry(resident)

    def client(self) -> None:
        while (resident := self.next_resident()) is not None:
            try:
                while resident.key is None:
                    status, _location, text = self.until_answer(
                        resident, "GET", f"/apply/{resident.public_id}/review/"
                    )
                    key, csrf = KEY_FIELD.search(text), CSRF_FIELD.search(text)
                    if status == 200 and key and csrf:
                        resident.key = key.group(1)
                        resident.csrf = csrf.group(1)
                    else:
                        resident.unexpected.append(f"review answered {status}")
                        self.retry(resident)
                number = self.submit(resident)
            except TimeoutError:
                continue
            resident.numbers.append(number)
            with self.lock:
                self.confirmed += 1

    def killer(self, kills: int, stop: threading.Event) -> None:
        """Kill at random moments, spread over the run: the i-th kill comes once a random share
        of the residents (between 3% and 90%) are confirmed, after a further random delay."""
        total = len(self.residents)
        marks = sorted(self.random.uniform(0.03, 0.9) * total for _ in range(kills))
        for mark in marks:
            while self.confirmed < mark and not stop.is_set():
                time.sleep(0.02)
            if stop.is_set():
                return
            time.sleep(self.random.uniform(0.0, 0.6))
            self.server.kill_and_restart()


def prepare(count: int, seed: int) -> list[Resident]:
    """Residents with verified accounts, signed-in sessions and complete drafts (in-process ORM)."""
    from importlib import import_module

    from django.apps import apps
    from django.conf import settings
    from django.db import transaction

    email_address = apps.get_model("account", "EmailAddress")
    store = import_module(settings.SESSION_ENGINE).SessionStore
    rnd = random.Random(seed)
    residents: list[Resident] = []
    for start in range(0, count, 25):
        with transaction.atomic():  # 25 residents a commit: fsync is on
            residents.extend(
                _resident(i, rnd, store, email_address)
                for i in range(start, min(count, start + 25))
            )
    return residents


def _resident(i: int, rnd: random.Random, store: Any, email_address: Any) -> Resident:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User

    from apps.applications import services
    from apps.applications.steps import STEPS
    from tests.applications import factories

    answers = getattr(factories, SHAPES[i % len(SHAPES)])()
    email = f"resident{i:05d}@crash.example"
    user = User.objects.create_user(username=email, email=email)  # no password: a session
    email_address.objects.create(user=user, email=email, verified=True, primary=True)
    application = services.start_application(user, factories.YEAR)
    for step in STEPS:
        services.save_step(application, step, answers[step], user)
    session = store()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    assert session.session_key is not None
    return Resident(
        email=email,
        public_id=str(application.public_id),
        signature=factories.signature_of(answers),
        session_key=session.session_key,
        address=f"10.{rnd.randrange(256)}.{i // 256 % 256}.{i % 256}",
        cookies={settings.SESSION_COOKIE_NAME: session.session_key},
    )


def check(residents: list[Resident]) -> dict[str, int]:
    """Count lost, duplicated and partially written submissions in the database."""
    from django.db.models import Count, Q

    from apps.applications.models import Application, StatusChange
    from apps.eligibility.models import EligibilityDetermination

    by_id = {
        str(a.public_id): a
        for a in Application.objects.filter(public_id__in=[r.public_id for r in residents])
    }
    determined_ids = set(EligibilityDetermination.objects.values_list("application_id", flat=True))
    history: dict[int, dict[str, int]] = {}
    for application_id, status, n in StatusChange.objects.values_list(
        "application_id", "new_status"
    ).annotate(n=Count("id")):
        history.setdefault(application_id, {})[status] = n

    lost = 0
    for r in residents:
        application = by_id.get(r.public_id)
        for number in set(r.numbers):
            if (
                application is None
                or application.confirmation_number != number
                or application.status != Application.Status.DETERMINED
                or application.pk not in determined_ids
            ):
                lost += 1

    duplicated = (
        EligibilityDetermination.objects.values("application_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    duplicated += (
        Application.objects.exclude(confirmation_number=None)
        .values("confirmation_number")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    duplicated += sum(
        1
        for r in residents
        if len(set(r.numbers)) > 1 or (r.replayed is not None and r.numbers[:1] != [r.replayed])
    )
    duplicated += sum(
        1
        for rows in history.values()
        if rows.get(Application.Status.SUBMITTED, 0) > 1
        or rows.get(Application.Status.DETERMINED, 0) > 1
    )

    partial = 0
    for application in Application.objects.filter(Q(pk__in=[a.pk for a in by_id.values()])).exclude(
        status=Application.Status.DRAFT, confirmation_number=None, submit_key=None
    ):
        rows = history.get(application.pk, {})
        if (
            (application.confirmation_number and application.pk not in determined_ids)
            or application.status == Application.Status.DRAFT
            or application.status == Application.Status.SUBMITTED
            or (
                application.status == Application.Status.DETERMINED
                and not (
                    rows.get(Application.Status.SUBMITTED)
                    and rows.get(Application.Status.DETERMINED)
                )
            )
        ):
            partial += 1
    return {"lost": lost, "duplicated": duplicated, "partial": partial}


def server_env(database_url: str, mailbox: Path) -> dict[str, str]:
    from cryptography.fernet import Fernet

    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DATABASE_URL": database_url,
        "DJANGO_SECRET_KEY": "crash-test-" + os.urandom(24).hex(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "EXCHANGE_SSN_KEYS": Fernet.generate_key().decode(),
        "EXCHANGE_BENCH_MAILBOX": str(mailbox),
        "EXCHANGE_PROXY_COUNT": "1",
        "PYTHONPATH": str(ROOT),
        # no collectstatic here: whitenoise's warning about the missing folder is noise
        "PYTHONWARNINGS": "ignore:No directory at:UserWarning",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=500)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--kills", type=int, default=8)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    if args.applications < 1 or args.clients < 1 or args.kills < 0:
        parser.error("--applications and --clients must be at least 1, --kills at least 0")
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1_000_000)

    from scripts import pg_cluster

    with pg_cluster.cluster(durable=True) as pg, tempfile.TemporaryDirectory() as mailbox:
        env = server_env(pg.url, Path(mailbox))
        os.environ.update(env)
        import django
        from django.core.management import call_command

        django.setup()
        began = time.time()
        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
        call_command("plans", "import", str(CATALOG), "--year", "2026", stdout=io.StringIO())
        migrated = time.time()
        residents = prepare(args.applications, seed)
        print(
            f"migrated and imported the catalog in {migrated - began:.1f} s; prepared "
            f"{len(residents)} residents with drafts in {time.time() - migrated:.1f} s "
            f"(seed {seed}, PostgreSQL on port {pg.port}, fsync on)",
            flush=True,
        )
        server = Server(env, pg_cluster.free_port(), args.workers, args.threads)
        server.start()
        run = Run(residents, server, seed)
        try:
            server.wait_ready()
            run.started = time.time()
            stop = threading.Event()
            killer = threading.Thread(target=run.killer, args=(args.kills, stop), daemon=True)
            clients = [threading.Thread(target=run.client) for _ in range(args.clients)]
            killer.start()
            for t in clients:
                t.start()
            for t in clients:
                t.join()
            stop.set()
            killer.join()
            elapsed = time.time() - run.started
            # The replay: each resident's key once more, the server left alone.
            server.wait_ready()
            for r in residents:
                if r.numbers and r.key:
                    with_retry = Run([r], server, seed)
                    r.replayed = with_retry.submit(r)
        finally:
            server.stop()

        counts = check(residents)
        submitted = sum(1 for r in residents if r.tried)
        confirmed = sum(1 for r in residents if r.numbers)
        stuck = sum(1 for r in residents if not r.numbers)
        unexpected = [u for r in residents for u in r.unexpected]
        print(f"command: .venv/bin/python -m benchmarks.crash_submit {' '.join(sys.argv[1:])}")
        print(f"submitted:          {submitted}")
        print(f"confirmed:          {confirmed}")
        print(f"lost:               {counts['lost']}")
        print(f"duplicated:         {counts['duplicated']}")
        print(f"partially written:  {counts['partial']}")
        print(f"stuck:              {stuck}")
        print(f"kills done:         {server.kills} (asked {args.kills})")
        print(
            f"retries:            {run.retries} (submit POSTs without an answer: {run.cut_off}; "
            f"5xx answers: {run.server_errors})"
        )
        print(
            f"unexpected answers: {len(unexpected)}{' e.g. ' + unexpected[0] if unexpected else ''}"
        )
        print(f"replayed keys:      {sum(1 for r in residents if r.replayed)} (same number back)")
        print(
            f"elapsed:            {elapsed:.1f} s ({args.clients} clients, "
            f"{args.workers} workers x {args.threads} threads)"
        )
        failed = (
            counts["lost"]
            or counts["duplicated"]
            or counts["partial"]
            or stuck
            or confirmed < submitted
            or submitted < len(residents)
            or server.kills < args.kills
        )
        print(
            "verdict:            "
            + ("FAILED" if failed else "ok: nothing lost, duplicated or partial")
        )
        return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
