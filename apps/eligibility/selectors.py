"""Reads for eligibility: the parameter set and estimates (no writes here)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings

from rules import Determination, Household, ParameterSet, determine, load_parameters
from rules.benchmark import BenchmarkSource, reference_benchmark


def parameters() -> ParameterSet:
    """The validated parameter set (loaded once per process).

    ``EXCHANGE_PARAMETERS_DIR`` (setting or environment) points at another parameter folder, for
    dry-running next year's rules before they take effect.
    """
    folder = getattr(settings, "EXCHANGE_PARAMETERS_DIR", None)
    return load_parameters(Path(folder)) if folder else load_parameters()


@lru_cache(maxsize=1)
def benchmark_source() -> BenchmarkSource:
    """Benchmark premiums from the plan catalog of the coverage year (the reference levels where no
    catalog is loaded for that year)."""
    from apps.plans.benchmark import CatalogBenchmark

    return CatalogBenchmark(fallback=reference_benchmark(parameters()))


def estimate(household: Household) -> Determination:
    """A determination that is not stored (window shopping, API estimates)."""
    return determine(household, parameters(), benchmark_source())
