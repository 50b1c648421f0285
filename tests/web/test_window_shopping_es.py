"""The window-shopping page in Spanish: the form, its error messages, the results (the engine's
explanations, the plans, the income chart and its table), asked for with Accept-Language or the
language cookie, with no English left over; and the web app's Spanish catalog is complete."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from apps.api import shopping
from apps.plans import selectors as plans
from apps.web import window
from apps.web.templatetags.web_format import metal_label, reason_text
from tests.web.test_window_shopping import FAMILY, FAMILY_BODY, remove_catalog, section, text

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "apps/web/locale/es/LC_MESSAGES/django.po"
URL = "/window-shopping/"
SPANISH = {"accept-language": "es"}

#: English the form and its messages must not show in Spanish.
FORM_ENGLISH = (
    "See what help you can get",
    "Where you live",
    "ZIP code",
    "Your age",
    "You are the person who files",
    "Your spouse's age",
    "Leave this blank",
    "Ages of your dependents",
    "Household income for the year",
    "Your best estimate",
    "Coverage year",
    "See what you can get",
)
#: English the results must not show in Spanish. (Plan and insurance company names come from the
#: catalog and stay as the insurers wrote them: "SYNTHETIC North Shore Silver HMO".)
RESULTS_ENGLISH = (
    "Your estimate for",
    "Person 1",
    "(you, age",
    "your spouse",
    "(dependent",
    "age 40",
    "a month",
    "per month",
    "a year",
    "per person",
    "poverty line",
    "premium tax credit",
    "Premium tax credit",
    "qualifies for",
    "does not qualify",
    "Who may qualify",
    "Plans and prices",
    "Prices are for",
    "Filter and sort",
    "Metal level",
    "Any metal level",
    "Lowest price after help",
    "Sort by",
    "Show plans",
    "Showing",
    "· Silver ·",
    "· Bronze ·",
    "Deductible",
    "tax credit",
    "state subsidy",
    "What if my income changes",
    "Your help depends",
    "Monthly help",
    "You pay",
    "Your income",
    "Yearly income",
    "Where things change",
    "From $",
    "A plan at full price",
    "Person 1 and Person 2",
    "Show the chart",
    "(your income)",
    "Nobody",
)


@pytest.fixture(scope="module")
def catalog(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The synthetic 2026 demo catalog, loaded once for this module (and removed after)."""
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


def get_es(client: Client, **params: str) -> str:
    response = client.get(URL, params, headers=SPANISH)
    assert response.status_code == 200, response.content[:2000]
    page = response.content.decode()
    assert '<html lang="es">' in page
    return page


def assert_no_english(page_text: str, phrases: tuple[str, ...]) -> None:
    left = [p for p in phrases if p in page_text]
    assert left == [], left


# --- the form and its messages -----------------------------------------------------------------


@pytest.mark.django_db
def test_form_in_spanish(client: Client) -> None:
    page = get_es(client)
    for name, label in [
        ("zip", "Código postal"),
        ("age", "Su edad"),
        ("spouse_age", "La edad de su cónyuge (si está casado o casada)"),
        ("dependents", "Edades de sus dependientes que necesitan cobertura (si tiene)"),
        ("income", "Ingresos del hogar en el año"),
        ("year", "Año de cobertura"),
    ]:
        assert f'<label class="usa-label" for="id_{name}">{label}</label>' in page
    assert "El código postal de 5 dígitos de donde vive, por ejemplo 02118." in page
    assert "Usted es la persona que presenta la declaración federal de impuestos del hogar." in page
    assert "Separe las edades con comas" in page
    assert "<title>Vea qué ayuda puede recibir" in page
    assert_no_english(text(page), FORM_ENGLISH)


