"""The resident of the load test (locust): the whole journey over HTTP, with think time.

Sign up, read the verification email from the mailbox (benchmarks/mailbox.py), confirm, sign in,
start an application, answer the seven steps, review and submit, read the results (sometimes the
notice PDF), shop, compare, choose and enroll, look at the enrollment, sign out; then a new resident
begins. ``benchmarks/load_portal.py`` starts this file with ``locust --headless``; it is not run by
itself.

Environment: ``EXCHANGE_BENCH_STEPS`` (JSON of the form fields per household and step, written by
load_portal.py), ``EXCHANGE_BENCH_MAILBOX``, ``EXCHANGE_BENCH_THINK`` (mean think time, seconds),
``EXCHANGE_BENCH_SAMPLES`` (where each measured request is written at the end, for exact
percentiles per step). Samples count from the moment every resident has been started."""

from __future__ import annotations

import json
import os
import random
import re
import time
import uuid
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import gevent
from locust import FastHttpUser, events, task
from locust.env import Environment

from benchmarks.mailbox import inbox_path

STEPS: dict[str, Any] = json.loads(Path(os.environ.get("EXCHANGE_BENCH_STEPS", "")).read_text())
MAILBOX = Path(os.environ.get("EXCHANGE_BENCH_MAILBOX", "var/bench-mailbox"))
THINK = float(os.environ.get("EXCHANGE_BENCH_THINK", "10"))
SAMPLES_FILE = os.environ.get("EXCHANGE_BENCH_SAMPLES", "")
PASSWORD = "a-long-load-test-password-9"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/accounts/confirm-email/[^\s\"<>]+)")
APPLICATION = re.compile(r"/apply/([0-9a-f-]{36})/")
CHOOSE = re.compile(r'name="choose" value="([^"]+)"')

_samples: list[tuple[str, float, bool, float]] = []
_measuring_since: list[float] = []


@events.spawning_complete.add_listener
def _start_measuring(user_count: int, **_: Any) -> None:
    _measuring_since.append(time.time())


@events.request.add_listener
def _record(request_type: str, name: str, response_time: float, exception: Any, **_: Any) -> None:
    if _measuring_since:
        _samples.append((name, response_time, exception is None, time.time()))


@events.quitting.add_listener
def _write(environment: Environment, **_: Any) -> None:
    if SAMPLES_FILE:
        Path(SAMPLES_FILE).write_text(
            json.dumps(
                {"since": _measuring_since[0] if _measuring_since else None, "samples": _samples}
            )
        )


