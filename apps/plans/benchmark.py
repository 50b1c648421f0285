"""The rules engine's benchmark premium from the plan catalog (second-lowest-cost silver plan)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from apps.plans.catalog import catalog_for
from apps.plans.selectors import benchmark, resolve_place
from rating.types import Enrollee
from rules.benchmark import BenchmarkSource
from rules.household import Address
from rules.parameters import YearParameters


class CatalogBenchmark:
    """Benchmark premiums from the loaded catalog of the coverage year; where no catalog is loaded
    for that year, the ``fallback`` source (the reference benchmark levels) answers."""

    def __init__(self, fallback: BenchmarkSource) -> None:
        self.fallback = fallback

    def benchmark_monthly(
        self,
        params: YearParameters,
        address: Address,
        ages: Sequence[int],
        member_ids: Sequence[str] = (),
    ) -> Decimal:
        if catalog_for(params.coverage_year, address.state) is None:
            return self.fallback.benchmark_monthly(params, address, ages, member_ids)
        place = resolve_place(params, address.state, address.county_fips, address.zip)
        ids = list(member_ids) or [f"m{i}" for i in range(len(ages))]
        found = benchmark(
            params, place, [Enrollee(mid, age) for mid, age in zip(ids, ages, strict=True)]
        )
        if found is None:
            raise LookupError(
                f"address: no silver plan is offered in county {place.county_fips} in "
                f"{params.coverage_year}"
            )
        return found[1]
