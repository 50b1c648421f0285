"""``exchange``: the exchange's console command.

``exchange determine FILE.json`` runs the rules engine alone (no database, no Django). Every other
sub-command is a Django management command (``exchange migrate``, ``exchange runserver``, ...).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, TextIO

from rules import (
    Determination,
    InputError,
    ParameterError,
    determine,
    is_cms_request,
    load_parameters,
    parse_cms_estimate,
    parse_household,
    reference_benchmark,
)
from rules.reasons import money

EXIT_BAD_INPUT = 2


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "determine":
        return determine_command(args[1:], sys.stdout, sys.stderr)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["exchange", *args])
    return 0


def determine_command(argv: list[str], out: TextIO, err: TextIO) -> int:
    parser = argparse.ArgumentParser(
        prog="exchange determine",
        description="Determine MassHealth, CHIP, premium tax credit, CSR and ConnectorCare "
        "eligibility for a household JSON file (the project's format or a CMS Marketplace API "
        "eligibility-estimate request).",
    )
    parser.add_argument("file", help="household JSON file, or - for standard input")
    parser.add_argument("--year", type=int, help="coverage year (overrides the file's)")
    parser.add_argument("--format", choices=("text", "json", "cms"), default="text")
    try:
        opts = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    name = "<stdin>" if opts.file == "-" else opts.file
    try:
        raw = sys.stdin.read() if opts.file == "-" else Path(opts.file).read_text(encoding="utf-8")
    except OSError as exc:
        err.write(f"exchange determine: {name}: cannot read: {exc.strerror}\n")
        return EXIT_BAD_INPUT
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        err.write(
            f"exchange determine: {name}: not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})\n"
        )
        return EXIT_BAD_INPUT
    try:
        params = load_parameters()
        if is_cms_request(data):
            household = parse_cms_estimate(data, opts.year)
        else:
            if opts.year is not None and isinstance(data, dict):
                data = {**data, "coverage_year": opts.year}
            household = parse_household(data)
        determination = determine(household, params, reference_benchmark(params))
    except InputError as exc:
        err.write(f"exchange determine: {name}: {exc}\n")
        return EXIT_BAD_INPUT
    except ParameterError as exc:
        err.write(f"exchange determine: {name}: {exc}\n")
        return EXIT_BAD_INPUT
    except LookupError as exc:
        err.write(f"exchange determine: {name}: {exc.args[0] if exc.args else exc}\n")
        return EXIT_BAD_INPUT
    if opts.format == "json":
        out.write(json.dumps(determination.as_dict(), indent=2) + "\n")
    elif opts.format == "cms":
        out.write(json.dumps(determination.as_cms_estimates(), indent=2) + "\n")
    else:
        out.write(render_text(determination))
    return 0


PROGRAM_LABEL = {
    "medicaid": "MassHealth",
    "chip": "MassHealth Family Assistance (CHIP)",
    "medicaid_emergency": "MassHealth Limited (emergency services)",
    "connectorcare": "ConnectorCare",
    "qhp_with_aptc": "Health plan with premium tax credit",
    "qhp": "Health plan at full price",
    "not_eligible": "Not eligible",
    "not_applying": "Not applying",
}


def render_text(d: Determination) -> str:
    lines: list[str] = [
        f"Determination for coverage year {d.coverage_year} (coverage from {d.coverage_start})",
        f"Rules {d.rules_version}, parameters {d.parameters_version}",
    ]
    for p in d.provisional:
        lines.append(f"  provisional parameter {p.name}: {p.provisional}")
    lines.append("")
    for th in d.tax_households:
        lines.append(f"Tax household {th.number + 1}: {', '.join(th.member_ids)}")
        for r in th.reasons:
            lines.append(f"  {r.text}")
        if th.aptc_member_ids:
            lines.append(f"  Maximum monthly premium tax credit: {money(th.max_aptc_monthly)}")
        lines.append("")
    for m in d.members:
        header = f"{m.member_id} (age {m.age}): {PROGRAM_LABEL[m.program.value]}"
        extra: list[str] = []
        if m.medicaid_category:
            extra.append(f"category {m.medicaid_category}")
        if m.connectorcare_plan_type:
            extra.append(f"plan type {m.connectorcare_plan_type}")
        if m.csr:
            extra.append(f"CSR {m.csr}")
        if extra:
            header += f" [{', '.join(extra)}]"
        lines.append(header)
        for r in m.reasons:
            lines.append(f"  - {r.text} [{r.code.value}]")
        lines.append("")
    return "\n".join(lines)


def _json_default(value: Any) -> Any:  # pragma: no cover - kept for callers that dump dataclasses
    return str(value)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