class FormFields(HTMLParser):
    """The named fields of one form (by id) with their values, as a browser would post them
    (hidden and text inputs, checked boxes; buttons are left to the caller)."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        elif self.inside and tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            if kind in {"submit", "button"}:
                return
            self.fields.append((a["name"], a.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False


def form_fields(page: str, form_id: str) -> list[tuple[str, str]]:
    parser = FormFields(form_id)
    parser.feed(page)
    return parser.fields


def csrf(page: str) -> str:
    found = CSRF.search(page)
    if not found:
        raise AssertionError("no CSRF token on the page")
    return found.group(1)


class JourneyFailed(Exception):
    pass


class Resident(FastHttpUser):
    """One resident at a time per simulated user: a new account for every journey."""

    def think(self) -> None:
        gevent.sleep(random.uniform(0.5, 1.5) * THINK)

    def page(self, method: str, url: str, name: str, expect: str = "", **kw: Any) -> Any:
        """One page (redirects followed); a failure is recorded and ends the journey."""
        headers = {"X-Forwarded-For": getattr(self, "address", "10.0.0.1")}
        if "data" in kw:  # fields as a browser encodes them (repeated names kept in order)
            kw["data"] = urlencode(kw["data"], doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        with self.client.request(
            method, url, name=name, catch_response=True, headers=headers, **kw
        ) as r:
            body = r.text or ""
            if r.status_code >= 400 or (expect and expect not in r.url):
                r.failure(f"{name}: HTTP {r.status_code} at {r.url}")
                raise JourneyFailed(name)
            r.success()
            return r, body

    @task
    def journey(self) -> None:
        try:
            self._journey()
        except JourneyFailed as failed:
            events.request.fire(
                request_type="JOURNEY",
                name="journey ended early",
                response_time=0,
                response_length=0,
                exception=failed,
                context={},
            )
            self.client.cookiejar.clear()
            self.think()

    def _journey(self) -> None:
        self.client.cookiejar.clear()
        address = f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"
        self.address = address
        household = random.choice(sorted(STEPS))
        steps = STEPS[household]
        email = f"resident-{uuid.uuid4().hex[:16]}@load.example"

        self.page("GET", "/", "01 home")
        self.think()
        _, body = self.page("GET", "/accounts/signup/", "02 sign-up form")
        self.think()
        data = {"csrfmiddlewaretoken": csrf(body), "email": email}
        data |= {"password1": PASSWORD, "password2": PASSWORD}
        self.page("POST", "/accounts/signup/", "03 sign up", "/confirm-email/", data=data)
        link = self._read_verification_link(email)
        self.think()
        r, body = self.page("GET", link, "04 confirm-email page")
        self.think()
        r, body = self.page(
            "POST", link, "05 confirm email", data={"csrfmiddlewaretoken": csrf(body)}
        )
        if "/accounts/login/" in r.url:
            self.think()
            data = {"csrfmiddlewaretoken": csrf(body), "login": email, "password": PASSWORD}
            r, body = self.page("POST", "/accounts/login/", "06 sign in", "/my/", data=data)
        self.think()
        data = {"csrfmiddlewaretoken": csrf(body), "coverage_year": str(steps["year"])}
        r, body = self.page("POST", "/apply/start/", "07 start application", data=data)
        found = APPLICATION.search(r.url)
        if not found:
            raise JourneyFailed("no application id")
        app = found.group(1)
        for number, (step, fields) in enumerate(steps["steps"], start=8):
            self.think()
            form = [("csrfmiddlewaretoken", csrf(body)), *fields, ("action", "continue")]
            r, body = self.page(
                "POST", f"/apply/{app}/{step}/", f"{number:02d} save step {step}", data=form
            )
        if "/review/" not in r.url:
            raise JourneyFailed(f"expected the review page, got {r.url}")
        self.think()
        form = form_fields(body, "submit-form")
        form += [("attest", "on"), ("signature", steps["signature"])]
        r, body = self.page(
            "POST", f"/apply/{app}/submit/", "15 submit", f"/applications/{app}/", data=form
        )
        self.think()
        if random.random() < 0.25:
            self.page("GET", f"/applications/{app}/notice.pdf", "16 notice PDF")
            self.think()
        if not steps["shops"]:  # everyone has MassHealth: nothing to buy
            return
        shop = f"/applications/{app}/shop/"
        r, body = self.page("GET", shop, "17 shop")
        plans = list(dict.fromkeys(CHOOSE.findall(body)))
        if len(plans) < 2:
            raise JourneyFailed("fewer than two plans to compare")
        self.think()
        compare = "&".join(f"compare={p}" for p in plans[:3])
        self.page("GET", f"{shop}?{compare}", "18 compare")
        self.think()
        r, body = self.page("GET", f"{shop}?choose={plans[0]}", "19 choose plan")
        form = form_fields(body, "enroll-form")
        if not form:
            raise JourneyFailed("no enroll form")
        self.think()
        r, body = self.page(
            "POST", f"/applications/{app}/enroll/", "20 enroll", "/enrollments/", data=form
        )
        self.think()
        r, body = self.page("GET", "/my/", "21 dashboard")
        self.think()
        self.page(
            "POST", "/accounts/logout/", "22 sign out", data={"csrfmiddlewaretoken": csrf(body)}
        )
        self.think()

    def _read_verification_link(self, email: str) -> str:
        """Wait for the verification email (delivered by the job worker); the wait is recorded
        as its own line, not a page."""
        start = time.perf_counter()
        path = inbox_path(MAILBOX, email)
        while time.perf_counter() - start < 120:
            if path.exists():
                found = CONFIRM_LINK.search(path.read_text(encoding="utf-8").replace("=\n", ""))
                if found:
                    waited = (time.perf_counter() - start) * 1000
                    events.request.fire(
                        request_type="EMAIL",
                        name="email: verification link arrives",
                        response_time=waited,
                        response_length=0,
                        exception=None,
                        context={},
                    )
                    return found.group(1)
            gevent.sleep(0.5)
        events.request.fire(
            request_type="EMAIL",
            name="email: verification link arrives",
            response_time=(time.perf_counter() - start) * 1000,
            response_length=0,
            exception=JourneyFailed("no verification email within 120 s"),
            context={},
        )
        raise JourneyFailed("no verification email")
