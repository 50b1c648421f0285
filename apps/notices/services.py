"""The eligibility notice: the stored determination of an application as a PDF (WeasyPrint), in the
person's language.

Figures come from the stored determination (what the person was told). The explanations are the
engine's sentences: in English the stored ones. In another language the sentences are rebuilt as
``rules.reasons.Reason`` objects and rendered with ``Reason.text_in``: from the figures stored beside
each sentence when they rebuild exactly the stored English sentence, else from a new run of the
engine on the stored household when it says exactly what the stored determination said; otherwise
the stored English sentences are shown, with a note.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.applications.models import Application
from apps.eligibility import selectors as eligibility
from apps.eligibility.models import EligibilityDetermination
from apps.enrollment.selectors import (
    StoredMember,
    StoredReason,
    StoredResult,
    StoredTaxHousehold,
    determination_of,
    read_determination,
)
from apps.notices.models import Notice
from rules import Determination, determine, parse_household
from rules.reasons import MONEY_KEYS, NUMBER_KEYS, Code, Reason

#: Figures stored as exact decimal strings that the sentences format as amounts or percentages.
DECIMAL_KEYS = MONEY_KEYS | NUMBER_KEYS | {"figure"}

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class NoticeMember:
    member: StoredMember
    label: str  # what the person may get, in a few words
    reasons: tuple[str, ...]  # plain-language sentences


@dataclass(frozen=True, slots=True)
class NoticeTaxHousehold:
    household: StoredTaxHousehold
    names: tuple[str, ...]
    aptc_names: tuple[str, ...]
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Explanations:
    members: dict[str, tuple[str, ...]]
    tax_households: dict[int, tuple[str, ...]]
    in_language: bool  # False: the English sentences are shown in a notice in another language


def languages() -> tuple[str, ...]:
    return tuple(code for code, _name in settings.LANGUAGES)


def notice_language(requested: str | None) -> str:
    """The requested language when the exchange has it, else the current language, else the
    default."""
    available = languages()
    for candidate in (requested, translation.get_language(), settings.LANGUAGE_CODE):
        if not candidate:
            continue
        code = candidate.lower().split("-")[0]
        if code in available:
            return code
    return available[0]


def program_label(m: StoredMember) -> str:
    """What a person may get, in a few words, in the current language."""
    if m.program == "medicaid":
        if m.medicaid_category == "adult":
            return "MassHealth CarePlus"
        return "MassHealth Standard"
    if m.program == "chip":
        return _("MassHealth Family Assistance (CHIP)")
    if m.program == "medicaid_emergency":
        return _("MassHealth Limited (emergency services)")
    if m.program == "connectorcare":
        return _("ConnectorCare Plan Type %(type)s, with the premium tax credit") % {
            "type": m.connectorcare_plan_type
        }
    if m.program == "qhp_with_aptc":
        if m.csr in ("94", "87", "73"):
            return _(
                "A health plan with the premium tax credit, and lower costs in silver plans "
                "(%(level)s%% cost-sharing reduction)"
            ) % {"level": m.csr}
        return _("A health plan with the premium tax credit")
    if m.program == "qhp":
        return _("A health plan at full price")
    if m.program == "not_applying":
        return _("Not applying for coverage")
    return _("Cannot get coverage through the exchange")


def _stored_explanations(result: StoredResult) -> Explanations:
    return Explanations(
        members={m.member_id: tuple(r.text for r in m.reasons) for m in result.members},
        tax_households={t.index: tuple(r.text for r in t.reasons) for t in result.tax_households},
        in_language=True,
    )


def _rerun(household: dict[str, Any]) -> Determination:
    return determine(
        parse_household(household), eligibility.parameters(), eligibility.benchmark_source()
    )


def _same_sentences(run: Determination, result: StoredResult) -> bool:
    """Whether a new run gives exactly the stored reasons (codes and English sentences)."""
    try:
        for m in result.members:
            again = run.member(m.member_id).reasons
            if [(r.code.value, r.text) for r in again] != [(r.code, r.text) for r in m.reasons]:
                return False
        by_index = {t.number: t for t in run.tax_households}
        for t in result.tax_households:
            found = by_index.get(t.index)
            if found is None or [(r.code.value, r.text) for r in found.reasons] != [
                (r.code, r.text) for r in t.reasons
            ]:
                return False
    except KeyError:
        return False
    return True


def _figure(key: str, value: Any) -> Any:
    """A stored figure back as the engine made it: lists as tuples, amounts and percentages
    (stored as exact strings) as Decimal."""
    if isinstance(value, list):
        return tuple(_figure(key, v) for v in value)
    if isinstance(value, str) and key in DECIMAL_KEYS:
        try:
            return Decimal(value)
        except InvalidOperation:
            return value
    return value


def _rebuilt(stored: Sequence[StoredReason]) -> tuple[Reason, ...] | None:
    """The reasons rebuilt from their stored figures; None unless every one is stored with its
    figures and rebuilds exactly the stored English sentence."""
    out = []
    for r in stored:
        if r.figures is None:
            return None
        try:
            reason = Reason(Code(r.code), {k: _figure(k, v) for k, v in r.figures.items()})
            if reason.text != r.text:
                return None
        except (ValueError, KeyError, IndexError, TypeError, ArithmeticError):
            return None
        out.append(reason)
    return tuple(out)


def _from_figures(result: StoredResult, language: str) -> Explanations | None:
    members = {}
    for m in result.members:
        reasons = _rebuilt(m.reasons)
        if reasons is None:
            return None
        members[m.member_id] = tuple(r.text_in(language) for r in reasons)
    households = {}
    for t in result.tax_households:
        reasons = _rebuilt(t.reasons)
        if reasons is None:
            return None
        households[t.index] = tuple(r.text_in(language) for r in reasons)
    return Explanations(members=members, tax_households=households, in_language=True)


def _from_new_run(
    household: dict[str, Any], result: StoredResult, language: str
) -> Explanations | None:
    try:
        run = _rerun(household)
    except Exception:  # a stored household the current rules no longer read
        log.warning("notice: the stored household could not be determined again", exc_info=True)
        return None
    if not _same_sentences(run, result):
        return None
    return Explanations(
        members={
            m.member_id: tuple(r.text_in(language) for r in run.member(m.member_id).reasons)
            for m in result.members
        },
        tax_households={
            t.number: tuple(r.text_in(language) for r in t.reasons) for t in run.tax_households
        },
        in_language=True,
    )


def explanations(household: dict[str, Any], result: StoredResult, language: str) -> Explanations:
    """The engine's sentences for each member and tax household, in ``language`` when possible."""
    stored = _stored_explanations(result)
    if language == "en":
        return stored
    found = _from_figures(result, language) or _from_new_run(household, result, language)
    if found is not None:
        return found
    return Explanations(stored.members, stored.tax_households, in_language=False)


