"""Formatting for the public pages: money as the rules engine's sentences show it, the engine's
sentences and the catalog's metal levels in the language of the request."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils import translation

from apps.web.forms import metal_label as _metal_label
from rules.reasons import Reason, money

register = template.Library()


@register.filter(name="dollars")
def dollars(value: Decimal | int | float | None) -> str:
    """$1,234 or $1,234.56; an empty string for no value."""
    if value is None or value == "":
        return ""
    return money(value)


@register.filter(name="whole_dollars")
def whole_dollars(value: Decimal | int | None) -> str:
    """$1,234 (no cents): deductibles and out-of-pocket limits."""
    if value is None or value == "":
        return ""
    return f"${int(value):,}"


@register.filter(name="reason_text")
def reason_text(reason: Reason, language: str | None = None) -> str:
    """The engine's sentence for a reason in ``language`` (by default the request's language):
    ``{{ r|reason_text }}``. English for a language the engine does not speak."""
    return reason.text_in(language or translation.get_language() or "en")


@register.filter(name="metal_label")
def metal_label(metal: str) -> str:
    """A catalog metal level ("Silver") as people read it in the request's language ("Plata")."""
    return _metal_label(metal)
