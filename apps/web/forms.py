"""Forms of the public pages: window shopping (the household) and the plan list's filters.

Every message names the field and says how to fix it (plain language), in the language of the
request (English or Spanish)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from apps.web.window import ShoppingInput, and_list
from rating.geography import County, counties_for_zip, normalize_zip

STATE = "MA"
STATE_NAME = "Massachusetts"
MAX_AGE = 120
MAX_DEPENDENTS = 10
MAX_INCOME = Decimal(10_000_000)

_MONEY = re.compile(r"\$?\s*([0-9][0-9,]*)(\.[0-9]{1,2})?")


def county_label(county: County) -> str:
    """The county's name in the language of the request: "Suffolk County", "Condado de Suffolk"."""
    if county.name.endswith(" County"):
        return pgettext("a county's name", "%(name)s County") % {
            "name": county.name.removesuffix(" County")
        }
    return county.name


def parse_money(text: str) -> Decimal | None:
    """Dollars as people type them: 65000, 65,000, $65,000.50; None when it is not an amount."""
    cleaned = text.strip().replace(" ", "")
    match = _MONEY.fullmatch(cleaned)
    if match is None:
        return None
    whole = match.group(1)
    if "," in whole and not re.fullmatch(r"[0-9]{1,3}(,[0-9]{3})+", whole):
        return None
    try:
        return Decimal(whole.replace(",", "") + (match.group(2) or ""))
    except InvalidOperation:  # pragma: no cover - the pattern allows only digits
        return None


class ErrorStyles(forms.Form):
    """Marks the inputs of fields with errors the USWDS way (a red border)."""

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            field = self.fields.get(name)
            if field is not None and not isinstance(field.widget, forms.RadioSelect):
                classes = field.widget.attrs.get("class", "")
                field.widget.attrs["class"] = f"{classes} usa-input--error".strip()

    def error_list(self) -> list[tuple[str, str]]:
        """(field name, message) in the order the fields appear on the page."""
        order = {name: i for i, name in enumerate(self.fields)}
        return [
            (name, str(message))
            for name in sorted(self.errors, key=lambda n: order.get(n, len(order)))
            for message in self.errors[name]
        ]


def _input(**attrs: str) -> forms.TextInput:
    return forms.TextInput(attrs={"class": "usa-input", **attrs})


