"""Personal data rules (UU PDP 27/2022), pure: a NIK is never an appointment code, masks
for screens and tickets, a keyed hash for matching, the retention cut-off."""

from __future__ import annotations

import pytest

from queue_server.domain.privacy import (
    carries_nik,
    keyed_hash,
    mask_nik,
    mask_phone,
    normalize_nik,
    normalize_phone,
    retention_cutoff,
)

NIK = "3201012345670001"
SECRET = bytes(range(32))


@pytest.mark.parametrize("code", [
    NIK, "3201-0123-4567-0001", "3201 0123 4567 0001", "3201.0123.4567.0001",
    f"BOOK-{NIK}", f"{NIK}9",  # inside a longer code, or a longer run
])
def test_a_code_holding_a_nik_is_seen(code: str) -> None:
    assert carries_nik(code)


@pytest.mark.parametrize("code", [
    "JT-0042", "demo-20261130-A001", "320101234567000",  # 15 digits
    "3201-0123-4567-000X", "APT-1", "MPP-7F3K-Q9X2-M4PA", "٣٢٠١٠١٢٣٤٥٦٧٠٠٠١",  # Arabic digits
    "3201--0123-4567-0001",  # two separators in a row break the run
])
def test_a_random_code_is_not_a_nik(code: str) -> None:
    assert not carries_nik(code)


def test_a_nik_is_masked_to_its_region_and_last_four() -> None:
    assert mask_nik(NIK) == "3201********0001"
    assert mask_nik(" 3201-0123-4567-0001 ") == "3201********0001"
    for bad in ("320101234567000", "3201012345670001x", "", "32010123456700011"):
        with pytest.raises(ValueError):
            mask_nik(bad)


def test_a_phone_number_is_masked_to_its_prefix_and_last_three() -> None:
    assert mask_phone("081234567890") == "0812*****890"
    assert mask_phone("+62 812-3456-7890") == "0812*****890"
    assert mask_phone("(0411) 123456") == "0411***456"
    for bad in ("12345", "0812 abc 7890", "", "+1 555 0100 2000 3000"):
        with pytest.raises(ValueError):
            mask_phone(bad)


def test_normalized_forms_make_one_value_of_many_writings() -> None:
    assert normalize_nik("3201 0123 4567 0001") == NIK
    assert normalize_phone("6281234567890") == normalize_phone("0812-3456-7890") == \
        "081234567890"


def test_a_keyed_hash_matches_the_same_value_and_hides_it() -> None:
    one = keyed_hash(SECRET, "nik", NIK)
    assert one == keyed_hash(SECRET, "nik", "3201-0123-4567-0001")  # a match is found
    assert len(one) == 64 and NIK not in one
    assert one != keyed_hash(bytes(32), "nik", NIK)  # another site's secret: no match
    assert one != keyed_hash(SECRET, "nik", "3201012345670002")
    # a NIK and a phone number with the same digits never collide
    assert keyed_hash(SECRET, "phone", "081234567890") != keyed_hash(
        SECRET, "nik", "0812345678900000")
    with pytest.raises(ValueError):
        keyed_hash(b"short", "nik", NIK)
    with pytest.raises(ValueError):
        keyed_hash(SECRET, "nik", "not a nik")


def test_the_retention_cutoff_is_the_configured_days_back() -> None:
    assert retention_cutoff(100 * 86400.0, 90) == 10 * 86400.0
