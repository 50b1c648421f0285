"""Inputs that SQLite accepts and PostgreSQL refuses get a clear 400, not a 500 (docs/postgresql.md)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/crosswalk?year=2025&plan_id=%00&state=MA&zipcode=02118&fips=25025",
        "/api/v1/crosswalk?year=2025&plan_id=12345MA0010001&state=M%00A&zipcode=02118&fips=25025",
    ],
)
def test_a_nul_character_in_a_query_parameter_is_a_bad_request(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert "NUL" in response.json()["detail"]


def test_a_nul_character_in_a_json_body_is_a_bad_request(client: Client) -> None:
    body = json.dumps({"household": {"income": 1, "people": [{"age": 30}]}, "place": "\x00"})
    response = client.post("/api/v1/plans/search?year=2026", body, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")


def test_text_without_nul_is_not_affected(client: Client) -> None:
    response = client.get(
        "/api/v1/crosswalk?year=2025&plan_id=12345MA0010001&state=MA&zipcode=02118&fips=25025"
    )
    assert response.status_code == 404  # no catalog loaded: a plain "no crosswalk", not a 400
