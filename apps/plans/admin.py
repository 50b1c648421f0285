"""Read-only views of the imported catalog (the catalog changes only through `plans import`)."""

from __future__ import annotations

from django.contrib import admin

from apps.admin_readonly import ReadOnlyAdmin
from apps.plans.models import CatalogImport, Crosswalk, Issuer, Plan, Rate, ServiceArea


@admin.register(CatalogImport)
class CatalogImportAdmin(ReadOnlyAdmin):
    list_display = ("year", "state", "imported_at", "plans", "rates", "digest")
    list_filter = ("year", "state")


@admin.register(Issuer)
class IssuerAdmin(ReadOnlyAdmin):
    list_display = ("year", "hios_id", "name", "state")
    list_filter = ("year", "state")
    search_fields = ("hios_id", "name")


@admin.register(ServiceArea)
class ServiceAreaAdmin(ReadOnlyAdmin):
    list_display = ("year", "service_area_id", "issuer", "name", "cover_entire_state")
    list_filter = ("year", "state")


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ("year", "plan_id", "marketing_name", "metal_level", "variant", "on_exchange")
    list_filter = ("year", "state", "metal_level", "variant", "on_exchange")
    search_fields = ("plan_id", "marketing_name")


@admin.register(Rate)
class RateAdmin(ReadOnlyAdmin):
    list_display = ("year", "standard_component_id", "rating_area", "age_min", "individual_rate")
    list_filter = ("year", "rating_area")
    search_fields = ("standard_component_id",)


@admin.register(Crosswalk)
class CrosswalkAdmin(ReadOnlyAdmin):
    list_display = ("year", "old_plan_id", "county_fips", "zip_code", "new_plan_id", "reason")
    list_filter = ("year", "state", "crosswalk_level")
    search_fields = ("old_plan_id", "new_plan_id")
