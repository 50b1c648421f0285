"""Read and validate one plan year's CMS Exchange public use files (PUFs) into plain dataclasses.

Pure: no ORM. ``parse_catalog(folder, year, rules)`` finds the files in ``folder`` (see
``find_files``), reads every row, and either returns a ``Catalog`` (one ``StateCatalog`` per state
in the files) or raises ``PufErrors`` carrying every problem found, each as
``FILE:LINE: COLUMN: reason``. Column names, value conventions and layouts are those of
shared/reference/PUF_FORMATS.md; docs/adr/0002-plan-catalog-and-rating.md explains the design.

What is kept: Individual-market, non-dental plans (SHOP and dental rows are skipped and counted),
their service areas, their Rate PUF rows and the Plan ID Crosswalk rows that lead to them.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from rules.parameters import ParameterError, ParameterSet, load_parameters

# Bump when the importer starts reading or storing something differently: the digest of a
# state's catalog includes it, so files imported by an older importer are imported again.
DIGEST_VERSION = 1

# ``N and over`` age bands have no upper age; this is the age_max stored for them.
OPEN_ENDED_AGE_MAX = 999
# Age-rated plans must have a rate for every age 0..64 in at least one rating area.
RATED_AGES = (0, 64)

PLAN_ATTRIBUTES = "plan_attributes"
RATE = "rate"
SERVICE_AREA = "service_area"
CROSSWALK = "crosswalk"
FILE_KINDS = (PLAN_ATTRIBUTES, RATE, SERVICE_AREA, CROSSWALK)
REQUIRED_KINDS = (PLAN_ATTRIBUTES, RATE, SERVICE_AREA)
FILE_TITLES = {
    PLAN_ATTRIBUTES: "Plan Attributes PUF",
    RATE: "Rate PUF",
    SERVICE_AREA: "Service Area PUF",
    CROSSWALK: "Plan ID Crosswalk PUF",
}
# The names the files are given in the folder (the ADR), and the prefixes that also match after
# lower-casing and turning '-' and ' ' into '_' (so CMS's own ``Rate_PUF_2015-12-08.csv`` or
# ``Plan_ID_Crosswalk_PUF.csv`` are found too).
FILE_NAMES = {
    PLAN_ATTRIBUTES: "plan-attributes-puf.csv",
    RATE: "rate-puf.csv",
    SERVICE_AREA: "service-area-puf.csv",
    CROSSWALK: "plan-id-crosswalk-puf.csv",
}
FILE_PREFIXES = {
    PLAN_ATTRIBUTES: ("plan_attributes",),
    RATE: ("rate",),
    SERVICE_AREA: ("service_area",),
    CROSSWALK: ("crosswalk", "plan_id_crosswalk"),
}

STANDARD_COMPONENT_ID = re.compile(r"^\d{5}[A-Z]{2}\d{7}$")
VARIANT_PLAN_ID = re.compile(r"^(\d{5}[A-Z]{2}\d{7})-(\d{2})$")
ISSUER_ID = re.compile(r"^\d{5}$")
FIPS = re.compile(r"^\d{5}$")
ZIP = re.compile(r"^\d{5}$")
RATING_AREA = re.compile(r"^rating\s+area\s+(\d+)$", re.IGNORECASE)
AGE_RANGE = re.compile(r"^(\d{1,3})\s*-\s*(\d{1,3})$")
AGE_SINGLE = re.compile(r"^(\d{1,3})$")
AGE_AND_OVER = re.compile(r"^(\d{1,3})\s+and\s+over$", re.IGNORECASE)
MONEY = re.compile(r"^\$?\s*(\d[\d,]*(?:\.\d+)?)\s*(?:per\s+person|per\s+group)?$", re.IGNORECASE)
NUMBER = re.compile(r"^\$?\s*-?\d[\d,]*(?:\.\d*)?$|^\$?\s*-?\.\d+$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]+)?$")
US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+[\d:.]+(?:\s*[AP]M)?)?$", re.IGNORECASE)

# CSR variants every state has (PUF_FORMATS.md §5): 00 off exchange, 01 standard on exchange,
# 02/03 AI/AN, 04-06 silver CSR. Silver-only ones are checked against MetalLevel.
CSR_VARIANTS = frozenset({"00", "01", "02", "03", "04", "05", "06"})
SILVER_ONLY_VARIANTS = frozenset({"04", "05", "06"})
# State-subsidy variants HHS reserves (PUF_FORMATS.md §5), for states without their own list.
HHS_STATE_SUBSIDY_VARIANTS = frozenset({"30", "31", "32", "33", "34", "35", "36", "42", "43"})

PLAN_TYPES = {t.lower(): t for t in ("HMO", "PPO", "EPO", "POS", "Indemnity")}
METAL_LEVELS = {
    m.lower(): m
    for m in ("Catastrophic", "Bronze", "Expanded Bronze", "Silver", "Gold", "Platinum")
}
TOBACCO_NO_PREFERENCE = "no preference"
TOBACCO_RATED = "tobacco user/non-tobacco user"
NO_AMOUNT = frozenset(
    {"", "not applicable", "per person not applicable", "per group not applicable", "n/a"}
)
NO_PLAN = frozenset({"", "x", "00000xx0000000"})
NO_ISSUER = frozenset({"", "x", "0", "00000"})

# State FIPS codes: a county FIPS code starts with its state's two digits.
STATE_FIPS = {
    "AL": "01", "AK": "02", "AZ": "04", "AR": "05", "CA": "06", "CO": "08", "CT": "09",
    "DE": "10", "DC": "11", "FL": "12", "GA": "13", "HI": "15", "ID": "16", "IL": "17",
    "IN": "18", "IA": "19", "KS": "20", "KY": "21", "LA": "22", "ME": "23", "MD": "24",
    "MA": "25", "MI": "26", "MN": "27", "MS": "28", "MO": "29", "MT": "30", "NE": "31",
    "NV": "32", "NH": "33", "NJ": "34", "NM": "35", "NY": "36", "NC": "37", "ND": "38",
    "OH": "39", "OK": "40", "OR": "41", "PA": "42", "RI": "44", "SC": "45", "SD": "46",
    "TN": "47", "TX": "48", "UT": "49", "VT": "50", "VA": "51", "WA": "53", "WV": "54",
    "WI": "55", "WY": "56", "AS": "60", "GU": "66", "MP": "69", "PR": "72", "VI": "78",
}  # fmt: skip


# --------------------------------------------------------------------------------------------
# Errors


@dataclass(frozen=True, slots=True)
class PufError:
    """One problem: ``file:line: column: reason`` (line and column left out when not known)."""

    file: str
    line: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return (
            f"{where}: {self.column}: {self.reason}" if self.column else f"{where}: {self.reason}"
        )


class PufErrors(Exception):
    """Every problem found in the files; nothing was imported."""

    def __init__(self, errors: Collection[PufError]) -> None:
        self.errors = tuple(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


# --------------------------------------------------------------------------------------------
# What the files become


@dataclass(frozen=True, slots=True)
class IssuerRecord:
    hios_id: str
    state: str
    name: str


@dataclass(frozen=True, slots=True)
class CountyRecord:
    county_fips: str
    partial_county: bool
    zip_codes: tuple[str, ...]  # the served ZIPs when partial_county, else ()


@dataclass(frozen=True, slots=True)
class ServiceAreaRecord:
    issuer_id: str
    service_area_id: str
    state: str
    name: str
    cover_entire_state: bool
    market: str
    counties: tuple[CountyRecord, ...]  # sorted by FIPS; every county of the state if entire


@dataclass(frozen=True, slots=True)
class PlanRecord:
    line: int  # in the Plan Attributes file, for messages
    plan_id: str
    standard_component_id: str
    variant: str
    issuer_id: str
    state: str
    marketing_name: str
    variant_marketing_name: str
    metal_level: str
    plan_type: str
    market: str
    on_exchange: bool
    network_id: str
    service_area_id: str
    csr_variation_type: str
    ehb_percent_total_premium: Decimal
    deductible_individual: int | None
    deductible_family: int | None
    moop_individual: int | None
    moop_family: int | None
    hsa_eligible: bool
    national_network: bool
    child_only_offering: str
    connectorcare_plan_type: str
    brochure_url: str
    benefits_url: str
    formulary_url: str
    effective_date: dt.date | None
    expiration_date: dt.date | None


@dataclass(frozen=True, slots=True)
class RateRecord:
    line: int
    standard_component_id: str
    rating_area: int
    age_min: int
    age_max: int
    individual_rate: Decimal
    tobacco_rate: Decimal | None
    effective_date: dt.date
    expiration_date: dt.date


@dataclass(frozen=True, slots=True)
class CrosswalkRecord:
    line: int
    state: str
    old_plan_id: str
    old_issuer_id: str
    county_fips: str
    zip_code: str
    crosswalk_level: int
    reason: int
    new_plan_id: str
    new_issuer_id: str
    ageoff_plan_id: str


@dataclass(slots=True)
class StateCatalog:
    """One state's part of the files, validated."""

    state: str
    issuers: list[IssuerRecord] = field(default_factory=list)
    service_areas: list[ServiceAreaRecord] = field(default_factory=list)
    plans: list[PlanRecord] = field(default_factory=list)
    rates: list[RateRecord] = field(default_factory=list)
    crosswalk: list[CrosswalkRecord] = field(default_factory=list)

    def digest(self, year: int) -> str:
        """sha256 of what would be stored (not of line numbers, column order, BOM or other
        states' rows): identical files, or files that differ only in form, give the same digest."""
        h = hashlib.sha256()
        h.update(json.dumps(["puf-catalog", DIGEST_VERSION, year, self.state]).encode())

        def feed(rows: list[tuple[Any, ...]]) -> None:
            for row in sorted(rows):
                h.update(json.dumps(row, default=str).encode())
                h.update(b"\n")
            h.update(b"--\n")

        feed([(i.hios_id, i.state, i.name) for i in self.issuers])
        feed(
            [
                (
                    s.issuer_id,
                    s.service_area_id,
                    s.name,
                    s.cover_entire_state,
                    s.market,
                    [(c.county_fips, c.partial_county, list(c.zip_codes)) for c in s.counties],
                )
                for s in self.service_areas
            ]
        )
        feed([_without_line(p) for p in self.plans])
        feed([_without_line(r) for r in self.rates])
        feed([_without_line(c) for c in self.crosswalk])
        return h.hexdigest()


