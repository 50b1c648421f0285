"""Test settings: fast password hashing, in-memory SQLite (or PostgreSQL when DATABASE_URL is set)."""

from __future__ import annotations

from config.settings.base import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
SECRET_KEY = "test-only-not-a-secret"  # noqa: S105 # nosec B105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if not DATABASE_URL:  # noqa: F405 - the suite also runs on a throwaway PostgreSQL (see Makefile)
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
# Development-only SSN key unless the environment gives one (docs/security.md).
EXCHANGE_SSN_KEYS = EXCHANGE_SSN_KEYS or [DEVELOPMENT_SSN_KEY]  # noqa: F405
# Emails are queued as in production; tests run the queued jobs (tests/jobs/runner.run_jobs) and
# read what was delivered from django.core.mail.outbox.
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
