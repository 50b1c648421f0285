"""Writes for applications: start a draft, save a step, submit (one atomic, idempotent operation).

Every write runs in ``transaction.atomic()`` with the application row locked
(``select_for_update``); every status change goes through :func:`set_status`, which enforces
``Application.ALLOWED_TRANSITIONS`` and writes a ``StatusChange`` row in the same transaction; the
confirmation email and the notice PDF are background jobs enqueued in the same transaction (they
run after the commit, or never if it rolls back). See docs/adr/0003-portal.md and
docs/adr/0004-background-jobs.md.
"""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.applications import ssn
from apps.applications.forms import context_from
from apps.applications.household import build_household
from apps.applications.models import Application, StatusChange
from apps.applications.steps import REVIEW, STEPS, check_answers, checked_answers
from apps.audit import services as audit
from apps.eligibility import services as eligibility
from apps.eligibility.models import EligibilityDetermination
from apps.eligibility.selectors import parameters

log = logging.getLogger(__name__)

#: Letters and digits that cannot be mistaken for each other (no 0/O, 1/I).
CONFIRMATION_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CONFIRMATION_PATTERN = re.compile(r"[A-Z]{2}-[0-9]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}")
MAX_KEY_LENGTH = 64
#: Fields written to the audit trail when an application is created and submitted.
APPLICATION_CREATED_FIELDS = ["owner_id", "coverage_year", "status", "language", "current_step"]
SUBMIT_FIELDS = [
    "confirmation_number",
    "submit_key",
    "signature",
    "submitted_at",
    "language",
    "current_step",
]


# --- errors ---------------------------------------------------------------------------------------


class ApplicationError(Exception):
    """A refused or failed write, with a message that can be shown to the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotDraft(ApplicationError):
    """The application was submitted: its answers can no longer change."""


class AlreadySubmitted(NotDraft):
    """A submit with a new key for an application already submitted."""

    def __init__(self, message: str, confirmation_number: str | None) -> None:
        super().__init__(message)
        self.confirmation_number = confirmation_number


class UnknownStep(ApplicationError):
    pass


class PeopleFirst(ApplicationError):
    """A step about the household's people asked before the people step is answered."""


class StepInvalid(ApplicationError):
    """The step's answers do not pass its checks: ``errors`` maps field names to messages."""

    def __init__(self, step: str, errors: dict[str, list[str]]) -> None:
        super().__init__(_("Some answers need to be corrected before they can be saved."))
        self.step = step
        self.errors = errors


class Incomplete(ApplicationError):
    """Some steps still need answers (``steps``, in order)."""

    def __init__(self, steps: list[str]) -> None:
        super().__init__(_("Some steps of the application still need answers."))
        self.steps = steps


class SignatureInvalid(ApplicationError):
    pass


class SubmitFailed(ApplicationError):
    """Something went wrong while submitting; nothing was changed."""


# --- reads used by the writes ---------------------------------------------------------------------


def _lock(application: Application, user: Any) -> Application:
    """The application's row, locked for this transaction (the owner's only)."""
    return Application.objects.select_for_update().get(pk=application.pk, owner=user)


def household_json(application: Application) -> dict[str, Any]:
    """The rules engine's household JSON (docs/rules/household-input.md) from the application's
    answers, each step re-checked against the household as it is now; member ids are the people
    step's ("m1", "m2", ...). Raises :class:`Incomplete` naming the steps that need answers."""
    answers = checked_answers(application.data, application.coverage_year)
    missing = [step for step, a in answers.items() if a is None]
    if missing:
        raise Incomplete(missing)
    return build_household(
        {step: a for step, a in answers.items() if a is not None}, application.coverage_year
    )


# --- status ---------------------------------------------------------------------------------------


