"""The printer interface: ticket layout, status, errors. No I/O here."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Protocol

ERROR_CODES = frozenset(
    {"printer_offline", "paper_out", "cover_open", "printer_error", "printer_timeout"}
)


class PrinterError(Exception):
    """A printer failure with a stable code (the same code goes on the wire)."""

    def __init__(self, code: str, message: str) -> None:
        if code not in ERROR_CODES:
            raise ValueError(f"unknown printer error code {code!r}")
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class PrinterState(enum.Enum):
    READY = "ready"
    PAPER_NEAR_END = "paper_near_end"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    ERROR = "error"
    OFFLINE = "offline"
    UNKNOWN = "unknown"  # the transport cannot read status (file, write-only device)


# Named sets of states (OctoPrint style).
PRINTABLE_STATES = frozenset(
    {PrinterState.READY, PrinterState.PAPER_NEAR_END, PrinterState.UNKNOWN}
)
ATTENTION_STATES = frozenset(PrinterState) - {PrinterState.READY, PrinterState.UNKNOWN}

_STATE_ERROR_CODE = {
    PrinterState.PAPER_OUT: "paper_out",
    PrinterState.COVER_OPEN: "cover_open",
    PrinterState.ERROR: "printer_error",
    PrinterState.OFFLINE: "printer_offline",
}


class Paper(enum.Enum):
    OK = "ok"
    NEAR_END = "near_end"
    OUT = "out"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class PrinterStatus:
    """What the printer said to DLE EOT 1..4; fields are None where unknown."""

    state: PrinterState
    online: bool | None = None
    paper: Paper = Paper.UNKNOWN
    cover_open: bool | None = None
    error: bool | None = None

    @property
    def can_print(self) -> bool:
        return self.state in PRINTABLE_STATES

    @property
    def error_code(self) -> str | None:
        """The PrinterError code a print in this state fails with, or None."""
        return _STATE_ERROR_CODE.get(self.state)

    def as_dict(self) -> dict[str, object]:
        """For the device presence message (`printer` field)."""
        return {
            "state": self.state.value,
            "online": self.online,
            "paper": self.paper.value,
            "cover_open": self.cover_open,
            "error": self.error,
        }


UNKNOWN_STATUS = PrinterStatus(PrinterState.UNKNOWN)
OFFLINE_STATUS = PrinterStatus(PrinterState.OFFLINE, online=False)

DEFAULT_NUMBER_LABEL = "Nomor Antrean / Queue Number"
DEFAULT_AHEAD_LABEL = "Antrean di depan Anda / People ahead"
DEFAULT_WAIT_LABEL = "Perkiraan tunggu / Estimated wait"


@dataclass(frozen=True)
class TicketLayout:
    """Everything on a ticket, already translated by the caller.

    `qr_payload` is a ticket id or URL: never personal data (NIK, phone, name).
    `copy_mark`, when set, is printed large above everything (a reprint: "SALINAN / COPY").
    """

    mall_name: str
    agency_name: str
    service_name: str
    number: str
    issued_at: str
    ahead: int
    wait_text: str
    qr_payload: str
    footer_lines: tuple[str, ...] = ()
    number_label: str = DEFAULT_NUMBER_LABEL
    ahead_label: str = DEFAULT_AHEAD_LABEL
    wait_label: str = DEFAULT_WAIT_LABEL
    copy_mark: str = ""


class Printer(Protocol):
    """The one seam the kiosk uses."""

    def status(self) -> PrinterStatus: ...

    def print_ticket(self, layout: TicketLayout) -> None: ...

    def close(self) -> None: ...
