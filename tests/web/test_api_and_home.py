"""The home page, the API docs and the CMS-shaped eligibility estimate; start-up refuses bad parameters."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from rules.parameters.loader import PARAMETERS_ROOT

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db
URL = "/api/v1/households/eligibility/estimates"


def post(client: Client, body: Any, query: str = "") -> Any:
    return client.post(URL + query, data=json.dumps(body), content_type="application/json")


def test_home_page_and_api_docs(client: Client) -> None:
    home = client.get("/")
    assert home.status_code == 200
    assert b"Massachusetts Health Exchange" in home.content
    assert client.get("/api/v1/docs").status_code == 200
    schema = client.get("/api/v1/openapi.json").json()
    assert URL in schema["paths"]


def test_estimate_matches_the_engine(client: Client) -> None:
    body = json.loads((ROOT / "examples/cms_estimate_family_2026.json").read_text())
    response = post(client, body)
    assert response.status_code == 200, response.content
    estimates = response.json()["estimates"]
    assert [e["is_medicaid_chip"] for e in estimates] == [False, True, True]
    assert estimates[0]["csr"] == "73% AV Level Silver Plan CSR"
    assert estimates[0]["aptc"] > 0
    assert estimates[1]["aptc"] == 0


def test_year_query_parameter(client: Client) -> None:
    body = json.loads((ROOT / "examples/cms_estimate_request_2026.json").read_text())
    y25 = post(client, body, "?year=2025").json()["estimates"][0]["aptc"]
    y26 = post(client, body).json()["estimates"][0]["aptc"]
    assert y25 > y26


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"household": {"people": [{"age": 30}]}}, 422, "place"),
        (
            {
                "place": {"countyfips": "25025", "state": "MA", "zipcode": "02118"},
                "household": {"people": [{"age": -1}]},
                "year": 2026,
            },
            422,
            "household.people.0.age",
        ),
        (
            {
                "place": {"countyfips": "25025", "state": "MA", "zipcode": "02118"},
                "household": {"people": [{"dob": "1990-02-30"}]},
                "year": 2026,
            },
            400,
            "household.people[0].dob",
        ),
        (
            {
                "place": {"countyfips": "25025", "state": "MA", "zipcode": "02118"},
                "household": {"people": [{"age": "old"}]},
                "year": 2026,
            },
            422,
            "household.people.0.age",
        ),
        (
            {"place": {"countyfips": "25025", "state": "MA", "zipcode": "02118"}, "year": 2035},
            400,
            None,
        ),
    ],
)
def test_bad_input_is_a_problem_document(
    client: Client, body: Any, status: int, field: str | None
) -> None:
    response = post(client, body)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status
    assert problem["detail"]
    if field:
        assert problem["field"] == field


def test_start_up_stops_on_a_bad_parameter_file(tmp_path: Path) -> None:
    bad = tmp_path / "parameters"
    shutil.copytree(PARAMETERS_ROOT, bad, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    target = bad / "gov/aca/csr_bands.yaml"
    target.write_text(target.read_text().replace("reference:", "source:", 1))
    env = {
        **os.environ,
        "EXCHANGE_PARAMETERS_DIR": str(bad),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "rules/parameters/gov/aca/csr_bands.yaml" in result.stderr
    assert "unknown key(s) ['source']" in result.stderr or "reference: missing" in result.stderr
