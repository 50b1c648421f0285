"""Dates as the portal's letters write them: "January 1, 2026" in English, "1 de enero de 2026" in
Spanish (Django's DATE_FORMAT of the language; English spells the month out)."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import translation
from django.utils.formats import date_format

register = template.Library()

#: Date formats that differ from Django's DATE_FORMAT for the language.
LONG_DATE = {"en": "F j, Y"}


def long_date(value: dt.date | None) -> str:
    if value is None or value == "":
        return ""
    language = (translation.get_language() or "en").split("-")[0]
    return date_format(value, LONG_DATE.get(language, "DATE_FORMAT"))


register.filter("long_date", long_date)
