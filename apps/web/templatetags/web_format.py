"""Formatting for the public pages: money as the rules engine's sentences show it."""

from __future__ import annotations

from decimal import Decimal

from django import template

from rules.reasons import money

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
