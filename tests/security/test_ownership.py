"""Ownership: signed in as one resident, every URL of the site with the OTHER resident's ids
(applications, drafts, enrollments, members, steps) leaks nothing, by GET or POST.

The URL patterns come from walking config.urls (allauth, the API, the admin, i18n, every app);
a new pattern with a parameter urlwalk does not know makes this test fail until it is taught."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client

from apps.plans.models import Plan
from tests.enrollment.conftest import ROOT
from tests.security import urlwalk
from tests.security.people import Resident, body, make_resident, values_for

pytestmark = pytest.mark.django_db

REFUSED = {403, 404, 405}
LOGIN_PATHS = ("/accounts/login/", "/admin/login/")


@pytest.fixture
def two(demo_catalog: None) -> tuple[Resident, Resident]:
    me = make_resident("ana.owner@example.com", "Ana", "Owner", "212-47-1234")
    other = make_resident("zelda.private@example.org", "Zelda", "Quixotic", "219-47-5831")
    return me, other


def test_every_pattern_can_be_filled() -> None:
    unknown = urlwalk.unknown_parameters(urlwalk.patterns())
    assert not unknown, f"teach tests/security/urlwalk.py these parameters: {unknown}"


def _refused(response: Any) -> bool:
    if response.status_code in REFUSED:
        return True
    if response.status_code == 302:
        return urlsplit(response["Location"]).path in LOGIN_PATHS
    return False


def test_no_url_leaks_the_other_residents_data(two: tuple[Resident, Resident]) -> None:
    me, other = two
    client = Client()
    plan_id = Plan.objects.values_list("plan_id", flat=True).first() or "12345MA0010001-01"
    values = values_for(other, plan_id)
    leaks, allowed, checked = [], [], 0
    for pattern in urlwalk.patterns():
        kinds = urlwalk.kinds(pattern)
        for url in urlwalk.urls(pattern, values):
            for method in ("get", "post"):
                client.force_login(me.user)  # a sign-out URL must not end the walk
                response = getattr(client, method)(url)
                checked += 1
                text = body(response)
                found = [s for s in other.secrets if s in text]
                if found:
                    leaks.append(f"{method.upper()} {url}: {response.status_code} shows {found}")
                if "owned" in kinds and not _refused(response):
                    allowed.append(f"{method.upper()} {url}: {response.status_code}")
    assert not leaks, "\n".join(leaks)
    assert not allowed, "another person's record answered:\n" + "\n".join(allowed)
    assert checked > 300


def test_my_own_records_answer(two: tuple[Resident, Resident]) -> None:
    """The same walk with my own ids reaches my pages (so the test above can fail)."""
    me, _other = two
    client = Client()
    client.force_login(me.user)
    mine = {
        f"/applications/{me.determined.public_id}/": me.first_name,
        f"/apply/{me.draft.public_id}/tax/": me.first_name,
        f"/enrollments/{me.enrollment.public_id}/": me.enrollment.plan_name,
        "/my/": str(me.determined.confirmation_number),
    }
    for url, expected in mine.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert expected in body(response), url


def test_the_api_answers_the_same_signed_in_or_not(two: tuple[Resident, Resident]) -> None:
    """The public API is anonymous: it never reads the session, so it cannot show anyone's data."""
    me, other = two
    plan_id = Plan.objects.values_list("plan_id", flat=True).first() or "x"
    values = values_for(other, plan_id)
    anonymous, signed_in = Client(), Client()
    signed_in.force_login(me.user)
    compared = 0
    for pattern in urlwalk.patterns():
        if not pattern.route.startswith("api/"):
            continue
        for url in urlwalk.urls(pattern, values):
            a, b = anonymous.get(url), signed_in.get(url)
            assert (a.status_code, body(a)) == (b.status_code, body(b)), url
            assert "Set-Cookie" not in a.headers, url
            for secret in other.secrets + me.secrets:
                assert secret not in body(b), url
            compared += 1
    assert compared >= 5


def test_the_api_is_anonymous_and_csrf_exempt_by_design(two: tuple[Resident, Resident]) -> None:
    """No API operation authenticates (so no cookie is ever trusted and CSRF cannot apply): a
    POST with a session but no CSRF token answers exactly as an anonymous one."""
    from ninja.constants import NOT_SET

    from apps.api.router import api

    assert api.auth in (None, NOT_SET)
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                assert operation.auth_param in (None, NOT_SET), operation.view_func
    me, _other = two
    payload = (ROOT / "examples" / "cms_estimate_request_2026.json").read_text()
    url = "/api/v1/households/eligibility/estimates"
    signed_in = Client(enforce_csrf_checks=True)
    signed_in.force_login(me.user)
    a = Client(enforce_csrf_checks=True).post(url, payload, content_type="application/json")
    b = signed_in.post(url, payload, content_type="application/json")
    assert a.status_code == b.status_code == 200
    assert body(a) == body(b)
