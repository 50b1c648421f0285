"""The exchange's eligibility and subsidy rules: pure Python, no framework, no I/O on the hot path.

Typical use::

    from rules import determine, load_parameters, parse_household, reference_benchmark

    params = load_parameters()
    determination = determine(parse_household(data), params, reference_benchmark(params))
"""

from rules.benchmark import BenchmarkSource, FixedBenchmark, ReferenceBenchmark, reference_benchmark
from rules.determination import (
    RULES_VERSION,
    Determination,
    MemberResult,
    Program,
    TaxHouseholdResult,
)
from rules.engine import determine
from rules.household import Household, Member
from rules.parameters import ParameterError, ParameterSet, load_parameters
from rules.parse import InputError, is_cms_request, parse_cms_estimate, parse_household

__all__ = [
    "RULES_VERSION",
    "BenchmarkSource",
    "Determination",
    "FixedBenchmark",
    "Household",
    "InputError",
    "Member",
    "MemberResult",
    "ParameterError",
    "ParameterSet",
    "Program",
    "ReferenceBenchmark",
    "TaxHouseholdResult",
    "determine",
    "is_cms_request",
    "load_parameters",
    "parse_cms_estimate",
    "parse_household",
    "reference_benchmark",
]
