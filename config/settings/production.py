"""Production: every secret and host from the environment; refuses to start without them."""

from __future__ import annotations

import os

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403


def _required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in the environment for production")
    return value


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value not in ("1", "0", "true", "false", "yes", "no"):
        raise ImproperlyConfigured(f"{name} must be 1 or 0, not {value!r}")
    return value in ("1", "true", "yes")


# --- Required: the process refuses to start without each of these (docs/security.md) ------------
DEBUG = _flag("DJANGO_DEBUG", False)  # off unless DJANGO_DEBUG=1 (never on a public server)
SECRET_KEY = _required("DJANGO_SECRET_KEY")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured(
        'DJANGO_SECRET_KEY is too weak: use at least 50 random characters (python -c "from '
        'django.core.management.utils import get_random_secret_key; print(get_random_secret_key())")'
    )
ALLOWED_HOSTS = [h.strip() for h in _required("DJANGO_ALLOWED_HOSTS").split(",") if h.strip()]
if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must list the site's host names (not *)")
_required("DATABASE_URL")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":  # noqa: F405 - base
    raise ImproperlyConfigured(
        "DATABASE_URL must be a PostgreSQL URL (postgres://user:password@host:port/name) in "
        "production; SQLite is for development and tests"
    )
EXCHANGE_SSN_KEYS = [k.strip() for k in _required("EXCHANGE_SSN_KEYS").split(",") if k.strip()]
for _position, _key in enumerate(EXCHANGE_SSN_KEYS, start=1):
    try:
        Fernet(_key.encode("ascii"))
    except (ValueError, UnicodeEncodeError) as _exc:
        raise ImproperlyConfigured(
            f"EXCHANGE_SSN_KEYS: key {_position} is not a Fernet key (make one with python -c "
            '"from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())")'
        ) from _exc
    if _key == DEVELOPMENT_SSN_KEY:  # noqa: F405 - base
        raise ImproperlyConfigured(
            "EXCHANGE_SSN_KEYS must not contain the development key from the repository"
        )

# --- HTTPS only -----------------------------------------------------------------------------------
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000  # one year
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = _flag("DJANGO_SECURE_HSTS_PRELOAD", False)  # opt in: hard to undo
SECURE_SSL_REDIRECT = _flag("DJANGO_SECURE_SSL_REDIRECT", True)
# Behind a TLS-terminating proxy: DJANGO_SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO=https"
# (only if the proxy always sets or strips that header, otherwise clients could forge it).
_proxy_header = os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER", "").strip()
if _proxy_header:
    _header, _sep, _value = _proxy_header.partition("=")
    if not _sep or not _header.startswith("HTTP_") or not _value:
        raise ImproperlyConfigured(
            "DJANGO_SECURE_PROXY_SSL_HEADER must look like HTTP_X_FORWARDED_PROTO=https"
        )
    SECURE_PROXY_SSL_HEADER = (_header.strip(), _value.strip())
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]
# Email: queued (base settings), delivered by the worker over SMTP (docs/jobs.md).
EMAIL_DELIVERY_BACKEND = os.environ.get(
    "EMAIL_DELIVERY_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "1") == "1"
EMAIL_TIMEOUT = 30  # seconds: a stuck mail server fails the job, which is retried
# The cache is shared by every app server (django-allauth keeps its per-address rate limits there),
# so it lives in the database: adding app servers needs nothing more. Create its table once per
# database, after migrating: `exchange createcachetable` (docs/postgresql.md).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "exchange_cache",
    }
}
