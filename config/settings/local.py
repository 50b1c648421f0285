"""Local development and demo: SQLite under var/, debug on, a fixed non-secret key."""

from __future__ import annotations

from config.settings.base import *  # noqa: F403
from config.settings.base import VAR_DIR

DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
SECRET_KEY = "local-development-only-not-a-secret"  # noqa: S105 # nosec B105
VAR_DIR.mkdir(parents=True, exist_ok=True)
# Development-only SSN key unless the environment gives one (docs/security.md).
EXCHANGE_SSN_KEYS = EXCHANGE_SSN_KEYS or [DEVELOPMENT_SSN_KEY]  # noqa: F405