def set_status(application: Application, new_status: str, user: Any) -> StatusChange:
    """Move a (locked) application to ``new_status`` if ``Application.ALLOWED_TRANSITIONS``
    allows it, and write the history row. Call inside ``transaction.atomic()``."""
    old = application.status
    if new_status not in Application.ALLOWED_TRANSITIONS.get(old, frozenset()):
        raise ApplicationError(
            _("An application cannot go from %(old)s to %(new)s.") % {"old": old, "new": new_status}
        )
    application.status = new_status
    application.save(update_fields=["status", "updated_at"])
    audit.record(
        audit.Action.STATUS_CHANGE,
        audit.ObjectType.APPLICATION,
        application.public_id,
        actor=user,
        changes=audit.field_changes({"status": (old, new_status)}),
    )
    return StatusChange.objects.create(
        application=application,
        old_status=old,
        new_status=new_status,
        changed_by=user if getattr(user, "pk", None) else None,
    )


# --- start and save -------------------------------------------------------------------------------


def start_application(user: Any, coverage_year: int, language: str = "en") -> Application:
    """A new draft for ``coverage_year``, or the person's existing draft for that year (so a
    double click does not make two)."""
    if coverage_year not in parameters().coverage_years:
        raise ApplicationError(
            _("Applications for %(year)s are not open.") % {"year": coverage_year}
        )
    with transaction.atomic():
        existing = (
            Application.objects.select_for_update()
            .filter(owner=user, coverage_year=coverage_year, status=Application.Status.DRAFT)
            .order_by("-created_at")
            .first()
        )
        if existing is not None:
            return existing
        application = Application.objects.create(
            owner=user,
            coverage_year=coverage_year,
            language=_language(language),
            current_step=STEPS[0],
        )
        StatusChange.objects.create(
            application=application,
            old_status="",
            new_status=application.status,
            changed_by=user,
        )
        audit.record(
            audit.Action.CREATE,
            audit.ObjectType.APPLICATION,
            application.public_id,
            actor=user,
            changes=audit.created(application, APPLICATION_CREATED_FIELDS),
        )
    return application


def save_step(
    application: Application,
    step: str,
    data: dict[str, Any],
    user: Any,
    *,
    advance: bool = True,
    ssns: dict[str, str] | None = None,
) -> Application:
    """Check ``data`` (the step's answers, in the shape its form's ``answers()`` gives) and store
    it in ``application.data[step]``; ``version`` goes up by one. With ``advance``,
    ``current_step`` becomes the next step that still needs answers (the review when none does).

    Refused (nothing stored) when the application is not a draft (:class:`NotDraft`), the step
    is unknown, the people step is not answered yet (:class:`PeopleFirst`) or the answers do not
    pass the step's checks (:class:`StepInvalid`, with the messages by field). The caller's
    ``application`` is refreshed from the saved row."""
    if step not in STEPS:
        raise UnknownStep(_("There is no step called %(step)s.") % {"step": step})
    with transaction.atomic():
        locked = _lock(application, user)
        if locked.status != Application.Status.DRAFT:
            raise NotDraft(
                _("This application was submitted, so its answers can no longer be changed.")
            )
        context = context_from(locked.data, locked.coverage_year)
        if step != "people" and not context.people:
            raise PeopleFirst(_("First tell us who is in your household."))
        form = check_answers(step, data, context)
        if not form.is_valid():
            raise StepInvalid(
                step, {name: [str(m) for m in messages] for name, messages in form.errors.items()}
            )
        before = audit.snapshot(locked, ["data", "version", "current_step"])
        new_data = dict(locked.data)
        new_data[step] = form.answers()
        if step == "people":
            new_data = _drop_removed_people(locked.data, new_data)
            # Social Security numbers (people step, ``ssns``: member id -> number) never go into
            # ``data``: encrypted in MemberSSN, in this transaction (apps/applications/ssn.py).
            try:
                ssn.store_people_ssns(
                    locked, ssns or {}, [m["id"] for m in new_data[step]["members"]]
                )
            except ssn.InvalidSSN as exc:
                raise StepInvalid(step, {f"{exc.member_id}-ssn": [exc.message]}) from exc
        locked.data = new_data
        locked.version += 1
        fields = ["data", "version", "updated_at"]
        if advance:
            locked.current_step = _next_to_answer(new_data, locked.coverage_year, step)
            fields.append("current_step")
        locked.save(update_fields=fields)
        audit.record(
            audit.Action.UPDATE,
            audit.ObjectType.APPLICATION,
            locked.public_id,
            actor=user,
            # a number typed is recorded as set, never its digits (masked: "ssn" in the key)
            changes=audit.changes_since(before, locked)
            | {
                f"ssn.{m}": {"old": None, "new": "set"}
                for m, v in (ssns or {}).items()
                if v.strip()
            },
        )
    _copy(locked, application)
    return application


