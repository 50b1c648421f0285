"""The demo catalog (2026 and 2027) loaded once for the API tests of a module, removed afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command

from apps.plans.catalog import clear_cache
from apps.plans.models import CatalogImport, Crosswalk, Issuer, Plan, Rate, ServiceArea

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo_catalog(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[None]:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        for year in (2026, 2027):
            call_command(
                "plans",
                "import",
                str(ROOT / f"data/catalog/ma/{year}"),
                "--year",
                str(year),
                verbosity=0,
            )
        clear_cache()
        yield
        for model in (Rate, Crosswalk, Plan, ServiceArea, Issuer, CatalogImport):
            model.objects.all().delete()
        clear_cache()
