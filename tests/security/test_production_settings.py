"""Production settings refuse to start without their secrets, and pass `check --deploy`.

Each case starts a fresh interpreter (settings are read once per process) with
DJANGO_SETTINGS_MODULE=config.settings.production and a controlled environment."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]
SETUP = "import django; django.setup(); print('started')"

GOOD = {
    "DJANGO_SECRET_KEY": "q7#v9k2$LmN4pR8sT1wX6yZ0bC3dF5gH7jK9mN2pQ4rS6tV8wX0zA2cE4gI6kM8o",
    "DJANGO_ALLOWED_HOSTS": "exchange.example,www.exchange.example",
    "DATABASE_URL": "postgres://exchange:secret@db.internal:5432/exchange",
    "EXCHANGE_SSN_KEYS": Fernet.generate_key().decode(),
}


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in GOOD and not k.startswith(("DJANGO_", "EXCHANGE_"))
    }
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def test_starts_with_everything_set() -> None:
    result = run(GOOD, "-c", SETUP)
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


@pytest.mark.parametrize("missing", sorted(GOOD))
def test_refuses_to_start_without(missing: str) -> None:
    env = {k: v for k, v in GOOD.items() if k != missing}
    result = run(env, "-c", SETUP)
    assert result.returncode != 0
    assert missing in result.stderr
    assert "ImproperlyConfigured" in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("DATABASE_URL", "sqlite:///var/exchange.sqlite3", "PostgreSQL"),
        ("DJANGO_SECRET_KEY", "short", "too weak"),
        ("DJANGO_SECRET_KEY", "django-insecure-" + "x" * 60, "too weak"),
        ("DJANGO_ALLOWED_HOSTS", "*", "not *"),
        ("EXCHANGE_SSN_KEYS", "not-a-key", "not a Fernet key"),
        ("EXCHANGE_SSN_KEYS", "REVWRUxPUE1FTlQtT05MWS1TU04tS0VZLU5PVC1TRUM=", "development key"),
        ("DJANGO_SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto", "HTTP_X_FORWARDED_PROTO=https"),
        ("DJANGO_DEBUG", "maybe", "DJANGO_DEBUG"),
    ],
)
def test_refuses_bad_values(name: str, value: str, says: str) -> None:
    result = run({**GOOD, name: value}, "-c", SETUP)
    assert result.returncode != 0
    assert says in result.stderr


SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE,"
    " s.CSRF_COOKIE_SECURE, s.CSRF_COOKIE_HTTPONLY, s.CSRF_COOKIE_SAMESITE, s.SECURE_HSTS_SECONDS,"
    " s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_SSL_REDIRECT, s.X_FRAME_OPTIONS,"
    " s.SECURE_CONTENT_TYPE_NOSNIFF, s.SECURE_REFERRER_POLICY, s.SECURE_PROXY_SSL_HEADER)"
)


def test_secure_defaults() -> None:
    result = run(GOOD, "-c", SETTINGS)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == (
        [
            "False",
            "True",
            "True",
            "Lax",
            "True",
            "True",
            "Lax",
            "31536000",
            "True",
            "True",
            "DENY",
            "True",
            "same-origin",
            "None",
        ]
    )
    result = run(
        {**GOOD, "DJANGO_SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO=https"}, "-c", SETTINGS
    )
    assert result.stdout.split()[-2:] == ["('HTTP_X_FORWARDED_PROTO',", "'https')"]


def test_check_deploy_has_only_the_documented_warning() -> None:
    """The one warning left, W021 (HSTS preload), is an opt-in explained in docs/security.md."""
    result = run(GOOD, "manage.py", "check", "--deploy")
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    found = sorted(set(re.findall(r"\(([a-z_]+\.[WE]\d+)\)", output)))
    assert found == ["security.W021"], output
    documented = (ROOT / "docs" / "security.md").read_text()
    for code in found:
        assert code in documented
    preload = run({**GOOD, "DJANGO_SECURE_HSTS_PRELOAD": "1"}, "manage.py", "check", "--deploy")
    assert "no issues" in preload.stdout, preload.stdout + preload.stderr


def test_the_cache_is_shared_by_every_app_server() -> None:
    """allauth's per-address rate limits live in the cache: in production it is the database, not
    one process's memory, so a second app server sees the same counts."""
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CACHES['default']['BACKEND'])"
    )
    result = run(GOOD, "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.core.cache.backends.db.DatabaseCache"]