class WindowShoppingForm(ErrorStyles):
    """The household: where it lives, who needs coverage, its income and the coverage year."""

    zip = forms.CharField(
        label=gettext_lazy("ZIP code"),
        help_text=gettext_lazy("The 5-digit ZIP code where you live, for example 02118."),
        error_messages={"required": gettext_lazy("Enter your ZIP code")},
        widget=_input(inputmode="numeric", autocomplete="postal-code", maxlength="10", size="10"),
    )
    county = forms.ChoiceField(
        label=gettext_lazy("County"),
        required=False,
        widget=forms.RadioSelect(attrs={"class": "usa-radio__input"}),
    )
    age = forms.CharField(
        label=gettext_lazy("Your age"),
        help_text=gettext_lazy("You are the person who files the household's federal tax return."),
        error_messages={"required": gettext_lazy("Enter your age")},
        widget=_input(inputmode="numeric", maxlength="3", size="4"),
    )
    spouse_age = forms.CharField(
        label=gettext_lazy("Your spouse's age (if you are married)"),
        required=False,
        help_text=gettext_lazy(
            "Leave this blank if you are not married. Married couples need to file their taxes "
            "together to get the premium tax credit."
        ),
        widget=_input(inputmode="numeric", maxlength="3", size="4"),
    )
    dependents = forms.CharField(
        label=gettext_lazy("Ages of your dependents who need coverage (if any)"),
        required=False,
        help_text=gettext_lazy(
            "Children or other people you claim on your tax return. Separate the ages with "
            "commas, for example: 10, 7. Leave this blank if there are none."
        ),
        widget=_input(inputmode="text", maxlength="60", autocomplete="off"),
    )
    income = forms.CharField(
        label=gettext_lazy("Household income for the year"),
        help_text=gettext_lazy(
            "Your best estimate of the whole household's income for the coverage year, before "
            "taxes, in dollars. For example: 65,000."
        ),
        error_messages={"required": gettext_lazy("Enter your household's yearly income")},
        widget=_input(inputmode="decimal", maxlength="20", autocomplete="off"),
    )
    year = forms.TypedChoiceField(
        label=gettext_lazy("Coverage year"),
        coerce=int,
        required=False,  # left out of a link: the year people shop for today
        error_messages={
            "invalid_choice": gettext_lazy("Choose a coverage year from the list"),
        },
        widget=forms.Select(attrs={"class": "usa-select"}),
    )

    def __init__(self, *args: Any, years: tuple[int, ...], default_year: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        year_field = self.fields["year"]
        assert isinstance(year_field, forms.TypedChoiceField)
        year_field.choices = [(str(y), str(y)) for y in years]
        year_field.initial = str(default_year)
        self.default_year = default_year
        #: The ZIP code's Massachusetts counties, when it lies in more than one.
        self.county_choices: tuple[County, ...] = ()
        raw_zip = str(self.data.get("zip", "")) if self.is_bound else ""
        try:
            counties = tuple(c for c in counties_for_zip(raw_zip) if c.state == STATE)
        except ValueError:
            counties = ()
        if len(counties) > 1:
            self.county_choices = counties
        if self.county_choices:
            county_field = self.fields["county"]
            assert isinstance(county_field, forms.ChoiceField)
            county_field.choices = [(c.fips, county_label(c)) for c in self.county_choices]
            county_field.error_messages["invalid_choice"] = _("Choose one of the counties listed")
        else:  # one county: nothing to choose (a county left in the address is ignored)
            del self.fields["county"]

    @property
    def needs_county(self) -> bool:
        return bool(self.county_choices)

    # -- fields ----------------------------------------------------------------------------------

    def clean_zip(self) -> str:
        raw = str(self.cleaned_data["zip"]).strip()
        try:
            zip5 = normalize_zip(raw)
        except ValueError:
            raise forms.ValidationError(
                _("Enter your ZIP code as 5 digits, for example 02118")
            ) from None
        counties = counties_for_zip(zip5)
        if not counties:
            raise forms.ValidationError(
                _("We could not find ZIP code %(zip)s. Check your ZIP code and try again")
                % {"zip": zip5}
            )
        if not any(c.state == STATE for c in counties):
            states = ", ".join(sorted({c.state for c in counties}))
            raise forms.ValidationError(
                _(
                    "ZIP code %(zip)s is in %(states)s, not in %(state)s. This exchange sells "
                    "plans to people who live in %(state)s; HealthCare.gov or your state's "
                    "exchange can help elsewhere"
                )
                % {"zip": zip5, "states": states, "state": STATE_NAME}
            )
        return zip5

    def _age(self, name: str, messages: dict[str, str], required: bool) -> int | None:
        raw = str(self.cleaned_data.get(name) or "").strip()
        if not raw:
            if required:
                raise forms.ValidationError(messages["required"])
            return None
        if not raw.isdigit():
            raise forms.ValidationError(messages["number"])
        age = int(raw)
        if age > MAX_AGE:
            raise forms.ValidationError(messages["range"] % {"max": MAX_AGE})
        return age

    def clean_age(self) -> int | None:
        return self._age(
            "age",
            {
                "required": _("Enter your age"),
                "number": _("Enter your age as a whole number of years, for example 40"),
                "range": _("Enter your age as a number from 0 to %(max)s"),
            },
            required=True,
        )

    def clean_spouse_age(self) -> int | None:
        return self._age(
            "spouse_age",
            {
                "required": _("Enter your spouse's age"),
                "number": _("Enter your spouse's age as a whole number of years, for example 40"),
                "range": _("Enter your spouse's age as a number from 0 to %(max)s"),
            },
            required=False,
        )

    def clean_dependents(self) -> tuple[int, ...]:
        raw = str(self.cleaned_data.get("dependents") or "").strip()
        if not raw:
            return ()
        parts = [p.strip() for p in re.split(r"[,;\s]+", raw) if p.strip()]
        ages = []
        for part in parts:
            if not part.isdigit():
                raise forms.ValidationError(
                    _(
                        "Enter your dependents' ages as whole numbers separated by commas, for "
                        "example 10, 7 (we could not read “%(text)s”)"
                    )
                    % {"text": part}
                )
            age = int(part)
            if age > MAX_AGE:
                raise forms.ValidationError(
                    _("Enter each dependent's age as a number from 0 to %(max)s") % {"max": MAX_AGE}
                )
            ages.append(age)
        if len(ages) > MAX_DEPENDENTS:
            raise forms.ValidationError(
                _(
                    "Enter at most %(max)s dependents' ages; for a larger household, call us or "
                    "apply online"
                )
                % {"max": MAX_DEPENDENTS}
            )
        return tuple(ages)

    def clean_income(self) -> Decimal:
        raw = str(self.cleaned_data.get("income") or "")
        if raw.strip().startswith("-"):
            raise forms.ValidationError(
                _(
                    "Enter your household's yearly income as $0 or more (if you expect a loss, "
                    "enter 0)"
                )
            )
        amount = parse_money(raw)
        if amount is None:
            raise forms.ValidationError(
                _(
                    "Enter your household's yearly income as an amount in dollars, for example "
                    "65,000"
                )
            )
        if amount >= MAX_INCOME:
            raise forms.ValidationError(
                _("Enter your household's yearly income as an amount less than %(max)s")
                % {"max": f"${MAX_INCOME:,}"}
            )
        return amount

    def clean_year(self) -> int:
        year = self.cleaned_data.get("year")
        return int(year) if isinstance(year, (int, str)) and year != "" else self.default_year

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.needs_county and "zip" in data and not data.get("county"):
            names = and_list([county_label(c) for c in self.county_choices])
            self.add_error(
                "county",
                _("Choose your county: ZIP code %(zip)s is in %(counties)s")
                % {"zip": data["zip"], "counties": names},
            )
        return data

    def inputs(self) -> ShoppingInput:
        """The checked answers (call after is_valid())."""
        data = self.cleaned_data
        zip5 = data["zip"]
        if self.needs_county:
            county = data["county"]
        else:
            county = next(c.fips for c in counties_for_zip(zip5) if c.state == STATE)
        return ShoppingInput(
            year=int(data["year"]),
            zip_code=zip5,
            county_fips=county,
            age=int(data["age"]),
            spouse_age=data["spouse_age"],
            dependent_ages=tuple(data["dependents"]),
            income=data["income"],
        )


SORTS = {
    "price": gettext_lazy("Lowest price after help"),
    "-price": gettext_lazy("Highest price after help"),
    "deductible": gettext_lazy("Lowest deductible"),
    "moop": gettext_lazy("Lowest out-of-pocket maximum"),
    "name": gettext_lazy("Plan name (A to Z)"),
}
METALS = ("Catastrophic", "Bronze", "Expanded Bronze", "Silver", "Gold", "Platinum")
#: The catalog's metal levels (its values, kept in links) as people read them.
METAL_LABELS = {
    "Catastrophic": gettext_lazy("Catastrophic"),
    "Bronze": gettext_lazy("Bronze"),
    "Expanded Bronze": gettext_lazy("Expanded Bronze"),
    "Silver": gettext_lazy("Silver"),
    "Gold": gettext_lazy("Gold"),
    "Platinum": gettext_lazy("Platinum"),
}


def metal_label(metal: str) -> str:
    """A metal level in the language of the request (a level not listed as the catalog has it)."""
    label = METAL_LABELS.get(metal)
    return str(label) if label is not None else metal


class PlanFilterForm(ErrorStyles):
    """Filters and order of the plan list (GET parameters; no JavaScript needed)."""

    metal = forms.ChoiceField(
        label=gettext_lazy("Metal level"),
        required=False,
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    plan_type = forms.ChoiceField(
        label=gettext_lazy("Plan type"),
        required=False,
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    issuer = forms.ChoiceField(
        label=gettext_lazy("Insurance company"),
        required=False,
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    max_price = forms.CharField(
        label=gettext_lazy("Most you want to pay a month"),
        required=False,
        help_text=gettext_lazy("After help, in dollars. Leave blank for any price."),
        widget=_input(inputmode="decimal", maxlength="12", size="8"),
    )
    sort = forms.ChoiceField(
        label=gettext_lazy("Sort by"),
        required=False,
        choices=list(SORTS.items()),
        widget=forms.Select(attrs={"class": "usa-select"}),
    )

    def __init__(
        self,
        *args: Any,
        metals: list[str],
        plan_types: list[str],
        issuers: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        order = {m: i for i, m in enumerate(METALS)}
        metal_field = self.fields["metal"]
        assert isinstance(metal_field, forms.ChoiceField)
        metal_field.choices = [
            ("", _("Any metal level")),
            *((m, metal_label(m)) for m in sorted(metals, key=lambda m: (order.get(m, 99), m))),
        ]
        type_field = self.fields["plan_type"]
        assert isinstance(type_field, forms.ChoiceField)
        type_field.choices = [("", _("Any plan type")), *((t, t) for t in sorted(plan_types))]
        issuer_field = self.fields["issuer"]
        assert isinstance(issuer_field, forms.ChoiceField)
        issuer_field.choices = [
            ("", _("Any insurance company")),
            *sorted(issuers, key=lambda i: i[1]),
        ]
        for name, message in (
            ("metal", _("Choose a metal level from the list")),
            ("plan_type", _("Choose a plan type from the list")),
            ("issuer", _("Choose an insurance company from the list")),
            ("sort", _("Choose an order from the list")),
        ):
            self.fields[name].error_messages["invalid_choice"] = message

    def clean_max_price(self) -> Decimal | None:
        raw = str(self.cleaned_data.get("max_price") or "").strip()
        if not raw:
            return None
        amount = parse_money(raw)
        if amount is None:
            raise forms.ValidationError(
                _("Enter the most you want to pay a month as an amount in dollars, for example 250")
            )
        return amount
