"""Shared pieces of the application's forms: the household as the steps see it (``Context``),
parsing what people type (amounts, dates), USWDS widgets and error styles (``StepForm``), and the
attestation and signature form (``SubmitForm``). The step forms are in ``steps.py``."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_MEMBERS = 20  # rules.parse.MAX_MEMBERS
MAX_ROWS = 10  # incomes or deductions per person
MAX_AMOUNT = Decimal("10000000")
MEMBER_ID = re.compile(r"m([1-9][0-9]{0,2})")

STATE_NAMES = {"MA": "Massachusetts"}


# --- the household as later steps see it ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    first_name: str
    last_name: str
    date_of_birth: dt.date
    sex: str
    seeking_coverage: bool

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def age_on(self, day: dt.date) -> int:
        years = day.year - self.date_of_birth.year
        if (day.month, day.day) < (self.date_of_birth.month, self.date_of_birth.day):
            years -= 1
        return years


@dataclass(frozen=True, slots=True)
class Context:
    """What a step's form needs to know: the coverage year and the people (from the people step)."""

    coverage_year: int
    people: tuple[Person, ...] = ()
    spouses: tuple[tuple[str, str], ...] = ()  # pairs married to each other (people step)

    @property
    def start(self) -> dt.date:
        return dt.date(self.coverage_year, 1, 1)

    def person(self, member_id: str) -> Person:
        for p in self.people:
            if p.id == member_id:
                return p
        raise KeyError(member_id)

    @property
    def applicants(self) -> tuple[Person, ...]:
        return tuple(p for p in self.people if p.seeking_coverage)

    def spouse_of(self, member_id: str) -> str | None:
        for a, b in self.spouses:
            if a == member_id:
                return b
            if b == member_id:
                return a
        return None


def context_from(data: Mapping[str, Any], coverage_year: int) -> Context:
    """The context from an application's stored answers (no people before the people step)."""
    people_answers = data.get("people") or {}
    people: list[Person] = []
    for m in people_answers.get("members", []):
        try:
            people.append(
                Person(
                    id=str(m["id"]),
                    first_name=str(m.get("first_name", "")),
                    last_name=str(m.get("last_name", "")),
                    date_of_birth=dt.date.fromisoformat(str(m["date_of_birth"])),
                    sex=str(m.get("sex", "")),
                    seeking_coverage=bool(m.get("seeking_coverage", True)),
                )
            )
        except (KeyError, ValueError):
            continue
    spouses = tuple(
        (str(r["from"]), str(r["to"]))
        for r in people_answers.get("relationships", [])
        if r.get("relation") == "spouse"
    )
    return Context(coverage_year=coverage_year, people=tuple(people), spouses=spouses)


# --- parsing what people type -------------------------------------------------------------------

_MONEY = re.compile(r"\$?\s*([0-9][0-9,]*)?(\.[0-9]{1,2})?")


def parse_amount(text: str, negative: bool = False) -> Decimal | None:
    """Dollars as people type them: 2500, 2,500, $2,500.50 (a leading minus sign when
    ``negative``); None when it is not an amount."""
    cleaned = text.strip().replace(" ", "")
    sign = Decimal(1)
    if negative and cleaned.startswith("-"):
        sign, cleaned = Decimal(-1), cleaned[1:]
    match = _MONEY.fullmatch(cleaned)
    if match is None or not (match.group(1) or match.group(2)):
        return None
    whole = match.group(1) or "0"
    if "," in whole and not re.fullmatch(r"[0-9]{1,3}(,[0-9]{3})+", whole):
        return None
    try:
        return sign * Decimal(whole.replace(",", "") + (match.group(2) or ""))
    except InvalidOperation:  # pragma: no cover - the pattern allows only digits
        return None


