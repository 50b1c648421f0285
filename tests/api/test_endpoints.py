"""The public API over the demo catalog: figures equal the rules engine's and the catalog's, shapes
equal the CMS Marketplace API's (validated against its Swagger definitions), errors are RFC 9457
problem details naming the field."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from django.test import Client

from apps.plans.selectors import benchmark, resolve_place
from rating.types import Enrollee
from rules import determine, load_parameters, parse_cms_estimate
from rules.benchmark import FixedBenchmark

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_catalog")]
SWAGGER = json.loads(
    (Path(__file__).parent / "fixtures/cms-marketplace-api.swagger.json").read_text()
)
SUFFOLK = {"countyfips": "25025", "state": "MA", "zipcode": "02118"}
FAMILY: dict[str, Any] = {
    "income": 65000,
    "has_married_couple": True,
    "people": [{"age": 40}, {"age": 38, "relationship": "Spouse"}, {"age": 10}, {"age": 7}],
}


def cms_valid(instance: Any, definition: str) -> None:
    """Validate against a definition of the CMS Marketplace API's Swagger document."""
    schema = {"$ref": f"#/definitions/{definition}", "definitions": SWAGGER["definitions"]}
    jsonschema.validate(instance, schema)


def post(client: Client, path: str, body: Any) -> Any:
    return client.post(f"/api/v1{path}", data=json.dumps(body), content_type="application/json")


