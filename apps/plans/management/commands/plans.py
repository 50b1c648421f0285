"""``exchange plans import DIR --year 2026``: load a plan year's catalog from the CMS PUF files."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.plans.puf import FILE_TITLES
from apps.plans.services import ImportResult, PufErrors, import_catalog
from rules.parameters import ParameterError

EXIT_BAD_FILES = 2


class Command(BaseCommand):
    help = "The plan catalog: `plans import DIR --year YEAR` loads the CMS Exchange PUF files."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        load = actions.add_parser(
            "import",
            help="import a plan year's catalog from the PUF files in DIR",
            description=(
                "Import the Plan Attributes, Rate, Service Area and (optional) Plan ID Crosswalk "
                "PUFs in DIR (plan-attributes-puf.csv, rate-puf.csv, service-area-puf.csv, "
                "plan-id-crosswalk-puf.csv, or names starting plan_attributes, rate, service_area, "
                "crosswalk) as the catalog of plan year YEAR. All or nothing; importing the same "
                "files again changes nothing."
            ),
        )
        load.add_argument("folder", metavar="DIR", type=Path, help="folder with the PUF CSV files")
        load.add_argument("--year", type=int, required=True, help="the plan year, e.g. 2026")
        load.add_argument(
            "--state",
            action="append",
            dest="states",
            metavar="ST",
            help="import only this state (repeatable; default: every state in the files)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import":
            self.import_(options["folder"], options["year"], options["states"])

    def import_(self, folder: Path, year: int, states: list[str] | None) -> None:
        if not 2014 <= year <= 2100:
            raise CommandError(f"--year: not a plan year: {year}", returncode=EXIT_BAD_FILES)
        try:
            result = import_catalog(folder, year, states=states)
        except PufErrors as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            count = len(exc.errors)
            by_file = Counter(e.file for e in exc.errors)
            files = ", ".join(f"{name} {n:,}" for name, n in by_file.items())
            raise CommandError(
                f"{count:,} error{'s' if count != 1 else ''} in {folder} ({files}); "
                "nothing was imported",
                returncode=EXIT_BAD_FILES,
            ) from exc
        except ParameterError as exc:
            raise CommandError(str(exc), returncode=EXIT_BAD_FILES) from exc
        self.stdout.write(summary(result))


def summary(result: ImportResult) -> str:
    verdict = "unchanged" if result.unchanged else "imported"
    lines = [
        f"Plan year {result.year} catalog from {result.folder}: {verdict} ({result.seconds:.1f} s)"
    ]
    for kind, path in result.files.items():
        lines.append(f"  {FILE_TITLES[kind]}: {path.name}")
    for s in result.states:
        what = {
            "new": "new",
            "replaced": "replaced the previous catalog",
            "unchanged": "unchanged (same content as the last import; nothing written)",
        }[s.status]
        lines.append(f"  {s.state}: {what}")
        lines.append(
            f"    issuers {s.issuers:,}, plans {s.plans:,}, rates {s.rates:,}, service areas "
            f"{s.service_areas:,} ({s.service_area_counties:,} counties), crosswalk rows "
            f"{s.crosswalk_rows:,}"
        )
    if result.skipped:
        lines.append("  skipped:")
        for (file, reason), count in result.skipped.items():
            lines.append(f"    {file}: {count:,} {reason}")
    else:
        lines.append("  skipped: none")
    return "\n".join(lines)
