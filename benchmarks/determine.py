"""Determinations per second on one core, over generated Massachusetts households.

    .venv/bin/python -m benchmarks.determine [--households 10000] [--policyengine-python PATH]

Runs in one process (one core). Prints the parse rate, the determination rate (the goal is at least
20,000 a second), a baseline measured in the same run (the cost of only annualising incomes and
building the households, which every implementation has to do), and the ratio between them.
With PolicyEngine-US importable here, or a Python that has it (``--policyengine-python`` or the
``POLICYENGINE_PYTHON`` environment variable), it also times PolicyEngine on the same households,
in a batch and one at a time, and prints the ratio.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.households import generate
from rules import determine, load_parameters, parse_household, reference_benchmark
from rules.households import build_relations, tax_units
from rules.income import member_income

ROOT = Path(__file__).resolve().parents[1]
PE_SCRIPT = ROOT / "scripts" / "differential" / "generate_policyengine_fixture.py"


def best_of(runs: int, fn: Any) -> float:
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--policyengine-python", default=os.environ.get("POLICYENGINE_PYTHON"))
    parser.add_argument(
        "--policyengine-sample", type=int, default=1000, help="households timed in PolicyEngine"
    )
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core

    raw = generate(args.households)
    params = load_parameters()
    bench = reference_benchmark(params)
    parse_s = best_of(args.runs, lambda: [parse_household(h) for h in raw])
    households = [parse_household(h) for h in raw]
    for h in households[:500]:
        determine(h, params, bench)  # warm caches

    def baseline() -> None:
        for h in households:
            build_relations(h)
            tax_units(h)
            for m in h.members:
                member_income(m)

    def run() -> None:
        for h in households:
            determine(h, params, bench)

    base_s = best_of(args.runs, baseline)
    det_s = best_of(args.runs, run)
    n = len(households)
    members = sum(len(h.members) for h in households)
    rate = n / det_s
    print(f"households: {n} ({members / n:.2f} members on average), coverage years 2025-2027")
    print(f"parse JSON -> dataclasses: {n / parse_s:,.0f} households/s")
    print(f"determinations: {rate:,.0f} per second on one core ({det_s / n * 1e6:.1f} us each)")
    print(
        f"baseline (households + incomes only): {n / base_s:,.0f}/s; determination costs {det_s / base_s:.1f}x the baseline"
    )
    print(f"goal 20,000/s: {'met' if rate >= 20_000 else 'NOT met'}")

    pe_python = args.policyengine_python
    if pe_python is None:
        try:
            import policyengine_us  # type: ignore[import-not-found]  # noqa: F401

            pe_python = sys.executable
        except ImportError:
            pe_python = None
    if pe_python is None:
        print("PolicyEngine-US: not installed here (pass --policyengine-python to compare)")
        return 0
    sample = raw[: args.policyengine_sample]
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(sample, f)
        path = f.name
    try:
        out = subprocess.run(
            [pe_python, str(PE_SCRIPT), "--time", path],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        Path(path).unlink()
    timing = json.loads(out.stdout.strip().splitlines()[-1])
    batch_per = timing["batch_seconds"] / timing["households"]
    single = statistics.median(timing["single_seconds"])
    ours = det_s / n
    print(
        f"PolicyEngine-US {timing['version']}: batch of {timing['households']}: {batch_per * 1e3:.2f} ms/household; one at a time: {single * 1e3:.0f} ms (median of {len(timing['single_seconds'])})"
    )
    print(
        f"ratio: this engine is {batch_per / ours:,.0f}x faster than PolicyEngine batched, {single / ours:,.0f}x one at a time"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
