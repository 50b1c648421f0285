"""Window shopping: what an anonymous household may get, and the plans at their net price.

The reads behind the window-shopping page (apps/web/views.py), kept out of the view: build a
CMS-shaped household from the form (the first person files, jointly with a spouse when there is
one; the others are dependents), run the rules engine, price the plans for the people who would
buy one (members who may get MassHealth or CHIP are not priced), and work out the same figures
over a range of incomes for the "What if my income changes?" chart.

Nothing here writes; the catalog and the rules are read through their selectors. The words
shown to people (names, what they may get, the chart's text) are in the language of the request:
build an estimate while that language is active.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from apps.api.shopping import household_help
from apps.eligibility import selectors as eligibility
from apps.plans.catalog import CatalogPlan
from apps.plans.selectors import (
    CatalogNotLoaded,
    Help,
    Place,
    PlaceError,
    QuotedPlan,
    benchmark,
    quote,
    resolve_place,
    year_catalog,
)
from apps.web.chart import Band, LineChart, Marker, Series, Tick
from rating.types import Enrollee
from rules import Determination, Household, MemberResult, Program, determine, parse_cms_estimate
from rules.benchmark import BenchmarkSource
from rules.household import Address
from rules.parameters import YearParameters
from rules.reasons import Code, money

ZERO = Decimal(0)
HUNDRED = Decimal(100)

#: The income range of the chart, in whole percents of the poverty guideline, and its step.
CHART_FROM, CHART_TO, CHART_STEP = 50, 600, 10

MEDICAID_NAMES = {
    "infant": "MassHealth Standard",
    "child": "MassHealth Standard",
    "young_adult": "MassHealth Standard",
    "pregnant": "MassHealth Standard",
    "parent_caretaker": "MassHealth Standard",
    "adult": "MassHealth CarePlus",
}


@dataclass(frozen=True, slots=True)
class ShoppingInput:
    """The answers on the window-shopping form, checked."""

    year: int
    zip_code: str
    county_fips: str
    age: int  # the person who files the tax return
    spouse_age: int | None  # a spouse filing jointly, when there is one
    dependent_ages: tuple[int, ...]
    income: Decimal  # the household's yearly income

    @property
    def ages(self) -> tuple[int, ...]:
        spouse = () if self.spouse_age is None else (self.spouse_age,)
        return (self.age, *spouse, *self.dependent_ages)

    @property
    def married(self) -> bool:
        return self.spouse_age is not None

    def cms_body(self, income: Decimal | None = None) -> dict[str, Any]:
        """The household as the CMS Marketplace API's estimate request shapes it."""
        return {
            "year": self.year,
            "place": {"state": "MA", "zipcode": self.zip_code, "countyfips": self.county_fips},
            "household": {
                "income": float(self.income if income is None else income),
                "has_married_couple": self.married,
                "people": [{"age": a} for a in self.ages],
            },
        }


@dataclass(frozen=True, slots=True)
class Person:
    member_id: str
    name: str  # "Person 1" ("Persona 1" in Spanish): the name the reasons use
    role: str  # "you", "your spouse", "dependent" (a key: see role_label)
    age: int

    @property
    def role_label(self) -> str:
        """The role in the language of the request."""
        if self.role == "you":
            return pgettext("a person's place in the household", "you")
        if self.role == "your spouse":
            return pgettext("a person's place in the household", "your spouse")
        return pgettext("a person's place in the household", "dependent")


@dataclass(frozen=True, slots=True)
class PersonResult:
    person: Person
    result: MemberResult

    @property
    def coverage(self) -> str:
        return coverage_label(self.result)

    @property
    def masshealth(self) -> bool:
        return self.result.is_medicaid_chip


@dataclass(frozen=True, slots=True)
class Estimate:
    """One household's help and plans."""

    inputs: ShoppingInput
    params: YearParameters
    place: Place
    household: Household
    determination: Determination
    people: tuple[PersonResult, ...]
    buyers: tuple[Person, ...]  # the people who would buy a plan (not MassHealth/CHIP)
    help: Help
    quotes: tuple[QuotedPlan, ...]
    catalog_loaded: bool
    benchmark_plan: CatalogPlan | None

    @property
    def cheapest(self) -> QuotedPlan | None:
        return self.quotes[0] if self.quotes else None

    @property
    def benchmark_quote(self) -> QuotedPlan | None:
        return _benchmark_quote(self.quotes, self.benchmark_plan)

    @property
    def lowest_connectorcare(self) -> QuotedPlan | None:
        return _lowest_connectorcare(self.quotes)

    @property
    def chip_premium(self) -> Decimal:
        """The family's monthly CHIP premium (the engine applies the family cap per child)."""
        return sum((p.result.chip_premium or ZERO for p in self.people), ZERO)


