"""Load test of the consumer portal: how many residents at once, doing the whole journey with think
time, the exchange holds on this machine with a p95 page time under 500 ms and no errors.

    .venv/bin/python -m benchmarks.load_portal [--levels 250,500,750,1000,1250] [--think 10]
        [--ramp 240] [--hold 120] [--workers 5] [--threads 2] [--profile]

It starts a throwaway PostgreSQL cluster (scripts/pg_cluster.py), migrates it, imports the 2026
demo catalog, starts one job worker (``exchange db_worker``: emails and notice PDFs) and the
exchange under gunicorn with production settings (benchmarks/settings.py: plain HTTP on loopback),
then, for each level, runs locust headless (benchmarks/portal_locustfile.py): that many residents
are started over ``--ramp`` seconds and measured for ``--hold`` seconds. Each resident signs up,
reads the verification email from a mailbox folder (delivered by the worker), confirms, signs in,
applies (seven steps), submits, reads the results (a quarter also download the notice PDF), shops,
compares, chooses, enrolls, looks at the dashboard and signs out; then a new resident begins.

For each level it prints p50/p95/p99 per step, pages per second, errors and the CPU used by each
part (web, database, worker, load generator); it stops after the first level that is not held
and prints the largest level held. ``--profile`` runs one level with sync workers under
pyinstrument and prints the top hotspots. Figures: docs/performance.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import pstats
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CATALOG = ROOT / "data" / "catalog" / "ma"
# Residents apply for next year's coverage during open enrollment (the load test's busy day).
YEAR = 2027
PAGE_GOAL_MS = 500.0
# The job worker runs at a lower CPU priority than the web servers (as docs/jobs.md advises for a
# shared machine): at the peak, jobs (emails first, then notice PDFs) wait in the queue rather than
# slow the pages; the queue's depth is printed after each level.
WORKER_NICENESS = 10
# The test factories' households; all but the last buy a plan (ConnectorCare, credit with children
# on MassHealth/CHIP, full price, everyone on MassHealth).
HOUSEHOLDS = {
    "single_220": True,
    "family_180": True,
    "couple_above_400": True,
    "masshealth_120": False,
}


def lower_priority() -> None:
    """In the job worker's process, before it starts: a lower CPU priority. The kernel here
    groups processes by session (autogroup) and shares the CPU between groups first, so the
    worker's own session gets the lower priority too, or its niceness would count for nothing."""
    os.nice(WORKER_NICENESS)
    with contextlib.suppress(OSError):  # no autogroup (or not Linux): the niceness alone applies
        Path("/proc/self/autogroup").write_text(f"{WORKER_NICENESS}\n")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(database_url: str, mailbox: Path) -> dict[str, str]:
    from cryptography.fernet import Fernet

    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DATABASE_URL": database_url,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "EXCHANGE_SSN_KEYS": Fernet.generate_key().decode(),
        "EXCHANGE_BENCH_MAILBOX": str(mailbox),
        "EXCHANGE_PROXY_COUNT": "1",
        "PYTHONPATH": str(ROOT),
    }


def step_fields(env: dict[str, str], out: Path) -> None:
    """The form fields of each step for a few households (from the test factories), as a browser
    posts them; written to ``out`` for the locust file."""
    code = f"""
import json, django
django.setup()
from apps.applications.models import Application
from apps.applications.steps import STEPS
from tests.applications import factories as f
households = {{}}
for name, shops in {HOUSEHOLDS!r}.items():
    answers = getattr(f, name)()
    app = Application(coverage_year={YEAR}, data={{}})
    steps = []
    for step in STEPS:
        data = f.post_data(step, answers[step], app)
        fields = []
        for k, v in data.items():
            for item in (v if isinstance(v, list) else [v]):
                fields.append([k, str(item)])
        steps.append([step, fields])
        app.data[step] = answers[step]
    households[name] = {{
        "year": {YEAR}, "steps": steps, "signature": f.signature_of(answers), "shops": shops
    }}
open({str(out)!r}, "w").write(json.dumps(households))
"""
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.3)


def start_gunicorn(
    env: dict[str, str], port: int, workers: int, threads: int, profile_dir: Path | None
) -> subprocess.Popen[bytes]:
    command = [
        str(BIN / "gunicorn"),
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--backlog",
        "4096",
        "--timeout",
        "60",
    ]
    if profile_dir is None:
        command += ["--worker-class", "gthread", "--threads", str(threads)]
    else:
        command += [
            "--worker-class",
            "sync",
            "-c",
            str(ROOT / "benchmarks" / "gunicorn_profile.py"),
        ]
        env = {**env, "EXCHANGE_BENCH_PROFILE_DIR": str(profile_dir)}
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)