@pytest.mark.django_db
def test_language_cookie_chooses_spanish(client: Client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    page = client.get(URL).content.decode()
    assert '<html lang="es">' in page
    assert '<label class="usa-label" for="id_zip">Código postal</label>' in page
    assert_no_english(text(page), FORM_ENGLISH)


@pytest.mark.django_db
def test_error_messages_in_spanish(client: Client) -> None:
    page = get_es(
        client, zip="2118", age="forty", spouse_age="130", dependents="10, siete", income="-5"
    )
    summary = page[page.index('id="error-summary"') : page.index("</form>")]
    assert "Hay 5 problemas con sus respuestas" in summary
    for field, message in [
        ("zip", "Escriba su código postal con 5 dígitos, por ejemplo 02118"),
        ("age", "Escriba su edad como un número entero de años, por ejemplo 40"),
        ("spouse_age", "Escriba la edad de su cónyuge como un número del 0 al 120"),
        ("dependents", "Escriba las edades de sus dependientes como números enteros"),
        ("income", "Escriba los ingresos anuales de su hogar como $0 o más"),
    ]:
        # in the summary, linked to the field, and next to the field
        assert re.search(
            rf'<a class="usa-link" href="#id_{field}">[^<]*{re.escape(message)}', summary
        ), field
        assert re.search(
            rf'<span class="usa-error-message" id="id_{field}_error">[^<]*{re.escape(message)}',
            page,
        ), field
    assert "(no pudimos leer “siete”)" in page
    assert_no_english(
        text(page),
        (
            *FORM_ENGLISH,
            "There are",
            "problems with your answers",
            "Enter your",
            "as a whole number",
            "we could not read",
        ),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"zip": "", "age": "40", "income": "1"}, "Escriba su código postal"),
        ({"zip": "99999", "age": "40", "income": "1"}, "No encontramos el código postal 99999"),
        (
            {"zip": "10001", "age": "40", "income": "1"},
            "El código postal 10001 está en NY, no en Massachusetts",
        ),
        ({"zip": "02118", "age": "", "income": "1"}, "Escriba su edad"),
        ({"zip": "02118", "age": "40", "income": ""}, "Escriba los ingresos anuales de su hogar"),
        (
            {"zip": "02118", "age": "40", "income": "lots"},
            "como una cantidad en dólares, por ejemplo 65,000",
        ),
        (
            {"zip": "02118", "age": "40", "income": "1", "year": "1999"},
            "Elija un año de cobertura de la lista",
        ),
    ],
)
def test_each_message_in_spanish(client: Client, params: dict[str, str], message: str) -> None:
    page = get_es(client, **params)
    assert "Hay un problema con sus respuestas" in page
    assert f"{message}</a>" in page or re.search(rf">[^<]*{re.escape(message)}[^<]*</a>", page)
    assert "Enter " not in text(page)


@pytest.mark.django_db
def test_two_county_zip_in_spanish(client: Client, catalog: None) -> None:
    page = get_es(client, zip="01434", age="40", income="30000", year="2026")
    assert '<legend class="usa-legend usa-label--error">Condado</legend>' in page
    assert (
        "Elija su condado: el código postal 01434 está en Condado de Middlesex y "
        "Condado de Worcester" in page
    )
    assert re.search(r'for="id_county_1">Condado de Worcester</label>', page)
    assert "County" not in text(page)

    chosen = get_es(client, zip="01434", county="25027", age="40", income="30000", year="2026")
    assert "(Condado de Worcester)" in chosen