class NoPlans(LookupError):
    """The place has no plans the engine can price (e.g. no silver plan offered there)."""


# --- the estimate ----------------------------------------------------------------------------


def place_for(inputs: ShoppingInput) -> tuple[YearParameters, Place]:
    """The year's parameters and the rated place. Raises PlaceError."""
    params = eligibility.parameters().for_year(inputs.year)
    return params, resolve_place(params, "MA", inputs.county_fips, inputs.zip_code)


def people_of(inputs: ShoppingInput) -> tuple[Person, ...]:
    roles = ["you"]
    if inputs.married:
        roles.append("your spouse")
    roles.extend("dependent" for _age in inputs.dependent_ages)
    return tuple(
        Person(member_id=f"person{i}", name=_("Person %(n)s") % {"n": i}, role=role, age=age)
        for i, (role, age) in enumerate(zip(roles, inputs.ages, strict=True), start=1)
    )


def household_for(inputs: ShoppingInput, people: Sequence[Person], income: Decimal) -> Household:
    """The CMS-shaped household (rules.parse_cms_estimate) with the people named "Person 1" and
    so on, so the engine's sentences read well."""
    household = parse_cms_estimate(inputs.cms_body(income), inputs.year)
    names = {p.member_id: p.name for p in people}
    members = tuple(dataclasses.replace(m, name=names.get(m.id, m.id)) for m in household.members)
    return dataclasses.replace(household, members=members)


def buying(determination: Determination, people: Sequence[Person]) -> tuple[Person, ...]:
    """The people who would buy a plan: those who may not get MassHealth or CHIP and can buy one."""
    out = []
    for p in people:
        m = determination.member(p.member_id)
        if m.qhp_eligible and not m.is_medicaid_chip:
            out.append(p)
    return tuple(out)


def estimate(inputs: ShoppingInput) -> Estimate:
    """The household's determination, help and plans. Raises PlaceError for a place that cannot
    be rated, NoPlans when the catalog offers no benchmark plan there."""
    params, place = place_for(inputs)
    people = people_of(inputs)
    household = household_for(inputs, people, inputs.income)
    try:
        determination = determine(
            household, eligibility.parameters(), eligibility.benchmark_source()
        )
    except PlaceError:  # a LookupError too, but about the place
        raise
    except LookupError as exc:  # the catalog has no silver plan where the household lives
        raise NoPlans(str(exc.args[0] if exc.args else exc)) from None
    buyers = buying(determination, people)
    ids = [p.member_id for p in buyers]
    help = household_help(determination, ids) if buyers else Help()
    quotes: tuple[QuotedPlan, ...] = ()
    catalog_loaded = True
    bench: CatalogPlan | None = None
    enrollees = [Enrollee(p.member_id, p.age) for p in buyers]
    try:
        if buyers:
            quotes = tuple(quote(params, place, enrollees, help))
            found = benchmark(params, place, enrollees)
            bench = found[0] if found else None
        else:
            year_catalog(params.coverage_year, place.state)  # is a catalog loaded?
    except CatalogNotLoaded:
        catalog_loaded = False
    results = tuple(PersonResult(p, determination.member(p.member_id)) for p in people)
    return Estimate(
        inputs=inputs,
        params=params,
        place=place,
        household=household,
        determination=determination,
        people=results,
        buyers=buyers,
        help=help,
        quotes=quotes,
        catalog_loaded=catalog_loaded,
        benchmark_plan=bench,
    )


def coverage_label(m: MemberResult) -> str:
    """What a person may get, in a few words (MassHealth's program names are not translated)."""
    if m.program is Program.MEDICAID:
        return MEDICAID_NAMES.get(m.medicaid_category or "", "MassHealth")
    if m.program is Program.CHIP:
        return "MassHealth Family Assistance (CHIP)"
    if m.program is Program.MEDICAID_EMERGENCY:
        return "MassHealth Limited"
    if m.program is Program.CONNECTORCARE:
        return _("ConnectorCare Plan Type %(plan_type)s") % {"plan_type": m.connectorcare_plan_type}
    if m.program is Program.QHP_WITH_APTC:
        if m.csr in ("94", "87", "73"):
            return _(
                "A plan with the premium tax credit and a %(csr)s%% silver cost-sharing reduction"
            ) % {"csr": m.csr}
        return _("A plan with the premium tax credit")
    if m.program is Program.QHP:
        return _("A plan at full price")
    if m.program is Program.NOT_APPLYING:
        return _("Not applying")
    return _("Not eligible for a plan through the exchange")


