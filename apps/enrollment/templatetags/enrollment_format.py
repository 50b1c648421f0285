"""Dates as the portal's letters write them: "January 1, 2026" in English, "1 de enero de 2026" in
Spanish (Django's DATE_FORMAT of the language; English spells the month out)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sized
from decimal import Decimal

from django import template
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from apps.web.templatetags.web_format import whole_dollars

register = template.Library()

#: Date formats that differ from Django's DATE_FORMAT for the language.
LONG_DATE = {"en": "F j, Y"}


def long_date(value: dt.date | None) -> str:
    if value is None or value == "":
        return ""
    language = (translation.get_language() or "en").split("-")[0]
    return date_format(value, LONG_DATE.get(language, "DATE_FORMAT"))


register.filter("long_date", long_date)


@register.simple_tag
def per_person(person: Decimal | None, family: Decimal | None, buyers: Sized) -> str:
    """A deductible or out-of-pocket maximum: "$1,500 a person, $3,000 a family" (the family
    amount only when more than one person buys), or "Not listed". A tag rather than an included
    template: the plan table shows two a row, and includes were the shop page's costliest part in
    the load test's profile (docs/performance.md)."""
    if person is None:
        return gettext("Not listed")
    text = gettext("%(amount)s a person") % {"amount": whole_dollars(person)}
    if family is not None and len(buyers) > 1:
        text += ", " + gettext("%(amount)s a family") % {"amount": whole_dollars(family)}
    return text
