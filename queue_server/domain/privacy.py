"""Personal data (UU PDP 27/2022), pure: masking for screens and tickets, a keyed hash for
data where a match is all that is needed, and how long personal data is kept.

Nothing in the hall holds a NIK or a phone number yet: the outside world's bookings will
(names, NIK, phone). These are the rules they use. docs/security.md lists what is stored,
where, and for how long."""

from __future__ import annotations

import hashlib
import hmac

from queue_server.protocol.personal import NIK_DIGITS, carries_nik

__all__ = ["carries_nik", "keyed_hash", "mask_nik", "mask_phone", "normalize_nik",
           "normalize_phone", "retention_cutoff"]

DAY_S = 86400.0
KEY_BYTES = 32  # the per-site secret of keyed_hash


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch in "0123456789")


def normalize_nik(text: str) -> str:
    """The 16 digits of a NIK written with or without separators; ValueError otherwise."""
    raw = text.strip()
    digits = _digits(raw)
    if len(digits) != NIK_DIGITS or not all(ch in "0123456789 .-" for ch in raw):
        raise ValueError("a NIK is 16 digits")
    return digits


def normalize_phone(text: str) -> str:
    """An Indonesian phone number as digits starting with 0: '+62 812-3456-7890',
    '6281234567890' and '081234567890' are one number. ValueError when it is none."""
    raw = text.strip()
    if not raw or not all(ch in "0123456789 +-.()" for ch in raw):
        raise ValueError("a phone number is digits, spaces, + - . ( )")
    digits = _digits(raw)
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    if not digits.startswith("0") or not 9 <= len(digits) <= 14:
        raise ValueError("an Indonesian phone number has 9 to 14 digits starting with 0")
    return digits


def mask_nik(text: str) -> str:
    """'3201012345670001' -> '3201********0001': the region code and the last four, what a
    person needs to recognise their own booking; the birth date and serial stay hidden."""
    nik = normalize_nik(text)
    return nik[:4] + "*" * 8 + nik[-4:]


def mask_phone(text: str) -> str:
    """'081234567890' -> '0812*****890': the operator prefix and the last three digits."""
    phone = normalize_phone(text)
    return phone[:4] + "*" * (len(phone) - 7) + phone[-3:]


def keyed_hash(secret: bytes, kind: str, value: str) -> str:
    """HMAC-SHA256 of a normalised value, hex: two bookings with one NIK match, and the
    table alone does not give the NIK back (a NIK has too few possible values for a plain
    hash: anyone could hash them all). `kind` ("nik", "phone") keeps the two apart.
    `secret` is the site's (store.privacy_key); without it no hash can be checked."""
    if len(secret) < 16:
        raise ValueError("the keyed hash needs a secret of at least 16 bytes")
    normal = {"nik": normalize_nik, "phone": normalize_phone}[kind](value)
    return hmac.new(secret, f"{kind}:{normal}".encode(), hashlib.sha256).hexdigest()


def retention_cutoff(now: float, retention_days: int) -> float:
    """Personal data from before this time is past keeping (the site's
    privacy.retention_days)."""
    return now - retention_days * DAY_S
