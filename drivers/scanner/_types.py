"""The scanner interface: a scanner yields decoded lines as `Scan`s."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Self, runtime_checkable

# Stable error codes (the same strings go on the wire and into logs).
SCANNER_UNPLUGGED = "scanner_unplugged"
SCANNER_NOT_FOUND = "scanner_not_found"
SCANNER_CLOSED = "scanner_closed"
SCANNER_CONFIG = "scanner_config"
SCAN_GARBAGE = "scan_garbage"
SCAN_TOO_LONG = "scan_too_long"

#: Errors after which the reader may close and reopen the scanner.
RECOVERABLE_CODES = frozenset({SCANNER_UNPLUGGED, SCANNER_NOT_FOUND})


class ScannerError(Exception):
    """A scanner failure with a stable `code` (see the module constants)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class Scan:
    """One decoded line: `text` without terminator or control characters.

    `source` names the transport and device ("serial:/dev/mpp-scanner"); `at` is the wall
    clock (`time.time()`) when the line was completed.
    """

    text: str
    source: str
    at: float


@runtime_checkable
class Scanner(Protocol):
    """What every transport implements."""

    def read(self, timeout: float | None) -> Scan | None:
        """The next line; None when `timeout` seconds pass without one (None: wait)."""

    def close(self) -> None:
        """Release the device; idempotent."""


@runtime_checkable
class ReopenableScanner(Scanner, Protocol):
    """A scanner that can be (re)opened after `close()`, e.g. after an unplug."""

    def open(self) -> Self:
        """Open the device (again); raises ScannerError when it is not there."""
