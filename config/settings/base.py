"""Settings shared by every environment. Secrets come from the environment only."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("EXCHANGE_VAR_DIR", BASE_DIR / "var"))

DEBUG = False
ALLOWED_HOSTS: list[str] = []

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "apps.accounts",  # before allauth: its templates (account/*, allauth/*) override allauth's
    "allauth",
    "allauth.account",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "apps.audit",
    "apps.jobs",
    "apps.backoffice",
    "apps.applications",
    "apps.eligibility",
    "apps.enrollment",
    "apps.notices",
    "apps.plans",
    "apps.web",
    "apps.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy on every response (docs/security.md)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "apps.api.middleware.ApiProblemMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "apps.accounts.middleware.SessionExpiryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out sign-in into the lockout page
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# PostgreSQL when DATABASE_URL is set (postgres://user:password@host:port/name); otherwise the
# embedded SQLite file under var/. Connections are kept for a minute and checked before reuse.
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
DATABASES: dict[str, dict[str, Any]]
if DATABASE_URL:
    DATABASES = {
        "default": dict(
            dj_database_url.parse(
                DATABASE_URL, conn_max_age=60, conn_health_checks=True, ssl_require=False
            )
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "exchange.sqlite3",
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Argon2id first (apps/accounts/hashers.py says why); PBKDF2 hashes still verify and are upgraded.
PASSWORD_HASHERS = [
    "apps.accounts.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
TIME_ZONE = "America/New_York"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# The U.S. Web Design System's compiled files (npm `@uswds/uswds`, installed by `npm ci`), served
# under static/uswds/ (css/, js/, fonts/, img/); no front-end build step.
STATICFILES_DIRS = [("uswds", BASE_DIR / "node_modules" / "@uswds" / "uswds" / "dist")]

# The exchange's state (reference configuration: Massachusetts).
EXCHANGE_STATE = os.environ.get("EXCHANGE_STATE", "MA")
# Another folder of rules parameters (for a dry run of next year's rules); default: the shipped ones.
EXCHANGE_PARAMETERS_DIR = os.environ.get("EXCHANGE_PARAMETERS_DIR") or None

# Accounts (django-allauth): sign in with email, verified by a link; console email by default.
SITE_ID = 1
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out sign-ins (docs/security.md)
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Every change to an account writes an audit row in its transaction (docs/audit.md).
ACCOUNT_ADAPTER = "apps.accounts.adapter.AuditedAccountAdapter"
ACCOUNT_FORMS = {"add_email": "apps.accounts.adapter.AuditedAddEmailForm"}
LOGIN_REDIRECT_URL = "/my/"
ACCOUNT_SESSION_REMEMBER = False  # the session ends with the browser or after 30 idle minutes
# Every email goes through the job queue (apps/jobs/mail.py): the queued backend stores it and a
# worker delivers it through EMAIL_DELIVERY_BACKEND (the console here, SMTP in production).
EMAIL_BACKEND = "apps.jobs.mail.QueuedEmailBackend"
EMAIL_DELIVERY_BACKEND = os.environ.get(
    "EMAIL_DELIVERY_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@exchange.example")
SESSION_COOKIE_AGE = 30 * 60  # 30 minutes of inactivity
SESSION_SAVE_EVERY_REQUEST = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Security baseline (docs/security.md) ---------------------------------------------------------
# Social Security numbers are encrypted with these Fernet keys (apps/applications/ssn.py): a
# comma-separated list, the first encrypts, all decrypt (rotation). Production requires it; local
# and test settings use a fixed development key.
EXCHANGE_SSN_KEYS: list[str] = [
    k.strip() for k in os.environ.get("EXCHANGE_SSN_KEYS", "").split(",") if k.strip()
]
# A fixed key for development and tests only (it is in the repository, so it protects nothing).
DEVELOPMENT_SSN_KEY = "REVWRUxPUE1FTlQtT05MWS1TU04tS0VZLU5PVC1TRUM="

# Cookies: never readable by scripts; sent on top-level navigation from other sites (Lax) so the
# links in verification and password-reset emails land signed in; Secure in production.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # no page reads the token from the cookie: forms carry it
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content Security Policy (django-csp 4): nothing inline, everything from this origin; USWDS
# draws some icons as data: URIs in its CSS. The API docs page (ninja) loads its static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Sign-in throttling (django-axes): 5 failures for one email from one address lock that pair out
# for 15 minutes, even with the right password; a success resets the count. The email typed in
# allauth's form ("login") is the username (apps/accounts/throttle.py). allauth's own per-email
# limit is left to axes; its per-address limit (10 failures a minute) stays, against spraying.
AXES_ENABLED = True
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "apps.accounts.throttle.username_for_axes"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_SENSITIVE_PARAMETERS = ["password", "password1", "password2", "oldpassword"]
# Behind N trusted reverse proxies, the client address is the Nth from the right of
# X-Forwarded-For (EXCHANGE_PROXY_COUNT); otherwise REMOTE_ADDR.
EXCHANGE_PROXY_COUNT = int(os.environ.get("EXCHANGE_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "apps.accounts.throttle.client_ip"
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip"}

# Background jobs (docs/jobs.md): Django's tasks API with the database queue; run a worker with
# `exchange db_worker`. Retries with exponential backoff (apps/jobs/retry.py): attempt n+1 runs
# JOBS_RETRY_BASE_SECONDS * 2**(n-1) seconds after attempt n fails (capped, plus jitter).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
JOBS_MAX_ATTEMPTS = int(os.environ.get("JOBS_MAX_ATTEMPTS", "6"))
JOBS_RETRY_BASE_SECONDS = float(os.environ.get("JOBS_RETRY_BASE_SECONDS", "30"))
JOBS_RETRY_MAX_DELAY_SECONDS = float(os.environ.get("JOBS_RETRY_MAX_DELAY_SECONDS", "3600"))
JOBS_RETRY_JITTER = 0.2  # up to 20% more, so that jobs failing together do not retry together
