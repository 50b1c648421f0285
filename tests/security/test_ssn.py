"""Social Security numbers: checks, encryption at rest, rotation, masking, fail-closed keys."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.db import connection
from django.test import override_settings

from apps.applications import ssn
from apps.applications.models import MemberSSN
from tests.applications import factories

GOOD = "123-45-6789"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("123-45-6789", "123-45-6789"),
        ("123456789", "123-45-6789"),
        (" 123 45 6789 ", "123-45-6789"),
        ("536-90-4399", "536-90-4399"),
        ("899-99-9999", "899-99-9999"),
    ],
)
def test_valid_numbers_are_normalized(typed: str, expected: str) -> None:
    assert ssn.normalize_ssn(typed) == expected
    assert ssn.is_valid_ssn(typed)


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("12345678", "9 digits"),
        ("1234567890", "9 digits"),
        ("123-45-678a", "only digits"),
        ("000-12-3456", "000"),
        ("666-12-3456", "666"),
        ("900-12-3456", "900"),
        ("987-65-4321", "987"),
        ("123-00-4567", "00"),
        ("123-45-0000", "0000"),
        ("078-05-1120", "known to be invalid"),
        ("219-09-9999", "known to be invalid"),
        ("457-55-5462", "known to be invalid"),
    ],
)
def test_invalid_numbers_say_what_is_wrong(typed: str, says: str) -> None:
    with pytest.raises(ssn.InvalidSSN) as caught:
        ssn.normalize_ssn(typed)
    assert says in caught.value.message
    assert not ssn.is_valid_ssn(typed)


def test_mask() -> None:
    assert ssn.mask("6789") == "***-**-6789"


@pytest.fixture
def application(db: None) -> Any:
    user = factories.make_user("ssn@example.com")
    return factories.make_application(user, factories.family_180())


def test_stored_encrypted_and_masked(application: Any) -> None:
    ssn.store_ssn(application, "m1", "123456789")
    row = MemberSSN.objects.get(application=application, member_id="m1")
    assert "6789" not in row.ciphertext and "123" not in row.ciphertext
    with connection.cursor() as cursor:  # what is really in the table
        cursor.execute("SELECT ciphertext FROM applications_memberssn")
        (raw,) = cursor.fetchone()
    assert "123456789" not in raw and "123-45" not in raw
    assert ssn.masked_ssn(application, "m1") == "***-**-6789"
    assert ssn.reveal_ssn(application, "m1") == GOOD
    assert ssn.masked_ssn(application, "m2") is None
    assert ssn.reveal_ssn(application, "m2") is None
    assert ssn.masked_ssns(application) == {"m1": "***-**-6789"}
    assert "6789" not in str(application.data)
    assert "123-45" not in str(row)


def test_store_refuses_invalid(application: Any) -> None:
    with pytest.raises(ssn.InvalidSSN):
        ssn.store_ssn(application, "m1", "666-12-3456")
    assert not MemberSSN.objects.exists()


def test_replacing_keeps_one_row(application: Any) -> None:
    ssn.store_ssn(application, "m1", GOOD)
    ssn.store_ssn(application, "m1", "234-56-7890")
    assert MemberSSN.objects.filter(application=application).count() == 1
    assert ssn.reveal_ssn(application, "m1") == "234-56-7890"


def test_store_people_ssns_forgets_removed_people(application: Any) -> None:
    ssn.store_ssn(application, "m1", GOOD)
    ssn.store_ssn(application, "m3", "234-56-7890")
    ssn.store_people_ssns(application, {"m1": "", "m2": "345-67-8901"}, ["m1", "m2"])
    assert ssn.masked_ssns(application) == {"m1": "***-**-6789", "m2": "***-**-8901"}


def test_rotation(application: Any) -> None:
    old = Fernet.generate_key().decode()
    new = Fernet.generate_key().decode()
    with override_settings(EXCHANGE_SSN_KEYS=[old]):
        ssn.store_ssn(application, "m1", GOOD)
    token_before = MemberSSN.objects.get().ciphertext
    with override_settings(EXCHANGE_SSN_KEYS=[new, old]):
        assert ssn.reveal_ssn(application, "m1") == GOOD  # the old key still decrypts
        assert ssn.rotate_ssn_keys() == 1
    assert MemberSSN.objects.get().ciphertext != token_before
    with override_settings(EXCHANGE_SSN_KEYS=[new]):  # the old key can now be dropped
        assert ssn.reveal_ssn(application, "m1") == GOOD


def test_wrong_key_fails_closed(application: Any) -> None:
    ssn.store_ssn(application, "m1", GOOD)
    with (
        override_settings(EXCHANGE_SSN_KEYS=[Fernet.generate_key().decode()]),
        pytest.raises(ssn.SSNKeyError, match="cannot be decrypted"),
    ):
        ssn.reveal_ssn(application, "m1")
    # masking needs no key
    with override_settings(EXCHANGE_SSN_KEYS=[Fernet.generate_key().decode()]):
        assert ssn.masked_ssn(application, "m1") == "***-**-6789"


@pytest.mark.parametrize("keys", [[], ["not-a-fernet-key"]])
def test_missing_or_malformed_key_refuses_to_store(application: Any, keys: list[str]) -> None:
    with override_settings(EXCHANGE_SSN_KEYS=keys), pytest.raises(ssn.SSNKeyError):
        ssn.store_ssn(application, "m1", GOOD)
    assert not MemberSSN.objects.exists()


def test_rotate_command(application: Any) -> None:
    from io import StringIO

    from django.conf import settings
    from django.core.management import call_command

    ssn.store_ssn(application, "m1", GOOD)
    out = StringIO()
    new = Fernet.generate_key().decode()
    with override_settings(EXCHANGE_SSN_KEYS=[new, settings.DEVELOPMENT_SSN_KEY]):
        call_command("rotate_ssn_keys", stdout=out)
    assert "Re-encrypted 1" in out.getvalue()
    with override_settings(EXCHANGE_SSN_KEYS=[new]):
        assert ssn.reveal_ssn(application, "m1") == GOOD
