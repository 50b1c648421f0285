"""The eligibility notice PDF: its text (read back with pdftotext) has the confirmation number, each
person's result and the reasons, the tax household's figures, next steps and appeal rights; in
Spanish when asked; only for the owner of the application (404 for anyone else)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from apps.applications.models import Application
from apps.eligibility.selectors import benchmark_source, parameters
from apps.enrollment.selectors import read_determination
from apps.notices import services
from rules import determine, parse_household
from tests.enrollment.conftest import FAMILY, SINGLE, household, make_application

pytestmark = pytest.mark.django_db

PDFTOTEXT = shutil.which("pdftotext")


def pdf_text(pdf: bytes) -> str:
    """The PDF's text, with runs of white space made single spaces (lines wrap anywhere)."""
    if PDFTOTEXT is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("pdftotext (poppler-utils) is missing: `make test` installs it")
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run(
        [PDFTOTEXT, "-layout", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return re.sub(r"\s+", " ", done.stdout.decode("utf-8"))


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def notice_url(app: Application) -> str:
    return reverse("notices:eligibility", args=[app.public_id])


@pytest.fixture(scope="module")
def english_and_spanish(django_db_blocker: Any, demo_catalog: None) -> Any:
    """One family's notice in both languages (rendered once: WeasyPrint takes a moment)."""
    from tests.enrollment.conftest import make_user

    with django_db_blocker.unblock():
        owner = make_user("notice-owner@example.org")
        app = make_application(owner, household(FAMILY))
        english = services.render_eligibility_notice(app, "en")
        spanish = services.render_eligibility_notice(app, "es")
        result = read_determination(app.determination)
        yield app, english, spanish, result
        app.determination.delete()
        app.delete()
        owner.delete()


def test_the_notice_is_a_pdf_with_the_figures(english_and_spanish: Any) -> None:
    app, english, _spanish, result = english_and_spanish
    assert english.startswith(b"%PDF-")
    text = pdf_text(english)
    assert "Your eligibility notice" in text
    assert app.confirmation_number in text
    for name in ("Ana", "Ben", "Caro", "Dani"):
        assert name in text
    assert "ConnectorCare Plan Type 3A" in text
    assert "MassHealth Family Assistance (CHIP)" in text
    th = result.tax_households[0]
    assert "$65,000" in text  # household income
    assert "$617.28 a month" in text  # the credit
    assert f"{th.fpl_percent}%" in text
    assert "$361 a month" in text  # expected contribution
    assert "$978.28 a month" in text  # benchmark
    assert "6.67%" in text  # applicable percentage
    for member in result.members:
        for reason in member.reasons:
            assert squash(reason.text) in text
    assert "What to do next" in text
    assert "Choose a health plan." in text
    assert "MassHealth will write to you about coverage for Caro, Dani" in text
    assert "IRS Form 8962" in text
    assert "within 90 days of the date of this notice" in text
    assert "within 60 days" in text
    assert "How to get help" in text
    assert "Este aviso también está disponible en español" in text


def test_the_spanish_notice(english_and_spanish: Any) -> None:
    app, _english, spanish, _result = english_and_spanish
    text = pdf_text(spanish)
    assert "Su aviso de elegibilidad" in text
    assert app.confirmation_number in text
    assert "Crédito tributario para la prima" in text
    assert "$617.28 al mes" in text
    assert "Qué hacer ahora" in text
    assert "apelación" in text
    assert "Cómo obtener ayuda" in text
    assert "This notice is also available in English" in text


def test_the_spanish_notice_explains_in_spanish(english_and_spanish: Any) -> None:
    app, _english, spanish, result = english_and_spanish
    text = pdf_text(spanish)
    assert "se muestran en inglés" not in text
    for member in result.members:
        for reason in member.reasons:
            assert squash(reason.text) not in text
    run = determine(parse_household(app.determination.household), parameters(), benchmark_source())
    for member in run.members:
        for reason in member.reasons:
            assert squash(reason.text_in("es")) in text


def test_spanish_explanations_from_the_stored_figures(demo_catalog: None, alice: Any) -> None:
    """The stored figures rebuild the sentences, even when a new run would say otherwise."""
    app = make_application(alice, household(SINGLE))
    det = app.determination
    det.household["members"][0]["incomes"][0]["amount"] = 5000  # a new run would differ
    result = read_determination(det)
    texts = services.explanations(det.household, result, "es")
    assert texts.in_language
    english = [r.text for r in result.members[0].reasons]
    assert texts.members["p1"] and all(t not in english for t in texts.members["p1"])
    assert any("crédito tributario" in t for t in texts.members["p1"])


def test_spanish_explanations_from_a_new_run_without_stored_figures(
    demo_catalog: None, alice: Any
) -> None:
    app = make_application(alice, household(SINGLE), figures=False)
    det = app.determination
    result = read_determination(det)
    assert all(r.figures is None for r in result.members[0].reasons)
    texts = services.explanations(det.household, result, "es")
    assert texts.in_language
    run = determine(parse_household(det.household), parameters(), benchmark_source())
    assert texts.members["p1"] == tuple(r.text_in("es") for r in run.member("p1").reasons)


def test_explanations_fall_back_to_english_when_a_new_run_differs(
    demo_catalog: None, alice: Any
) -> None:
    app = make_application(alice, household(SINGLE))
    det = app.determination
    det.result["members"][0]["reasons"][0]["text"] = "A sentence the rules no longer write."
    det.save(update_fields=["result"])
    result = read_determination(det)
    texts = services.explanations(det.household, result, "es")
    assert not texts.in_language
    assert texts.members["p1"][0] == "A sentence the rules no longer write."
    english = services.explanations(det.household, result, "en")
    assert english.in_language


def test_the_view_gives_the_owner_the_pdf(demo_catalog: None, alice: Any, mallory: Any) -> None:
    app = make_application(alice, household(SINGLE))
    client = Client()
    client.force_login(alice)
    response = client.get(notice_url(app))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Language"] == "en"
    assert str(app.confirmation_number) in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF-")
    response = client.get(notice_url(app), {"lang": "es"})
    assert response["Content-Language"] == "es"
    assert "Su aviso de elegibilidad" in pdf_text(response.content)
    # the current language when none is asked for
    response = client.get(notice_url(app), HTTP_ACCEPT_LANGUAGE="es")
    assert response["Content-Language"] == "es"
    # an unknown language: the current one
    assert client.get(notice_url(app), {"lang": "xx"})["Content-Language"] == "en"
    # someone else, or nobody
    other = Client()
    other.force_login(mallory)
    assert other.get(notice_url(app)).status_code == 404
    assert Client().get(notice_url(app)).status_code == 302
    assert (
        other.get("/applications/00000000-0000-4000-8000-000000000000/notice.pdf").status_code
        == 404
    )


def test_no_notice_before_a_decision(demo_catalog: None, alice: Any) -> None:
    app = make_application(alice, household(SINGLE), status=Application.Status.SUBMITTED)
    client = Client()
    client.force_login(alice)
    assert client.get(notice_url(app)).status_code == 404