# --- the results --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_results_in_spanish(client: Client, catalog: None) -> None:
    page = get_es(client, **FAMILY)
    results = text(section(page, "results"))
    assert "<title>Su estimación para 2026" in page
    for line in (
        "Persona 1 (usted, 40 años): Tipo de plan ConnectorCare 3A",
        "Persona 2 (su cónyuge, 38 años): Tipo de plan ConnectorCare 3A",
        "Persona 3 (dependiente, 10 años): MassHealth Family Assistance (CHIP)",
        "Persona 4 (dependiente, 7 años): MassHealth Family Assistance (CHIP)",
        "(Condado de Suffolk)",
    ):
        assert line in results, line

    # The engine's explanations, in Spanish, for every person and the tax household.
    d = shopping.prepare(FAMILY_BODY, 2026).determination

    def named(sentence: str) -> str:
        return re.sub(r"person(\d)", r"Persona \1", sentence)

    sentences = [r.text_in("es") for m in d.members for r in m.reasons]
    sentences += [r.text_in("es") for th in d.tax_households for r in th.reasons]
    assert sentences
    for sentence in sentences:
        assert html.unescape(named(sentence)) in results, sentence
    assert "Persona 1 puede recibir el crédito tributario para la prima" in results
    assert "Persona 3 califica para MassHealth Family Assistance (CHIP)" in results

    # The plans: Spanish metal levels, filters and sort order.
    plans_section = section(page, "plans")
    plans_text = text(plans_section)
    assert "Los precios son para 2 personas: Persona 1, Persona 2." in plans_text
    assert "· Plata · HMO" in plans_text
    assert '<option value="Silver">Plata</option>' in plans_section
    assert '<option value="-price">Precio más alto después de la ayuda</option>' in plans_section
    assert 'data-label="Usted paga al mes"' in plans_section

    # The chart: its title, description, axis, ticks, legend and the household's own line.
    what_if = section(page, "what-if")
    svg = re.search(r'<svg [^>]*id="income-chart"[^>]*>.*?</svg>', what_if, flags=re.S)
    assert svg is not None
    chart = svg.group(0)
    assert '<title id="income-chart-title">¿Y si cambian mis ingresos?</title>' in chart
    desc = re.search(r'<desc id="income-chart-desc">(.*?)</desc>', chart, flags=re.S)
    assert desc is not None
    assert desc.group(1).startswith(
        "La ayuda mensual y lo que este hogar pagaría cada mes, con ingresos anuales desde $"
    )
    assert "Sus ingresos de $65,000 son el 202% del nivel de pobreza" in desc.group(1)
    assert "1. Desde $" in desc.group(1)
    chart_words = " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", chart))
    assert "Ingresos anuales (porcentaje del nivel de pobreza)" in chart_words
    assert "Sus ingresos" in chart_words
    assert re.search(r"\$\d+ mil", chart_words)
    assert not re.search(r"\$\d+k\b", chart_words)
    legend = text(what_if[what_if.index('class="chart-legend') :])
    assert "Ayuda mensual: crédito tributario más el subsidio de ConnectorCare" in legend
    assert "Usted paga por el plan plata de referencia" in legend
    assert "Usted paga por el plan de menor precio" in legend

    # Where things change, and the accessible table.
    changes = text(what_if[what_if.index('id="changes"') :])
    assert "Dónde cambian las cosas" in text(what_if)
    assert "Persona 1 y Persona 2: MassHealth Standard → Tipo de plan ConnectorCare 2A" in changes
    assert (
        "Persona 1, Persona 2, Persona 3 y Persona 4: Tipo de plan ConnectorCare 3C → Un plan a "
        "precio completo (ingresos por encima del límite para el crédito tributario para la prima)"
        in changes
    )
    assert re.search(r"Desde \$[\d,]+ al año \(\d+% del nivel de pobreza\):", changes)
    table = what_if[what_if.index('id="income-table"') :]
    for header in ("Ingresos anuales", "Porcentaje del nivel de pobreza", "Ayuda mensual"):
        assert f'<th scope="col">{header}</th>' in table
    assert "$65,000 (sus ingresos)" in text(table)
    assert "Nadie" in text(table)

    # Nothing left in English, in the page's text or the chart's.
    all_text = text(page)
    assert_no_english(all_text, (*FORM_ENGLISH, *RESULTS_ENGLISH))
    assert_no_english(
        chart_words + desc.group(1),
        ("income", "Income", "Person 1", "poverty", " and ", "a year", "You", "What if"),
    )


