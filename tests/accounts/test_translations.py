"""Spanish: the catalogs of the accounts and web apps are complete, and the pages come back in
Spanish (window shopping included, with the demo catalog's plans)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from tests.web.test_window_shopping import FAMILY, remove_catalog

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = [ROOT / "apps" / app / "locale/es/LC_MESSAGES/django.po" for app in ("accounts", "web")]


def entries(po: Path) -> list[str]:
    return [block for block in po.read_text(encoding="utf-8").split("\n\n") if "msgid" in block]


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: p.parts[-5])
def test_every_string_is_translated(po: Path) -> None:
    blocks = entries(po)
    assert len(blocks) > 20
    for block in blocks[1:]:  # the first is the header
        assert "#, fuzzy" not in block, block
        assert not re.search(r'^msgstr(\[\d\])? ""\Z', block, re.M), block
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in blocks[0]


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: p.parts[-5])
def test_placeholders_match(po: Path) -> None:
    """msgfmt --check: every %(name)s of the English is in the Spanish, and plurals agree."""
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def catalog(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        call_command(
            "plans",
            "import",
            str(ROOT / "data/catalog/ma/2026"),
            "--year",
            "2026",
            stdout=io.StringIO(),
        )
    yield
    with django_db_blocker.unblock():
        remove_catalog(2026)


@pytest.mark.django_db
def test_window_shopping_results_in_spanish(client: Client, catalog: None) -> None:
    page = client.get(
        "/window-shopping/", FAMILY, headers={"accept-language": "es"}
    ).content.decode()
    assert '<html lang="es">' in page
    for spanish in (
        "Su estimación para 2026",
        "Para 4 personas en el código postal 02118",
        "con ingresos del hogar de $65,000 al año",
        "del nivel de pobreza",
        "Crédito tributario para la prima:",
        "al mes por persona",
        "reducción de costos compartidos del 73%",
        "Los precios son para 2 personas:",
        "Se muestran 31 de 31 planes.",
        "de subsidio estatal",
        "Tipo de plan ConnectorCare 3A",
        "¿Y si cambian mis ingresos?",
        "Desde $64,622 al año (201% del nivel de pobreza):",
        "(sus ingresos)",
    ):
        assert spanish in page, spanish
    # nothing fell back to English because of a bad translation
    for english in ("Your estimate for", "Prices are for", "Showing 31", "a month per person"):
        assert english not in page, english