def _benchmark_quote(quotes: Sequence[QuotedPlan], plan: CatalogPlan | None) -> QuotedPlan | None:
    """The quote of the benchmark plan: the variant of its standard component the household
    would enroll in (a cost-sharing variant where it has one), not a ConnectorCare variant."""
    if plan is None:
        return None
    for q in quotes:
        if (
            q.plan.standard_component_id == plan.standard_component_id
            and not q.plan.connectorcare_plan_type
        ):
            return q
    return None


def _lowest_connectorcare(quotes: Sequence[QuotedPlan]) -> QuotedPlan | None:
    cc = [q for q in quotes if q.plan.connectorcare_plan_type]
    return min(cc, key=lambda q: (q.premium.total, q.plan.plan_id)) if cc else None


# --- "What if my income changes?" ------------------------------------------------------------


class MemoBenchmark:
    """A benchmark source that remembers its answers: over a range of incomes the same members
    are asked about again and again."""

    def __init__(self, source: BenchmarkSource) -> None:
        self.source = source
        self.memo: dict[tuple[Any, ...], Decimal] = {}

    def benchmark_monthly(
        self,
        params: YearParameters,
        address: Address,
        ages: Sequence[int],
        member_ids: Sequence[str] = (),
    ) -> Decimal:
        key = (params.coverage_year, address, tuple(ages), tuple(member_ids))
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = self.source.benchmark_monthly(
                params, address, ages, member_ids
            )
        return found


@dataclass(frozen=True, slots=True)
class IncomePoint:
    """The household's help and prices at one yearly income."""

    percent: int  # the chart's grid: percent of the credit's poverty guideline
    income: Decimal  # yearly, whole dollars
    fpl_percent: int  # the engine's figure for the tax household (truncated)
    coverage: tuple[tuple[str, str], ...]  # (person name, what they may get)
    masshealth: tuple[str, ...]  # names of the people who may get MassHealth or CHIP
    connectorcare_plan_type: str | None
    aptc: Decimal | None  # monthly; None: nobody would buy a plan
    state_subsidy: Decimal | None  # ConnectorCare premium subsidy on the lowest-cost plan
    benchmark_net: Decimal | None  # what the household pays for the benchmark plan
    cheapest_net: Decimal | None  # what the household pays for the cheapest plan

    @property
    def help(self) -> Decimal | None:
        if self.aptc is None:
            return None
        return self.aptc + (self.state_subsidy or ZERO)

    @property
    def signature(self) -> tuple[tuple[str, str], ...]:
        return self.coverage


@dataclass(frozen=True, slots=True)
class Change:
    """Where what someone may get changes: from this yearly income on."""

    income: Decimal
    fpl_percent: int
    lines: tuple[str, ...]  # plain-language sentences


@dataclass(frozen=True, slots=True)
class IncomeRange:
    guideline: Decimal  # the credit's poverty guideline for the household size
    guideline_year: int
    points: tuple[IncomePoint, ...]  # the grid: every CHART_STEP points of the guideline
    changes: tuple[Change, ...]
    edges: tuple[IncomePoint, ...]  # a dollar below and at each change (steps drawn sharp)
    you: IncomePoint  # at the household's own income
    catalog_loaded: bool


