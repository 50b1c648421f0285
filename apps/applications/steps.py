"""The application's steps, in order, and the form of each.

Steps (docs/adr/0003-portal.md): ``people``, ``tax``, ``address``, ``immigration``,
``circumstances``, ``income``, ``coverage``, then ``review`` (attest, sign, submit).
``Application.data[step]`` holds each step's answers in the shape its form's ``answers()`` returns;
member ids are the people step's ("m1" is the person applying, "m2", ...)::

    people:        {"members": [{"id", "first_name", "last_name", "date_of_birth" (ISO),
                                 "sex" ("female"|"male"), "seeking_coverage" (bool)}],
                    "relationships": [{"from": "m2", "to": "m1", "relation": "spouse"}]}
                   (one per pair, "from" listed after "to"; reads "m2 is m1's spouse"; relation
                   is a key of RELATIONS)
    tax:           {"members": {"m1": {"filer", "filing_status", "joint_with", "mfs_exception",
                                       "claimed_by"}}}
    address:       {"home": {"street", "street2", "city", "state", "zip", "county_fips",
                             "county_name"}, "mailing_same": bool,
                    "mailing": null | {"street", "street2", "city", "state", "zip"}}
    immigration:   {"members": {"m1": {"status", "five_year_bar_met"}}}  (applicants only)
    circumstances: {"american_indian_alaska_native": [ids], "incarcerated": [ids],
                    "pending_disposition": [ids], "pregnant": [ids], "blind_or_disabled": [ids],
                    "expected_children": {"m1": 1}}
    income:        {"members": {"m1": {"incomes": [{"type", "amount" ("2500.5"), "frequency"}],
                                       "deductions": [...]}}}
    coverage:      {"medicare": [ids], "other_coverage": [ids],
                    "offers": {"m1": {"employee_only_premium", "family_premium" (or null),
                                      "frequency", "minimum_value", "minimum_value_answer"}}}

The service re-checks stored answers with the same form, so a step whose answers no longer fit
the household (a person was added) shows as to be answered. Each form takes the posted fields
(``data``) or, unbound, shows the stored answers; ``to_data(answers, context)`` turns stored
answers back into form fields. Every message names the person and the field and says how to fix
it. The forms work without JavaScript: a list that grows ("Add another person", "Add another
income") is a submit button that shows the form again with one more block.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.applications.forms import (
    FREQUENCIES,
    MAX_AMOUNT,
    MAX_MEMBERS,
    MAX_ROWS,
    MEMBER_ID,
    STATE_NAMES,
    Context,
    Person,
    StepForm,
    amount_json,
    amount_text,
    checkboxes,
    context_from,
    date_text,
    parse_amount,
    parse_date,
    radios,
    select,
    text_input,
    yes_no,
    yes_no_field,
)
from apps.applications.ssn import InvalidSSN, normalize_ssn
from rating.geography import County, counties_for_zip, normalize_zip

STEPS: tuple[str, ...] = (
    "people",
    "tax",
    "address",
    "immigration",
    "circumstances",
    "income",
    "coverage",
)
REVIEW = "review"
STEP_TITLES: dict[str, Any] = {
    "people": gettext_lazy("People in your household"),
    "tax": gettext_lazy("Tax filing and dependents"),
    "address": gettext_lazy("Home and mailing address"),
    "immigration": gettext_lazy("Citizenship and immigration status"),
    "circumstances": gettext_lazy("Other circumstances"),
    "income": gettext_lazy("Income and deductions"),
    "coverage": gettext_lazy("Current coverage and job offers"),
    "review": gettext_lazy("Review, sign and submit"),
}


# --- 1. people ------------------------------------------------------------------------------------

#: "B is A's ___": the choices, and how each becomes the rules engine's relationship.
RELATIONS: tuple[tuple[str, Any], ...] = (
    ("spouse", gettext_lazy("Husband, wife or spouse")),
    ("parent", gettext_lazy("Parent (mother or father)")),
    ("child", gettext_lazy("Son or daughter")),
    ("stepparent", gettext_lazy("Stepparent")),
    ("stepchild", gettext_lazy("Stepson or stepdaughter")),
    ("sibling", gettext_lazy("Brother or sister")),
    ("grandparent", gettext_lazy("Grandparent")),
    ("grandchild", gettext_lazy("Grandchild")),
    ("caretaker", gettext_lazy("Aunt, uncle or other relative who takes care of them")),
    ("cared_for", gettext_lazy("Niece, nephew or other relative in their care")),
    ("other_relative", gettext_lazy("Other relative")),
    ("unrelated", gettext_lazy("Not related")),
)
OLDER_RELATIONS = frozenset({"parent", "stepparent", "grandparent"})  # B older than A
YOUNGER_RELATIONS = frozenset({"child", "stepchild", "grandchild"})


class PeopleForm(StepForm):
    """Who lives in the household, who needs coverage, and how everyone is related."""

    step = "people"

    member_ids = forms.CharField(widget=forms.HiddenInput, required=False)
    last_id = forms.CharField(widget=forms.HiddenInput, required=False)

    MEMBER_FIELDS = ("first_name", "last_name", "date_of_birth", "sex", "seeking_coverage", "ssn")

    @classmethod
    def to_data(cls, answers: Mapping[str, Any], context: Context) -> dict[str, Any]:
        members = answers.get("members", [])
        ids = [str(m["id"]) for m in members]
        data: dict[str, Any] = {
            "member_ids": ",".join(ids),
            "last_id": str(max((_number(i) for i in ids), default=0)),
        }
        for m in members:
            mid = m["id"]
            data[f"{mid}-first_name"] = m.get("first_name", "")
            data[f"{mid}-last_name"] = m.get("last_name", "")
            data[f"{mid}-date_of_birth"] = date_text(m.get("date_of_birth"))
            data[f"{mid}-sex"] = m.get("sex", "")
            data[f"{mid}-seeking_coverage"] = yes_no(m.get("seeking_coverage"))
        for r in answers.get("relationships", []):
            data[f"rel-{r['to']}-{r['from']}"] = r.get("relation", "")
        return data

    def build(self) -> None:
        self.ids = self._posted_ids() if self.is_bound else self._stored_ids()
        if not self.ids:
            self.ids = ["m1"]
        self.next_number = max(
            [_number(i) for i in self.ids] + [_int(self.raw("last_id"))], default=0
        )
        for position, mid in enumerate(self.ids, start=1):
            self._add_member_fields(mid, position)
        self._add_relationship_fields()

    def _stored_ids(self) -> list[str]:
        return [str(m["id"]) for m in self.stored.get("members", [])]

    def _posted_ids(self) -> list[str]:
        ids: list[str] = []
        for part in self.raw("member_ids").split(","):
            part = part.strip()
            if MEMBER_ID.fullmatch(part) and part not in ids:
                ids.append(part)
        return ids[:MAX_MEMBERS]

    def _add_member_fields(self, mid: str, position: int) -> None:
        you = position == 1
        who = {"who": self.who(mid, position)}
        self.fields[f"{mid}-first_name"] = forms.CharField(
            label=_("First name"),
            max_length=60,
            widget=text_input(autocomplete="given-name" if you else "off"),
            error_messages={
                "required": _("Enter your first name")
                if you
                else _("Enter the first name of %(who)s") % who,
                "max_length": _("Enter a first name of at most 60 characters"),
            },
        )
        self.fields[f"{mid}-last_name"] = forms.CharField(
            label=_("Last name"),
            max_length=60,
            widget=text_input(autocomplete="family-name" if you else "off"),
            error_messages={
                "required": _("Enter your last name")
                if you
                else _("Enter the last name of %(who)s") % who,
                "max_length": _("Enter a last name of at most 60 characters"),
            },
        )
        self.fields[f"{mid}-date_of_birth"] = forms.CharField(
            label=_("Date of birth"),
            help_text=_("For example: 03/28/1986 (month/day/year)"),
            max_length=10,
            widget=text_input(
                inputmode="numeric", autocomplete="bday" if you else "off", size="10"
            ),
            error_messages={
                "required": _("Enter your date of birth")
                if you
                else _("Enter the date of birth of %(who)s") % who
            },
        )
        sex_message = _("Choose your sex") if you else _("Choose the sex of %(who)s") % who
        self.fields[f"{mid}-sex"] = forms.ChoiceField(
            label=_("Sex"),
            choices=[("female", _("Female")), ("male", _("Male"))],
            widget=radios(),
            error_messages={"required": sex_message, "invalid_choice": sex_message},
        )
        # Optional; never in the answers (``ssns()`` gives it to the service, which encrypts it:
        # apps/applications/ssn.py). Left blank, a number stored before is kept.
        self.fields[f"{mid}-ssn"] = forms.CharField(
            label=_("Your Social Security number (if you have one)")
            if you
            else _("Social Security number (if they have one)"),
            help_text=_(
                "9 digits, for example 123-45-6789. We use it to check information with "
                "government agencies. We keep it encrypted and show only the last 4 digits."
            ),
            required=False,
            max_length=20,
            widget=text_input(inputmode="numeric", autocomplete="off", size="11"),
            error_messages={
                "max_length": _("Enter a Social Security number with 9 digits, like 123-45-6789")
            },
        )
        self.fields[f"{mid}-seeking_coverage"] = yes_no_field(
            _("Do you need health coverage?")
            if you
            else _("Does %(who)s need health coverage?") % who,
            _("Choose Yes or No: do you need health coverage?")
            if you
            else _("Choose Yes or No: does %(who)s need health coverage?") % who,
        )

    def who(self, mid: str, position: int | None = None) -> str:
        """The person's name as typed so far, else "person 2" ("you" for the first person)."""
        if position is None:
            position = self.ids.index(mid) + 1 if mid in self.ids else 0
        if position == 1:
            return _("you")
        name = f"{self.raw(f'{mid}-first_name')} {self.raw(f'{mid}-last_name')}".strip()
        return name or _("person %(n)s") % {"n": position}

    def title(self, mid: str, position: int) -> str:
        """The heading of a person's block."""
        if position == 1:
            return _("About you")
        name = f"{self.raw(f'{mid}-first_name')} {self.raw(f'{mid}-last_name')}".strip()
        return name or _("Person %(n)s") % {"n": position}

    def _add_relationship_fields(self) -> None:
        choices = [("", _("- Select -")), *RELATIONS]
        self.pairs: list[tuple[str, str, str]] = []
        for i, a in enumerate(self.ids):
            for b in self.ids[i + 1 :]:
                name = f"rel-{a}-{b}"
                label = _("%(b)s is %(a)s’s…") % {"b": self.who(b), "a": self.who(a)}
                if i == 0:
                    label = _("%(b)s is your…") % {"b": self.who(b)}
                label = capfirst(label)
                self.fields[name] = forms.ChoiceField(
                    label=label,
                    choices=choices,
                    widget=select(),
                    error_messages={
                        "required": _("Choose how %(b)s is related to %(a)s")
                        % {"b": self.who(b), "a": self.who(a)},
                        "invalid_choice": _("Choose how %(b)s is related to %(a)s from the list")
                        % {"b": self.who(b), "a": self.who(a)},
                    },
                )
                self.pairs.append((a, b, name))

    # -- the page ----------------------------------------------------------------------------------

    def blocks(self) -> list[dict[str, Any]]:
        return [
            {
                "id": mid,
                "position": position,
                "title": self.title(mid, position),
                "first": position == 1,
                "fields": {n: self[f"{mid}-{n}"] for n in self.MEMBER_FIELDS},
            }
            for position, mid in enumerate(self.ids, start=1)
        ]

    def relationship_fields(self) -> list[forms.BoundField]:
        return [self[name] for _a, _b, name in self.pairs]

    def with_action(self, action: str) -> Any:
        """The posted data after "Add another person" or "Remove": the blocks to show next
        (a copy of the posted data, of the same kind: a QueryDict or a dict)."""
        posted: Any = self.data
        data = posted.copy()
        ids = list(self.ids)
        if action == "add" and len(ids) < MAX_MEMBERS:
            self.next_number += 1
            ids.append(f"m{self.next_number}")
        elif action.startswith("remove-") and action[7:] in ids[1:]:
            ids.remove(action[7:])
        data["member_ids"] = ",".join(ids)
        data["last_id"] = str(self.next_number)
        return data

    # -- checks ------------------------------------------------------------------------------------

    def _blank(self, mid: str) -> bool:
        return not any(self.raw(f"{mid}-{n}") for n in ("first_name", "last_name", "date_of_birth"))

    def full_clean(self) -> None:
        # A person added but left empty (not the first) is dropped rather than complained about.
        if self.is_bound:
            blank = [mid for mid in self.ids[1:] if self._blank(mid)]
            for mid in blank:
                self.ids.remove(mid)
                for n in self.MEMBER_FIELDS:
                    self.fields.pop(f"{mid}-{n}", None)
                for name in [p[2] for p in self.pairs if mid in p[:2]]:
                    self.fields.pop(name, None)
                self.pairs = [p for p in self.pairs if mid not in p[:2]]
        super().full_clean()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = dt.date.today()
        births: dict[str, dt.date] = {}
        for mid in self.ids:
            name = f"{mid}-date_of_birth"
            raw = data.get(name)
            if not raw:
                continue
            born = parse_date(str(raw))
            who = self.who(mid)
            if born is None:
                self.add_error(
                    name,
                    _(
                        "Enter the date of birth of %(who)s as month/day/year, for example 03/28/1986"
                    )
                    % {"who": who},
                )
            elif born > today:
                self.add_error(
                    name, _("The date of birth of %(who)s must be in the past") % {"who": who}
                )
            elif born.year < today.year - 120:
                self.add_error(
                    name,
                    _("Check the date of birth of %(who)s: enter a year after %(year)s")
                    % {"who": who, "year": today.year - 121},
                )
            else:
                births[mid] = born
        for mid in self.ids:
            typed = str(data.get(f"{mid}-ssn") or "").strip()
            if typed:
                try:
                    normalize_ssn(typed)
                except InvalidSSN as problem:
                    self.add_error(
                        f"{mid}-ssn",
                        _("Your Social Security number: %(problem)s") % {"problem": problem.message}
                        if mid == self.ids[0]
                        else _("Social Security number of %(who)s: %(problem)s")
                        % {"who": self.who(mid), "problem": problem.message},
                    )
        seeking = [mid for mid in self.ids if data.get(f"{mid}-seeking_coverage") == "yes"]
        answered = all(data.get(f"{mid}-seeking_coverage") for mid in self.ids)
        if answered and not seeking:
            self.add_error(
                f"{self.ids[0]}-seeking_coverage",
                _("Choose Yes for at least one person who needs health coverage"),
            )
        spouses: dict[str, list[str]] = {}
        for a, b, name in self.pairs:
            relation = data.get(name)
            if relation == "spouse":
                spouses.setdefault(a, []).append(b)
                spouses.setdefault(b, []).append(a)
            if a in births and b in births:
                older = relation in OLDER_RELATIONS and births[b] >= births[a]
                younger = relation in YOUNGER_RELATIONS and births[b] <= births[a]
                if older or younger:
                    self.add_error(
                        name,
                        _(
                            "Check how %(b)s is related to %(a)s: the dates of birth do not fit "
                            "this relationship"
                        )
                        % {"b": self.who(b), "a": self.who(a)},
                    )
        for mid, others in spouses.items():
            if len(others) > 1:
                first = next(
                    p[2] for p in self.pairs if mid in p[:2] and data.get(p[2]) == "spouse"
                )
                self.add_error(
                    first,
                    _("%(who)s can have only one spouse in the household") % {"who": self.who(mid)},
                )
                break
        return data

    def answers(self) -> dict[str, Any]:
        data = self.cleaned_data
        members = []
        for mid in self.ids:
            born = parse_date(data[f"{mid}-date_of_birth"])
            assert born is not None
            members.append(
                {
                    "id": mid,
                    "first_name": data[f"{mid}-first_name"].strip(),
                    "last_name": data[f"{mid}-last_name"].strip(),
                    "date_of_birth": born.isoformat(),
                    "sex": data[f"{mid}-sex"],
                    "seeking_coverage": data[f"{mid}-seeking_coverage"] == "yes",
                }
            )
        relationships = [{"from": b, "to": a, "relation": data[name]} for a, b, name in self.pairs]
        return {"members": members, "relationships": relationships}

    def ssns(self) -> dict[str, str]:
        """The Social Security numbers typed (member id -> "123-45-6789"; blank ones left out):
        kept out of ``answers()`` so they never reach ``Application.data``."""
        out = {}
        for mid in self.ids:
            typed = str(self.cleaned_data.get(f"{mid}-ssn") or "").strip()
            if typed:
                out[mid] = normalize_ssn(typed)
        return out


