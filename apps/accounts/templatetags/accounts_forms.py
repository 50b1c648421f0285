"""USWDS form markup for django-allauth's forms (whose widgets we do not define)."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def uswds_widget(field: BoundField, hint: Any = None) -> SafeString:
    """The field's control with USWDS classes, no placeholder (the label says it all), and
    aria-describedby naming the hint (id ``<auto_id>_helptext``, shown when ``hint``) and the
    error message (``<auto_id>_error``)."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "usa-checkbox__input"
    elif isinstance(widget, forms.Select):
        css = "usa-select"
    else:
        css = "usa-input"
    if field.errors and not isinstance(widget, forms.CheckboxInput):
        css += " usa-input--error"
    described = []
    if hint:
        described.append(f"{field.auto_id}_helptext")
    if field.errors:
        described.append(f"{field.auto_id}_error")
    attrs: dict[str, Any] = {"class": css, "placeholder": False}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return SafeString(field.as_widget(attrs=attrs))


@register.simple_tag
def form_problems(form: forms.BaseForm) -> list[tuple[str, str]]:
    """(id of the field to jump to, message) for the error summary, in page order. Errors of
    the whole form (a wrong password, for example) point at the first field."""
    visible = form.visible_fields()
    first = str(visible[0].auto_id) if visible else ""
    problems = [(first, str(e)) for e in form.non_field_errors()]
    for hidden in form.hidden_fields():
        problems.extend((first, str(e)) for e in hidden.errors)
    for field in visible:
        problems.extend((str(field.auto_id), str(e)) for e in field.errors)
    return problems