class _Pricer:
    """Prices the household at any income: the engine, then the quote selector."""

    def __init__(self, est: Estimate) -> None:
        self.est = est
        self.inputs = est.inputs
        self.people = tuple(p.person for p in est.people)
        self.source = MemoBenchmark(eligibility.benchmark_source())
        self.benchmarks: dict[tuple[str, ...], CatalogPlan | None] = {}
        self.parameters = eligibility.parameters()
        self.cache: dict[Decimal, IncomePoint] = {}

    def determination(self, income: Decimal) -> Determination:
        household = household_for(self.inputs, self.people, income)
        return determine(household, self.parameters, self.source)

    def signature(self, income: Decimal) -> tuple[tuple[str, str], ...]:
        return coverage_signature(self.determination(income), self.people)

    def point(self, income: Decimal, percent: int) -> IncomePoint:
        d = self.determination(income)
        buyers = buying(d, self.people)
        masshealth = tuple(p.name for p in self.people if d.member(p.member_id).is_medicaid_chip)
        fpl = d.tax_households[0].fpl_percent if d.tax_households else 0
        coverage = coverage_signature(d, self.people)
        if not buyers:
            return IncomePoint(
                percent, income, fpl, coverage, masshealth, None, None, None, None, None
            )
        ids = [p.member_id for p in buyers]
        help = household_help(d, ids)
        state_subsidy: Decimal | None = None
        bench_net = cheapest_net = None
        if self.est.catalog_loaded:
            enrollees = [Enrollee(p.member_id, p.age) for p in buyers]
            quotes = quote(self.est.params, self.est.place, enrollees, help)
            key = tuple(ids)
            if key not in self.benchmarks:
                found = benchmark(self.est.params, self.est.place, enrollees)
                self.benchmarks[key] = found[0] if found else None
            bq = _benchmark_quote(quotes, self.benchmarks[key])
            bench_net = bq.net.enrollee_pays if bq is not None else None
            cheapest_net = quotes[0].net.enrollee_pays if quotes else None
            cc = _lowest_connectorcare(quotes)
            state_subsidy = cc.net.state_subsidy if cc is not None else ZERO
        return IncomePoint(
            percent,
            income,
            fpl,
            coverage,
            masshealth,
            help.connectorcare_plan_type,
            help.aptc,
            state_subsidy,
            bench_net,
            cheapest_net,
        )


def coverage_signature(d: Determination, people: Sequence[Person]) -> tuple[tuple[str, str], ...]:
    out = []
    for p in people:
        m = d.member(p.member_id)
        label = coverage_label(m)
        if m.program is Program.QHP and any(
            r.code is Code.PTC_INCOME_ABOVE_LIMIT for r in m.reasons
        ):
            label = _("A plan at full price (income above the limit for the premium tax credit)")
        out.append((p.name, label))
    return tuple(out)


def grid(guideline: Decimal) -> Iterator[tuple[int, Decimal]]:
    for pct in range(CHART_FROM, CHART_TO + 1, CHART_STEP):
        income = (guideline * pct / HUNDRED).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        yield pct, income


