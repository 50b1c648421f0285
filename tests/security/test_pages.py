"""Every page the site serves, walked from config.urls as a visitor, a resident (with their own
ids) and a staff member: each response carries the Content-Security-Policy header; no HTML page
has inline scripts, event-handler attributes, style attributes or <style> blocks (the policy would
block them); every POST form carries the CSRF token, and posting it without the token is refused
(403) with CSRF checks on."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.test import Client

from apps.plans.models import Plan
from tests.enrollment.conftest import SINGLE, household, make_application
from tests.security import urlwalk
from tests.security.people import Resident, body, make_resident, values_for

pytestmark = pytest.mark.django_db

#: Data blocks are not scripts: the policy does not apply to them.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


@dataclass
class Form:
    page: str
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)


class PageParser(HTMLParser):
    """Inline code (what a strict policy blocks) and the forms of a page."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.inline: list[str] = []
        self.forms: list[Form] = []
        self._script: tuple[str, bool] | None = None  # (type, has src)
        self._form: Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        for name in a:
            if name.startswith("on"):
                self.inline.append(f"<{tag} {name}=...>")
            if name == "style":
                self.inline.append(f"<{tag} style=...>")
        if any(v.strip().lower().startswith("javascript:") for v in a.values()):
            self.inline.append(f"<{tag} ...javascript:...>")
        if tag == "style":
            self.inline.append("<style> block")
        if tag == "script":
            self._script = (a.get("type", "").lower(), "src" in a)
        if tag == "form":
            self._form = Form(self.page, a.get("action") or self.page, a.get("method", "get"))
            self.forms.append(self._form)
        elif tag in ("input", "button", "select", "textarea"):
            form = self._form
            if "form" in a:  # a control outside its form (form="id")
                form = None
            if form is not None and a.get("name"):
                form.fields.setdefault(a["name"], a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None
        if tag == "form":
            self._form = None

    def handle_data(self, data: str) -> None:
        if self._script is not None and data.strip():
            kind, has_src = self._script
            if kind not in DATA_SCRIPT_TYPES:
                self.inline.append(f"inline <script> body{' (with src)' if has_src else ''}")


@dataclass
class Page:
    who: str
    url: str
    status: int
    csp: str
    html: bool
    inline: list[str]
    forms: list[Form]


def _walk(
    client: Client, who: str, values: dict[str, list[str]], user: Any, extra: list[str]
) -> list[Page]:
    pages = []
    every = [u for pattern in urlwalk.patterns() for u in urlwalk.urls(pattern, values)]
    for url in every + extra:
        if True:
            if user is not None:
                client.force_login(user)
            response = client.get(url)
            text = body(response) if response.status_code == 200 else ""
            html = "text/html" in response.get("Content-Type", "")
            parser = PageParser(url)
            if html and text:
                parser.feed(text)
            pages.append(
                Page(
                    who,
                    url,
                    response.status_code,
                    response.get("Content-Security-Policy", ""),
                    html,
                    parser.inline,
                    parser.forms,
                )
            )
    return pages


@pytest.fixture
def walked(demo_catalog: None) -> tuple[list[Page], Resident, User]:
    me = make_resident("ana.pages@example.com", "Ana", "Pages", "212-47-1234")
    staff = User.objects.create_superuser("staff@example.org", "staff@example.org", "staff-pass-42")
    plan_id = Plan.objects.values_list("plan_id", flat=True).first() or "x"
    values = values_for(me, plan_id)
    # an application without an enrollment, with a plan chosen: the enroll form
    shopping = make_application(me.user, household(SINGLE, 2027))  # open enrollment
    client = Client()
    client.force_login(me.user)
    shop = f"/applications/{shopping.public_id}/shop/"
    found = re.search(r'name="choose" value="([^"]+)"', body(client.get(shop)))
    assert found, "the shop page offers no plan to choose"
    extra = [f"{shop}?choose={found.group(1)}"]
    pages = _walk(Client(), "visitor", values, None, extra)
    pages += _walk(Client(), "resident", values, me.user, extra)
    pages += _walk(Client(), "staff", values, staff, extra)
    return pages, me, staff


def test_csp_header_inline_code_and_csrf(walked: tuple[list[Page], Resident, User]) -> None:
    pages, me, staff = walked
    served = [p for p in pages if p.status == 200]
    assert len(served) > 60
    # the portal's own pages were reached (so the checks below mean something)
    reached = {urlsplit(p.url).path for p in served}
    for path in (
        "/accounts/login/",
        "/accounts/signup/",
        f"/apply/{me.draft.public_id}/people/",
        f"/apply/{me.draft.public_id}/coverage/",
        f"/apply/{me.draft.public_id}/review/",
        f"/applications/{me.determined.public_id}/shop/",
        "/my/",
        "/admin/",
    ):
        assert path in reached, path

    no_header = [f"{p.who} {p.url} ({p.status})" for p in pages if not p.csp]
    assert not no_header, "responses without a Content-Security-Policy:\n" + "\n".join(no_header)
    for p in served:
        assert "script-src 'self'" in p.csp and "unsafe-inline" not in p.csp, p.url
        assert "frame-ancestors 'none'" in p.csp and "form-action 'self'" in p.csp

    inline = [f"{p.who} {p.url}: {p.inline}" for p in served if p.inline]
    assert not inline, "inline code the policy blocks:\n" + "\n".join(inline)

    post_forms = [f for p in served for f in p.forms if f.method.lower() == "post"]
    assert len(post_forms) > 20
    no_token = [
        f"{f.page} -> {f.action}" for f in post_forms if "csrfmiddlewaretoken" not in f.fields
    ]
    assert not no_token, "POST forms without the CSRF token:\n" + "\n".join(no_token)

    # every form-handling URL refuses a post without the token
    actions: dict[tuple[str, str], Form] = {}
    for p in served:
        for f in p.forms:
            if f.method.lower() == "post":
                actions.setdefault((p.who, urlsplit(f.action).path), f)
    accepted = []
    users = {"visitor": None, "resident": me.user, "staff": staff}
    for (who, action), f in sorted(actions.items()):
        client = Client(enforce_csrf_checks=True)
        user = users[who]
        if user is not None:
            client.force_login(user)
        client.get(f.page)  # the CSRF cookie is set: only the form's token is missing
        data = {k: v for k, v in f.fields.items() if k != "csrfmiddlewaretoken"}
        response = client.post(action, data)
        if response.status_code != 403:
            accepted.append(f"{who} POST {action}: {response.status_code}")
    assert not accepted, "accepted without a CSRF token:\n" + "\n".join(accepted)
    covered = {a for _w, a in actions}
    assert any(a.endswith("/enroll/") for a in covered)
    for action in (
        "/accounts/login/",
        "/accounts/signup/",
        "/i18n/setlang/",
        "/accounts/logout/",
        f"/apply/{me.draft.public_id}/people/",
        f"/apply/{me.draft.public_id}/submit/",
        "/apply/start/",
    ):
        assert action in covered, action


def test_the_page_parser_finds_inline_code_and_forms() -> None:
    parser = PageParser("/p/")
    parser.feed(
        '<div style="color:red" onclick="x()"><style>p{}</style>'
        '<script>alert(1)</script><script src="/s.js"></script>'
        '<script type="application/json">{"a": 1}</script><a href="javascript:void(0)">x</a>'
        '<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="t">'
        '<input name="q" value="1"></form><button form="f" name="outside"></button>'
    )
    assert parser.inline == [
        "<div style=...>",
        "<div onclick=...>",
        "<style> block",
        "inline <script> body",
        "<a ...javascript:...>",
    ]
    assert [(f.action, f.method, f.fields) for f in parser.forms] == [
        ("/p/", "post", {"csrfmiddlewaretoken": "t", "q": "1"})
    ]
