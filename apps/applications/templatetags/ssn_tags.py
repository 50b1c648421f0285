"""Masked Social Security numbers on the application's pages (never the full number)."""

from __future__ import annotations

from django import template

from apps.applications import ssn
from apps.applications.forms import context_from
from apps.applications.models import Application

register = template.Library()


@register.simple_tag
def masked_ssn(application: Application, member_id: str) -> str:
    """ "***-**-6789" for the member's stored number, "" when there is none."""
    return ssn.masked_ssn(application, member_id) or ""


@register.simple_tag
def masked_ssn_rows(application: Application) -> list[tuple[str, str]]:
    """(name, "***-**-6789") for each person of the household with a stored number, in order."""
    masked = ssn.masked_ssns(application)
    people = context_from(application.data, application.coverage_year).people
    return [(p.name, masked[p.id]) for p in people if p.id in masked]