def income_range(est: Estimate) -> IncomeRange:
    """The household's help and prices from 50% to 600% of the poverty line (every 10 points), the
    incomes where what someone may get changes (to the dollar), and the household's own point."""
    pricer = _Pricer(est)
    g = est.params.guideline("premium_tax_credit", est.place.state)
    guideline = g.for_size(len(est.people))
    points = tuple(pricer.point(income, pct) for pct, income in grid(guideline))
    changes: list[Change] = []
    for before, after in itertools.pairwise(points):
        if before.signature != after.signature:
            changes.extend(_changes_between(pricer, before, after))

    def percent_of(income: Decimal) -> int:
        return int(income * HUNDRED // guideline) if guideline else 0

    edges = tuple(
        pricer.point(income, percent_of(income))
        for c in changes
        for income in (c.income - 1, c.income)
    )
    you = pricer.point(est.inputs.income, percent_of(est.inputs.income))
    return IncomeRange(
        guideline=guideline,
        guideline_year=g.guideline_year,
        points=points,
        changes=tuple(changes),
        edges=edges,
        you=you,
        catalog_loaded=est.catalog_loaded,
    )


def _changes_between(pricer: _Pricer, before: IncomePoint, after: IncomePoint) -> list[Change]:
    """Every income in (before, after] where the signature changes, found by bisection to the
    dollar (the programs' limits are steps in income)."""
    found = []
    low, low_sig = before.income, before.signature
    while low_sig != after.signature:
        lo, hi = low, after.income  # signature(lo) == low_sig, signature(hi) differs
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if pricer.signature(mid) == low_sig:
                lo = mid
            else:
                hi = mid
        new_sig = pricer.signature(hi)
        d = pricer.determination(hi)
        fpl = d.tax_households[0].fpl_percent if d.tax_households else 0
        found.append(Change(income=hi, fpl_percent=fpl, lines=describe(low_sig, new_sig)))
        if hi == after.income:
            break
        low, low_sig = hi, new_sig
    return found


def describe(
    before: tuple[tuple[str, str], ...], after: tuple[tuple[str, str], ...]
) -> tuple[str, ...]:
    """Plain-language lines for what changes, people with the same change together."""
    groups: dict[tuple[str, str], list[str]] = {}
    for (name, old), (_name, new) in zip(before, after, strict=True):
        if old != new:
            groups.setdefault((old, new), []).append(name)
    return tuple(f"{and_list(names)}: {old} → {new}" for (old, new), names in groups.items())


def and_list(names: Sequence[str]) -> str:
    """ "A", "A and B", "A, B and C" (in the language of the request)."""
    if len(names) == 1:
        return names[0]
    return _("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


# --- the chart -------------------------------------------------------------------------------

#: The chart's lines: key, colour, dash pattern (the labels are in chart_labels()).
HELP_SERIES = ("help", "#005ea2", "")
BENCHMARK_SERIES = ("benchmark", "#b50909", "10 6")
CHEAPEST_SERIES = ("cheapest", "#216e1f", "2 6")


def chart_labels() -> dict[str, str]:
    """The lines' labels, in the language of the request."""
    return {
        "help": _("Monthly help: tax credit plus ConnectorCare subsidy"),
        "benchmark": _("You pay for the benchmark silver plan"),
        "cheapest": _("You pay for the lowest-price plan"),
    }


def thousands(income: Decimal) -> str:
    """A yearly income under an axis tick: $65k ($65 mil in Spanish)."""
    return pgettext("a yearly income in thousands of dollars, under the chart", "$%(k)sk") % {
        "k": f"{round(income / 1000):,}"
    }


def chart_description(rng: IncomeRange) -> str:
    """The chart's <desc>: the range, the household's own point and where things change."""
    you = rng.you
    first, last = rng.points[0], rng.points[-1]
    sentences = [
        _(
            "Monthly help and what this household would pay each month, at yearly incomes from "
            "%(low)s (%(low_percent)s%% of the poverty line) to %(high)s (%(high_percent)s%%)."
        )
        % {
            "low": money(first.income),
            "low_percent": first.percent,
            "high": money(last.income),
            "high_percent": last.percent,
        }
    ]
    figures = {"income": money(you.income), "percent": you.fpl_percent}
    if you.help is None:
        sentences.append(
            _("Your income of %(income)s is %(percent)s%% of the poverty line.") % figures
        )
    elif you.cheapest_net is None:
        sentences.append(
            _(
                "Your income of %(income)s is %(percent)s%% of the poverty line; there the "
                "monthly help is %(help)s."
            )
            % {**figures, "help": money(you.help)}
        )
    else:
        sentences.append(
            _(
                "Your income of %(income)s is %(percent)s%% of the poverty line; there the "
                "monthly help is %(help)s and the lowest-price plan costs you %(net)s a month."
            )
            % {**figures, "help": money(you.help), "net": money(you.cheapest_net)}
        )
    for i, c in enumerate(rng.changes, start=1):
        sentences.append(
            _("%(number)s. From %(income)s a year: %(changes)s.")
            % {"number": i, "income": money(c.income), "changes": "; ".join(c.lines)}
        )
    return " ".join(sentences)


def chart_for(rng: IncomeRange) -> LineChart:
    """The income range as a line chart (apps/web/chart.py), its text in the language of the
    request."""
    points = sorted([*rng.points, *rng.edges], key=lambda p: p.income)
    xs = tuple(p.income for p in points)
    specs = [HELP_SERIES]
    if rng.catalog_loaded:
        specs += [BENCHMARK_SERIES, CHEAPEST_SERIES]
    labels = chart_labels()
    getters = {
        "help": lambda p: p.help,
        "benchmark": lambda p: p.benchmark_net,
        "cheapest": lambda p: p.cheapest_net,
    }
    series = tuple(
        Series(
            key=key,
            label=labels[key],
            values=tuple(getters[key](p) for p in points),
            color=color,
            dash=dash,
        )
        for key, color, dash in specs
    )
    ticks = tuple(
        Tick(p.income, (f"{p.percent}%", thousands(p.income)))
        for p in rng.points
        if p.percent % 100 == 0
    )
    markers = tuple(
        Marker(c.income, str(i), "; ".join(c.lines)) for i, c in enumerate(rng.changes, start=1)
    )
    bands = []
    start: IncomePoint | None = None
    for before, p in zip([None, *points], [*points, None], strict=True):
        if p is not None and p.aptc is None:
            start = start or p
        elif start is not None and before is not None:
            bands.append(Band(start.income, p.income if p else before.income, "MassHealth"))
            start = None
    you = rng.you
    return LineChart(
        title=_("What if my income changes?"),
        description=chart_description(rng),
        xs=xs,
        series=series,
        x_ticks=ticks,
        bands=tuple(bands),
        markers=markers,
        you_x=you.income,
        you_values=tuple(getters[key](you) for key, _color, _dash in specs),
        you_label=_("Your income"),
        x_label=_("Yearly income (percent of the poverty line)"),
        id="income-chart",
    )
