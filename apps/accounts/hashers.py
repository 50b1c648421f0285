"""How residents' passwords are stored: Argon2id with the parameters OWASP's Password Storage
Cheat Sheet gives as its first choice (19 MiB of memory, 2 iterations, 1 lane).

Why not Django's default (PBKDF2-SHA256, 1,000,000 iterations in Django 5.2): the load test's
profile (docs/performance.md) found 80% of the web servers' CPU in ``pbkdf2_hmac`` on an open
enrollment day, when every resident signs up and signs in: about 190 ms of CPU a hash on this
machine against 28 ms for Argon2id, which is memory-hard and so costs an attacker with GPUs more,
not less. Older PBKDF2 hashes still verify and are rehashed with Argon2id at the next sign-in
(Django does that when the first hasher in ``PASSWORD_HASHERS`` differs)."""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id, m=19456 KiB, t=2, p=1 (OWASP Password Storage Cheat Sheet, "Argon2id")."""

    time_cost = 2
    memory_cost = 19456
    parallelism = 1
