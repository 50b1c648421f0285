"""Importing a plan year's catalog from the CMS Exchange PUF files (docs/adr/0002).

``import_catalog(folder, year)`` reads and validates every row first (``apps.plans.puf``), then,
in one transaction, replaces the catalog of each (year, state) in the files whose content changed:
a ``CatalogImport`` row per (year, state) holds the digest of what was stored, so importing the
same files again changes nothing, and other years and states are never touched. Any problem, in
the files or against the database, raises ``PufErrors`` and leaves the database as it was.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import models, transaction

from apps.plans.models import (
    CatalogImport,
    Crosswalk,
    Issuer,
    Plan,
    Rate,
    ServiceArea,
    ServiceAreaCounty,
)
from apps.plans.puf import (
    FILE_KINDS,
    Catalog,
    CatalogRules,
    PufError,
    PufErrors,
    StateCatalog,
    parse_catalog,
)

__all__ = ["ImportResult", "PufError", "PufErrors", "StateImport", "import_catalog"]

BATCH_SIZE = 2000
NEW, REPLACED, UNCHANGED = "new", "replaced", "unchanged"


@dataclass(frozen=True, slots=True)
class StateImport:
    """What the import did for one state's catalog of the year."""

    state: str
    status: str  # "new", "replaced" or "unchanged"
    digest: str
    issuers: int
    plans: int
    rates: int
    service_areas: int
    service_area_counties: int
    crosswalk_rows: int


@dataclass(frozen=True, slots=True)
class ImportResult:
    year: int
    folder: Path
    files: dict[str, Path]  # kind ("plan_attributes", "rate", ...) -> path
    states: tuple[StateImport, ...]
    skipped: dict[tuple[str, str], int]  # (file name, reason) -> rows not imported
    seconds: float

    @property
    def unchanged(self) -> bool:
        return all(s.status == UNCHANGED for s in self.states)

    def total(self, what: str) -> int:
        return sum(int(getattr(s, what)) for s in self.states)


def import_catalog(
    folder: Path,
    year: int,
    *,
    states: Collection[str] | None = None,
    rules: CatalogRules | None = None,
) -> ImportResult:
    """Import the PUF files in ``folder`` as the plan-``year`` catalog (of ``states`` only, if
    given). All or nothing: raises ``PufErrors`` listing every problem, and stores nothing."""
    started = time.perf_counter()
    catalog = parse_catalog(Path(folder), year, rules, states=states)
    with transaction.atomic():
        done = tuple(_import_state(catalog, c, str(folder)) for c in catalog.states.values())
    return ImportResult(
        year=year,
        folder=Path(folder),
        files={k: catalog.files[k] for k in FILE_KINDS if k in catalog.files},
        states=done,
        skipped=dict(sorted(catalog.skipped.items())),
        seconds=time.perf_counter() - started,
    )


def _import_state(catalog: Catalog, state_catalog: StateCatalog, source: str) -> StateImport:
    year, state = catalog.year, state_catalog.state
    digest = state_catalog.digest(year)
    previous = CatalogImport.objects.select_for_update().filter(year=year, state=state).first()
    status = NEW if previous is None else REPLACED
    if previous is not None and previous.digest == digest:
        status = UNCHANGED
    else:
        _delete_state(year, state, {p.standard_component_id for p in state_catalog.plans})
        _insert_state(year, state_catalog)
        CatalogImport.objects.create(
            year=year,
            state=state,
            digest=digest,
            source=source[:500],
            plans=len(state_catalog.plans),
            rates=len(state_catalog.rates),
            service_area_rows=sum(len(a.counties) for a in state_catalog.service_areas),
            crosswalk_rows=len(state_catalog.crosswalk),
        )
    return StateImport(
        state=state,
        status=status,
        digest=digest,
        issuers=len(state_catalog.issuers),
        plans=len(state_catalog.plans),
        rates=len(state_catalog.rates),
        service_areas=len(state_catalog.service_areas),
        service_area_counties=sum(len(a.counties) for a in state_catalog.service_areas),
        crosswalk_rows=len(state_catalog.crosswalk),
    )


def _delete_state(year: int, state: str, new_scids: Iterable[str]) -> None:
    """Remove the (year, state) catalog, leaving other years and states alone."""
    scids = set(
        Plan.objects.filter(year=year, state=state).values_list("standard_component_id", flat=True)
    )
    scids.update(new_scids)
    chunk = sorted(scids)
    for i in range(0, len(chunk), 500):
        Rate.objects.filter(year=year, standard_component_id__in=chunk[i : i + 500]).delete()
    try:
        Plan.objects.filter(year=year, state=state).delete()
    except (models.ProtectedError, models.RestrictedError) as exc:
        users = sorted({type(o)._meta.label for o in exc.args[1]})
        raise PufErrors(
            [
                PufError(
                    "database",
                    None,
                    None,
                    f"cannot replace the {year} {state} catalog: its plans are referred to by "
                    f"{', '.join(users)}",
                )
            ]
        ) from exc
    Crosswalk.objects.filter(year=year, state=state).delete()
    ServiceAreaCounty.objects.filter(service_area__year=year, service_area__state=state).delete()
    ServiceArea.objects.filter(year=year, state=state).delete()
    Issuer.objects.filter(year=year, state=state).delete()
    CatalogImport.objects.filter(year=year, state=state).delete()


