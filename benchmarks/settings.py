"""Settings of the load and crash benchmarks: production settings (PostgreSQL, DEBUG off, every
production check), served over plain HTTP on loopback, so the cookies are not marked Secure and
nothing redirects to HTTPS; emails go to a mailbox folder the simulated residents read
(benchmarks/mailbox.py)."""

from __future__ import annotations

from config.settings.production import *  # noqa: F403

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
EMAIL_DELIVERY_BACKEND = "benchmarks.mailbox.EmailBackend"
# As behind the load balancer of a real deployment: the client's address is the last one in
# X-Forwarded-For (each simulated resident sends its own), so per-address limits (sign-up rate
# limits, login lockouts) apply per resident, not to the load generator's single address.
ALLAUTH_TRUSTED_PROXY_COUNT = 1