def _next_to_answer(data: dict[str, Any], coverage_year: int, step: str) -> str:
    """The first step after ``step`` that needs answers, else the first before it, else review."""
    missing = {s for s, a in checked_answers(data, coverage_year).items() if a is None}
    position = STEPS.index(step)
    for candidate in (*STEPS[position + 1 :], *STEPS[:position]):
        if candidate in missing:
            return candidate
    return REVIEW


def _drop_removed_people(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Forget what later steps said about people no longer in the household, so a person added
    later (who may get a freed id) starts with no answers."""
    before = {m["id"] for m in (old.get("people") or {}).get("members", [])}
    after = {m["id"] for m in new["people"]["members"]}
    removed = before - after
    if not removed:
        return new

    def prune(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: prune(v) for k, v in value.items() if k not in removed}
        if isinstance(value, list):
            return [prune(v) for v in value if not (isinstance(v, str) and v in removed)]
        return value

    return {step: (a if step == "people" else prune(a)) for step, a in new.items()}


def _copy(source: Application, target: Application) -> None:
    if source is target:
        return
    for field in (
        "status",
        "current_step",
        "data",
        "version",
        "language",
        "confirmation_number",
        "submit_key",
        "signature",
        "submitted_at",
        "updated_at",
    ):
        setattr(target, field, getattr(source, field))


def _language(language: str | None) -> str:
    code = (language or "en").split("-", 1)[0].lower()
    return code if code in dict(settings.LANGUAGES) else "en"


# --- submit ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SubmitResult:
    application: Application
    determination: EligibilityDetermination
    confirmation_number: str
    created: bool  # False when this key had already submitted the application (a replay)


def submit(
    application: Application,
    user: Any,
    idempotency_key: str,
    signature: str,
    *,
    attested: bool = True,
    language: str | None = None,
) -> SubmitResult:
    """Attest, sign and submit, in one transaction (docs/adr/0003-portal.md):

    - the application is locked; if its ``submit_key`` is ``idempotency_key`` the stored result is
      returned (a double click, a refresh, a retry after a lost response): ``created`` is False;
    - otherwise it must be a draft (:class:`AlreadySubmitted` if not), every step answered
      (:class:`Incomplete`), attested and signed with the applicant's full name
      (:class:`SignatureInvalid`);
    - the confirmation number is assigned, the engine runs, the determination is stored, the status
      goes draft -> submitted -> determined with history rows, and the confirmation email (in the
      application's language) and the notice PDF are enqueued as jobs, which a worker runs once
      the transaction has committed.

    Any error rolls all of it back and raises an :class:`ApplicationError`
    (:class:`SubmitFailed` for an unexpected one): the application stays a draft."""
    key = str(idempotency_key or "").strip().lower()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ApplicationError(_("The page expired. Check your answers and submit again."))
    try:
        with transaction.atomic():
            locked = _lock(application, user)
            if locked.submit_key == key:
                _copy(locked, application)
                return SubmitResult(
                    application=application,
                    determination=EligibilityDetermination.objects.get(application=locked),
                    confirmation_number=str(locked.confirmation_number),
                    created=False,
                )
            if locked.status != Application.Status.DRAFT:
                raise AlreadySubmitted(
                    _(
                        "This application was already submitted (confirmation number "
                        "%(number)s). Start a new application to report changes."
                    )
                    % {"number": locked.confirmation_number},
                    locked.confirmation_number,
                )
            household = household_json(locked)
            if not attested:
                raise SignatureInvalid(_("Check the box to confirm that your answers are true."))
            _check_signature(signature, household)
            before = audit.snapshot(locked, SUBMIT_FIELDS)
            locked.confirmation_number = _new_confirmation_number(locked)
            locked.submit_key = key
            locked.signature = " ".join(signature.split())
            locked.submitted_at = timezone.now()
            if language:
                locked.language = _language(language)
            locked.current_step = REVIEW
            locked.save(update_fields=[*SUBMIT_FIELDS, "updated_at"])
            audit.record(
                audit.Action.SUBMIT,
                audit.ObjectType.APPLICATION,
                locked.public_id,
                actor=user,
                changes=audit.changes_since(before, locked),
            )
            set_status(locked, Application.Status.SUBMITTED, user)
            determination = eligibility.determine_and_store(locked, household)
            set_status(locked, Application.Status.DETERMINED, user)
            _send_confirmation(locked.pk)
            _queue_notice(locked)
    except ApplicationError:
        raise
    except Application.DoesNotExist:
        raise
    except IntegrityError as exc:
        log.warning("submit of application %s refused by the database: %s", application.pk, exc)
        raise SubmitFailed(
            _("We could not submit your application. Please try again in a moment.")
        ) from exc
    except DatabaseError as exc:
        log.exception("submit of application %s failed", application.pk)
        raise SubmitFailed(
            _("We could not submit your application. Please try again in a moment.")
        ) from exc
    except Exception as exc:
        log.exception("submit of application %s failed", application.pk)
        raise SubmitFailed(
            _(
                "We could not work out your eligibility, so your application was not submitted. "
                "Your answers are saved; please try again later or call us."
            )
        ) from exc
    _copy(locked, application)
    return SubmitResult(
        application=application,
        determination=determination,
        confirmation_number=str(locked.confirmation_number),
        created=True,
    )


def _normal_name(text: str) -> str:
    return " ".join(text.split()).casefold()


def _check_signature(signature: str, household: dict[str, Any]) -> None:
    name = household["members"][0]["name"]
    if not signature.strip():
        raise SignatureInvalid(_("Type your full name to sign the application."))
    if _normal_name(signature) != _normal_name(name):
        raise SignatureInvalid(
            _("Type your full name as you entered it on the first step: %(name)s.") % {"name": name}
        )


def _new_confirmation_number(application: Application) -> str:
    """A fresh confirmation number such as MA-2026-7KQ2-XH4P (40 random bits; checked unique,
    and the database's unique constraint has the last word)."""
    state = str(getattr(settings, "EXCHANGE_STATE", "MA")).upper()
    for _attempt in range(10):
        blocks = [
            "".join(secrets.choice(CONFIRMATION_ALPHABET) for _ in range(4)) for _ in range(2)
        ]
        number = f"{state}-{application.coverage_year}-{blocks[0]}-{blocks[1]}"
        if not Application.objects.filter(confirmation_number=number).exists():
            return number
    raise SubmitFailed(_("We could not submit your application. Please try again in a moment."))


def _send_confirmation(application_pk: int) -> None:
    """Enqueue the confirmation email job in the submit's transaction: the job row commits or rolls
    back with the submit (a transactional outbox, docs/adr/0004-background-jobs.md)."""
    from apps.applications.emails import send_submitted_email

    send_submitted_email.enqueue(application_pk)


def _queue_notice(application: Application) -> None:
    """Enqueue the job that renders and stores the eligibility notice, in the same transaction."""
    from apps.notices.services import enqueue_eligibility_notice

    enqueue_eligibility_notice(application)