def amount_text(value: Any) -> str:
    """A stored amount ("2500.00", 2500) as the form shows it: 2500 or 2500.50."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)  # as typed: the form's checks say what is wrong
    if not amount.is_finite():
        return str(value)
    if amount == amount.to_integral_value():
        return str(int(amount))
    return f"{amount:.2f}"


def amount_json(amount: Decimal) -> str:
    """An amount as stored in the answers: an exact string such as "2500" or "2500.5" (no binary
    floats)."""
    text = f"{amount.quantize(Decimal('0.01')):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


_DATE_US = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")


def parse_date(text: str) -> dt.date | None:
    """A date typed as MM/DD/YYYY (or YYYY-MM-DD); None when it is not a date."""
    text = text.strip()
    match = _DATE_US.fullmatch(text)
    try:
        if match:
            return dt.date(int(match.group(3)), int(match.group(1)), int(match.group(2)))
        return dt.date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
    except ValueError:
        return None


def date_text(value: Any) -> str:
    if not value:
        return ""
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return f"{day.month:02d}/{day.day:02d}/{day.year}"


# --- widgets and fields ---------------------------------------------------------------------------


def text_input(**attrs: str) -> forms.TextInput:
    return forms.TextInput(attrs={"class": "usa-input", **attrs})


def radios() -> forms.RadioSelect:
    return forms.RadioSelect(attrs={"class": "usa-radio__input"})


def checkboxes() -> forms.CheckboxSelectMultiple:
    return forms.CheckboxSelectMultiple(attrs={"class": "usa-checkbox__input"})


def select() -> forms.Select:
    return forms.Select(attrs={"class": "usa-select"})


def yes_no_field(label: str, required_message: str, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        help_text=help_text,
        choices=[("yes", _("Yes")), ("no", _("No"))],
        widget=radios(),
        error_messages={"required": required_message, "invalid_choice": required_message},
    )


def yes_no(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return ""


FREQUENCIES = (
    ("weekly", gettext_lazy("Every week")),
    ("biweekly", gettext_lazy("Every two weeks")),
    ("semimonthly", gettext_lazy("Twice a month")),
    ("monthly", gettext_lazy("Every month")),
    ("quarterly", gettext_lazy("Every three months")),
    ("yearly", gettext_lazy("Once a year")),
)


@dataclass(frozen=True, slots=True)
class FieldError:
    anchor: str  # the id of the input the error summary links to
    message: str


class StepForm(forms.Form):
    """The base of the step forms: USWDS error styles, the error summary, stored answers."""

    step: ClassVar[str] = ""

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        context: Context,
        answers: Mapping[str, Any] | None = None,
    ) -> None:
        self.context = context
        self.stored = dict(answers or {})
        initial = self.to_data(self.stored, context) if self.stored else {}
        super().__init__(data, initial=initial)
        self.build()

    # -- to override -------------------------------------------------------------------------------

    def build(self) -> None:
        """Add the fields (they depend on the household and on what was posted)."""

    @classmethod
    def to_data(cls, answers: Mapping[str, Any], context: Context) -> dict[str, Any]:
        """Stored answers as posted form fields."""
        raise NotImplementedError

    def answers(self) -> dict[str, Any]:
        """The checked answers, as stored (call after is_valid())."""
        raise NotImplementedError

    # -- helpers -----------------------------------------------------------------------------------

    def raw(self, name: str) -> str:
        """A posted value as typed (bound forms), else the stored value."""
        source: Mapping[str, Any] = self.data if self.is_bound else self.initial
        value = source.get(name, "")
        if isinstance(value, list):
            value = value[-1] if value else ""
        return str(value).strip()

    def full_clean(self) -> None:
        super().full_clean()
        for name, field in self.fields.items():
            attrs = field.widget.attrs
            described = []
            if field.help_text:
                described.append(f"{self[name].auto_id}_helptext")
            if name in self.errors:
                described.append(f"{self[name].auto_id}_error")
                if not isinstance(field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
                    classes = attrs.get("class", "")
                    if "usa-input--error" not in classes:
                        attrs["class"] = f"{classes} usa-input--error".strip()
                    attrs["aria-invalid"] = "true"
            if described and not isinstance(
                field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)
            ):
                attrs["aria-describedby"] = " ".join(described)

    def anchor(self, name: str) -> str:
        if name not in self.fields:
            return "step-form"
        field = self.fields[name]
        auto_id = str(self[name].auto_id)
        if isinstance(field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
            return f"{auto_id}_0"
        return auto_id

    def error_list(self) -> list[FieldError]:
        """The errors in the order of the fields on the page (form-wide errors first)."""
        order = {name: i for i, name in enumerate(self.fields)}
        out = [FieldError("step-form", str(m)) for m in self.non_field_errors()]
        for name in sorted(
            (n for n in self.errors if n != NON_FIELD_ERRORS),
            key=lambda n: order.get(n, len(order)),
        ):
            out.extend(FieldError(self.anchor(name), str(m)) for m in self.errors[name])
        return out

    def fields_of(self, *names: str) -> list[forms.BoundField]:
        return [self[n] for n in names if n in self.fields]

    def member_choices(self, people: Iterable[Person]) -> list[tuple[str, str]]:
        return [(p.id, p.name) for p in people]


# --- review: attestation and signature ------------------------------------------------------------


class SubmitForm(forms.Form):
    """Attest, sign with the full name, submit (with the idempotency key made for this page)."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    attest = forms.BooleanField(
        label=gettext_lazy(
            "I confirm that the answers on this application are true and complete to the best of "
            "my knowledge, and I understand that giving false information on purpose can lead to "
            "penalties under federal and state law."
        ),
        widget=forms.CheckboxInput(attrs={"class": "usa-checkbox__input"}),
        error_messages={
            "required": gettext_lazy("Check the box to confirm that your answers are true")
        },
    )
    signature = forms.CharField(
        label=gettext_lazy("Your full name (electronic signature)"),
        max_length=200,
        widget=text_input(autocomplete="name"),
        error_messages={"required": gettext_lazy("Type your full name to sign the application")},
    )

    def __init__(self, *args: Any, expected_name: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.expected_name = expected_name
        if expected_name:
            self.fields["signature"].help_text = _("Type your name as you entered it: %(name)s") % {
                "name": expected_name
            }
        self.fields["idempotency_key"].error_messages["invalid"] = _(
            "The page expired. Check your answers and submit again"
        )

    def full_clean(self) -> None:
        super().full_clean()
        for name, field in self.fields.items():
            if name in self.errors and not isinstance(field.widget, forms.CheckboxInput):
                classes = field.widget.attrs.get("class", "")
                field.widget.attrs["class"] = f"{classes} usa-input--error".strip()
                field.widget.attrs["aria-invalid"] = "true"
            if name == "signature":
                ids = [f"{self[name].auto_id}_helptext"] if field.help_text else []
                if name in self.errors:
                    ids.append(f"{self[name].auto_id}_error")
                if ids:
                    field.widget.attrs["aria-describedby"] = " ".join(ids)

    def error_list(self) -> list[FieldError]:
        out = [FieldError("submit-form", str(m)) for m in self.non_field_errors()]
        for name in ("attest", "signature", "idempotency_key"):
            for m in self.errors.get(name, []):
                out.append(FieldError(str(self[name].auto_id), str(m)))
        return out
