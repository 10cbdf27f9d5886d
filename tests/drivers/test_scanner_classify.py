"""classify()/parse_scan(): the scan formats and garbage handling, table-driven."""

from __future__ import annotations

import pytest

from drivers.scanner import (
    MAX_SCAN_LENGTH,
    SCAN_GARBAGE,
    SCAN_TOO_LONG,
    ParsedScan,
    ScanKind,
    classify,
    parse_scan,
)

TICKET_HEX = "0123456789abcdef0123456789abcdef"

CASES = [
    # appointment, with site
    ("MPP1:mpp-makassar:AB12CD", ScanKind.APPOINTMENT),
    ("MPP1:mpp-makassar:APT-2026-000123", ScanKind.APPOINTMENT),
    ("MPP1:s1:" + "A" * 32, ScanKind.APPOINTMENT),
    ("  MPP1:mpp-makassar:AB12CD  ", ScanKind.APPOINTMENT),
    # bare appointment codes
    ("AB12CD", ScanKind.APPOINTMENT),
    ("APT-2026-000123", ScanKind.APPOINTMENT),
    ("Z" * 32, ScanKind.APPOINTMENT),
    # ticket QR
    (f"MPP1:T:{TICKET_HEX}", ScanKind.TICKET),
    (f"MPP1:T:{TICKET_HEX.upper()}", ScanKind.TICKET),
    # garbage: wrong shapes
    ("", ScanKind.GARBAGE),
    ("   ", ScanKind.GARBAGE),
    ("AB12C", ScanKind.GARBAGE),  # too short
    ("Z" * 33, ScanKind.GARBAGE),  # too long for a code
    ("ab12cd", ScanKind.GARBAGE),  # codes are upper case
    ("-AB12CD", ScanKind.GARBAGE),
    ("AB12CD-", ScanKind.GARBAGE),
    ("------", ScanKind.GARBAGE),
    ("AB 12CD", ScanKind.GARBAGE),
    ("MPP1:Mpp-Makassar:AB12CD", ScanKind.GARBAGE),  # site slugs are lower case
    ("MPP1:-site:AB12CD", ScanKind.GARBAGE),
    ("MPP1::AB12CD", ScanKind.GARBAGE),
    ("MPP2:mpp-makassar:AB12CD", ScanKind.GARBAGE),  # unknown format version
    ("MPP1:T:" + TICKET_HEX[:-1], ScanKind.GARBAGE),
    ("MPP1:T:" + "g" * 32, ScanKind.GARBAGE),
    ("MPP1:mpp-makassar:AB12CD:extra", ScanKind.GARBAGE),
    ("https://example.com/?q=AB12CD", ScanKind.GARBAGE),
    # garbage: control characters, binary, non-ASCII
    ("AB12CD\x00", ScanKind.GARBAGE),
    ("AB\x1b[2JCD", ScanKind.GARBAGE),
    ("AB12CD\n", ScanKind.GARBAGE),
    ("\x80\x81ÿþ", ScanKind.GARBAGE),
    ("ÄB12CD", ScanKind.GARBAGE),
    ("AB12CD\u200b", ScanKind.GARBAGE),
    # too long
    ("A" * (MAX_SCAN_LENGTH + 1), ScanKind.TOO_LONG),
    ("\x00" * 1000, ScanKind.TOO_LONG),
    ("MPP1:x:" + "A" * (MAX_SCAN_LENGTH - 7), ScanKind.GARBAGE),  # at the limit: shape decides
]


@pytest.mark.parametrize(("text", "kind"), CASES)
def test_classify(text: str, kind: ScanKind) -> None:
    assert classify(text) is kind


def test_parse_appointment_with_site_extracts_code_and_site() -> None:
    assert parse_scan("MPP1:mpp-makassar:APT-000123") == ParsedScan(
        ScanKind.APPOINTMENT, code="APT-000123", site="mpp-makassar"
    )


def test_parse_bare_code_has_no_site() -> None:
    assert parse_scan("APT-000123") == ParsedScan(ScanKind.APPOINTMENT, code="APT-000123")


def test_parse_ticket_normalises_hex_to_lower_case() -> None:
    parsed = parse_scan(f"MPP1:T:{TICKET_HEX.upper()}")
    assert parsed == ParsedScan(ScanKind.TICKET, ticket_id=TICKET_HEX)


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        (ScanKind.GARBAGE, SCAN_GARBAGE),
        (ScanKind.TOO_LONG, SCAN_TOO_LONG),
        (ScanKind.APPOINTMENT, None),
        (ScanKind.TICKET, None),
    ],
)
def test_error_codes_are_stable(kind: ScanKind, code: str | None) -> None:
    assert kind.error_code == code
    assert SCAN_GARBAGE == "scan_garbage" and SCAN_TOO_LONG == "scan_too_long"