def _without_line(record: PlanRecord | RateRecord | CrosswalkRecord) -> tuple[Any, ...]:
    return tuple(getattr(record, name) for name in record.__slots__ if name != "line")


@dataclass(slots=True)
class Catalog:
    year: int
    files: dict[str, Path]  # kind -> path
    states: dict[str, StateCatalog]
    skipped: Counter[tuple[str, str]]  # (file name, reason) -> rows


# --------------------------------------------------------------------------------------------
# State rules (from the rules parameters)


@dataclass(frozen=True, slots=True)
class StateRules:
    """What the exchange knows about a state's geography and plan variants."""

    rating_areas: frozenset[int] | None = None  # None: any positive number is accepted
    counties: tuple[str, ...] | None = None  # None: no county list (CoverEntireState unusable)
    zip3: frozenset[str] | None = None  # ZIP prefixes of the state, when known
    subsidy_variants: Mapping[str, str] | None = None  # suffix -> ConnectorCare plan type
    source: str = ""  # the parameter file the lists come from, for messages


@dataclass(frozen=True, slots=True)
class CatalogRules:
    year: int
    states: Mapping[str, StateRules]

    def for_state(self, state: str) -> StateRules:
        return self.states.get(state, GENERIC_STATE)


GENERIC_STATE = StateRules()
_STATE_PARAMETER = re.compile(r"^states/([a-z]{2})/(rating_areas|connectorcare/plan_variants)$")


def catalog_rules(year: int, params: ParameterSet | None = None) -> CatalogRules:
    """Rating areas, counties, ZIP prefixes and state-subsidy variants in force on January 1 of
    ``year``, for each state that has them in rules/parameters/states/XX/."""
    params = params or load_parameters()
    on = dt.date(year, 1, 1)
    found: dict[str, dict[str, Any]] = defaultdict(dict)
    for name, parameter in params.files.parameters.items():
        m = _STATE_PARAMETER.match(name)
        if not m:
            continue
        state, what = m.group(1).upper(), m.group(2)
        value = parameter.at(on).value
        if what == "rating_areas":
            found[state]["rating_areas"] = frozenset(int(a["area"]) for a in value)
            found[state]["counties"] = tuple(sorted({str(c) for a in value for c in a["counties"]}))
            found[state]["zip3"] = frozenset(str(z) for a in value for z in a["zip3"])
            found[state]["source"] = f"rules/parameters/{name}.yaml"
        else:
            found[state]["subsidy_variants"] = {str(v): str(k) for k, v in value.items()}
    return CatalogRules(year=year, states={s: StateRules(**kw) for s, kw in found.items()})


# --------------------------------------------------------------------------------------------
# Value parsers (raise ValueError with the reason)


def parse_age(text: str) -> tuple[int, int] | None:
    """An Age label as [min, max]: ``0-14``, ``15``, ``64 and over``; None for ``Family Option``."""
    label = text.strip()
    if label.lower() == "family option":
        return None
    if m := AGE_RANGE.match(label):
        low, high = int(m.group(1)), int(m.group(2))
        if low > high:
            raise ValueError(f"not an age band: {text!r} (first age above the second)")
        return low, high
    if m := AGE_SINGLE.match(label):
        return int(m.group(1)), int(m.group(1))
    if m := AGE_AND_OVER.match(label):
        return int(m.group(1)), OPEN_ENDED_AGE_MAX
    raise ValueError(f"not an age label: {text!r} (expected e.g. '0-14', '30', '64 and over')")


def parse_rating_area(text: str) -> int:
    """``Rating Area 5`` -> 5."""
    m = RATING_AREA.match(text.strip())
    if not m or int(m.group(1)) < 1:
        raise ValueError(f"not a rating area: {text!r} (expected 'Rating Area N')")
    return int(m.group(1))


