"""Forms of the public pages: window shopping (the household) and the plan list's filters.

Every message names the field and says how to fix it (plain language)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from apps.web.window import ShoppingInput
from rating.geography import County, counties_for_zip, normalize_zip

STATE = "MA"
STATE_NAME = "Massachusetts"
MAX_AGE = 120
MAX_DEPENDENTS = 10
MAX_INCOME = Decimal(10_000_000)

_MONEY = re.compile(r"\$?\s*([0-9][0-9,]*)(\.[0-9]{1,2})?")


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
        label="ZIP code",
        help_text="The 5-digit ZIP code where you live, for example 02118.",
        error_messages={"required": "Enter your ZIP code"},
        widget=_input(inputmode="numeric", autocomplete="postal-code", maxlength="10", size="10"),
    )
    county = forms.ChoiceField(
        label="County",
        required=False,
        widget=forms.RadioSelect(attrs={"class": "usa-radio__input"}),
    )
    age = forms.CharField(
        label="Your age",
        help_text="You are the person who files the household's federal tax return.",
        error_messages={"required": "Enter your age"},
        widget=_input(inputmode="numeric", maxlength="3", size="4"),
    )
    spouse_age = forms.CharField(
        label="Your spouse's age (if you are married)",
        required=False,
        help_text=(
            "Leave this blank if you are not married. Married couples need to file their taxes "
            "together to get the premium tax credit."
        ),
        widget=_input(inputmode="numeric", maxlength="3", size="4"),
    )
    dependents = forms.CharField(
        label="Ages of your dependents who need coverage (if any)",
        required=False,
        help_text=(
            "Children or other people you claim on your tax return. Separate the ages with "
            "commas, for example: 10, 7. Leave this blank if there are none."
        ),
        widget=_input(inputmode="text", maxlength="60", autocomplete="off"),
    )
    income = forms.CharField(
        label="Household income for the year",
        help_text=(
            "Your best estimate of the whole household's income for the coverage year, before "
            "taxes, in dollars. For example: 65,000."
        ),
        error_messages={"required": "Enter your household's yearly income"},
        widget=_input(inputmode="decimal", maxlength="20", autocomplete="off"),
    )
    year = forms.TypedChoiceField(
        label="Coverage year",
        coerce=int,
        required=False,  # left out of a link: the year people shop for today
        error_messages={
            "invalid_choice": "Choose a coverage year from the list",
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
            county_field.choices = [(c.fips, c.name) for c in self.county_choices]
            county_field.error_messages["invalid_choice"] = "Choose one of the counties listed"
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
                "Enter your ZIP code as 5 digits, for example 02118"
            ) from None
        counties = counties_for_zip(zip5)
        if not counties:
            raise forms.ValidationError(
                f"We could not find ZIP code {zip5}. Check your ZIP code and try again"
            )
        if not any(c.state == STATE for c in counties):
            states = ", ".join(sorted({c.state for c in counties}))
            raise forms.ValidationError(
                f"ZIP code {zip5} is in {states}, not in {STATE_NAME}. This exchange sells "
                f"plans to people who live in {STATE_NAME}; HealthCare.gov or your state's "
                "exchange can help elsewhere"
            )
        return zip5

    def _age(self, name: str, who: str, required: bool) -> int | None:
        raw = str(self.cleaned_data.get(name) or "").strip()
        if not raw:
            if required:
                raise forms.ValidationError(f"Enter {who} age")
            return None
        if not raw.isdigit():
            raise forms.ValidationError(
                f"Enter {who} age as a whole number of years, for example 40"
            )
        age = int(raw)
        if age > MAX_AGE:
            raise forms.ValidationError(f"Enter {who} age as a number from 0 to {MAX_AGE}")
        return age

    def clean_age(self) -> int | None:
        return self._age("age", "your", required=True)

    def clean_spouse_age(self) -> int | None:
        return self._age("spouse_age", "your spouse's", required=False)

    def clean_dependents(self) -> tuple[int, ...]:
        raw = str(self.cleaned_data.get("dependents") or "").strip()
        if not raw:
            return ()
        parts = [p.strip() for p in re.split(r"[,;\s]+", raw) if p.strip()]
        ages = []
        for part in parts:
            if not part.isdigit():
                raise forms.ValidationError(
                    f"Enter your dependents' ages as whole numbers separated by commas, for "
                    f"example 10, 7 (we could not read “{part}”)"
                )
            age = int(part)
            if age > MAX_AGE:
                raise forms.ValidationError(
                    f"Enter each dependent's age as a number from 0 to {MAX_AGE}"
                )
            ages.append(age)
        if len(ages) > MAX_DEPENDENTS:
            raise forms.ValidationError(
                f"Enter at most {MAX_DEPENDENTS} dependents' ages; for a larger household, "
                "call us or apply online"
            )
        return tuple(ages)

    def clean_income(self) -> Decimal:
        raw = str(self.cleaned_data.get("income") or "")
        if raw.strip().startswith("-"):
            raise forms.ValidationError(
                "Enter your household's yearly income as $0 or more (if you expect a loss, enter 0)"
            )
        amount = parse_money(raw)
        if amount is None:
            raise forms.ValidationError(
                "Enter your household's yearly income as an amount in dollars, for example 65,000"
            )
        if amount >= MAX_INCOME:
            raise forms.ValidationError(
                "Enter your household's yearly income as an amount less than $10,000,000"
            )
        return amount

    def clean_year(self) -> int:
        year = self.cleaned_data.get("year")
        return int(year) if isinstance(year, (int, str)) and year != "" else self.default_year

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.needs_county and "zip" in data and not data.get("county"):
            names = " and ".join(c.name for c in self.county_choices)
            self.add_error(
                "county",
                f"Choose your county: ZIP code {data['zip']} is in {names}",
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
    "price": "Lowest price after help",
    "-price": "Highest price after help",
    "deductible": "Lowest deductible",
    "moop": "Lowest out-of-pocket maximum",
    "name": "Plan name (A to Z)",
}
METALS = ("Catastrophic", "Bronze", "Expanded Bronze", "Silver", "Gold", "Platinum")


class PlanFilterForm(ErrorStyles):
    """Filters and order of the plan list (GET parameters; no JavaScript needed)."""

    metal = forms.ChoiceField(
        label="Metal level",
        required=False,
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    plan_type = forms.ChoiceField(
        label="Plan type",
        required=False,
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    issuer = forms.ChoiceField(
        label="Insurance company",
        required=False,
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    max_price = forms.CharField(
        label="Most you want to pay a month",
        required=False,
        help_text="After help, in dollars. Leave blank for any price.",
        widget=_input(inputmode="decimal", maxlength="12", size="8"),
    )
    sort = forms.ChoiceField(
        label="Sort by",
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
        self._set_choices(
            "metal", "Any metal level", sorted(metals, key=lambda m: (order.get(m, 99), m))
        )
        self._set_choices("plan_type", "Any plan type", sorted(plan_types))
        issuer_field = self.fields["issuer"]
        assert isinstance(issuer_field, forms.ChoiceField)
        issuer_field.choices = [("", "Any insurance company"), *sorted(issuers, key=lambda i: i[1])]
        for name, label in (
            ("metal", "metal level"),
            ("plan_type", "plan type"),
            ("issuer", "insurance company"),
            ("sort", "order"),
        ):
            self.fields[name].error_messages["invalid_choice"] = f"Choose a {label} from the list"

    def _set_choices(self, name: str, anything: str, values: list[str]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", anything), *((v, v) for v in values)]

    def clean_max_price(self) -> Decimal | None:
        raw = str(self.cleaned_data.get("max_price") or "").strip()
        if not raw:
            return None
        amount = parse_money(raw)
        if amount is None:
            raise forms.ValidationError(
                "Enter the most you want to pay a month as an amount in dollars, for example 250"
            )
        return amount
