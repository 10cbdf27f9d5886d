"""What a scanned line is: an appointment code, a ticket QR, or garbage.

Formats (documented in docs/drivers-scanner.md):

    MPP1:<site>:<code>      appointment; site is a slug, code is [A-Z0-9-]{6,32}
    <code>                  a bare appointment code of the same shape
    MPP1:T:<ticket id>      ticket QR; the ticket id is 32 hex digits (a UUID without dashes)
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass

from ._types import SCAN_GARBAGE, SCAN_TOO_LONG

MAX_SCAN_LENGTH = 256

_CODE = r"[A-Z0-9](?:[A-Z0-9-]{4,30})[A-Z0-9]"
_SITE = r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?"
_APPOINTMENT = re.compile(rf"MPP1:(?P<site>{_SITE}):(?P<code>{_CODE})")
_BARE_CODE = re.compile(rf"(?P<code>{_CODE})")
_TICKET = re.compile(r"MPP1:T:(?P<ticket>[0-9a-fA-F]{32})")


class ScanKind(enum.Enum):
    APPOINTMENT = "appointment"
    TICKET = "ticket"
    GARBAGE = "garbage"
    TOO_LONG = "too_long"

    @property
    def error_code(self) -> str | None:
        """The stable error code of a rejected scan; None for a usable one."""
        return _ERROR_CODES.get(self)


_ERROR_CODES = {ScanKind.GARBAGE: SCAN_GARBAGE, ScanKind.TOO_LONG: SCAN_TOO_LONG}

#: Kinds the kiosk acts on.
USABLE_KINDS = frozenset({ScanKind.APPOINTMENT, ScanKind.TICKET})


@dataclass(frozen=True, slots=True)
class ParsedScan:
    """A classified scan. `code`/`site` for appointments, `ticket_id` (lower-case hex) for
    tickets; `site` is None for a bare code."""

    kind: ScanKind
    code: str | None = None
    site: str | None = None
    ticket_id: str | None = None


def classify(text: str) -> ScanKind:
    """The kind of a scanned line."""
    return parse_scan(text).kind


def parse_scan(text: str) -> ParsedScan:
    """Classify `text` and extract its fields. Surrounding spaces are ignored."""
    if len(text) > MAX_SCAN_LENGTH:
        return ParsedScan(ScanKind.TOO_LONG)
    text = text.strip(" ")
    if not text or not text.isascii() or _has_control(text):
        return ParsedScan(ScanKind.GARBAGE)
    if match := _TICKET.fullmatch(text):
        return ParsedScan(ScanKind.TICKET, ticket_id=match["ticket"].lower())
    if match := _APPOINTMENT.fullmatch(text):
        return ParsedScan(ScanKind.APPOINTMENT, code=match["code"], site=match["site"])
    if match := _BARE_CODE.fullmatch(text):
        return ParsedScan(ScanKind.APPOINTMENT, code=match["code"])
    return ParsedScan(ScanKind.GARBAGE)


def _has_control(text: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" for ch in text)