def stop(process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def percentile(values: list[float], q: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


class CpuMeter:
    """CPU seconds used by each part during the measured window."""

    def __init__(self, parts: dict[str, list[int]]) -> None:
        self.parts = parts
        self.start = self._read()
        self.started = time.time()

    def _read(self) -> dict[str, float]:
        used: dict[str, float] = defaultdict(float)
        for part, pids in self.parts.items():
            for pid in pids:
                try:
                    root = psutil.Process(pid)
                    for p in [root, *root.children(recursive=True)]:
                        t = p.cpu_times()
                        used[part] += t.user + t.system
                except psutil.NoSuchProcess:
                    continue
        return used

    def cores(self) -> dict[str, float]:
        end = self._read()
        seconds = time.time() - self.started
        return {k: (end[k] - self.start.get(k, 0.0)) / seconds for k in end}


def postgres_pids(data_dir: Path) -> list[int]:
    """The cluster's postmaster (its backends are its children)."""
    found = []
    for p in psutil.process_iter(["cmdline"]):
        cmd = p.info.get("cmdline") or []
        if cmd and cmd[0].endswith("/postgres") and str(data_dir) in cmd:
            found.append(p.pid)
    return found


def run_level(
    users: int,
    args: argparse.Namespace,
    base_url: str,
    env: dict[str, str],
    work: Path,
    parts: dict[str, list[int]],
) -> dict[str, Any]:
    samples_file = work / f"samples-{users}.json"
    locust_env = {
        **env,
        "EXCHANGE_BENCH_STEPS": str(work / "steps.json"),
        "EXCHANGE_BENCH_THINK": str(args.think),
        "EXCHANGE_BENCH_SAMPLES": str(samples_file),
    }
    rate = max(1.0, users / args.ramp)
    command = [
        str(BIN / "locust"),
        "-f",
        str(ROOT / "benchmarks" / "portal_locustfile.py"),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        f"{rate:.2f}",
        "--run-time",
        f"{int(args.ramp + args.hold)}s",
        "--host",
        base_url,
        "--only-summary",
        "--loglevel",
        "ERROR",
        "--stop-timeout",
        "5",
    ]
    locust = subprocess.Popen(
        command, cwd=ROOT, env=locust_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    time.sleep(args.ramp)
    meter = CpuMeter({**parts, "load generator": [locust.pid]})
    time.sleep(max(1.0, args.hold - 5))
    cores = meter.cores()  # while locust still runs
    _, err = locust.communicate()
    queue = subprocess.run(
        [str(BIN / "exchange"), "jobs", "status"], cwd=ROOT, env=env, capture_output=True, text=True
    ).stdout.splitlines()[:2]
    (work / f"locust-{users}.log").write_bytes(err)
    if b"Traceback" in err:
        print(f"locust reported errors (last lines of {work}/locust-{users}.log):")
        print("\n".join(err.decode(errors="replace").splitlines()[-25:]))
    if not samples_file.exists():
        raise SystemExit(
            f"locust wrote no samples (exit {locust.returncode}): {err.decode()[-2000:]}"
        )
    data = json.loads(samples_file.read_text())
    since = data["since"] or time.time()
    by_step: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    pages: list[float] = []
    last = since
    for name, ms, ok, at in data["samples"]:
        last = max(last, at)
        if not ok:
            errors[name] += 1
            continue
        by_step[name].append(ms)
        if not name.startswith("email"):
            pages.append(ms)
    window = max(1.0, last - since)
    return {
        "users": users,
        "by_step": by_step,
        "errors": dict(errors),
        "pages": pages,
        "pages_per_second": len(pages) / window,
        "cores": cores,
        "window": window,
        "queue": queue,
    }


def report(level: dict[str, Any]) -> bool:
    pages = level["pages"]
    errors = sum(level["errors"].values())
    p95 = percentile(pages, 0.95)
    held = bool(pages) and p95 < PAGE_GOAL_MS and errors == 0
    print(
        f"\n== {level['users']} residents (think {ARGS.think:g} s): {len(pages)} pages in "
        f"{level['window']:.0f} s = {level['pages_per_second']:.1f} pages/s; p50 "
        f"{percentile(pages, 0.5):.0f} ms, p95 {p95:.0f} ms, p99 {percentile(pages, 0.99):.0f} ms; "
        f"errors {errors} -> {'HELD' if held else 'NOT held'}"
    )
    print(f"   {'step':34} {'count':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6}")
    for name in sorted(set(level["by_step"]) | set(level["errors"])):
        t = level["by_step"].get(name, [])
        print(
            f"   {name:34} {len(t):6d} {percentile(t, 0.5):7.0f} {percentile(t, 0.95):7.0f} "
            f"{percentile(t, 0.99):7.0f} {level['errors'].get(name, 0):6d}"
        )
    print("   CPU (cores): " + ", ".join(f"{k} {v:.2f}" for k, v in sorted(level["cores"].items())))
    print(
        "   job queue at the end: " + " | ".join(" ".join(line.split()) for line in level["queue"])
    )
    return held


def hotspots(profile_dir: Path, out: Path) -> None:
    from pyinstrument.renderers import ConsoleRenderer
    from pyinstrument.renderers.pstatsrenderer import PstatsRenderer
    from pyinstrument.session import Session

    sessions = [Session.load(str(p)) for p in sorted(profile_dir.glob("*.pyisession"))]
    if not sessions:
        print("no profile sessions were written")
        return
    combined = sessions[0]
    for s in sessions[1:]:
        combined = Session.combine(combined, s)
    pstats_file = out / "portal.pstats"
    pstats_file.write_bytes(
        PstatsRenderer().render(combined).encode("utf-8", errors="surrogateescape")
    )
    print(f"\n== profile: {len(sessions)} workers, {combined.duration:.0f} s sampled")
    stats = pstats.Stats(str(pstats_file))
    stats.sort_stats("tottime").print_stats(20)
    text = ConsoleRenderer(unicode=False, color=False, show_all=False).render(combined)
    (out / "portal-profile.txt").write_text(text)
    print("\n".join(text.splitlines()[:80]))


def main() -> int:
    global ARGS
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--levels", default="500,625,750,1000")
    parser.add_argument("--think", type=float, default=10.0, help="mean think time (s)")
    parser.add_argument(
        "--ramp", type=float, default=240.0, help="seconds to start the residents (about a journey)"
    )
    parser.add_argument("--hold", type=float, default=120.0, help="seconds measured per level")
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--profile", action="store_true", help="one level, under pyinstrument")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    ARGS = args = parser.parse_args()
    # Stopped with SIGTERM: unwind, so the servers stop and the throwaway cluster is removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    levels = [int(x) for x in args.levels.split(",") if x.strip()]
    from scripts.pg_cluster import cluster

    work = Path(tempfile.mkdtemp(prefix="exchange-load-"))
    mailbox = work / "mailbox"
    profile_dir = work / "profile" if args.profile else None
    print(
        f"load test: levels {levels}, think {args.think:g} s, ramp {args.ramp:g} s, hold "
        f"{args.hold:g} s; gunicorn {args.workers} workers x "
        f"{'1 (sync, profiled)' if args.profile else f'{args.threads} threads'}; PostgreSQL; "
        f"1 job worker; {os.cpu_count()} cores"
    )
    try:
        with cluster(durable=True) as pg:
            env = server_env(pg.url, mailbox)
            exchange = str(BIN / "exchange")
            subprocess.run(
                [exchange, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
            )
            subprocess.run([exchange, "createcachetable"], cwd=ROOT, env=env, check=True)
            for year in (YEAR - 1, YEAR):
                subprocess.run(
                    [exchange, "plans", "import", str(CATALOG / str(year)), "--year", str(year)],
                    cwd=ROOT,
                    env=env,
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
            step_fields(env, work / "steps.json")
            worker = subprocess.Popen(
                [exchange, "db_worker"],
                preexec_fn=lower_priority,
                cwd=ROOT,
                env=env,
                start_new_session=True,
                stdout=subprocess.DEVNULL,
            )
            port = free_port()
            web = start_gunicorn(env, port, args.workers, args.threads, profile_dir)
            base_url = f"http://127.0.0.1:{port}"
            try:
                wait_for(f"{base_url}/")
                parts = {
                    "web (gunicorn)": [web.pid],
                    "job worker": [worker.pid],
                    "database": postgres_pids(pg.data_dir),
                }
                best = 0
                for users in levels[:1] if args.profile else levels:
                    level = run_level(users, args, base_url, env, work, parts)
                    if report(level):
                        best = users
                    else:
                        break
                print(
                    f"\nlargest number of concurrent residents held (p95 page < {PAGE_GOAL_MS:.0f} ms, "
                    f"no errors): {best if best else 'none of the levels tried'} "
                    f"(goal: >= 1000 with {args.think:g} s think time) -> "
                    f"{'met' if best >= 1000 else 'NOT met'}"
                )
            finally:
                stop(web)
                stop(worker)
            if profile_dir is not None:
                hotspots(profile_dir, work)
    finally:
        if args.keep:
            print(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


ARGS: argparse.Namespace

if __name__ == "__main__":
    sys.exit(main())
