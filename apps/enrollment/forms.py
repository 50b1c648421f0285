"""Forms of the shop: how much of the credit to apply, filters and order, plans to compare (GET),
and the plan selection (POST). Every message says what to do (plain language)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.web.forms import METAL_LABELS as METAL_LABELS
from apps.web.forms import SORTS as WEB_SORTS
from apps.web.forms import PlanFilterForm, parse_money
from apps.web.templatetags.web_format import dollars

MAX_COMPARE = 3
#: Orders of the shop's plan list (a subset of the window-shopping page's; the keys of
#: apps.web.views.filter_plans).
SORTS = {key: WEB_SORTS[key] for key in ("price", "deductible", "moop")}


def _input(**attrs: str) -> forms.TextInput:
    return forms.TextInput(attrs={"class": "usa-input", **attrs})


class ShopForm(PlanFilterForm):
    """The shop's GET parameters. ``aptc`` is how much of the monthly credit to apply (blank: all
    of it; more than the maximum is capped)."""

    aptc = forms.CharField(
        label=_("Tax credit to use each month"),
        required=False,
        widget=_input(
            inputmode="decimal",
            maxlength="12",
            size="10",
            autocomplete="off",
            **{"class": "usa-input usa-input--small"},
        ),
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=list(SORTS.items()),
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    compare = forms.MultipleChoiceField(required=False, widget=forms.MultipleHiddenInput)
    choose = forms.CharField(required=False, max_length=17, widget=forms.HiddenInput)

    field_order = ("aptc", "metal", "plan_type", "issuer", "max_price", "sort", "compare", "choose")

    def __init__(
        self,
        *args: Any,
        aptc_max: Decimal,
        metals: list[str],
        plan_types: list[str],
        issuers: list[tuple[str, str]],
        plan_ids: list[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, metals=metals, plan_types=plan_types, issuers=issuers, **kwargs)
        self.aptc_max = aptc_max
        #: True when the credit asked for was more than the maximum and was lowered to it.
        self.capped = False
        aptc_field = self.fields["aptc"]
        aptc_field.help_text = _(
            "From $0 to %(max)s. Leave it at %(max)s to lower your monthly bill the most."
        ) % {"max": dollars(aptc_max)}
        aptc_field.initial = f"{aptc_max:.2f}"
        compare = self.fields["compare"]
        assert isinstance(compare, forms.MultipleChoiceField)
        compare.choices = [(p, p) for p in plan_ids]
        compare.error_messages["invalid_choice"] = _(
            "One of the plans to compare is no longer offered. Choose the plans again."
        )

    def clean_aptc(self) -> Decimal | None:
        raw = str(self.cleaned_data.get("aptc") or "").strip()
        if not raw:
            return None
        amount = parse_money(raw)
        if amount is None:
            message = (
                _("Enter the tax credit to use as an amount from $0 to %(max)s, for example %(ex)s")
                if not raw.startswith("-")
                else _("Enter the tax credit to use as $0 or more, up to %(max)s")
            )
            raise forms.ValidationError(
                message % {"max": dollars(self.aptc_max), "ex": dollars(self.aptc_max / 2)}
            )
        if amount > self.aptc_max:
            self.capped = True
            return self.aptc_max
        return amount

    def clean_compare(self) -> list[str]:
        chosen = list(dict.fromkeys(self.cleaned_data.get("compare") or []))
        if len(chosen) > MAX_COMPARE:
            raise forms.ValidationError(
                _("Choose up to %(n)s plans to compare. You chose %(chosen)s.")
                % {"n": MAX_COMPARE, "chosen": len(chosen)}
            )
        return chosen


class EnrollForm(forms.Form):
    """The plan selection. Only the plan, the credit asked for and the idempotency key are read:
    prices are worked out again on the server."""

    plan_id = forms.CharField(max_length=17)
    group = forms.IntegerField(required=False, min_value=1, max_value=99)
    aptc = forms.DecimalField(required=False, min_value=Decimal(0), decimal_places=2)
    idempotency_key = forms.CharField(max_length=64)
