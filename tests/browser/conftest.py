"""Browser tests: pytest-django's live server (with static files) driven by Playwright and
Debian's headless Chromium (/usr/bin/chromium); axe-core checks accessibility.

Skipped, with the reason, when the ``playwright`` package, Chromium or the npm packages (USWDS,
axe-core) are not installed (``make test`` installs them)."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

# The live server runs in a thread beside Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("EXCHANGE_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
USWDS_CSS = ROOT / "node_modules" / "@uswds" / "uswds" / "dist" / "css" / "uswds.min.css"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _missing(reason: str) -> None:
    """Skip on a developer's machine without the browser; in CI (CI=true, where `make test`
    installs it) a missing browser is a failure, so the browser tests cannot silently not run."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests cannot run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright import sync_api
    except ImportError:
        _missing("the playwright package is not installed")
    if not CHROMIUM.exists():
        _missing(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    for needed in (AXE, USWDS_CSS):
        if not needed.exists():
            _missing(f"{needed.relative_to(ROOT)} is missing (npm ci)")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A tab that fails the test if the page's Content-Security-Policy blocked anything (the
    browser reports each violation on the console)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    blocked: list[str] = []
    tab.on(
        "console",
        lambda message: (
            blocked.append(f"{tab.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield tab
    context.close()
    assert not blocked, "the Content-Security-Policy blocked:\n" + "\n".join(blocked)


@pytest.fixture
def catalog(transactional_db: None) -> None:
    """The synthetic 2026 demo catalog (the live server's tests flush the database after each)."""
    call_command(
        "plans",
        "import",
        str(ROOT / "data/catalog/ma/2026"),
        "--year",
        "2026",
        stdout=io.StringIO(),
    )


def screenshot(page: Any, name: str, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def serious_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations of impact "serious" or "critical" on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, which the page's Content-Security-Policy does
        # not govern (add_script_tag would insert an inline script, which the policy blocks).
        page.evaluate(AXE.read_text())
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
