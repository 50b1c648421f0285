"""The plan catalog per plan year, as loaded from the CMS Exchange public use files (PUFs).

One row per PUF record, keyed by plan year so that years live side by side (2026 and 2027 loaded
together). See docs/adr/0002-plan-catalog-and-rating.md and shared/reference/PUF_FORMATS.md.
"""

from __future__ import annotations

from django.db import models


class CatalogImport(models.Model):
    """One successful import of a year's files for a state; ``digest`` makes re-imports no-ops."""

    year = models.PositiveSmallIntegerField()
    state = models.CharField(max_length=2)
    digest = models.CharField(max_length=64, help_text="sha256 of the imported files' contents")
    source = models.CharField(max_length=500, help_text="the folder the files came from")
    imported_at = models.DateTimeField(auto_now_add=True)
    plans = models.PositiveIntegerField(default=0)
    rates = models.PositiveIntegerField(default=0)
    service_area_rows = models.PositiveIntegerField(default=0)
    crosswalk_rows = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "state"], name="one_catalog_per_year_state")
        ]

    def __str__(self) -> str:
        return f"{self.state} {self.year} catalog ({self.digest[:12]})"


class Issuer(models.Model):
    year = models.PositiveSmallIntegerField()
    hios_id = models.CharField(max_length=5)
    state = models.CharField(max_length=2)
    name = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "hios_id"], name="issuer_unique_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.hios_id}, {self.year})"


class ServiceArea(models.Model):
    """A Service Area PUF area of one issuer; counties (and partial-county ZIPs) below."""

    year = models.PositiveSmallIntegerField()
    issuer = models.ForeignKey(Issuer, on_delete=models.CASCADE, related_name="service_areas")
    service_area_id = models.CharField(max_length=10)
    name = models.CharField(max_length=200)
    state = models.CharField(max_length=2)
    cover_entire_state = models.BooleanField(default=False)
    market = models.CharField(max_length=40, default="Individual")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year", "issuer", "service_area_id"], name="service_area_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_area_id} ({self.issuer.hios_id}, {self.year})"


class ServiceAreaCounty(models.Model):
    service_area = models.ForeignKey(ServiceArea, on_delete=models.CASCADE, related_name="counties")
    county_fips = models.CharField(max_length=5)
    partial_county = models.BooleanField(default=False)
    zip_codes = models.JSONField(default=list, blank=True, help_text="served ZIPs when partial")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["service_area", "county_fips"], name="service_area_county_unique"
            )
        ]
        indexes = [models.Index(fields=["county_fips"])]

    def __str__(self) -> str:
        return f"{self.service_area} county {self.county_fips}"


class Plan(models.Model):
    """A plan variant (Plan Attributes PUF row): ``plan_id`` is the 17-character variant id,
    ``standard_component_id`` the 14-character plan id that rates are keyed by."""

    class Metal(models.TextChoices):
        CATASTROPHIC = "Catastrophic"
        BRONZE = "Bronze"
        EXPANDED_BRONZE = "Expanded Bronze"
        SILVER = "Silver"
        GOLD = "Gold"
        PLATINUM = "Platinum"

    year = models.PositiveSmallIntegerField()
    plan_id = models.CharField(max_length=17)
    standard_component_id = models.CharField(max_length=14)
    variant = models.CharField(max_length=2, help_text="the -NN suffix of plan_id")
    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="plans")
    state = models.CharField(max_length=2)
    marketing_name = models.CharField(max_length=300)
    variant_marketing_name = models.CharField(max_length=300, blank=True)
    metal_level = models.CharField(max_length=20, choices=Metal.choices)
    plan_type = models.CharField(max_length=20)  # HMO, PPO, EPO, POS, Indemnity
    market = models.CharField(max_length=40, default="Individual")
    on_exchange = models.BooleanField(default=True)
    network_id = models.CharField(max_length=10, blank=True)
    service_area_id = models.CharField(max_length=10)
    csr_variation_type = models.CharField(max_length=80)
    ehb_percent_total_premium = models.DecimalField(max_digits=7, decimal_places=6)
    deductible_individual = models.PositiveIntegerField(null=True, blank=True)
    deductible_family = models.PositiveIntegerField(null=True, blank=True)
    moop_individual = models.PositiveIntegerField(null=True, blank=True)
    moop_family = models.PositiveIntegerField(null=True, blank=True)
    hsa_eligible = models.BooleanField(default=False)
    national_network = models.BooleanField(default=False)
    child_only_offering = models.CharField(max_length=40, blank=True)
    connectorcare_plan_type = models.CharField(
        max_length=3, blank=True, help_text="ConnectorCare plan type for state-subsidy variants"
    )
    brochure_url = models.URLField(blank=True)
    benefits_url = models.URLField(blank=True)
    formulary_url = models.URLField(blank=True)
    effective_date = models.DateField(null=True, blank=True)
    expiration_date = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "plan_id"], name="plan_variant_unique_per_year")
        ]
        indexes = [
            models.Index(fields=["year", "state", "metal_level", "variant"]),
            models.Index(fields=["year", "standard_component_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.marketing_name} ({self.year})"


class Rate(models.Model):
    """A Rate PUF row: a plan's monthly premium for an age band in a rating area."""

    year = models.PositiveSmallIntegerField()
    standard_component_id = models.CharField(max_length=14)
    rating_area = models.PositiveSmallIntegerField()
    age_min = models.PositiveSmallIntegerField()
    age_max = models.PositiveSmallIntegerField()
    individual_rate = models.DecimalField(max_digits=10, decimal_places=2)
    tobacco_rate = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    effective_date = models.DateField()
    expiration_date = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "year",
                    "standard_component_id",
                    "rating_area",
                    "age_min",
                    "effective_date",
                ],
                name="rate_unique",
            )
        ]
        indexes = [models.Index(fields=["year", "rating_area", "standard_component_id"])]

    def __str__(self) -> str:
        return (
            f"{self.standard_component_id} area {self.rating_area} ages "
            f"{self.age_min}-{self.age_max} ({self.year})"
        )


class Crosswalk(models.Model):
    """A Plan ID Crosswalk PUF row: where a prior-year plan's enrollees go in ``year``."""

    year = models.PositiveSmallIntegerField(help_text="the new plan year (Y1)")
    state = models.CharField(max_length=2)
    old_plan_id = models.CharField(max_length=14)
    old_issuer_id = models.CharField(max_length=5)
    county_fips = models.CharField(max_length=5)
    zip_code = models.CharField(max_length=5, default="00000", help_text="00000 = whole county")
    crosswalk_level = models.PositiveSmallIntegerField()
    reason = models.PositiveSmallIntegerField()
    new_plan_id = models.CharField(max_length=14, blank=True)
    new_issuer_id = models.CharField(max_length=5, blank=True)
    ageoff_plan_id = models.CharField(max_length=14, blank=True)

    class Meta:
        indexes = [models.Index(fields=["year", "old_plan_id"])]

    def __str__(self) -> str:
        return (
            f"{self.old_plan_id} -> {self.new_plan_id or 'none'} ({self.year}, {self.county_fips})"
        )
