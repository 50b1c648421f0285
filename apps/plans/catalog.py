"""The plan catalog of a year, read once from the database into memory for quoting.

The catalog is read-mostly: a process keeps one in-memory copy per (year, state), keyed by the
import digest, so a new import is picked up on the next request. Quoting then touches no database.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from decimal import Decimal

from apps.plans.models import CatalogImport, Plan, Rate, ServiceAreaCounty
from rating.types import AgeRate, PlanRates


@dataclass(frozen=True, slots=True)
class CatalogPlan:
    plan_id: str  # 17-character variant id
    standard_component_id: str
    variant: str
    issuer_id: str
    issuer_name: str
    name: str
    variant_name: str
    metal_level: str
    plan_type: str
    service_area_id: str
    csr_variation_type: str
    ehb_percent: Decimal
    deductible_individual: int | None
    deductible_family: int | None
    moop_individual: int | None
    moop_family: int | None
    hsa_eligible: bool
    national_network: bool
    connectorcare_plan_type: str
    brochure_url: str
    benefits_url: str
    formulary_url: str


@dataclass(frozen=True, slots=True)
class ServedCounty:
    partial: bool
    zip_codes: frozenset[str]


@dataclass(slots=True)
class YearCatalog:
    year: int
    state: str
    digest: str
    plans: dict[str, CatalogPlan] = field(default_factory=dict)
    # (standard component id, rating area) -> rate table
    rates: dict[tuple[str, int], PlanRates] = field(default_factory=dict)
    # (issuer id, service area id) -> county fips -> coverage
    service_areas: dict[tuple[str, str], dict[str, ServedCounty]] = field(default_factory=dict)

    def offered(self, county_fips: str, zip_code: str | None) -> list[CatalogPlan]:
        """On-exchange plan variants whose service area covers the county (and the ZIP, for a
        partial county)."""
        out = []
        for plan in self.plans.values():
            counties = self.service_areas.get((plan.issuer_id, plan.service_area_id))
            if not counties:
                continue
            served = counties.get(county_fips)
            if served is None:
                continue
            if served.partial and (zip_code is None or zip_code not in served.zip_codes):
                continue
            out.append(plan)
        return out


_lock = threading.Lock()
_cache: dict[tuple[int, str], YearCatalog] = {}


def catalog_for(year: int, state: str) -> YearCatalog | None:
    """The year's catalog for a state, or None when none is loaded."""
    current = (
        CatalogImport.objects.filter(year=year, state=state)
        .values_list("digest", flat=True)
        .first()
    )
    if current is None:
        return None
    found = _cache.get((year, state))
    if found is not None and found.digest == current:
        return found
    with _lock:
        found = _cache.get((year, state))
        if found is None or found.digest != current:
            found = _load(year, state, current)
            _cache[(year, state)] = found
    return found


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def _load(year: int, state: str, digest: str) -> YearCatalog:
    catalog = YearCatalog(year=year, state=state, digest=digest)
    plans = Plan.objects.filter(year=year, state=state, on_exchange=True).select_related("issuer")
    for p in plans:
        catalog.plans[p.plan_id] = CatalogPlan(
            plan_id=p.plan_id,
            standard_component_id=p.standard_component_id,
            variant=p.variant,
            issuer_id=p.issuer.hios_id,
            issuer_name=p.issuer.name,
            name=p.marketing_name,
            variant_name=p.variant_marketing_name,
            metal_level=p.metal_level,
            plan_type=p.plan_type,
            service_area_id=p.service_area_id,
            csr_variation_type=p.csr_variation_type,
            ehb_percent=p.ehb_percent_total_premium,
            deductible_individual=p.deductible_individual,
            deductible_family=p.deductible_family,
            moop_individual=p.moop_individual,
            moop_family=p.moop_family,
            hsa_eligible=p.hsa_eligible,
            national_network=p.national_network,
            connectorcare_plan_type=p.connectorcare_plan_type,
            brochure_url=p.brochure_url,
            benefits_url=p.benefits_url,
            formulary_url=p.formulary_url,
        )
    standard_ids = {p.standard_component_id for p in catalog.plans.values()}
    rows: dict[tuple[str, int], list[AgeRate]] = {}
    start = dt.date(year, 1, 1)  # individual-market rates in force at the start of the plan year
    for r in Rate.objects.filter(
        year=year,
        standard_component_id__in=standard_ids,
        effective_date__lte=start,
        expiration_date__gte=start,
    ).order_by("standard_component_id", "rating_area", "age_min"):
        rows.setdefault((r.standard_component_id, r.rating_area), []).append(
            AgeRate(
                age_min=r.age_min,
                age_max=r.age_max,
                individual=r.individual_rate,
                tobacco=r.tobacco_rate,
            )
        )
    for (std_id, area), rates in rows.items():
        catalog.rates[(std_id, area)] = PlanRates(
            plan_id=std_id, rating_area=area, rates=tuple(rates)
        )
    counties = ServiceAreaCounty.objects.filter(
        service_area__year=year, service_area__state=state
    ).select_related("service_area__issuer")
    for c in counties:
        key = (c.service_area.issuer.hios_id, c.service_area.service_area_id)
        catalog.service_areas.setdefault(key, {})[c.county_fips] = ServedCounty(
            partial=c.partial_county, zip_codes=frozenset(c.zip_codes or ())
        )
    return catalog