@pytest.mark.django_db
def test_full_price_and_bad_filters_in_spanish(client: Client, catalog: None) -> None:
    page = get_es(client, zip="02118", age="45", income="90000", year="2026", metal="Tin")
    results = text(section(page, "results"))
    assert "Persona 1 (usted, 45 años): Un plan a precio completo" in results
    assert "por encima del límite del 400% para el crédito tributario para la prima" in results
    assert "Revise los filtros: Elija un nivel de metal de la lista." in text(page)
    assert_no_english(text(page), (*RESULTS_ENGLISH, "Choose a metal level"))


@pytest.mark.django_db
def test_place_problems_in_spanish(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_area(inputs: window.ShoppingInput) -> window.Estimate:
        raise plans.PlaceError("countyfips", "no rating area")

    monkeypatch.setattr(window, "estimate", no_area)
    page = get_es(client, **FAMILY)
    assert "No podemos mostrar una estimación" in page
    assert "No encontramos el área de tarifas de las primas para el código postal 02118" in page

    def no_plans(inputs: window.ShoppingInput) -> window.Estimate:
        raise window.NoPlans("no silver plan")

    monkeypatch.setattr(window, "estimate", no_plans)
    page = get_es(client, **FAMILY)
    assert "No encontramos los planes que se venden en el código postal 02118 para 2026" in page
    assert "We could not" not in page


@pytest.mark.django_db
def test_english_after_spanish_is_english(client: Client, catalog: None) -> None:
    """Names and labels are made per request: a Spanish page leaves nothing Spanish behind."""
    get_es(client, **FAMILY)
    page = client.get(URL, FAMILY, headers={"accept-language": "en"}).content.decode()
    results = text(section(page, "results"))
    assert "Person 1 (you, age 40): ConnectorCare Plan Type 3A" in results
    assert "Persona" not in page
    assert "<title>Your estimate for 2026" in page


@pytest.mark.django_db
def test_filters() -> None:
    d = shopping.prepare(FAMILY_BODY, 2026).determination
    r = d.members[0].reasons[0]
    with translation.override("es"):
        assert reason_text(r) == r.text_in("es")
        assert metal_label("Expanded Bronze") == "Bronce ampliado"
        assert metal_label("Tin") == "Tin"
    with translation.override("en"):
        assert reason_text(r) == r.text
        assert reason_text(r, "es") == r.text_in("es")
        assert metal_label("Silver") == "Silver"


# --- the catalog --------------------------------------------------------------------------------


def po_entries(path: Path) -> list[dict[str, Any]]:
    """The entries of a .po file: flags, msgctxt, msgid, msgid_plural and the msgstr(s)."""
    entries = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        entry: dict[str, Any] = {"flags": "", "msgstr": []}
        key = ""
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] += line[2:]
            elif line.startswith("#") or not line.strip():
                continue
            elif line.startswith('"'):
                value = line[1:-1]
                if key == "msgstr":
                    entry["msgstr"][-1] += value
                else:
                    entry[key] += value
            else:
                key, _, rest = line.partition(" ")
                value = rest[1:-1]
                if key.startswith("msgstr"):
                    key = "msgstr"
                    entry["msgstr"].append(value)
                else:
                    entry[key] = value
        if "msgid" in entry:
            entries.append(entry)
    return entries


def test_spanish_catalog_is_complete() -> None:
    entries = po_entries(PO)
    assert entries[0]["msgid"] == ""  # the header
    assert len(entries) > 150
    placeholder = re.compile(r"%\(\w+\)s")
    for e in entries[1:]:
        assert "fuzzy" not in e["flags"], e["msgid"]
        assert e["msgstr"] and all(e["msgstr"]), e["msgid"]
        expected = set(placeholder.findall(e["msgid"] + e.get("msgid_plural", "")))
        for msgstr in e["msgstr"]:
            assert set(placeholder.findall(msgstr)) <= expected, e["msgid"]
            assert set(placeholder.findall(msgstr)) >= set(placeholder.findall(e["msgid"])) - {
                "%(counter)s"
            }, e["msgid"]
    msgids = {e["msgid"] for e in entries}
    for english in ("Yearly income", "Where things change", "ZIP code", "Person %(n)s"):
        assert english in msgids
