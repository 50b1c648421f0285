"""Writes for eligibility: run the rules engine for an application and store the determination.

Called inside the application's submit transaction (``apps.applications.services.submit``): any
error here rolls the whole submit back.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from apps.applications.models import Application
from apps.audit import services as audit
from apps.eligibility.models import EligibilityDetermination
from apps.eligibility.selectors import benchmark_source, parameters
from rules import Determination, determine, parse_household
from rules.reasons import Reason


def determine_and_store(
    application: Application, household: dict[str, Any]
) -> EligibilityDetermination:
    """Check the household JSON (``rules.parse_household``), run the engine with the exchange's
    parameters and benchmark premiums, and store the answer with the versions that produced it.

    Raises ``rules.InputError`` for a household the engine refuses, and whatever the benchmark
    source raises (``LookupError`` when no benchmark plan is sold at the address)."""
    parsed = parse_household(household)
    result = determine(parsed, parameters(), benchmark_source())
    return store_determination(application, household, result)


def store_determination(
    application: Application, household: dict[str, Any], result: Determination
) -> EligibilityDetermination:
    """Store ``result`` (``Determination.as_dict()``, with each reason's figures beside its
    English text, so the sentences can be shown in another language later)."""
    stored = result.as_dict()
    for member_json, member in zip(stored["members"], result.members, strict=True):
        _add_figures(member_json["reasons"], member.reasons)
    for th_json, th in zip(stored["tax_households"], result.tax_households, strict=True):
        _add_figures(th_json["reasons"], th.reasons)
    determination = EligibilityDetermination.objects.create(
        application=application,
        coverage_year=result.coverage_year,
        rules_version=result.rules_version,
        parameters_version=result.parameters_version,
        household=household,
        result=stored,
    )
    # The rules engine decided (no person): the actor is the system.
    audit.record(
        audit.Action.CREATE,
        audit.ObjectType.DETERMINATION,
        determination.pk,
        related_id=application.public_id,
        changes=audit.field_changes(
            {
                "application": (None, application.public_id),
                "coverage_year": (None, determination.coverage_year),
                "rules_version": (None, determination.rules_version),
                "parameters_version": (None, determination.parameters_version),
                "programs": (None, _programs(stored)),
            }
        ),
    )
    return determination


def _programs(stored: dict[str, Any]) -> dict[str, Any]:
    """Each member's outcome in short, for the audit trail (the full result stays in the row)."""
    return {str(m["id"]): m["program"] for m in stored["members"]}


def _add_figures(reasons_json: list[dict[str, Any]], reasons: tuple[Reason, ...]) -> None:
    for reason_json, reason in zip(reasons_json, reasons, strict=True):
        reason_json["figures"] = {k: _json_figure(v) for k, v in reason.figures.items()}


def _json_figure(value: Any) -> Any:
    """A figure as JSON: Decimal as an exact string, a tuple as a list."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (tuple, list)):
        return [_json_figure(v) for v in value]
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)