def _insert_state(year: int, c: StateCatalog) -> None:
    hios_ids = [i.hios_id for i in c.issuers]
    elsewhere = Issuer.objects.filter(year=year, hios_id__in=hios_ids).exclude(state=c.state)
    clashes = [
        PufError(
            "database",
            None,
            None,
            f"issuer {i.hios_id} is already in the {year} catalog for {i.state}, not {c.state}",
        )
        for i in elsewhere
    ]
    if clashes:
        raise PufErrors(clashes)
    Issuer.objects.bulk_create(
        [Issuer(year=year, hios_id=i.hios_id, state=i.state, name=i.name) for i in c.issuers],
        batch_size=BATCH_SIZE,
    )
    issuer_pk = dict(Issuer.objects.filter(year=year, state=c.state).values_list("hios_id", "pk"))
    ServiceArea.objects.bulk_create(
        [
            ServiceArea(
                year=year,
                issuer_id=issuer_pk[a.issuer_id],
                service_area_id=a.service_area_id,
                name=a.name,
                state=a.state,
                cover_entire_state=a.cover_entire_state,
                market=a.market,
            )
            for a in c.service_areas
        ],
        batch_size=BATCH_SIZE,
    )
    area_pk = {
        (issuer, area): pk
        for issuer, area, pk in ServiceArea.objects.filter(year=year, state=c.state).values_list(
            "issuer__hios_id", "service_area_id", "pk"
        )
    }
    ServiceAreaCounty.objects.bulk_create(
        [
            ServiceAreaCounty(
                service_area_id=area_pk[(a.issuer_id, a.service_area_id)],
                county_fips=county.county_fips,
                partial_county=county.partial_county,
                zip_codes=list(county.zip_codes),
            )
            for a in c.service_areas
            for county in a.counties
        ],
        batch_size=BATCH_SIZE,
    )
    Plan.objects.bulk_create(
        [
            Plan(
                year=year,
                plan_id=p.plan_id,
                standard_component_id=p.standard_component_id,
                variant=p.variant,
                issuer_id=issuer_pk[p.issuer_id],
                state=p.state,
                marketing_name=p.marketing_name,
                variant_marketing_name=p.variant_marketing_name,
                metal_level=p.metal_level,
                plan_type=p.plan_type,
                market=p.market,
                on_exchange=p.on_exchange,
                network_id=p.network_id,
                service_area_id=p.service_area_id,
                csr_variation_type=p.csr_variation_type,
                ehb_percent_total_premium=p.ehb_percent_total_premium,
                deductible_individual=p.deductible_individual,
                deductible_family=p.deductible_family,
                moop_individual=p.moop_individual,
                moop_family=p.moop_family,
                hsa_eligible=p.hsa_eligible,
                national_network=p.national_network,
                child_only_offering=p.child_only_offering,
                connectorcare_plan_type=p.connectorcare_plan_type,
                brochure_url=p.brochure_url,
                benefits_url=p.benefits_url,
                formulary_url=p.formulary_url,
                effective_date=p.effective_date,
                expiration_date=p.expiration_date,
            )
            for p in c.plans
        ],
        batch_size=BATCH_SIZE,
    )
    Rate.objects.bulk_create(
        (
            Rate(
                year=year,
                standard_component_id=r.standard_component_id,
                rating_area=r.rating_area,
                age_min=r.age_min,
                age_max=r.age_max,
                individual_rate=r.individual_rate,
                tobacco_rate=r.tobacco_rate,
                effective_date=r.effective_date,
                expiration_date=r.expiration_date,
            )
            for r in c.rates
        ),
        batch_size=BATCH_SIZE,
    )
    Crosswalk.objects.bulk_create(
        [
            Crosswalk(
                year=year,
                state=x.state,
                old_plan_id=x.old_plan_id,
                old_issuer_id=x.old_issuer_id,
                county_fips=x.county_fips,
                zip_code=x.zip_code,
                crosswalk_level=x.crosswalk_level,
                reason=x.reason,
                new_plan_id=x.new_plan_id,
                new_issuer_id=x.new_issuer_id,
                ageoff_plan_id=x.ageoff_plan_id,
            )
            for x in c.crosswalk
        ],
        batch_size=BATCH_SIZE,
    )