def parse_money(text: str) -> int | None:
    """A Plan Attributes cost-sharing amount in whole dollars: ``$6,850 ``, ``$5750 per person``,
    ``$11500 per group``; None for blank and the ``... not applicable`` forms."""
    value = " ".join(text.split())
    if value.lower() in NO_AMOUNT:
        return None
    m = MONEY.match(value)
    if not m:
        raise ValueError(f"not an amount of money: {text!r}")
    amount = Decimal(m.group(1).replace(",", ""))
    if amount != amount.to_integral_value():
        raise ValueError(f"not a whole-dollar amount: {text!r}")
    return int(amount)


def parse_number(text: str) -> Decimal:
    value = text.strip()
    if not NUMBER.match(value):
        raise ValueError(f"not a number: {text!r}")
    try:
        return Decimal(value.replace("$", "").replace(",", "").replace(" ", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise ValueError(f"not a number: {text!r}") from None


def parse_date(text: str) -> dt.date:
    """``2026-01-01`` (time of day ignored) or ``1/1/2026``."""
    value = text.strip()
    try:
        if m := ISO_DATE.match(value):
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if m := US_DATE.match(value):
            return dt.date(int(m.group(3)), int(m.group(1)), int(m.group(2)))
    except ValueError:
        pass
    raise ValueError(f"not a date: {text!r} (expected YYYY-MM-DD or M/D/YYYY)")


def parse_yes_no(text: str) -> bool:
    value = text.strip().lower()
    if value in ("yes", "y"):
        return True
    if value in ("no", "n"):
        return False
    raise ValueError(f"expected Yes or No, not {text!r}")


# --------------------------------------------------------------------------------------------
# Finding the files


def find_files(folder: Path) -> tuple[dict[str, Path], list[PufError]]:
    """The PUF files in ``folder`` by kind. Exact names (``rate-puf.csv``) or, case-insensitively
    and with '-' and ' ' read as '_', a ``.csv`` whose name starts with ``plan_attributes``,
    ``rate``, ``service_area``, ``crosswalk`` or ``plan_id_crosswalk``."""
    errors: list[PufError] = []
    if not folder.is_dir():
        return {}, [PufError(str(folder), None, None, "not a folder")]
    candidates: dict[str, list[Path]] = defaultdict(list)
    for path in sorted(folder.iterdir()):
        if not path.is_file():
            continue
        name = re.sub(r"[-\s]+", "_", path.name.lower())
        if not name.endswith(".csv"):
            continue
        for kind in FILE_KINDS:
            if path.name.lower() == FILE_NAMES[kind] or name.startswith(FILE_PREFIXES[kind]):
                candidates[kind].append(path)
                break
    found: dict[str, Path] = {}
    for kind in FILE_KINDS:
        paths = candidates.get(kind, [])
        if len(paths) > 1:
            names = ", ".join(p.name for p in paths)
            errors.append(
                PufError(str(folder), None, None, f"more than one {FILE_TITLES[kind]}: {names}")
            )
        elif paths:
            found[kind] = paths[0]
        elif kind in REQUIRED_KINDS:
            prefixes = ", ".join(f"{p}*.csv" for p in FILE_PREFIXES[kind])
            errors.append(
                PufError(
                    str(folder),
                    None,
                    None,
                    f"no {FILE_TITLES[kind]}: expected {FILE_NAMES[kind]} (or {prefixes}, any case)",
                )
            )
    return found, errors


# --------------------------------------------------------------------------------------------
# Reading one file


class _Sheet:
    """One CSV file: columns looked up by header name, case-insensitively; rows with line numbers;
    errors reported as ``FILE:LINE: COLUMN: reason`` with the column as the file spells it."""

    def __init__(self, path: Path, errors: list[PufError]) -> None:
        self.path = path
        self.name = path.name
        self.errors = errors
        self.header: list[str] = []
        self.index: dict[str, int] = {}
        self.line = 0
        self.values: list[str] = []
        self.row_ok = True
        # Set when the file could not be read as a whole (no header, missing columns, bad bytes,
        # malformed rows): checks of other files against this one are then left out.
        self.broken = False

    def _add(self, line: int | None, column: str | None, reason: str) -> None:
        self.errors.append(PufError(self.name, line, column, reason))
        if column is None:
            self.broken = True

    def columns(
        self, required: Mapping[str, tuple[str, ...]], optional: Mapping[str, tuple[str, ...]]
    ) -> bool:
        """Resolve logical columns (each a tuple of accepted header names). False if a required
        column is missing (reported once; the rows are then not read)."""
        lookup: dict[str, int] = {}
        for i, name in enumerate(self.header):
            lookup.setdefault(name.strip().lower(), i)
        ok = True
        for key, names in {**optional, **required}.items():
            idx = next((lookup[n.lower()] for n in names if n.lower() in lookup), None)
            if idx is not None:
                self.index[key] = idx
            elif key in required:
                also = f" (or {', '.join(names[1:])})" if len(names) > 1 else ""
                self._add(1, names[0], f"missing column{also}")
                self.broken = True
                ok = False
        return ok

    def rows(self) -> Iterator[int]:
        """Read the file; yield each data row's first line number with ``values`` set."""
        try:
            handle = self.path.open(encoding="utf-8-sig", newline="")
        except OSError as exc:
            self._add(None, None, f"cannot read: {exc.strerror}")
            return
        with handle:
            reader = csv.reader(handle)
            previous = 0
            try:
                for record in reader:
                    line = previous + 1
                    previous = reader.line_num
                    if not self.header:
                        self.header = record
                        if not any(h.strip() for h in record):
                            self._add(line, None, "no header row")
                            return
                        yield 0  # the header is read: resolve columns
                        continue
                    if not any(v.strip() for v in record):
                        continue  # blank line
                    self.line = line
                    self.row_ok = True
                    if len(record) != len(self.header):
                        self._add(
                            line,
                            None,
                            f"row has {len(record)} fields, the header has {len(self.header)}",
                        )
                        continue
                    self.values = record
                    yield line
            except UnicodeDecodeError:
                self._add(previous + 1, None, "not UTF-8 text")
            except csv.Error as exc:
                self._add(previous + 1, None, f"not valid CSV: {exc}")
        if not self.header and not self.broken:
            self._add(None, None, "empty file (no header row)")

    # -- values of the current row -----------------------------------------------------------

    def raw(self, key: str) -> str:
        idx = self.index.get(key)
        return "" if idx is None else self.values[idx]

    def get(self, key: str) -> str:
        idx = self.index.get(key)
        return "" if idx is None else self.values[idx].strip()

    def has(self, key: str) -> bool:
        return key in self.index

    def error(self, key: str, reason: str) -> None:
        idx = self.index.get(key)
        column = self.header[idx].strip() if idx is not None else key
        self._add(self.line, column, reason)
        self.row_ok = False

    def required(self, key: str, max_length: int | None = None) -> str:
        value = self.get(key)
        if not value:
            self.error(key, "blank")
        elif max_length is not None and len(value) > max_length:
            self.error(key, f"longer than {max_length} characters")
        return value

    def text(self, key: str, max_length: int) -> str:
        value = self.get(key)
        if len(value) > max_length:
            self.error(key, f"longer than {max_length} characters")
            return ""
        return value

    def parsed(self, key: str, parse: Any, *, blank: Any = ...) -> Any:
        value = self.get(key)
        if not value and blank is not ...:
            return blank
        if not value:
            self.error(key, "blank")
            return None
        try:
            return parse(self.raw(key))
        except ValueError as exc:
            self.error(key, str(exc))
            return None

    def year(self, key: str, year: int) -> None:
        value = self.get(key)
        if value != str(year):
            self.error(key, f"plan year {value!r} is not {year}" if value else "blank")

    def state(self, key: str) -> str:
        value = self.get(key)
        if value not in STATE_FIPS:
            self.error(key, f"not a state code: {value!r}" if value else "blank")
        return value

    def pattern(self, key: str, regex: re.Pattern[str], what: str) -> str:
        value = self.get(key)
        if not regex.match(value):
            self.error(key, f"not {what}: {value!r}" if value else "blank")
        return value


# --------------------------------------------------------------------------------------------
# The four files


_PLAN_REQUIRED = {
    "year": ("BusinessYear",),
    "state": ("StateCode",),
    "issuer": ("IssuerId",),
    "market": ("MarketCoverage",),
    "dental": ("DentalOnlyPlan",),
    "scid": ("StandardComponentId",),
    "name": ("PlanMarketingName",),
    "service_area": ("ServiceAreaId",),
    "plan_type": ("PlanType",),
    "metal": ("MetalLevel",),
    "plan_id": ("PlanId",),
    "csr": ("CSRVariationType",),
    "ehb": ("EHBPercentTotalPremium", "EHBPercentPremiumS4"),
}
_PLAN_OPTIONAL = {
    "issuer_name": ("IssuerMarketPlaceMarketingName",),
    "variant_name": ("PlanVariantMarketingName",),
    "network": ("NetworkId",),
    "qhp": ("QHPNonQHPTypeId",),
    "hsa": ("IsHSAEligible",),
    "national": ("NationalNetwork",),
    "child_only": ("ChildOnlyOffering",),
    "benefits_url": ("URLForSummaryofBenefitsCoverage",),
    "brochure_url": ("PlanBrochure",),
    "formulary_url": ("FormularyURL",),
    "effective": ("PlanEffectiveDate", "PlanEffictiveDate"),
    "expiration": ("PlanExpirationDate",),
    "ded_integrated": ("MedicalDrugDeductiblesIntegrated",),
    "moop_integrated": ("MedicalDrugMaximumOutofPocketIntegrated",),
    "t_ded": ("TEHBDedInnTier1Individual",),
    "t_ded_family": ("TEHBDedInnTier1FamilyPerGroup",),
    "m_ded": ("MEHBDedInnTier1Individual",),
    "m_ded_family": ("MEHBDedInnTier1FamilyPerGroup",),
    "t_moop": ("TEHBInnTier1IndividualMOOP",),
    "t_moop_family": ("TEHBInnTier1FamilyPerGroupMOOP",),
    "m_moop": ("MEHBInnTier1IndividualMOOP",),
    "m_moop_family": ("MEHBInnTier1FamilyPerGroupMOOP",),
}
_RATE_REQUIRED = {
    "year": ("BusinessYear",),
    "state": ("StateCode",),
    "issuer": ("IssuerId",),
    "effective": ("RateEffectiveDate",),
    "expiration": ("RateExpirationDate",),
    "plan_id": ("PlanId",),
    "area": ("RatingAreaId",),
    "age": ("Age",),
    "rate": ("IndividualRate",),
}
_RATE_OPTIONAL = {"tobacco": ("Tobacco",), "tobacco_rate": ("IndividualTobaccoRate",)}
_AREA_REQUIRED = {
    "year": ("BusinessYear",),
    "state": ("StateCode",),
    "issuer": ("IssuerId",),
    "service_area": ("ServiceAreaId",),
    "entire": ("CoverEntireState",),
    "county": ("County",),
    "market": ("MarketCoverage",),
    "dental": ("DentalOnlyPlan", "DentalOnly"),
}
_AREA_OPTIONAL = {
    "name": ("ServiceAreaName",),
    "partial": ("PartialCounty",),
    "zips": ("ZipCodes",),
}


@dataclass
class _Reader:
    """Reads the files of one plan year, collecting records per state and every error."""

    year: int
    rules: CatalogRules
    only_states: frozenset[str] | None
    errors: list[PufError] = field(default_factory=list)
    skipped: Counter[tuple[str, str]] = field(default_factory=Counter)
    states: dict[str, StateCatalog] = field(default_factory=dict)
    issuers: dict[str, IssuerRecord] = field(default_factory=dict)
    issuer_lines: dict[str, tuple[str, int]] = field(default_factory=dict)
    # Keys seen on kept rows, on skipped rows, and on rows with errors (no follow-on errors).
    plan_scids: dict[str, PlanRecord] = field(default_factory=dict)  # first variant of each
    on_exchange_scids: set[str] = field(default_factory=set)
    skipped_scids: set[str] = field(default_factory=set)
    bad_scids: set[str] = field(default_factory=set)
    broken: set[str] = field(default_factory=set)  # kinds of files not read as a whole
    area_keys: set[tuple[str, str]] = field(default_factory=set)
    skipped_area_keys: set[tuple[str, str]] = field(default_factory=set)
    bad_area_keys: set[tuple[str, str]] = field(default_factory=set)
    plan_file: str = FILE_NAMES[PLAN_ATTRIBUTES]
    rate_file: str = FILE_NAMES[RATE]
    area_file: str = FILE_NAMES[SERVICE_AREA]

    def state_catalog(self, state: str) -> StateCatalog:
        found = self.states.get(state)
        if found is None:
            found = self.states[state] = StateCatalog(state)
        return found

    def wanted(self, state: str) -> bool:
        return self.only_states is None or state in self.only_states

    def issuer(self, sheet: _Sheet, issuer_id: str, state: str, name: str) -> None:
        known = self.issuers.get(issuer_id)
        if known is None:
            self.issuers[issuer_id] = IssuerRecord(issuer_id, state, name)
            self.issuer_lines[issuer_id] = (sheet.name, sheet.line)
        elif known.state != state:
            file, line = self.issuer_lines[issuer_id]
            sheet.error(
                "issuer", f"issuer {issuer_id} is in {known.state} ({file}:{line}), not {state}"
            )
        elif name and not known.name:
            self.issuers[issuer_id] = IssuerRecord(issuer_id, state, name)

    # -- Service Area PUF --------------------------------------------------------------------

    def read_service_areas(self, path: Path) -> None:
        sheet = _Sheet(path, self.errors)
        try:
            self._read_service_areas(sheet)
        finally:
            if sheet.broken:
                self.broken.add(SERVICE_AREA)

    def _read_service_areas(self, sheet: _Sheet) -> None:
        self.area_file = sheet.name
        builders: dict[tuple[str, str], dict[str, Any]] = {}
        for line in sheet.rows():
            if line == 0:
                if not sheet.columns(_AREA_REQUIRED, _AREA_OPTIONAL):
                    return
                continue
            sheet.year("year", self.year)
            state = sheet.state("state")
            if state and not self.wanted(state):
                self.skipped[(sheet.name, f"rows of other states than {self._wanted_text()}")] += 1
                continue
            key = (sheet.get("issuer"), sheet.get("service_area"))
            market = self._market(sheet, blank_ok=True)
            dental = sheet.parsed("dental", parse_yes_no)
            if market == "SHOP" or dental:
                if sheet.row_ok:
                    self.skipped[
                        (sheet.name, "SHOP rows" if market == "SHOP" else "dental rows")
                    ] += 1
                    self.skipped_area_keys.add(key)
                else:
                    self.bad_area_keys.add(key)
                continue
            issuer_id = sheet.pattern("issuer", ISSUER_ID, "a 5-digit HIOS issuer id")
            area_id = sheet.required("service_area", 10)
            name = sheet.text("name", 200) or area_id
            entire = sheet.parsed("entire", parse_yes_no)
            county = sheet.get("county")
            partial = bool(sheet.parsed("partial", parse_yes_no, blank=False))
            rules = self.rules.for_state(state)
            zips: tuple[str, ...] = ()
            if entire:
                if rules.counties is None:
                    sheet.error(
                        "entire",
                        f"Yes is not supported for {state}: the exchange has no county list for "
                        f"{state} (rules/parameters/states/{state.lower()}/rating_areas.yaml); "
                        "list the counties instead",
                    )
            elif entire is not None:
                if not county:
                    sheet.error("county", "blank (and CoverEntireState is No)")
                elif not FIPS.match(county):
                    sheet.error("county", f"not a 5-digit county FIPS code: {county!r}")
                elif rules.counties is not None and county not in rules.counties:
                    sheet.error(
                        "county", f"{county} is not a county of {state} (per {rules.source})"
                    )
                elif state in STATE_FIPS and not county.startswith(STATE_FIPS[state]):
                    sheet.error("county", f"{county} is not a county of {state}")
                if partial:
                    zips = self._zip_list(sheet, rules, state)
            if sheet.row_ok and issuer_id:
                self.issuer(sheet, issuer_id, state, "")
            if not sheet.row_ok:
                self.bad_area_keys.add(key)
                continue
            builder = builders.get(key)
            if builder is None:
                builder = builders[key] = {
                    "state": state,
                    "name": name,
                    "market": market or "Individual",
                    "entire": False,
                    "counties": {},
                }
            if entire:
                # The whole state: other county rows of the same area add nothing.
                builder["entire"] = True
                continue
            counties: dict[str, tuple[CountyRecord, int]] = builder["counties"]
            if county in counties:
                sheet.error(
                    "county",
                    f"county {county} is listed twice for service area {area_id} of issuer "
                    f"{issuer_id} (first on line {counties[county][1]})",
                )
                continue
            counties[county] = (CountyRecord(county, partial, zips), line)
        for (issuer_id, area_id), b in builders.items():
            state = b["state"]
            if b["entire"]:
                all_counties = self.rules.for_state(state).counties or ()
                records = tuple(CountyRecord(c, False, ()) for c in all_counties)
            else:
                records = tuple(
                    c for c, _ in sorted(b["counties"].values(), key=lambda x: x[0].county_fips)
                )
            self.state_catalog(state).service_areas.append(
                ServiceAreaRecord(
                    issuer_id, area_id, state, b["name"], b["entire"], b["market"], records
                )
            )
            self.area_keys.add((issuer_id, area_id))

    def _zip_list(self, sheet: _Sheet, rules: StateRules, state: str) -> tuple[str, ...]:
        text = sheet.get("zips")
        zips = [z.strip() for z in re.split(r"[,;\s]+", text) if z.strip()]
        if not zips:
            sheet.error("zips", "blank (and PartialCounty is Yes)")
            return ()
        bad = [
            z
            for z in zips
            if not ZIP.match(z[:5]) or (len(z) > 5 and not re.match(r"^\d{5}-\d{4}$", z))
        ]
        if bad:
            sheet.error("zips", f"not 5-digit ZIP codes: {', '.join(repr(z) for z in bad)}")
            return ()
        zips = sorted({z[:5] for z in zips})
        if rules.zip3 is not None:
            foreign = [z for z in zips if z[:3] not in rules.zip3]
            if foreign:
                sheet.error(
                    "zips",
                    f"not {state} ZIP codes (per {rules.source}): {', '.join(foreign)}",
                )
                return ()
        return tuple(zips)

    # -- Plan Attributes PUF -----------------------------------------------------------------

    def read_plans(self, path: Path) -> None:
        sheet = _Sheet(path, self.errors)
        try:
            self._read_plans(sheet)
        finally:
            if sheet.broken:
                self.broken.add(PLAN_ATTRIBUTES)

    def _read_plans(self, sheet: _Sheet) -> None:
        self.plan_file = sheet.name
        first_line: dict[str, int] = {}
        for line in sheet.rows():
            if line == 0:
                if not sheet.columns(_PLAN_REQUIRED, _PLAN_OPTIONAL):
                    return
                continue
            sheet.year("year", self.year)
            state = sheet.state("state")
            scid_raw = sheet.get("scid")
            if state and not self.wanted(state):
                self.skipped[(sheet.name, f"rows of other states than {self._wanted_text()}")] += 1
                self.skipped_scids.add(scid_raw)
                continue
            market = self._market(sheet, blank_ok=False)
            dental = sheet.parsed("dental", parse_yes_no)
            if market == "SHOP" or dental:
                if sheet.row_ok:
                    self.skipped[
                        (sheet.name, "SHOP rows" if market == "SHOP" else "dental rows")
                    ] += 1
                    self.skipped_scids.add(scid_raw)
                else:
                    self.bad_scids.add(scid_raw)
                continue
            plan = self._plan(sheet, state, market or "")
            if plan is None or not sheet.row_ok:
                self.bad_scids.add(scid_raw)
                continue
            if plan.plan_id in first_line:
                sheet.error(
                    "plan_id",
                    f"{plan.plan_id} is listed twice (first on line {first_line[plan.plan_id]})",
                )
                continue
            first_line[plan.plan_id] = line
            self.issuer(sheet, plan.issuer_id, state, sheet.text("issuer_name", 200))
            if not sheet.row_ok:
                continue
            self.state_catalog(state).plans.append(plan)
            self.plan_scids.setdefault(plan.standard_component_id, plan)
            if plan.on_exchange:
                self.on_exchange_scids.add(plan.standard_component_id)

    def _plan(self, sheet: _Sheet, state: str, market: str) -> PlanRecord | None:
        rules = self.rules.for_state(state)
        issuer_id = sheet.pattern("issuer", ISSUER_ID, "a 5-digit HIOS issuer id")
        scid = sheet.pattern("scid", STANDARD_COMPONENT_ID, "a 14-character standard component id")
        if (
            ISSUER_ID.match(issuer_id)
            and STANDARD_COMPONENT_ID.match(scid)
            and state in STATE_FIPS
            and not scid.startswith(issuer_id + state)
        ):
            sheet.error(
                "scid", f"{scid} does not start with IssuerId and StateCode ({issuer_id}{state})"
            )
        plan_id = sheet.get("plan_id")
        variant = ""
        m = VARIANT_PLAN_ID.match(plan_id)
        if not m:
            sheet.error(
                "plan_id",
                f"not a 17-character plan variant id (like 12345MA0010001-01): {plan_id!r}"
                if plan_id
                else "blank",
            )
        elif STANDARD_COMPONENT_ID.match(scid) and m.group(1) != scid:
            sheet.error("plan_id", f"{plan_id} is not a variant of StandardComponentId {scid}")
        else:
            variant = m.group(2)
        metal_text = sheet.get("metal")
        metal = METAL_LEVELS.get(metal_text.lower())
        if metal is None:
            sheet.error("metal", f"not a metal level: {metal_text!r}" if metal_text else "blank")
        connectorcare = ""
        if variant:
            subsidy = rules.subsidy_variants
            allowed = CSR_VARIANTS | (
                set(subsidy) if subsidy is not None else HHS_STATE_SUBSIDY_VARIANTS
            )
            if variant not in allowed:
                sheet.error(
                    "plan_id",
                    f"unknown plan variant suffix -{variant} for {state} (expected one of {', '.join(sorted(allowed))})",
                )
            elif subsidy is not None and variant in subsidy:
                connectorcare = subsidy[variant]
            if metal and metal != "Silver" and (variant in SILVER_ONLY_VARIANTS or connectorcare):
                kind = f"ConnectorCare plan type {connectorcare}" if connectorcare else "silver CSR"
                sheet.error(
                    "metal",
                    f"{metal} plan {plan_id} has a {kind} variant (-{variant}); only silver plans do",
                )
        plan_type_text = sheet.get("plan_type")
        plan_type = PLAN_TYPES.get(plan_type_text.lower())
        if plan_type is None:
            sheet.error(
                "plan_type",
                f"not a plan type (HMO, PPO, EPO, POS, Indemnity): {plan_type_text!r}"
                if plan_type_text
                else "blank",
            )
        ehb = sheet.parsed("ehb", parse_number)
        if ehb is not None:
            if not Decimal(0) < ehb <= Decimal(1):
                sheet.error(
                    "ehb", f"not a fraction more than 0 and at most 1: {sheet.get('ehb')!r}"
                )
            ehb = ehb.quantize(Decimal("0.000001"), ROUND_HALF_UP)
        qhp = sheet.get("qhp").lower()
        if qhp and qhp not in ("on the exchange", "off the exchange", "both"):
            sheet.error(
                "qhp",
                f"expected 'On the Exchange', 'Off the Exchange' or 'Both', not {sheet.get('qhp')!r}",
            )
        effective = sheet.parsed("effective", parse_date, blank=None)
        expiration = sheet.parsed("expiration", parse_date, blank=None)
        if effective and expiration and expiration < effective:
            sheet.error("expiration", f"{expiration} is before PlanEffectiveDate {effective}")
        deductible, deductible_family = self._headline(
            sheet, "ded_integrated", "t_ded", "t_ded_family", "m_ded", "m_ded_family"
        )
        moop, moop_family = self._headline(
            sheet, "moop_integrated", "t_moop", "t_moop_family", "m_moop", "m_moop_family"
        )
        record = PlanRecord(
            line=sheet.line,
            plan_id=plan_id,
            standard_component_id=scid,
            variant=variant,
            issuer_id=issuer_id,
            state=state,
            marketing_name=sheet.required("name", 300),
            variant_marketing_name=sheet.text("variant_name", 300),
            metal_level=metal or "",
            plan_type=plan_type or "",
            market=market,
            on_exchange=variant not in ("", "00") and qhp != "off the exchange",
            network_id=sheet.text("network", 10),
            service_area_id=sheet.required("service_area", 10),
            csr_variation_type=sheet.required("csr", 80),
            ehb_percent_total_premium=ehb or Decimal(0),
            deductible_individual=deductible,
            deductible_family=deductible_family,
            moop_individual=moop,
            moop_family=moop_family,
            hsa_eligible=bool(sheet.parsed("hsa", parse_yes_no, blank=False)),
            national_network=bool(sheet.parsed("national", parse_yes_no, blank=False)),
            child_only_offering=sheet.text("child_only", 40),
            connectorcare_plan_type=connectorcare,
            brochure_url=sheet.text("brochure_url", 200),
            benefits_url=sheet.text("benefits_url", 200),
            formulary_url=sheet.text("formulary_url", 200),
            effective_date=effective,
            expiration_date=expiration,
        )
        return record if sheet.row_ok else None

    @staticmethod
    def _headline(
        sheet: _Sheet, flag: str, t_ind: str, t_fam: str, m_ind: str, m_fam: str
    ) -> tuple[int | None, int | None]:
        """PUF_FORMATS.md "Headline numbers for display": TEHB when medical and drug amounts are
        integrated, else the medical (MEHB) amount; when the flag is blank, TEHB then MEHB."""
        integrated = sheet.parsed(flag, parse_yes_no, blank=None)
        values = {
            key: sheet.parsed(key, parse_money, blank=None) for key in (t_ind, t_fam, m_ind, m_fam)
        }
        if integrated is True:
            return values[t_ind], values[t_fam]
        if integrated is False:
            return values[m_ind], values[m_fam]
        if values[t_ind] is not None or values[t_fam] is not None:
            return values[t_ind], values[t_fam]
        return values[m_ind], values[m_fam]

    def check_plan_service_areas(self) -> None:
        if SERVICE_AREA in self.broken:
            return
        for catalog in self.states.values():
            for plan in catalog.plans:
                key = (plan.issuer_id, plan.service_area_id)
                if key in self.area_keys or key in self.bad_area_keys:
                    continue
                also = " (only SHOP or dental rows)" if key in self.skipped_area_keys else ""
                self.errors.append(
                    PufError(
                        self.plan_file,
                        plan.line,
                        "ServiceAreaId",
                        f"no service area {plan.service_area_id} of issuer {plan.issuer_id} in "
                        f"{self.area_file}{also}",
                    )
                )

    # -- Rate PUF ----------------------------------------------------------------------------

    def read_rates(self, path: Path) -> None:
        sheet = _Sheet(path, self.errors)
        try:
            self._read_rates(sheet)
        finally:
            if sheet.broken:
                self.broken.add(RATE)

    def _read_rates(self, sheet: _Sheet) -> None:
        self.rate_file = sheet.name
        seen: dict[tuple[str, int, int, dt.date], int] = {}
        bad_rate_scids: set[str] = set()
        by_plan: dict[str, list[RateRecord]] = defaultdict(list)
        for line in sheet.rows():
            if line == 0:
                if not sheet.columns(_RATE_REQUIRED, _RATE_OPTIONAL):
                    return
                continue
            sheet.year("year", self.year)
            state = sheet.state("state")
            scid = sheet.get("plan_id")
            if state and not self.wanted(state):
                self.skipped[(sheet.name, f"rows of other states than {self._wanted_text()}")] += 1
                continue
            if scid in self.skipped_scids and scid not in self.plan_scids:
                if sheet.row_ok:
                    self.skipped[(sheet.name, "rows of skipped (SHOP or dental) plans")] += 1
                continue
            if not STANDARD_COMPONENT_ID.match(scid):
                sheet.error(
                    "plan_id",
                    f"not a 14-character standard component id: {scid!r}" if scid else "blank",
                )
            elif scid not in self.plan_scids:
                if scid not in self.bad_scids and PLAN_ATTRIBUTES not in self.broken:
                    sheet.error(
                        "plan_id", f"no plan with StandardComponentId {scid} in {self.plan_file}"
                    )
            elif state and scid[5:7] != state:
                sheet.error("state", f"{state} is not the state of plan {scid}")
            issuer_id = sheet.get("issuer")
            if STANDARD_COMPONENT_ID.match(scid) and issuer_id != scid[:5]:
                sheet.error("issuer", f"{issuer_id!r} is not the issuer of plan {scid}")
            rules = self.rules.for_state(state)
            area = sheet.parsed("area", parse_rating_area)
            if (
                area is not None
                and rules.rating_areas is not None
                and area not in rules.rating_areas
            ):
                low, high = min(rules.rating_areas), max(rules.rating_areas)
                sheet.error(
                    "area",
                    f"{state} has no rating area {area} (rating areas {low} to {high}, per {rules.source})",
                )
            age = sheet.parsed("age", parse_age)
            if age is None and sheet.get("age").lower() == "family option":
                why = (
                    f"{state} rates by age"
                    if rules.rating_areas is not None
                    else "the catalog holds age-rated plans only"
                )
                sheet.error("age", f"'Family Option' (family-tier) rates are not accepted: {why}")
            rate = sheet.parsed("rate", parse_number)
            if rate is not None:
                rate = self._premium(sheet, "rate", rate)
            tobacco = sheet.get("tobacco").lower()
            tobacco_rate = sheet.parsed("tobacco_rate", parse_number, blank=None)
            if tobacco_rate is not None:
                tobacco_rate = self._premium(sheet, "tobacco_rate", tobacco_rate)
            if tobacco and tobacco not in (TOBACCO_NO_PREFERENCE, TOBACCO_RATED):
                sheet.error(
                    "tobacco",
                    f"expected 'No Preference' or 'Tobacco User/Non-Tobacco User', not {sheet.get('tobacco')!r}",
                )
            elif (
                tobacco == TOBACCO_RATED and tobacco_rate is None and not sheet.get("tobacco_rate")
            ):
                sheet.error(
                    "tobacco_rate", "blank (and Tobacco is 'Tobacco User/Non-Tobacco User')"
                )
            effective = sheet.parsed("effective", parse_date)
            expiration = sheet.parsed("expiration", parse_date)
            if effective is not None and effective.year != self.year:
                sheet.error("effective", f"{effective} is not in plan year {self.year}")
            if effective and expiration and expiration < effective:
                sheet.error("expiration", f"{expiration} is before RateEffectiveDate {effective}")
            if scid not in self.plan_scids:
                continue  # reported above, or its plan's row was bad
            if (
                not sheet.row_ok
                or age is None
                or area is None
                or rate is None
                or effective is None
                or expiration is None
            ):
                bad_rate_scids.add(scid)
                continue
            key = (scid, area, age[0], effective)
            if key in seen:
                sheet.error(
                    "age",
                    f"a second rate for plan {scid}, rating area {area}, age {sheet.get('age')}, from {effective} (first on line {seen[key]})",
                )
                bad_rate_scids.add(scid)
                continue
            seen[key] = line
            record = RateRecord(
                line, scid, area, age[0], age[1], rate, tobacco_rate, effective, expiration
            )
            by_plan[scid].append(record)
        for scid, records in by_plan.items():
            self.state_catalog(self.plan_scids[scid].state).rates.extend(records)
        if not sheet.broken:
            self._check_age_bands(by_plan, bad_rate_scids)

    @staticmethod
    def _premium(sheet: _Sheet, key: str, value: Decimal) -> Decimal | None:
        if value <= 0:
            sheet.error(key, f"not a premium: {sheet.get(key)!r} (must be more than 0)")
            return None
        if value >= Decimal("100000000"):
            sheet.error(key, f"not a premium: {sheet.get(key)!r} (too large)")
            return None
        return value.quantize(Decimal("0.01"), ROUND_HALF_UP)

    def _check_age_bands(
        self, by_plan: Mapping[str, list[RateRecord]], bad_rate_scids: set[str]
    ) -> None:
        """No overlapping age bands; every plan offered on the exchange has a rate for each age
        0..64 in at least one rating area."""
        first_age, last_age = RATED_AGES
        for scid in sorted(self.plan_scids):
            records = by_plan.get(scid, [])
            groups: dict[tuple[int, dt.date], list[RateRecord]] = defaultdict(list)
            for r in records:
                groups[(r.rating_area, r.effective_date)].append(r)
            complete = False
            best_gap = ""
            for (area, _), rows in sorted(groups.items()):
                rows.sort(key=lambda r: r.age_min)
                covered_to = first_age - 1
                gaps: list[str] = []
                overlap = False
                prev: RateRecord | None = None  # the band reaching the highest age so far
                for r in rows:
                    if prev is not None and r.age_min <= prev.age_max:
                        self.errors.append(
                            PufError(
                                self.rate_file,
                                r.line,
                                "Age",
                                f"ages {r.age_min}-{r.age_max} overlap ages {prev.age_min}-{prev.age_max} (line {prev.line}) for plan {scid} in rating area {area}",
                            )
                        )
                        overlap = True
                        bad_rate_scids.add(scid)
                    if r.age_min > covered_to + 1 and covered_to < last_age:
                        gaps.append(_ages(covered_to + 1, min(r.age_min - 1, last_age)))
                    covered_to = max(covered_to, r.age_max)
                    if prev is None or r.age_max > prev.age_max:
                        prev = r
                if covered_to < last_age:
                    gaps.append(_ages(covered_to + 1, last_age))
                if not gaps and not overlap:
                    complete = True
                elif gaps and not best_gap:
                    best_gap = f"rating area {area} has no rate for ages {', '.join(gaps)}"
            if complete or scid not in self.on_exchange_scids or scid in bad_rate_scids:
                continue
            plan = self.plan_scids[scid]
            detail = best_gap or f"no rows for it in {self.rate_file}"
            self.errors.append(
                PufError(
                    self.plan_file,
                    plan.line,
                    "StandardComponentId",
                    f"plan {scid} is offered on the exchange but no rating area has rates for every "
                    f"age {first_age} to {last_age} ({detail})",
                )
            )

    # -- Plan ID Crosswalk PUF ---------------------------------------------------------------

    def read_crosswalk(self, path: Path) -> None:
        sheet = _Sheet(path, self.errors)
        try:
            self._read_crosswalk(sheet)
        finally:
            if sheet.broken:
                self.broken.add(CROSSWALK)

    def _read_crosswalk(self, sheet: _Sheet) -> None:
        y0, y1 = self.year - 1, self.year
        required = {
            "state": ("State", "StateCode"),
            "dental": ("DentalPlan",),
            "old_plan": (f"PlanID_{y0}",),
            "old_issuer": (f"IssuerID_{y0}",),
            "county": ("FIPSCode",),
            "zip": ("ZipCode",),
            "level": ("CrosswalkLevel",),
            "reason": ("ReasonForCrosswalk",),
            "new_plan": (f"PlanID_{y1}",),
            "new_issuer": (f"IssuerID_{y1}",),
        }
        optional = {"ageoff_plan": (f"AgeOffPlanID_{y1}",)}
        for line in sheet.rows():
            if line == 0:
                if not sheet.columns(required, optional):
                    years = sorted(
                        {
                            m.group(1)
                            for h in sheet.header
                            if (m := re.match(r"^planid_(\d{4})$", h.strip().lower()))
                        }
                    )
                    if years:
                        self.errors.append(
                            PufError(
                                sheet.name,
                                1,
                                None,
                                f"this crosswalk is for plan years {' to '.join(years)}; the {y1} crosswalk maps {y0} plans (PlanID_{y0}) to {y1} plans (PlanID_{y1})",
                            )
                        )
                    return
                continue
            state = sheet.state("state")
            if state and not self.wanted(state):
                self.skipped[(sheet.name, f"rows of other states than {self._wanted_text()}")] += 1
                continue
            dental = sheet.parsed("dental", parse_yes_no)
            if dental:
                if sheet.row_ok:
                    self.skipped[(sheet.name, "dental rows")] += 1
                continue
            rules = self.rules.for_state(state)
            old_plan = sheet.pattern(
                "old_plan", STANDARD_COMPONENT_ID, "a 14-character standard component id"
            )
            old_issuer = sheet.get("old_issuer")
            if not ISSUER_ID.match(old_issuer):
                sheet.error(
                    "old_issuer",
                    f"not a 5-digit HIOS issuer id: {old_issuer!r}" if old_issuer else "blank",
                )
            county = sheet.get("county")
            if not FIPS.match(county):
                sheet.error(
                    "county", f"not a 5-digit county FIPS code: {county!r}" if county else "blank"
                )
            elif (rules.counties is not None and county not in rules.counties) or (
                state in STATE_FIPS and not county.startswith(STATE_FIPS[state])
            ):
                sheet.error("county", f"{county} is not a county of {state}")
            zip_code = sheet.get("zip")
            if zip_code in ("", "0"):
                zip_code = "00000"
            elif not ZIP.match(zip_code):
                sheet.error("zip", f"not a 5-digit ZIP code: {zip_code!r}")
            level = sheet.parsed("level", _small_int)
            if level is not None and level > 5:
                sheet.error("level", f"not a crosswalk level 0 to 5: {sheet.get('level')!r}")
            reason = sheet.parsed("reason", _small_int)
            new_plan = self._crosswalk_plan(sheet, "new_plan")
            ageoff_plan = self._crosswalk_plan(sheet, "ageoff_plan")
            new_issuer = sheet.get("new_issuer")
            if new_issuer.lower() in NO_ISSUER:
                new_issuer = ""
            elif not ISSUER_ID.match(new_issuer):
                sheet.error("new_issuer", f"not a 5-digit HIOS issuer id: {new_issuer!r}")
            if not sheet.row_ok or level is None or reason is None:
                continue
            self.state_catalog(state).crosswalk.append(
                CrosswalkRecord(
                    sheet.line,
                    state,
                    old_plan,
                    old_issuer,
                    county,
                    zip_code,
                    level,
                    reason,
                    new_plan,
                    new_issuer,
                    ageoff_plan,
                )
            )

    def _crosswalk_plan(self, sheet: _Sheet, key: str) -> str:
        value = sheet.get(key)
        if value.lower() in NO_PLAN:
            return ""
        if not STANDARD_COMPONENT_ID.match(value):
            sheet.error(key, f"not a 14-character standard component id: {value!r}")
        elif (
            value not in self.plan_scids
            and value not in self.bad_scids
            and PLAN_ATTRIBUTES not in self.broken
        ):
            also = " (a SHOP or dental plan)" if value in self.skipped_scids else ""
            sheet.error(key, f"no {self.year} plan {value} in {self.plan_file}{also}")
        return value

    # -- shared ------------------------------------------------------------------------------

    def _market(self, sheet: _Sheet, *, blank_ok: bool) -> str | None:
        value = sheet.get("market").lower()
        if value == "individual":
            return "Individual"
        if value.startswith("shop"):
            return "SHOP"
        if not value and blank_ok:
            return ""
        sheet.error(
            "market",
            f"expected 'Individual' or 'SHOP (Small Group)', not {sheet.get('market')!r}"
            if value
            else "blank",
        )
        return None

    def _wanted_text(self) -> str:
        return ", ".join(sorted(self.only_states or ()))


def _small_int(text: str) -> int:
    value = text.strip()
    if not value.isdigit() or int(value) > 1000:
        raise ValueError(f"not a whole number: {text!r}")
    return int(value)


def _ages(low: int, high: int) -> str:
    return str(low) if low == high else f"{low}-{high}"


# --------------------------------------------------------------------------------------------
# Entry point


def parse_catalog(
    folder: Path,
    year: int,
    rules: CatalogRules | None = None,
    *,
    states: Collection[str] | None = None,
) -> Catalog:
    """Read and validate the PUF files in ``folder`` for plan ``year``; raise ``PufErrors`` with
    every problem found. ``states`` limits the import to those states (others are skipped)."""
    if rules is None:
        try:
            rules = catalog_rules(year)
        except ParameterError as exc:
            raise PufErrors([PufError("rules/parameters", None, None, str(exc))]) from exc
    files, errors = find_files(folder)
    if errors:
        raise PufErrors(errors)
    only = frozenset(s.strip().upper() for s in states) if states else None
    reader = _Reader(year=year, rules=rules, only_states=only)
    reader.read_service_areas(files[SERVICE_AREA])
    reader.read_plans(files[PLAN_ATTRIBUTES])
    reader.check_plan_service_areas()
    reader.read_rates(files[RATE])
    if CROSSWALK in files:
        reader.read_crosswalk(files[CROSSWALK])
    catalogs = {s: c for s, c in sorted(reader.states.items()) if c.plans}
    if not catalogs and not reader.errors:
        which = f" for {reader._wanted_text()}" if only else ""
        reader.errors.append(
            PufError(reader.plan_file, None, None, f"no Individual-market medical plans{which}")
        )
    if reader.errors:
        order = {path.name: i for i, path in enumerate(files[k] for k in FILE_KINDS if k in files)}
        raise PufErrors(sorted(reader.errors, key=lambda e: (order.get(e.file, -1), e.line or 0)))
    for state, catalog in reader.states.items():
        if state in catalogs:
            continue
        # Service areas (and crosswalk rows) of a state with no plans in these files: not kept.
        why = f"of states with no Individual-market medical plans ({state})"
        if catalog.service_areas:
            reader.skipped[(reader.area_file, f"service areas {why}")] += len(catalog.service_areas)
        if catalog.crosswalk:
            name = files[CROSSWALK].name
            reader.skipped[(name, f"rows {why}")] += len(catalog.crosswalk)
    for state, catalog in catalogs.items():
        catalog.issuers = sorted(
            (
                IssuerRecord(i.hios_id, i.state, i.name or f"Issuer {i.hios_id}")
                for i in reader.issuers.values()
                if i.state == state
            ),
            key=lambda i: i.hios_id,
        )
    return Catalog(year=year, files=files, states=catalogs, skipped=reader.skipped)