def problem_of(response: Any, status: int, field: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    if field is not None:
        assert body["field"] == field, body
    return body


def test_slcsp_is_the_calibrated_benchmark(client: Client) -> None:
    # The demo catalog's second-lowest-cost silver premium at age 0 in Suffolk (area 5) is 266.00.
    r = post(
        client,
        "/households/slcsp",
        {"place": SUFFOLK, "year": 2026, "household": {"people": [{"age": 0}]}},
    )
    assert r.status_code == 200, r.content
    assert r.json()["premium"] == 266.0
    assert r.json()["metal_level"] == "Silver"
    cms_valid(r.json(), "LowestCostPlanResponse")
    r27 = post(
        client,
        "/households/slcsp",
        {"place": SUFFOLK, "year": 2027, "household": {"people": [{"age": 0}]}},
    )
    assert r27.json()["premium"] == 276.64  # 2027 levels are 4.0% higher (data/catalog/README.md)


def test_lcbp(client: Client) -> None:
    r = post(
        client,
        "/households/lcbp",
        {"place": SUFFOLK, "year": 2026, "household": {"people": [{"age": 30}]}},
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["metal_level"] == "Bronze"
    slcsp = post(
        client,
        "/households/slcsp",
        {"place": SUFFOLK, "year": 2026, "household": {"people": [{"age": 30}]}},
    ).json()
    assert body["premium"] < slcsp["premium"]


def test_the_credit_now_comes_from_the_catalog(client: Client) -> None:
    body = {"household": FAMILY, "place": SUFFOLK, "year": 2026}
    estimates = post(client, "/households/eligibility/estimates", body).json()["estimates"]
    # The engine with the catalog's benchmark for the two adults gives the same credit.
    params = load_parameters().for_year(2026)
    place = resolve_place(params, "MA", "25025", "02118")
    found = benchmark(params, place, [Enrollee("a", 40), Enrollee("b", 38)])
    assert found is not None
    expected = determine(parse_cms_estimate(body), load_parameters(), FixedBenchmark(found[1]))
    assert estimates[0]["aptc"] == float(expected.tax_households[0].max_aptc_monthly)
    assert [e["is_medicaid_chip"] for e in estimates] == [False, False, True, True]
    for e in estimates:
        cms_valid({k: v for k, v in e.items() if v is not None}, "Eligibility")


def test_plan_search_prices_and_shapes(client: Client) -> None:
    body = {
        "household": {"income": 52000, "people": [{"age": 34}]},
        "place": SUFFOLK,
        "market": "Individual",
        "year": 2026,
        "limit": 100,
    }
    r = post(client, "/plans/search", body)
    assert r.status_code == 200, r.content
    data = r.json()
    assert data["total"] == len(data["plans"]) > 5
    assert data["rate_area"] == {"state": "MA", "area": 5}
    aptc = Decimal(str(data["aptc"]))
    assert aptc > 0
    for plan in data["plans"]:
        cms_valid(
            {k: v for k, v in plan.items() if k in SWAGGER["definitions"]["Plan"]["properties"]},
            "Plan",
        )
        premium = Decimal(str(plan["premium"]))
        ehb = Decimal(str(plan["ehb_premium"]))
        with_credit = Decimal(str(plan["premium_w_credit"]))
        assert ehb <= premium
        assert with_credit == max(premium - min(aptc, ehb), Decimal(0))
        assert len(plan["id"]) == 14
    prices = [p["net_premium"] for p in data["plans"]]  # after the credit and any state subsidy
    assert prices == sorted(prices)
    # facets count every plan before filtering
    metal_facets = next(g for g in data["facet_groups"] if g["name"] == "metalLevels")
    assert sum(f["count"] for f in metal_facets["facets"]) == data["total"]


def test_plan_search_filters_sort_and_pages(client: Client) -> None:
    base = {
        "household": {"income": 90000, "people": [{"age": 45}]},
        "place": SUFFOLK,
        "market": "Individual",
        "year": 2026,
    }
    everything = post(client, "/plans/search", {**base, "limit": 100}).json()
    silver = post(
        client, "/plans/search", {**base, "limit": 100, "filter": {"metal_levels": ["Silver"]}}
    ).json()
    assert (
        silver["total"] == sum(1 for p in everything["plans"] if p["metal_level"] == "Silver") > 0
    )
    hmo = post(client, "/plans/search", {**base, "limit": 100, "filter": {"types": ["HMO"]}}).json()
    assert all(p["type"] == "HMO" for p in hmo["plans"])
    cheap = post(client, "/plans/search", {**base, "limit": 100, "filter": {"premium": 400}}).json()
    assert all(p["premium_w_credit"] <= 400 for p in cheap["plans"])
    by_deductible = post(
        client, "/plans/search", {**base, "limit": 100, "sort": "deductible", "order": "desc"}
    ).json()
    deductibles = [
        p["deductibles"][0]["amount"] if p["deductibles"] else 0 for p in by_deductible["plans"]
    ]
    assert deductibles == sorted(deductibles, reverse=True)
    page1 = post(client, "/plans/search", {**base, "limit": 3, "offset": 0}).json()
    page2 = post(client, "/plans/search", {**base, "limit": 3, "offset": 3}).json()
    assert [p["plan_variant_id"] for p in page1["plans"] + page2["plans"]] == [
        p["plan_variant_id"] for p in everything["plans"][:6]
    ]
    issuer = everything["plans"][0]["issuer"]["name"]
    by_issuer = post(
        client, "/plans/search", {**base, "limit": 100, "filter": {"issuers": [issuer]}}
    ).json()
    assert by_issuer["total"] > 0
    assert all(p["issuer"]["name"] == issuer for p in by_issuer["plans"])


def test_csr_household_sees_silver_csr_variants(client: Client) -> None:
    # 220% FPL single adult in 2026: 73% CSR -> silver plans are the -04 variants
    body = {
        "household": {"income": 34430, "people": [{"age": 30}]},
        "place": SUFFOLK,
        "market": "Individual",
        "year": 2026,
        "limit": 100,
        "filter": {"metal_levels": ["Silver"]},
    }
    data = post(client, "/plans/search", body).json()
    assert data["csr"] == "73"
    standard = [p for p in data["plans"] if not p["connectorcare_plan_type"]]
    assert standard
    assert all(p["plan_variant_id"].endswith("-04") for p in standard)


def test_connectorcare_household_sees_its_plan_type_with_the_state_subsidy(client: Client) -> None:
    body = {
        "household": {"income": 24000, "people": [{"age": 30}]},
        "place": SUFFOLK,
        "market": "Individual",
        "year": 2026,
        "limit": 100,
    }
    data = post(client, "/plans/search", body).json()
    # 24,000 / 15,650 = 153% -> ConnectorCare plan type 2B ($53 for the lowest-cost plan)
    assert data["connectorcare_plan_type"] == "2B"
    cc = [p for p in data["plans"] if p["connectorcare_plan_type"] == "2B"]
    assert cc
    cheapest = min(cc, key=lambda p: p["net_premium"])
    assert cheapest["net_premium"] == 53.0
    for p in cc:
        parts = (
            Decimal(str(p["aptc_applied"]))
            + Decimal(str(p["state_subsidy"]))
            + Decimal(str(p["net_premium"]))
        )
        assert parts == Decimal(str(p["premium"]))


def test_csr_override_and_aptc_override(client: Client) -> None:
    body = {
        "household": {"income": 90000, "people": [{"age": 45}]},
        "place": SUFFOLK,
        "market": "Individual",
        "year": 2026,
        "limit": 100,
        "aptc_override": 100,
        "csr_override": "CSR94",
    }
    data = post(client, "/plans/search", body).json()
    assert data["aptc"] == 100.0
    silver = [
        p
        for p in data["plans"]
        if p["metal_level"] == "Silver" and not p["connectorcare_plan_type"]
    ]
    assert silver
    assert all(p["plan_variant_id"].endswith("-06") for p in silver)


def test_catastrophic_only_under_30(client: Client) -> None:
    young = post(
        client,
        "/plans/search",
        {
            "household": {"income": 90000, "people": [{"age": 25}]},
            "place": SUFFOLK,
            "market": "Individual",
            "year": 2026,
            "limit": 100,
        },
    ).json()
    older = post(
        client,
        "/plans/search",
        {
            "household": {"income": 90000, "people": [{"age": 35}]},
            "place": SUFFOLK,
            "market": "Individual",
            "year": 2026,
            "limit": 100,
        },
    ).json()
    assert any(p["metal_level"] == "Catastrophic" for p in young["plans"])
    assert not any(p["metal_level"] == "Catastrophic" for p in older["plans"])


def test_plan_details_get_and_post(client: Client) -> None:
    search = post(
        client,
        "/plans/search",
        {
            "household": {"income": 90000, "people": [{"age": 45}]},
            "place": SUFFOLK,
            "market": "Individual",
            "year": 2026,
        },
    ).json()
    plan_id = search["plans"][0]["id"]
    r = client.get(f"/api/v1/plans/{plan_id}?year=2026")
    assert r.status_code == 200, r.content
    assert r.json()["plan"]["id"] == plan_id
    priced = post(
        client,
        f"/plans/{plan_id}",
        {
            "household": {"income": 90000, "people": [{"age": 45}]},
            "place": SUFFOLK,
            "market": "Individual",
            "year": 2026,
        },
    )
    assert priced.status_code == 200, priced.content
    assert priced.json()["plan"]["premium"] == search["plans"][0]["premium"]
    problem_of(client.get("/api/v1/plans/99999MA9999999?year=2026"), 404, None)


def test_geography_and_state_endpoints(client: Client) -> None:
    r = client.get("/api/v1/counties/by/zip/02118")
    assert r.status_code == 200
    assert r.json()["counties"] == [
        {"fips": "25025", "name": "Suffolk County", "state": "MA", "zipcode": "02118"}
    ]
    for county in r.json()["counties"]:
        cms_valid(county, "ZIPCounty")
    assert len(client.get("/api/v1/counties/by/zip/01434").json()["counties"]) == 2
    r = client.get("/api/v1/households/pcfpl?year=2026&state=MA&size=5&income=40000")
    assert r.json() == {"pc_fpl": 106.24}  # 40,000 / (15,650 + 4 x 5,500) = 106.24%
    guidelines = client.get("/api/v1/states/MA/poverty-guidelines?year=2025").json()
    assert guidelines["guidelines"][0] == {"household_size": 1, "guideline": 15650.0}
    assert guidelines["add_per_person_after_eight"] == 5500.0
    medicaid = client.get("/api/v1/states/MA/medicaid?year=2026").json()
    assert medicaid["pc_fpl_adult"] == 138.0
    assert medicaid["chip"][0]["pc_fpl"] == 305.0


def test_crosswalk(client: Client) -> None:
    from apps.plans.models import Crosswalk

    row = Crosswalk.objects.filter(year=2027).exclude(new_plan_id="").first()
    assert row is not None
    r = client.get(
        f"/api/v1/crosswalk?year=2026&plan_id={row.old_plan_id}&state=MA&zipcode={row.zip_code if row.zip_code != '00000' else '02118'}&fips={row.county_fips}"
    )
    assert r.status_code == 200, r.content
    assert r.json()["new_plan_id"] == row.new_plan_id
    problem_of(
        client.get(
            "/api/v1/crosswalk?year=2026&plan_id=99999MA9999999&state=MA&zipcode=02118&fips=25025"
        ),
        404,
        "plan_id",
    )


def test_year_defaults_to_the_shopping_year(client: Client) -> None:
    expected = load_parameters().shopping_year(dt.date.today())
    data = post(
        client,
        "/plans/search",
        {
            "household": {"income": 90000, "people": [{"age": 45}]},
            "place": SUFFOLK,
            "market": "Individual",
        },
    ).json()
    assert data["year"] == expected


@pytest.mark.parametrize(
    ("path", "body", "status", "field"),
    [
        (
            "/plans/search",
            {
                "household": {"people": [{"age": 30}]},
                "place": {"countyfips": "25999", "state": "MA", "zipcode": "02118"},
                "market": "Individual",
                "year": 2026,
            },
            400,
            "place.countyfips",
        ),
        (
            "/plans/search",
            {
                "household": {"people": [{"age": 30}]},
                "place": {"countyfips": "36061", "state": "NY", "zipcode": "10001"},
                "market": "Individual",
                "year": 2026,
            },
            400,
            "place.countyfips",
        ),
        (
            "/plans/search",
            {
                "household": {"people": [{"age": 130}]},
                "place": SUFFOLK,
                "market": "Individual",
                "year": 2026,
            },
            422,
            "household.people.0.age",
        ),
        (
            "/plans/search",
            {
                "household": {"people": [{"age": 30}]},
                "place": SUFFOLK,
                "market": "Individual",
                "year": 2031,
            },
            400,
            "year",
        ),
        (
            "/plans/search",
            {
                "household": {"people": [{"age": 30}]},
                "place": SUFFOLK,
                "market": "Individual",
                "year": 2025,
            },
            404,
            "year",
        ),
        ("/plans/search", {"place": SUFFOLK}, 422, "market"),
        (
            "/households/slcsp",
            {"place": {"countyfips": "2502", "state": "MA", "zipcode": "02118"}},
            422,
            "place.countyfips",
        ),
        (
            "/households/eligibility/estimates",
            {"place": SUFFOLK, "household": {"people": [{"dob": "1990-13-01"}]}, "year": 2026},
            400,
            "household.people[0].dob",
        ),
    ],
)
def test_invalid_input_is_a_4xx_problem(
    client: Client, path: str, body: Any, status: int, field: str
) -> None:
    problem_of(post(client, path, body), status, field)


def test_unknown_state_and_bad_zip(client: Client) -> None:
    problem_of(client.get("/api/v1/states/XX/medicaid"), 404, None)
    problem_of(client.get("/api/v1/counties/by/zip/0211"), 400, None)
    problem_of(client.get("/api/v1/counties/by/zip/00000"), 404, None)
    problem_of(client.get("/api/v1/households/pcfpl?year=2026&state=MA&size=0&income=1"), 400, None)


def test_family_search_prices_the_parents_not_the_chip_children(client: Client) -> None:
    body = {
        "household": FAMILY,
        "place": SUFFOLK,
        "market": "Individual",
        "year": 2026,
        "limit": 100,
    }
    data = post(client, "/plans/search", body).json()
    assert data["csr"] == "73"
    assert data["connectorcare_plan_type"] == "3A"
    adults = post(
        client, "/plans/search", {**body, "household": {**FAMILY, "people": FAMILY["people"][:2]}}
    ).json()
    # the same premiums as quoting the two parents alone (their help differs: their income alone
    # is a larger share of a smaller household's poverty line): the children are on CHIP
    family_prices = {p["plan_variant_id"]: p["premium"] for p in data["plans"]}
    adult_prices = {p["plan_variant_id"]: p["premium"] for p in adults["plans"]}
    shared = family_prices.keys() & adult_prices.keys()
    assert len(shared) >= 10
    assert all(family_prices[k] == adult_prices[k] for k in shared)
