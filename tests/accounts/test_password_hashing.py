"""Passwords are stored with Argon2id at OWASP's parameters; older PBKDF2 hashes still work and are
upgraded at sign-in."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.hashers import identify_hasher, make_password
from django.test import override_settings

from config.settings import base

pytestmark = pytest.mark.django_db


@override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS)
def test_new_passwords_are_argon2id_with_owasp_parameters() -> None:
    encoded = make_password("a-long-test-password")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert identify_hasher(encoded).algorithm == "argon2"


@override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS)
def test_an_old_pbkdf2_hash_signs_in_and_is_upgraded(rf: Any) -> None:
    user = get_user_model().objects.create(username="old", email="old@example.com")
    user.password = make_password("a-long-test-password", hasher="pbkdf2_sha256")
    user.save()
    assert user.password.startswith("pbkdf2_sha256$")
    request = rf.post("/accounts/login/")
    signed_in = authenticate(request, username="old", password="a-long-test-password")
    assert signed_in is not None and signed_in.pk == user.pk
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert authenticate(request, username="old", password="wrong-password") is None