def notice_context(application: Application, language: str) -> dict[str, Any]:
    """What the notice shows (call inside ``translation.override(language)``). Raises
    ``apps.enrollment.selectors.NoDetermination`` when the application has no determination."""
    determination = determination_of(application)
    result = read_determination(determination)
    texts = explanations(determination.household, result, language)
    members = tuple(
        NoticeMember(
            member=m,
            label=program_label(m),
            reasons=texts.members.get(m.member_id, ()),
        )
        for m in result.members
    )
    households = tuple(
        NoticeTaxHousehold(
            household=t,
            names=tuple(result.names(t.member_ids)),
            aptc_names=tuple(result.names(t.aptc_member_ids)),
            reasons=texts.tax_households.get(t.index, ()),
        )
        for t in result.tax_households
    )
    params = eligibility.parameters().for_year(result.coverage_year)
    notice_date: dt.date = timezone.localdate(determination.created_at)
    buyers = result.buyers
    return {
        "language": language,
        "application": application,
        "determination": determination,
        "result": result,
        "members": members,
        "tax_households": households,
        "buyers": [m.name for m in buyers],
        "masshealth": [m.name for m in result.masshealth],
        "chip_premium": result.chip_premium,
        "any_aptc": any(m.aptc_eligible for m in buyers),
        "aptc_total": result.help_for([m.member_id for m in buyers]).aptc if buyers else Decimal(0),
        "notice_date": notice_date,
        "open_enrollment_start": params.open_enrollment_start,
        "open_enrollment_end": params.open_enrollment_end,
        "explanations_in_language": texts.in_language,
        "help_phone": getattr(settings, "EXCHANGE_HELP_PHONE", ""),
        "names": ", ".join(m.name for m in result.members),
    }


def render_eligibility_notice(application: Application, language: str) -> bytes:
    """The eligibility notice as a PDF, in ``language`` ("en" or "es")."""
    from weasyprint import HTML  # type: ignore[import-untyped]  # loaded on first use: it is slow

    language = notice_language(language)
    with translation.override(language):
        html = render_to_string("notices/eligibility.html", notice_context(application, language))
    pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def stored_eligibility_notice(application: Application, language: str) -> Notice:
    """The stored eligibility notice of a determined application in ``language``, rendered and
    stored first if there is none (idempotent: the background job and the view both call this;
    when two render at once, the first to store wins and the other's copy is dropped). The PDF is
    rendered outside any transaction, so no lock is held while WeasyPrint works. Raises
    ``apps.enrollment.selectors.NoDetermination`` when the application has no determination."""
    language = notice_language(language)
    determination = determination_of(application)
    found = _stored(determination, language)
    if found is not None:
        return found
    pdf = render_eligibility_notice(application, language)
    try:
        with transaction.atomic():
            return Notice.objects.create(
                application=application,
                determination=determination,
                kind=Notice.Kind.ELIGIBILITY,
                language=language,
                pdf=pdf,
                rules_version=determination.rules_version,
                parameters_version=determination.parameters_version,
            )
    except IntegrityError:
        found = _stored(determination, language)
        if found is None:
            raise
        return found


def _stored(determination: EligibilityDetermination, language: str) -> Notice | None:
    return Notice.objects.filter(
        application_id=determination.application_id,
        determination=determination,
        kind=Notice.Kind.ELIGIBILITY,
        language=language,
    ).first()


def enqueue_eligibility_notice(application: Application) -> None:
    """Queue the eligibility notice in the application's language (call in the transaction that
    stores the determination: the job commits or rolls back with it)."""
    from apps.notices.tasks import store_eligibility_notice  # the tasks module imports this one

    store_eligibility_notice.enqueue(application.pk, notice_language(application.language))
