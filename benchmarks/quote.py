"""Quoting speed: rating every plan for a household in-process, and POST /plans/search under load.

    .venv/bin/python -m benchmarks.quote [--seconds 20] [--rates 100,200,300]

1. Loads the demo catalog (data/catalog/ma/2026) into a scratch SQLite database.
2. In-process: for 2,000 generated households across every county, times ``quote()`` (every plan
   offered at the place, rated for the household, APTC and ConnectorCare applied), and a baseline
   measured in the same run: looking up each offered plan's rate table without rating.
   Goal: median under 1 ms for ~100 plans.
3. Over HTTP: starts gunicorn (2 workers, this machine's 2 cores) on a free loopback port and sends
   POST /api/v1/plans/search at fixed rates (open loop) with varied households; and, as a baseline
   in the same run, GET /api/v1/households/pcfpl (no catalog work) at the first rate.
   Goal: p95 under 50 ms at 100 requests per second.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "data" / "catalog" / "ma" / "2026"
ZIPS = ["01103", "01608", "01701", "01840", "02118", "02360", "02540", "01201", "02026", "01970"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def search_body(rnd: random.Random) -> dict[str, Any]:
    zipcode = rnd.choice(ZIPS)
    people: list[dict[str, Any]] = [{"age": rnd.randint(21, 64)}]
    married = rnd.random() < 0.5
    if married:
        people.append({"age": rnd.randint(21, 64), "relationship": "Spouse"})
    people += [{"age": rnd.randint(0, 20)} for _ in range(rnd.choice([0, 0, 1, 2, 3]))]
    return {
        "household": {
            "income": rnd.randint(15_000, 180_000),
            "people": people,
            "has_married_couple": married,
        },
        "place": {"state": "MA", "zipcode": zipcode, "countyfips": COUNTY_OF[zipcode]},
        "market": "Individual",
        "year": 2026,
        "limit": 10,
    }


COUNTY_OF = {
    "01103": "25013",
    "01608": "25027",
    "01701": "25017",
    "01840": "25009",
    "02118": "25025",
    "02360": "25023",
    "02540": "25001",
    "01201": "25003",
    "02026": "25021",
    "01970": "25009",
}


def setup_database(var_dir: str) -> None:
    os.environ["EXCHANGE_VAR_DIR"] = var_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("plans", "import", str(CATALOG), "--year", "2026", verbosity=0)


def in_process(count: int) -> None:
    from apps.plans.catalog import catalog_for
    from apps.plans.selectors import Help, quote, resolve_place
    from rating.types import Enrollee
    from rules import load_parameters

    params = load_parameters().for_year(2026)
    rnd = random.Random(7)
    cases = []
    for _ in range(count):
        zipcode = rnd.choice(ZIPS)
        place = resolve_place(params, "MA", COUNTY_OF[zipcode], zipcode)
        ages = [rnd.randint(21, 64)] + [rnd.randint(0, 20) for _ in range(rnd.choice([0, 1, 2, 3]))]
        enrollees = [Enrollee(f"m{i}", a) for i, a in enumerate(ages)]
        help = Help(aptc=__import__("decimal").Decimal(rnd.choice([0, 250, 600])))
        cases.append((place, enrollees, help))
    catalog = catalog_for(2026, "MA")
    assert catalog is not None
    for place, enrollees, help in cases[:50]:
        quote(params, place, enrollees, help)
    times, base, sizes = [], [], []
    for place, enrollees, help in cases:
        start = time.perf_counter()
        offered = catalog.offered(place.county_fips, place.zip_code)
        for p in offered:
            catalog.rates.get((p.standard_component_id, place.rating_area))
        base.append(time.perf_counter() - start)
        start = time.perf_counter()
        quoted = quote(params, place, enrollees, help)
        times.append(time.perf_counter() - start)
        sizes.append(len(quoted))
    med = statistics.median(times) * 1000
    p95 = sorted(times)[int(0.95 * len(times))] * 1000
    print(
        f"in-process quote: {len(cases)} households, {statistics.mean(sizes):.0f} plans quoted on "
        f"average (max {max(sizes)}); median {med:.3f} ms, p95 {p95:.3f} ms per household "
        f"(goal: median < 1 ms) -> {'met' if med < 1 else 'NOT met'}"
    )
    # Every plan variant offered at the place (standard, CSR, AI/AN, ConnectorCare), rated for the
    # household with its EHB portion and net price: the "~100 plans" case.
    from apps.plans.selectors import rating_rules
    from rating.premium import ehb_premium, household_premium, net_premium

    rules = rating_rules(params)
    all_times, all_sizes = [], []
    for place, enrollees, help in cases:
        start = time.perf_counter()
        n = 0
        for p in catalog.offered(place.county_fips, place.zip_code):
            rates = catalog.rates.get((p.standard_component_id, place.rating_area))
            if rates is None:
                continue
            premium = household_premium(rates, enrollees, rules)
            net_premium(premium.total, ehb_premium(premium.total, p.ehb_percent), help.aptc)
            n += 1
        all_times.append(time.perf_counter() - start)
        all_sizes.append(n)
    amed = statistics.median(all_times) * 1000
    print(
        f"rate every offered plan variant: {statistics.mean(all_sizes):.0f} variants on average "
        f"(max {max(all_sizes)}); median {amed:.3f} ms per household; per 100 plans "
        f"{amed / statistics.mean(all_sizes) * 100:.3f} ms (goal: < 1 ms for ~100 plans) -> "
        f"{'met' if amed / statistics.mean(all_sizes) * 100 < 1 else 'NOT met'}"
    )
    bmed = statistics.median(base) * 1000
    print(
        f"baseline (find offered plans and their rate tables, no rating): median {bmed:.3f} ms; quoting is {med / bmed:.1f}x that"
    )


def over_http(var_dir: str, rates: list[float], seconds: float) -> None:
    from benchmarks import loadgen

    port = free_port()
    env = {
        **os.environ,
        "EXCHANGE_VAR_DIR": var_dir,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
    }
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 30
        while True:
            try:
                urllib.request.urlopen(
                    f"{base_url}/api/v1/households/pcfpl?year=2026&state=MA&size=1&income=1",
                    timeout=2,
                )
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.3)
        rnd = random.Random(11)
        bodies = [search_body(rnd) for _ in range(500)]
        # warm both workers' catalog caches
        loadgen.run(base_url, lambda i: ("POST", "/api/v1/plans/search", bodies[i % 500]), 20, 2)
        baseline = loadgen.run(
            base_url,
            lambda i: (
                "GET",
                f"/api/v1/households/pcfpl?year=2026&state=MA&size={1 + i % 6}&income={20000 + i}",
                None,
            ),
            rates[0],
            seconds,
        )
        print("baseline GET /households/pcfpl:", baseline.summary())
        for rate in rates:
            result = loadgen.run(
                base_url, lambda i: ("POST", "/api/v1/plans/search", bodies[i % 500]), rate, seconds
            )
            verdict = "met" if result.errors == 0 and result.percentile(95) < 50 else "NOT met"
            print(f"POST /plans/search: {result.summary()} -> p95 < 50 ms: {verdict}")
            for sample in result.error_samples:
                print("   error:", sample)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rates", default="100,200,300")
    parser.add_argument("--households", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as var_dir:
        setup_database(var_dir)
        in_process(args.households)
        if args.rates:
            over_http(var_dir, [float(r) for r in args.rates.split(",")], args.seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
