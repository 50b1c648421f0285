"""Social Security numbers: checked, encrypted at rest, shown masked.

- **Checked** with python-stdnum (``stdnum.us.ssn``): nine digits (dashes and spaces allowed), no
  area 000, 666 or 900-999, no group 00, no serial 0000, none of the numbers known to be invalid
  because they were published (078-05-1120 ...). :func:`normalize_ssn` says which rule failed.
- **Encrypted** with ``cryptography``'s Fernet (AES-128-CBC + HMAC-SHA256) under the keys in
  ``settings.EXCHANGE_SSN_KEYS`` (from the ``EXCHANGE_SSN_KEYS`` environment variable in
  production): a ``MultiFernet``, so the first key encrypts and every key decrypts — add a new key
  in front, run ``manage.py rotate_ssn_keys``, then drop the old key (docs/security.md).
- **Stored** only in :class:`~apps.applications.models.MemberSSN`, never in ``Application.data``
  (which feeds the household JSON, the determination and the logs).
- **Shown** masked ("***-**-6789") from ``last4``; :func:`reveal_ssn` decrypts, for the staff
  views that need the full number (they write an audit row for each reveal).

A wrong or missing key fails closed: :class:`SSNKeyError` (refuses to encrypt or decrypt) rather
than storing anything in clear or showing a wrong number.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.us import ssn as stdnum_ssn

from apps.applications.models import MemberSSN

if TYPE_CHECKING:
    from apps.applications.models import Application

MASK = "***-**-"


class InvalidSSN(ValueError):
    """The number typed is not a valid Social Security number; ``message`` says why
    (``member_id``: whose, when storing a household's numbers)."""

    def __init__(self, message: str, member_id: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.member_id = member_id


class SSNKeyError(ImproperlyConfigured):
    """The encryption keys are missing or malformed, or none of them decrypts a stored number."""


# --- checking -------------------------------------------------------------------------------------


def normalize_ssn(value: str) -> str:
    """``value`` as "123-45-6789" when it is a valid Social Security number; otherwise
    :class:`InvalidSSN` with a message that says what is wrong."""
    text = "".join(str(value).split())  # spaces people type between the groups
    digits = text.replace("-", "")
    if not digits.isdigit() or len(digits) != 9:
        raise InvalidSSN(
            _("Enter a Social Security number with 9 digits, like 123-45-6789")
            if digits.isdigit() or not digits
            else _("A Social Security number has only digits and dashes, like 123-45-6789")
        )
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    if area in ("000", "666") or area.startswith("9"):
        raise InvalidSSN(
            _(
                "Check the Social Security number: no number starts with %(area)s "
                "(000, 666 and 900 to 999 are never given)"
            )
            % {"area": area}
        )
    if group == "00":
        raise InvalidSSN(_("Check the Social Security number: the middle two digits are never 00"))
    if serial == "0000":
        raise InvalidSSN(_("Check the Social Security number: the last four digits are never 0000"))
    try:
        stdnum_ssn.validate(digits)
    except StdnumError as exc:
        # The remaining rule: numbers that were printed in advertisements and are known invalid.
        raise InvalidSSN(
            _(
                "This Social Security number is known to be invalid (it was published as an "
                "example). Check the number on the card"
            )
        ) from exc
    return str(stdnum_ssn.format(digits))


def is_valid_ssn(value: str) -> bool:
    try:
        normalize_ssn(value)
    except InvalidSSN:
        return False
    return True


def mask(last4: str) -> str:
    return f"{MASK}{last4}"


# --- encryption -----------------------------------------------------------------------------------


def _keys() -> list[str]:
    raw = getattr(settings, "EXCHANGE_SSN_KEYS", None) or []
    if isinstance(raw, str):
        raw = raw.split(",")
    keys = [str(k).strip() for k in raw if str(k).strip()]
    if not keys:
        raise SSNKeyError(
            "EXCHANGE_SSN_KEYS is not set: Social Security numbers cannot be encrypted or "
            "decrypted (docs/security.md)"
        )
    return keys


def _cipher() -> MultiFernet:
    fernets = []
    for position, key in enumerate(_keys(), start=1):
        try:
            fernets.append(Fernet(key.encode("ascii")))
        except (ValueError, UnicodeEncodeError) as exc:
            raise SSNKeyError(
                f"EXCHANGE_SSN_KEYS: key {position} is not a Fernet key (32 url-safe "
                'base64-encoded bytes; make one with `python -c "from cryptography.fernet '
                'import Fernet; print(Fernet.generate_key().decode())"`)'
            ) from exc
    return MultiFernet(fernets)


def encrypt_ssn(number: str) -> str:
    """The Fernet token of a normalized number (encrypted with the first key)."""
    return _cipher().encrypt(number.encode("ascii")).decode("ascii")


def decrypt_ssn(token: str) -> str:
    """The number in a token; :class:`SSNKeyError` when no configured key decrypts it (the key
    that encrypted it was removed or the token was altered): never a guess."""
    try:
        return _cipher().decrypt(token.encode("ascii")).decode("ascii")
    except InvalidToken as exc:
        raise SSNKeyError(
            "A stored Social Security number cannot be decrypted with any key in "
            "EXCHANGE_SSN_KEYS (was the key that encrypted it removed?)"
        ) from exc


# --- storage (call inside the caller's transaction) ----------------------------------------------


def store_ssn(application: Application, member_id: str, value: str) -> MemberSSN:
    """Check, encrypt and store (or replace) a member's number. :class:`InvalidSSN` if invalid."""
    number = normalize_ssn(value)
    row, _created = MemberSSN.objects.update_or_create(
        application=application,
        member_id=member_id,
        defaults={"ciphertext": encrypt_ssn(number), "last4": number[-4:]},
    )
    return row


def store_people_ssns(
    application: Application, ssns: Mapping[str, str], members: Iterable[str]
) -> None:
    """After the people step is saved: store the numbers typed (``ssns``: member id -> number;
    a member left blank keeps the number stored before) and forget the numbers of people no
    longer in the household (``members``: the ids now in it), so a freed id starts clean.
    Every number is checked before anything is written (:class:`InvalidSSN` names the member)."""
    current = set(members)
    checked = {}
    for member_id, value in ssns.items():
        if member_id in current and value.strip():
            try:
                checked[member_id] = normalize_ssn(value)
            except InvalidSSN as exc:
                raise InvalidSSN(exc.message, member_id) from exc
    MemberSSN.objects.filter(application=application).exclude(member_id__in=current).delete()
    for member_id, number in checked.items():
        store_ssn(application, member_id, number)


def delete_ssn(application: Application, member_id: str) -> None:
    MemberSSN.objects.filter(application=application, member_id=member_id).delete()


# --- reading ----------------------------------------------------------------------------------


def masked_ssn(application: Application, member_id: str) -> str | None:
    """ "***-**-6789", or None when no number is stored for the member. Does not decrypt."""
    last4 = (
        MemberSSN.objects.filter(application=application, member_id=member_id)
        .values_list("last4", flat=True)
        .first()
    )
    return mask(last4) if last4 else None


def masked_ssns(application: Application) -> dict[str, str]:
    """Every stored number of the application, masked, by member id."""
    return {
        member_id: mask(last4)
        for member_id, last4 in MemberSSN.objects.filter(application=application).values_list(
            "member_id", "last4"
        )
    }


def reveal_ssn(application: Application, member_id: str) -> str | None:
    """The full number ("123-45-6789"), or None when none is stored. Only for staff views that
    need it, which must write an audit row for each reveal. :class:`SSNKeyError` if it cannot be
    decrypted."""
    token = (
        MemberSSN.objects.filter(application=application, member_id=member_id)
        .values_list("ciphertext", flat=True)
        .first()
    )
    return decrypt_ssn(token) if token else None


def rotate_ssn_keys(batch_size: int = 500) -> int:
    """Re-encrypt every stored number with the first key of ``EXCHANGE_SSN_KEYS`` (after a new key
    was put in front); returns how many were re-encrypted. Each row is its own small update, so it
    can run while the exchange is up; run it again after a failure."""
    cipher = _cipher()
    count = 0
    for row in MemberSSN.objects.only("pk", "ciphertext").iterator(chunk_size=batch_size):
        try:
            token = cipher.rotate(row.ciphertext.encode("ascii")).decode("ascii")
        except InvalidToken as exc:
            raise SSNKeyError(
                f"Stored number {row.pk} cannot be decrypted with any key in EXCHANGE_SSN_KEYS; "
                "nothing after it was rotated"
            ) from exc
        MemberSSN.objects.filter(pk=row.pk).update(ciphertext=token)
        count += 1
    return count