def _number(member_id: str) -> int:
    match = MEMBER_ID.fullmatch(member_id)
    return int(match.group(1)) if match else 0


def _int(text: str) -> int:
    return int(text) if text.isdigit() and len(text) < 5 else 0


# --- 2. tax ---------------------------------------------------------------------------------------

FILING_STATUSES = (
    ("single", gettext_lazy("Single")),
    ("head_of_household", gettext_lazy("Head of household")),
    ("married_filing_jointly", gettext_lazy("Married filing jointly")),
    ("married_filing_separately", gettext_lazy("Married filing separately")),
    ("qualifying_surviving_spouse", gettext_lazy("Qualifying surviving spouse")),
)


class TaxForm(StepForm):
    """Who files a federal tax return for the coverage year, how, and who claims whom."""

    step = "tax"
    FIELDS = ("filer", "filing_status", "joint_with", "mfs_exception", "claimed_by")

    @classmethod
    def to_data(cls, answers: Mapping[str, Any], context: Context) -> dict[str, Any]:
        data: dict[str, Any] = {}
        by_member = answers.get("members", {})
        for p in context.people:
            a = by_member.get(p.id)
            if a is None:
                continue
            data[f"{p.id}-filer"] = yes_no(a.get("filer"))
            data[f"{p.id}-filing_status"] = a.get("filing_status") or ""
            data[f"{p.id}-joint_with"] = a.get("joint_with") or ""
            data[f"{p.id}-mfs_exception"] = bool(a.get("mfs_exception"))
            data[f"{p.id}-claimed_by"] = a.get("claimed_by") or ""
        return data

    def build(self) -> None:
        year = self.context.coverage_year
        for p in self.context.people:
            others = [o for o in self.context.people if o.id != p.id]
            self.fields[f"{p.id}-filer"] = yes_no_field(
                _("Will %(name)s file a federal income tax return for %(year)s?")
                % {"name": p.name, "year": year},
                _("Choose Yes or No: will %(name)s file a federal tax return for %(year)s?")
                % {"name": p.name, "year": year},
                help_text=_("The return filed in %(next)s for the year %(year)s.")
                % {"next": year + 1, "year": year},
            )
            self.fields[f"{p.id}-filing_status"] = forms.ChoiceField(
                label=_("Filing status"),
                required=False,
                choices=[("", _("- Select -")), *FILING_STATUSES],
                widget=select(),
                help_text=_("Only if %(name)s files a return.") % {"name": p.name},
                error_messages={
                    "invalid_choice": _("Choose a filing status for %(name)s from the list")
                    % {"name": p.name}
                },
            )
            self.fields[f"{p.id}-joint_with"] = forms.ChoiceField(
                label=_("Files jointly with"),
                required=False,
                choices=[("", _("- Select -")), *self.member_choices(others)],
                widget=select(),
                help_text=_("Only if married filing jointly: the spouse on the same return."),
                error_messages={
                    "invalid_choice": _("Choose the spouse %(name)s files jointly with")
                    % {"name": p.name}
                },
            )
            if not self.is_bound and f"{p.id}-joint_with" not in self.initial:
                spouse = self.context.spouse_of(p.id)
                if spouse:
                    self.initial[f"{p.id}-joint_with"] = spouse
            self.fields[f"{p.id}-mfs_exception"] = forms.BooleanField(
                label=_(
                    "Married filing separately because of domestic abuse or spousal abandonment"
                ),
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "usa-checkbox__input"}),
            )
            self.fields[f"{p.id}-claimed_by"] = forms.ChoiceField(
                label=_("Will someone in the household claim %(name)s as a tax dependent?")
                % {"name": p.name},
                required=False,
                choices=[
                    ("", _("No, no one will")),
                    *[(o.id, _("Yes, %(name)s will") % {"name": o.name}) for o in others],
                ],
                widget=select(),
                error_messages={
                    "invalid_choice": _("Choose who will claim %(name)s from the list")
                    % {"name": p.name}
                },
            )

    def blocks(self) -> list[dict[str, Any]]:
        return [
            {
                "id": p.id,
                "title": p.name,
                "fields": {n: self[f"{p.id}-{n}"] for n in self.FIELDS},
            }
            for p in self.context.people
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        people = self.context.people
        names = {p.id: p.name for p in people}
        answered = {p.id for p in people if data.get(f"{p.id}-filer") in ("yes", "no")}
        filer = {p.id: data.get(f"{p.id}-filer") == "yes" for p in people}
        status = {
            p.id: (data.get(f"{p.id}-filing_status") or "") if filer[p.id] else "" for p in people
        }
        joint = {p.id: data.get(f"{p.id}-joint_with") or "" for p in people}
        claimer = {p.id: data.get(f"{p.id}-claimed_by") or "" for p in people}
        # A joint return names both spouses: the spouse left blank is the one who named them,
        # else the spouse from the people step.
        for p in people:
            if status[p.id] == "married_filing_jointly" and not joint[p.id]:
                named_by = [
                    o
                    for o, w in joint.items()
                    if w == p.id and status[o] == "married_filing_jointly"
                ]
                joint[p.id] = named_by[0] if named_by else (self.context.spouse_of(p.id) or "")
        for p in people:
            mid = p.id
            if mid not in answered:
                continue
            if filer[mid] and not status[mid]:
                self.add_error(
                    f"{mid}-filing_status",
                    _("Choose the filing status of %(name)s") % {"name": p.name},
                )
            if status[mid] == "married_filing_jointly":
                partner = joint[mid]
                spouse = self.context.spouse_of(mid)
                if not partner:
                    self.add_error(
                        f"{mid}-joint_with",
                        _("Choose the spouse %(name)s files jointly with") % {"name": p.name},
                    )
                elif spouse is not None and partner != spouse:
                    self.add_error(
                        f"{mid}-joint_with",
                        _(
                            "%(name)s is married to %(spouse)s: choose %(spouse)s as the spouse on "
                            "the joint return, or change the relationship on the first step"
                        )
                        % {"name": p.name, "spouse": names[spouse]},
                    )
                elif partner in answered and (
                    status[partner] != "married_filing_jointly" or joint[partner] != mid
                ):
                    self.add_error(
                        f"{partner}-filing_status",
                        _(
                            "%(name)s files jointly with %(partner)s, so choose Yes and “Married "
                            "filing jointly” with %(name)s for %(partner)s too"
                        )
                        % {"name": p.name, "partner": names[partner]},
                    )
            by = claimer[mid]
            if not by:
                continue
            if by in answered and not filer.get(by):
                self.add_error(
                    f"{mid}-claimed_by",
                    _(
                        "%(claimer)s will claim %(name)s, so %(claimer)s must file a tax return: "
                        "choose Yes for %(claimer)s, or change who claims %(name)s"
                    )
                    % {"claimer": names.get(by, by), "name": p.name},
                )
            elif claimer.get(by):
                self.add_error(
                    f"{mid}-claimed_by",
                    _(
                        "%(claimer)s is claimed as a dependent by someone else, so cannot claim "
                        "%(name)s"
                    )
                    % {"claimer": names[by], "name": p.name},
                )
            elif status[mid] == "married_filing_jointly":
                self.add_error(
                    f"{mid}-claimed_by",
                    _("%(name)s files a joint return, so cannot be claimed as a dependent")
                    % {"name": p.name},
                )
            elif joint.get(by) == mid:
                self.add_error(
                    f"{mid}-claimed_by",
                    _("A spouse on the same joint return cannot be claimed as a dependent"),
                )
        self._joint = joint
        self._status = status
        return data

    def answers(self) -> dict[str, Any]:
        data = self.cleaned_data
        out: dict[str, Any] = {}
        for p in self.context.people:
            is_filer = data[f"{p.id}-filer"] == "yes"
            status = self._status[p.id] if is_filer else ""
            out[p.id] = {
                "filer": is_filer,
                "filing_status": status or None,
                "joint_with": self._joint[p.id] if status == "married_filing_jointly" else None,
                "mfs_exception": bool(data.get(f"{p.id}-mfs_exception"))
                if status == "married_filing_separately"
                else False,
                "claimed_by": data.get(f"{p.id}-claimed_by") or None,
            }
        return {"members": out}


# --- 3. address -----------------------------------------------------------------------------------


class AddressForm(StepForm):
    """Home address in the state (ZIP code -> county, with a choice when the ZIP is in two) and
    the mailing address."""

    step = "address"

    street = forms.CharField(
        label=gettext_lazy("Street address"),
        max_length=100,
        widget=text_input(autocomplete="address-line1"),
        error_messages={"required": gettext_lazy("Enter the street address of your home")},
    )
    street2 = forms.CharField(
        label=gettext_lazy("Apartment, suite or unit (optional)"),
        max_length=100,
        required=False,
        widget=text_input(autocomplete="address-line2"),
    )
    city = forms.CharField(
        label=gettext_lazy("City or town"),
        max_length=60,
        widget=text_input(autocomplete="address-level2"),
        error_messages={"required": gettext_lazy("Enter the city or town of your home")},
    )
    zip = forms.CharField(
        label=gettext_lazy("ZIP code"),
        help_text=gettext_lazy("5 digits, for example 02118."),
        max_length=10,
        widget=text_input(inputmode="numeric", autocomplete="postal-code", size="10"),
        error_messages={"required": gettext_lazy("Enter the ZIP code of your home")},
    )
    county = forms.ChoiceField(
        label=gettext_lazy("County"), required=False, widget=radios(), choices=[]
    )
    mailing_same = forms.ChoiceField(
        label=gettext_lazy("Is your mailing address the same as your home address?"),
        choices=[("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))],
        widget=radios(),
        error_messages={
            "required": gettext_lazy("Choose Yes or No: is your mailing address the same?")
        },
    )
    mailing_street = forms.CharField(
        label=gettext_lazy("Mailing street address or PO box"),
        max_length=100,
        required=False,
        widget=text_input(autocomplete="shipping address-line1"),
    )
    mailing_street2 = forms.CharField(
        label=gettext_lazy("Apartment, suite or unit (optional)"),
        max_length=100,
        required=False,
        widget=text_input(autocomplete="shipping address-line2"),
    )
    mailing_city = forms.CharField(
        label=gettext_lazy("City or town"),
        max_length=60,
        required=False,
        widget=text_input(autocomplete="shipping address-level2"),
    )
    mailing_state = forms.CharField(
        label=gettext_lazy("State"),
        help_text=gettext_lazy("Two letters, for example MA."),
        max_length=2,
        required=False,
        widget=text_input(autocomplete="shipping address-level1", size="3"),
    )
    mailing_zip = forms.CharField(
        label=gettext_lazy("ZIP code"),
        max_length=10,
        required=False,
        widget=text_input(inputmode="numeric", autocomplete="shipping postal-code", size="10"),
    )

    HOME = ("street", "street2", "city", "zip")
    MAILING = ("mailing_street", "mailing_street2", "mailing_city", "mailing_state", "mailing_zip")

    @classmethod
    def to_data(cls, answers: Mapping[str, Any], context: Context) -> dict[str, Any]:
        home = answers.get("home", {})
        mailing = answers.get("mailing") or {}
        return {
            "street": home.get("street", ""),
            "street2": home.get("street2", ""),
            "city": home.get("city", ""),
            "zip": home.get("zip", ""),
            "county": home.get("county_fips", ""),
            "mailing_same": yes_no(answers.get("mailing_same")),
            "mailing_street": mailing.get("street", ""),
            "mailing_street2": mailing.get("street2", ""),
            "mailing_city": mailing.get("city", ""),
            "mailing_state": mailing.get("state", ""),
            "mailing_zip": mailing.get("zip", ""),
        }

    @property
    def state(self) -> str:
        return str(getattr(settings, "EXCHANGE_STATE", "MA"))

    @property
    def state_name(self) -> str:
        return STATE_NAMES.get(self.state, self.state)

    def build(self) -> None:
        self.county_choices: tuple[County, ...] = ()
        try:
            counties = tuple(c for c in counties_for_zip(self.raw("zip")) if c.state == self.state)
        except ValueError:
            counties = ()
        if len(counties) > 1:
            self.county_choices = counties
            field = self.fields["county"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [(c.fips, c.name) for c in counties]
            field.error_messages["invalid_choice"] = _("Choose one of the counties listed")
        else:
            del self.fields["county"]

    @property
    def needs_county(self) -> bool:
        return bool(self.county_choices)

    def clean_zip(self) -> str:
        raw = str(self.cleaned_data["zip"]).strip()
        try:
            zip5 = normalize_zip(raw)
        except ValueError:
            raise forms.ValidationError(
                _("Enter the ZIP code of your home as 5 digits, for example 02118")
            ) from None
        counties = counties_for_zip(zip5)
        if not counties:
            raise forms.ValidationError(
                _("We could not find ZIP code %(zip)s. Check the ZIP code and try again")
                % {"zip": zip5}
            )
        if not any(c.state == self.state for c in counties):
            raise forms.ValidationError(
                _(
                    "ZIP code %(zip)s is not in %(state)s. This exchange covers people who live in "
                    "%(state)s; HealthCare.gov or your state's exchange can help elsewhere"
                )
                % {"zip": zip5, "state": self.state_name}
            )
        return zip5

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.needs_county and "zip" in data and not data.get("county"):
            self.add_error(
                "county",
                _("Choose your county: ZIP code %(zip)s is in %(counties)s")
                % {
                    "zip": data["zip"],
                    "counties": _(" and ").join(c.name for c in self.county_choices),
                },
            )
        if data.get("mailing_same") == "no":
            if not data.get("mailing_street"):
                self.add_error("mailing_street", _("Enter the street address or PO box for mail"))
            if not data.get("mailing_city"):
                self.add_error("mailing_city", _("Enter the city or town for mail"))
            state = str(data.get("mailing_state") or "").strip().upper()
            if not re.fullmatch(r"[A-Z]{2}", state):
                self.add_error(
                    "mailing_state", _("Enter the state for mail as two letters, for example MA")
                )
            else:
                data["mailing_state"] = state
            raw_zip = str(data.get("mailing_zip") or "")
            try:
                data["mailing_zip"] = normalize_zip(raw_zip.strip())
            except ValueError:
                self.add_error(
                    "mailing_zip",
                    _("Enter the ZIP code for mail as 5 digits, for example 02118"),
                )
        return data

    def answers(self) -> dict[str, Any]:
        data = self.cleaned_data
        zip5 = data["zip"]
        counties = [c for c in counties_for_zip(zip5) if c.state == self.state]
        county = (
            next(c for c in counties if c.fips == data["county"])
            if self.needs_county
            else counties[0]
        )
        same = data["mailing_same"] == "yes"
        return {
            "home": {
                "street": data["street"].strip(),
                "street2": data["street2"].strip(),
                "city": data["city"].strip(),
                "state": self.state,
                "zip": zip5,
                "county_fips": county.fips,
                "county_name": county.name,
            },
            "mailing_same": same,
            "mailing": None
            if same
            else {
                "street": data["mailing_street"].strip(),
                "street2": data["mailing_street2"].strip(),
                "city": data["mailing_city"].strip(),
                "state": data["mailing_state"],
                "zip": data["mailing_zip"],
            },
        }


# --- 4. immigration -------------------------------------------------------------------------------

IMMIGRATION_STATUSES = (
    ("citizen", gettext_lazy("U.S. citizen or U.S. national")),
    ("lawful_permanent_resident", gettext_lazy("Lawful permanent resident (green card holder)")),
    ("refugee_or_asylee", gettext_lazy("Refugee or asylee")),
    ("cuban_haitian_entrant", gettext_lazy("Cuban or Haitian entrant")),
    (
        "cofa_migrant",
        gettext_lazy("Citizen of the Marshall Islands, Micronesia or Palau (COFA migrant)"),
    ),
    (
        "other_qualified_noncitizen",
        gettext_lazy("Other qualified noncitizen (for example parolee for at least a year)"),
    ),
    (
        "other_lawfully_present",
        gettext_lazy("Other lawful status (for example a student or work visa, TPS)"),
    ),
    ("not_lawfully_present", gettext_lazy("None of these")),
)
#: Statuses for which the five-year waiting period (8 USC 1613) is asked.
FIVE_YEAR_BAR = frozenset({"lawful_permanent_resident", "other_qualified_noncitizen"})


class ImmigrationForm(StepForm):
    """Citizenship or immigration status of each person who needs coverage."""

    step = "immigration"

    @classmethod
    def to_data(cls, answers: Mapping[str, Any], context: Context) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for p in context.applicants:
            a = answers.get("members", {}).get(p.id)
            if a is None:
                continue
            data[f"{p.id}-status"] = a.get("status", "")
            if a.get("status") in FIVE_YEAR_BAR:
                data[f"{p.id}-five_years"] = yes_no(a.get("five_year_bar_met"))
        return data

    def build(self) -> None:
        for p in self.context.applicants:
            message = _("Choose the citizenship or immigration status of %(name)s") % {
                "name": p.name
            }
            self.fields[f"{p.id}-status"] = forms.ChoiceField(
                label=_("Citizenship or immigration status of %(name)s") % {"name": p.name},
                choices=[("", _("- Select -")), *IMMIGRATION_STATUSES],
                widget=select(),
                error_messages={"required": message, "invalid_choice": message},
            )
            self.fields[f"{p.id}-five_years"] = forms.ChoiceField(
                label=_("Has %(name)s had this status for 5 years or more?") % {"name": p.name},
                help_text=_(
                    "Only for lawful permanent residents and other qualified noncitizens. Answer "
                    "Yes also if %(name)s is a veteran or on active duty, or the spouse or child "
                    "of one."
                )
                % {"name": p.name},
                required=False,
                choices=[("yes", _("Yes")), ("no", _("No"))],
                widget=radios(),
            )

    def blocks(self) -> list[dict[str, Any]]:
        return [
            {
                "id": p.id,
                "title": p.name,
                "status": self[f"{p.id}-status"],
                "five_years": self[f"{p.id}-five_years"],
            }
            for p in self.context.applicants
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for p in self.context.applicants:
            if data.get(f"{p.id}-status") in FIVE_YEAR_BAR and not data.get(f"{p.id}-five_years"):
                self.add_error(
                    f"{p.id}-five_years",
                    _("Choose Yes or No: has %(name)s had this status for 5 years or more?")
                    % {"name": p.name},
                )
        return data

    def answers(self) -> dict[str, Any]:
        data = self.cleaned_data
        out = {}
        for p in self.context.applicants:
            status = data[f"{p.id}-status"]
            out[p.id] = {
                "status": status,
                "five_year_bar_met": data.get(f"{p.id}-five_years") != "no"
                if status in FIVE_YEAR_BAR
                else True,
            }
        return {"members": out}


# --- 5. circumstances -----------------------------------------------------------------------------


class CircumstancesForm(StepForm):
    """Incarceration, American Indian / Alaska Native, pregnancy, blindness or disability."""

    step = "circumstances"
    GROUPS = (
        "american_indian_alaska_native",
        "incarcerated",
        "pending_disposition",
        "pregnant",
        "blind_or_disabled",
    )

    @classmethod
    def to_data(cls, answers: Mapping[str, Any], context: Context) -> dict[str, Any]:
        ids = {p.id for p in context.people}
        data: dict[str, Any] = {
            name: [m for m in answers.get(name, []) if m in ids] for name in cls.GROUPS
        }
        for mid, count in (answers.get("expected_children") or {}).items():
            if mid in ids:
                data[f"{mid}-expected"] = str(count)
        return data

    def build(self) -> None:
        people = self.member_choices(self.context.people)
        hint = _("Check everyone who is. Leave all unchecked if no one is.")
        labels = {
            "american_indian_alaska_native": _(
                "Is anyone an American Indian or Alaska Native (a member of a federally "
                "recognized tribe)?"
            ),
            "incarcerated": _("Is anyone in jail or prison?"),
            "pending_disposition": _(
                "Of the people in jail or prison: is anyone waiting for their charges to be "
                "decided (not convicted)?"
            ),
            "pregnant": _("Is anyone pregnant?"),
            "blind_or_disabled": _(
                "Does anyone have a disability, blindness, or a condition that limits daily "
                "activities?"
            ),
        }
        for name in self.GROUPS:
            self.fields[name] = forms.MultipleChoiceField(
                label=labels[name],
                help_text=hint,
                required=False,
                choices=self.member_choices(self.expecting_candidates())
                if name == "pregnant"
                else people,
                widget=checkboxes(),
                error_messages={"invalid_choice": _("Choose people from the list")},
            )
        for p in self.expecting_candidates():
            self.fields[f"{p.id}-expected"] = forms.CharField(
                label=_("Number of babies %(name)s expects") % {"name": p.name},
                help_text=_("Only if %(name)s is pregnant. For example 1, or 2 for twins.")
                % {"name": p.name},
                required=False,
                max_length=1,
                widget=text_input(inputmode="numeric", size="2"),
            )

    def expected_fields(self) -> list[forms.BoundField]:
        return [self[f"{p.id}-expected"] for p in self.expecting_candidates()]

    def expecting_candidates(self) -> list[Person]:
        """Who may be asked about pregnancy: not male, aged 10 or over."""
        today = dt.date.today()
        return [p for p in self.context.people if p.sex != "male" and p.age_on(today) >= 10]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        names = {p.id: p.name for p in self.context.people}
        jailed = set(data.get("incarcerated") or [])
        for mid in data.get("pending_disposition") or []:
            if mid not in jailed:
                self.add_error(
                    "pending_disposition",
                    _(
                        "You said %(name)s is waiting for charges to be decided: check %(name)s "
                        "as in jail or prison too, or uncheck %(name)s here"
                    )
                    % {"name": names[mid]},
                )
        pregnant = set(data.get("pregnant") or [])
        self._expected: dict[str, int] = {}
        for p in self.expecting_candidates():
            name = f"{p.id}-expected"
            raw = str(data.get(name) or "").strip()
            if not raw:
                if p.id in pregnant:
                    self._expected[p.id] = 1
                continue
            if not raw.isdigit() or not 1 <= int(raw) <= 8:
                self.add_error(
                    name,
                    _("Enter the number of babies %(name)s expects as a number from 1 to 8")
                    % {"name": p.name},
                )
            elif p.id not in pregnant:
                self.add_error(
                    name,
                    _(
                        "You entered babies expected for %(name)s: check %(name)s as pregnant, "
                        "or clear the number"
                    )
                    % {"name": p.name},
                )
            else:
                self._expected[p.id] = int(raw)
        return data

    def answers(self) -> dict[str, Any]:
        data = self.cleaned_data
        order = [p.id for p in self.context.people]
        out: dict[str, Any] = {
            name: [m for m in order if m in set(data.get(name) or [])] for name in self.GROUPS
        }
        out["expected_children"] = {m: n for m, n in self._expected.items() if m in order}
        return out


# --- 6. income ------------------------------------------------------------------------------------

INCOME_TYPES = (
    ("wages", gettext_lazy("Job (wages, salary, tips)")),
    ("self_employment", gettext_lazy("Self-employment (net profit)")),
    ("unemployment", gettext_lazy("Unemployment benefits")),
    ("social_security", gettext_lazy("Social Security benefits")),
    ("pension", gettext_lazy("Retirement or pension")),
    ("taxable_interest", gettext_lazy("Taxable interest")),
    ("tax_exempt_interest", gettext_lazy("Tax-exempt interest")),
    ("dividends", gettext_lazy("Dividends")),
    ("capital_gains", gettext_lazy("Capital gains")),
    ("rental", gettext_lazy("Rental or royalty income (net)")),
    ("alimony_pre2019", gettext_lazy("Alimony received (divorce before 2019)")),
    ("other", gettext_lazy("Other taxable income")),
)
MAY_BE_NEGATIVE = frozenset({"self_employment", "capital_gains", "rental"})
DEDUCTION_TYPES = (
    ("student_loan_interest", gettext_lazy("Student loan interest")),
    ("alimony_paid_pre2019", gettext_lazy("Alimony paid (divorce before 2019)")),
    ("educator_expenses", gettext_lazy("Educator expenses")),
    ("ira_contribution", gettext_lazy("IRA contribution (deductible)")),
    ("hsa_contribution", gettext_lazy("Health savings account contribution")),
    ("self_employment_tax_half", gettext_lazy("Deductible part of self-employment tax")),
    ("self_employed_health_insurance", gettext_lazy("Self-employed health insurance")),
    ("self_employed_retirement", gettext_lazy("Self-employed retirement plan")),
    ("other_adjustment", gettext_lazy("Other adjustment to income")),
)


class IncomeForm(StepForm):
    """Each person's income by source and how often, and deductions (adjustments to income)."""

    step = "income"
    KINDS = ("income", "deduction")

    @classmethod
    def to_data(cls, answers: Mapping[str, Any], context: Context) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for p in context.people:
            a = answers.get("members", {}).get(p.id, {})
            for kind, key in (("income", "incomes"), ("deduction", "deductions")):
                rows = a.get(key, [])
                data[f"{p.id}-{kind}-count"] = str(len(rows))
                for k, row in enumerate(rows):
                    data[f"{p.id}-{kind}-{k}-type"] = row.get("type", "")
                    data[f"{p.id}-{kind}-{k}-amount"] = amount_text(row.get("amount"))
                    data[f"{p.id}-{kind}-{k}-frequency"] = row.get("frequency", "")
        return data

    def build(self) -> None:
        self.rows: dict[tuple[str, str], int] = {}
        for p in self.context.people:
            for kind in self.KINDS:
                count = min(_int(self.raw(f"{p.id}-{kind}-count")), MAX_ROWS)
                if kind == "income":
                    count = max(count, 1)  # one empty row to start
                self.rows[(p.id, kind)] = count
                self.fields[f"{p.id}-{kind}-count"] = forms.CharField(
                    widget=forms.HiddenInput, required=False
                )
                self.initial.setdefault(f"{p.id}-{kind}-count", str(count))
                for k in range(count):
                    self._add_row(p, kind, k)

    def _add_row(self, p: Person, kind: str, k: int) -> None:
        types = INCOME_TYPES if kind == "income" else DEDUCTION_TYPES
        prefix = f"{p.id}-{kind}-{k}"
        self.fields[f"{prefix}-type"] = forms.ChoiceField(
            label=_("Type of income") if kind == "income" else _("Type of deduction"),
            required=False,
            choices=[("", _("- Select -")), *types],
            widget=select(),
            error_messages={"invalid_choice": _("Choose a type from the list")},
        )
        self.fields[f"{prefix}-amount"] = forms.CharField(
            label=_("Amount in dollars"),
            required=False,
            max_length=20,
            widget=text_input(inputmode="decimal", size="12"),
        )
        self.fields[f"{prefix}-frequency"] = forms.ChoiceField(
            label=_("How often"),
            required=False,
            choices=[("", _("- Select -")), *FREQUENCIES],
            widget=select(),
            error_messages={"invalid_choice": _("Choose how often from the list")},
        )

    def blocks(self) -> list[dict[str, Any]]:
        out = []
        for p in self.context.people:
            block: dict[str, Any] = {"id": p.id, "title": p.name}
            for kind in self.KINDS:
                block[f"{kind}_count"] = self[f"{p.id}-{kind}-count"]
                block[f"{kind}s"] = [
                    {
                        "number": k + 1,
                        "type": self[f"{p.id}-{kind}-{k}-type"],
                        "amount": self[f"{p.id}-{kind}-{k}-amount"],
                        "frequency": self[f"{p.id}-{kind}-{k}-frequency"],
                    }
                    for k in range(self.rows[(p.id, kind)])
                ]
                block[f"can_add_{kind}"] = self.rows[(p.id, kind)] < MAX_ROWS
            out.append(block)
        return out

    def with_action(self, action: str) -> Any:
        """The posted data after "Add another income/deduction for ..." (a copy)."""
        posted: Any = self.data
        data = posted.copy()
        for p in self.context.people:
            for kind in self.KINDS:
                if action == f"add-{kind}-{p.id}":
                    data[f"{p.id}-{kind}-count"] = str(min(self.rows[(p.id, kind)] + 1, MAX_ROWS))
        return data

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._rows: dict[str, dict[str, list[dict[str, str]]]] = {}
        for p in self.context.people:
            person = self._rows.setdefault(p.id, {"incomes": [], "deductions": []})
            for kind in self.KINDS:
                for k in range(self.rows[(p.id, kind)]):
                    row = self._clean_row(p, kind, k, data)
                    if row is not None:
                        person[f"{kind}s"].append(row)
        return data

    def _clean_row(
        self, p: Person, kind: str, k: int, data: dict[str, Any]
    ) -> dict[str, str] | None:
        prefix = f"{p.id}-{kind}-{k}"
        kind_of = data.get(f"{prefix}-type") or ""
        raw = str(data.get(f"{prefix}-amount") or "").strip()
        frequency = data.get(f"{prefix}-frequency") or ""
        if not kind_of and not raw:
            return None  # an empty row
        names = {"number": k + 1, "name": p.name}
        ok = True
        if not kind_of:
            self.add_error(
                f"{prefix}-type",
                _("Choose the type of income %(number)s of %(name)s") % names
                if kind == "income"
                else _("Choose the type of deduction %(number)s of %(name)s") % names,
            )
            ok = False
        amount = parse_amount(raw, negative=kind_of in MAY_BE_NEGATIVE) if raw else None
        if not raw:
            self.add_error(
                f"{prefix}-amount",
                _("Enter the amount of income %(number)s of %(name)s") % names
                if kind == "income"
                else _("Enter the amount of deduction %(number)s of %(name)s") % names,
            )
            ok = False
        elif amount is None:
            message = (
                _("Enter the amount as dollars, for example 2,500 or -300 for a loss")
                if kind_of in MAY_BE_NEGATIVE
                else _("Enter the amount as dollars, for example 2,500")
            )
            self.add_error(f"{prefix}-amount", message)
            ok = False
        elif abs(amount) >= MAX_AMOUNT:
            self.add_error(f"{prefix}-amount", _("Enter an amount less than $10,000,000"))
            ok = False
        if not frequency:
            self.add_error(
                f"{prefix}-frequency",
                _("Choose how often %(name)s gets or pays this amount") % {"name": p.name},
            )
            ok = False
        if not ok or amount is None:
            return None
        return {"type": kind_of, "amount": amount_json(amount), "frequency": frequency}

    def answers(self) -> dict[str, Any]:
        return {"members": self._rows}


# --- 7. coverage ----------------------------------------------------------------------------------

MINIMUM_VALUE = (
    ("yes", gettext_lazy("Yes")),
    ("no", gettext_lazy("No")),
    ("unknown", gettext_lazy("I don't know")),
)


class CoverageForm(StepForm):
    """Current coverage: Medicare, other coverage, and offers of coverage through a job."""

    step = "coverage"
    GROUPS = ("medicare", "other_coverage", "offered")
    OFFER_FIELDS = ("employee_only_premium", "family_premium", "frequency", "minimum_value")
    MIN_OFFER_AGE = 14

    @classmethod
    def to_data(cls, answers: Mapping[str, Any], context: Context) -> dict[str, Any]:
        ids = {p.id for p in context.people}
        offers = answers.get("offers") or {}
        data: dict[str, Any] = {
            "medicare": [m for m in answers.get("medicare", []) if m in ids],
            "other_coverage": [m for m in answers.get("other_coverage", []) if m in ids],
            "offered": [m for m in offers if m in ids],
        }
        for mid, offer in offers.items():
            if mid not in ids:
                continue
            data[f"{mid}-employee_only_premium"] = amount_text(offer.get("employee_only_premium"))
            data[f"{mid}-family_premium"] = amount_text(offer.get("family_premium"))
            data[f"{mid}-frequency"] = offer.get("frequency", "")
            data[f"{mid}-minimum_value"] = offer.get("minimum_value_answer") or yes_no(
                offer.get("minimum_value")
            )
        return data

    def workers(self) -> list[Person]:
        return [
            p for p in self.context.people if p.age_on(self.context.start) >= self.MIN_OFFER_AGE
        ]

    def build(self) -> None:
        year = self.context.coverage_year
        people = self.member_choices(self.context.people)
        hint = _("Check everyone who is. Leave all unchecked if no one is.")
        self.fields["medicare"] = forms.MultipleChoiceField(
            label=_("Is anyone enrolled in Medicare, or entitled to Medicare Part A?"),
            help_text=hint,
            required=False,
            choices=people,
            widget=checkboxes(),
        )
        self.fields["other_coverage"] = forms.MultipleChoiceField(
            label=_(
                "Will anyone be enrolled in other health coverage in %(year)s, such as a job-based "
                "plan, TRICARE, VA health care or Peace Corps coverage?"
            )
            % {"year": year},
            help_text=_(
                "Check everyone who will keep that coverage. Do not check people who will drop it, "
                "or who only have coverage bought on their own."
            ),
            required=False,
            choices=people,
            widget=checkboxes(),
        )
        self.fields["offered"] = forms.MultipleChoiceField(
            label=_(
                "Is anyone offered health coverage through their own job for %(year)s, even if "
                "they do not take it?"
            )
            % {"year": year},
            help_text=_("Check everyone who is, then tell us about each offer below."),
            required=False,
            choices=self.member_choices(self.workers()),
            widget=checkboxes(),
        )
        for p in self.workers():
            self.fields[f"{p.id}-employee_only_premium"] = forms.CharField(
                label=_("Lowest-cost plan for the employee only: premium the employee pays"),
                help_text=_(
                    "The employee's share for the cheapest plan that meets minimum value, for "
                    "example 150."
                ),
                required=False,
                max_length=20,
                widget=text_input(inputmode="decimal", size="12"),
            )
            self.fields[f"{p.id}-family_premium"] = forms.CharField(
                label=_("Lowest-cost plan for the whole family: premium the employee pays"),
                help_text=_(
                    "Leave blank if the job does not offer coverage to the spouse and dependents."
                ),
                required=False,
                max_length=20,
                widget=text_input(inputmode="decimal", size="12"),
            )
            self.fields[f"{p.id}-frequency"] = forms.ChoiceField(
                label=_("How often is the premium paid?"),
                required=False,
                choices=[("", _("- Select -")), *FREQUENCIES],
                widget=select(),
            )
            self.fields[f"{p.id}-minimum_value"] = forms.ChoiceField(
                label=_("Does the plan meet the minimum value standard?"),
                help_text=_(
                    "The employer can tell you (the Employer Coverage Tool). Most job-based plans do."
                ),
                required=False,
                choices=MINIMUM_VALUE,
                widget=radios(),
            )

    def offer_blocks(self) -> list[dict[str, Any]]:
        return [
            {
                "id": p.id,
                "title": p.name,
                "fields": {n: self[f"{p.id}-{n}"] for n in self.OFFER_FIELDS},
            }
            for p in self.workers()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        offered = set(data.get("offered") or [])
        self._offers: dict[str, dict[str, Any]] = {}
        for p in self.workers():
            values = {n: str(data.get(f"{p.id}-{n}") or "").strip() for n in self.OFFER_FIELDS}
            if p.id not in offered:
                if values["employee_only_premium"] or values["family_premium"]:
                    self.add_error(
                        f"{p.id}-employee_only_premium",
                        _(
                            "You entered a premium for %(name)s: check %(name)s above as offered "
                            "coverage through a job, or clear the premium"
                        )
                        % {"name": p.name},
                    )
                continue
            ok = True
            premiums: dict[str, Decimal | None] = {}
            for n in ("employee_only_premium", "family_premium"):
                raw = values[n]
                if not raw:
                    premiums[n] = None
                    continue
                amount = parse_amount(raw)
                if amount is None or amount >= MAX_AMOUNT:
                    self.add_error(
                        f"{p.id}-{n}", _("Enter the premium in dollars, for example 150")
                    )
                    ok = False
                premiums[n] = amount
            if (
                premiums.get("employee_only_premium") is None
                and not values["employee_only_premium"]
            ):
                self.add_error(
                    f"{p.id}-employee_only_premium",
                    _("Enter the premium %(name)s would pay for employee-only coverage")
                    % {"name": p.name},
                )
                ok = False
            if not values["frequency"]:
                self.add_error(
                    f"{p.id}-frequency",
                    _("Choose how often %(name)s would pay the premium") % {"name": p.name},
                )
                ok = False
            if not values["minimum_value"]:
                self.add_error(
                    f"{p.id}-minimum_value",
                    _("Choose whether the plan offered to %(name)s meets minimum value")
                    % {"name": p.name},
                )
                ok = False
            if ok:
                employee = premiums["employee_only_premium"]
                family = premiums["family_premium"]
                assert employee is not None
                self._offers[p.id] = {
                    "employee_only_premium": amount_json(employee),
                    "family_premium": None if family is None else amount_json(family),
                    "frequency": values["frequency"],
                    "minimum_value": values["minimum_value"] != "no",
                    "minimum_value_answer": values["minimum_value"],
                }
        return data

    def answers(self) -> dict[str, Any]:
        data = self.cleaned_data
        order = [p.id for p in self.context.people]
        return {
            "medicare": [m for m in order if m in set(data.get("medicare") or [])],
            "other_coverage": [m for m in order if m in set(data.get("other_coverage") or [])],
            "offers": {m: self._offers[m] for m in order if m in self._offers},
        }


STEP_FORMS: dict[str, type[StepForm]] = {
    cls.step: cls
    for cls in (
        PeopleForm,
        TaxForm,
        AddressForm,
        ImmigrationForm,
        CircumstancesForm,
        IncomeForm,
        CoverageForm,
    )
}


def previous_step(step: str) -> str | None:
    order = (*STEPS, REVIEW)
    i = order.index(step)
    return order[i - 1] if i > 0 else None


def next_step(step: str) -> str:
    order = (*STEPS, REVIEW)
    return order[min(order.index(step) + 1, len(order) - 1)]


def step_form(
    step: str,
    context: Context,
    answers: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
) -> StepForm:
    """The step's form: bound to ``data`` when given, else showing the stored ``answers``."""
    return STEP_FORMS[step](data, context=context, answers=answers)


def check_answers(step: str, answers: Mapping[str, Any], context: Context) -> StepForm:
    """Stored (or given) answers bound to the step's form: ``is_valid()`` tells if they still hold."""
    return STEP_FORMS[step](
        STEP_FORMS[step].to_data(answers, context), context=context, answers=answers
    )


_CHECKED_CACHE_SIZE = 512
_checked_cache: OrderedDict[tuple[int, dt.date, str], dict[str, dict[str, Any] | None]] = (
    OrderedDict()
)
_checked_lock = threading.Lock()


def checked_answers(
    data: Mapping[str, Any], coverage_year: int
) -> dict[str, dict[str, Any] | None]:
    """Every step's stored answers checked against the household as it is now: the step's answers
    (re-derived by its form) or None when the step needs answering.

    Remembered for the same answers, year and day (a small per-process cache): saving a step and
    showing the next page both ask, and checking means building and validating all seven forms,
    which the load test's profile found to be a quarter of a step's time (docs/performance.md).
    The caller gets its own copy."""
    key = (coverage_year, dt.date.today(), json.dumps(data, sort_keys=True, default=str))
    with _checked_lock:
        cached = _checked_cache.get(key)
        if cached is not None:
            _checked_cache.move_to_end(key)
    if cached is None:
        cached = _check_all(data, coverage_year)
        with _checked_lock:
            _checked_cache[key] = cached
            while len(_checked_cache) > _CHECKED_CACHE_SIZE:
                _checked_cache.popitem(last=False)
    return copy.deepcopy(cached)


def _check_all(data: Mapping[str, Any], coverage_year: int) -> dict[str, dict[str, Any] | None]:
    context = context_from(data, coverage_year)
    out: dict[str, dict[str, Any] | None] = {}
    for step in STEPS:
        stored = data.get(step)
        if not isinstance(stored, dict) or (step != "people" and not context.people):
            out[step] = None
            continue
        form = check_answers(step, stored, context)
        out[step] = form.answers() if form.is_valid() else None
        if step == "people" and out[step] is None:
            context = Context(coverage_year=coverage_year)
    return out


def incomplete_steps(data: Mapping[str, Any], coverage_year: int) -> list[str]:
    return [s for s, a in checked_answers(data, coverage_year).items() if a is None]
