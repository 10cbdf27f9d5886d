"""Serial and USB-CDC scanners through pyserial."""

from __future__ import annotations

import time
from collections import deque
from typing import Self

import serial

from ._lines import LineAssembler
from ._types import SCANNER_CLOSED, SCANNER_NOT_FOUND, SCANNER_UNPLUGGED, Scan, ScannerError

_CHUNK = 256


class SerialScanner:
    """Reads lines from a serial port (a USB-CDC scanner shows up as /dev/ttyACM*).

    Point `port` at the udev symlink (/dev/mpp-scanner) so a replugged scanner, which may
    come back under another ttyACM number, is found again by `open()`.
    """

    def __init__(
        self,
        port: str,
        *,
        baudrate: int = 9600,
        terminator: str = "CR",
        assembler: LineAssembler | None = None,
    ) -> None:
        self.port = port
        self.baudrate = baudrate
        self.source = f"serial:{port}"
        self._assembler = assembler or LineAssembler(terminator)
        self._lines: deque[str] = deque()
        self._serial: serial.Serial | None = None

    def open(self) -> Self:
        """Open the port; ScannerError "scanner_not_found" when it is not there."""
        self.close()
        try:
            self._serial = serial.Serial(self.port, self.baudrate, timeout=0, exclusive=True)
        except (serial.SerialException, OSError) as err:
            raise ScannerError(SCANNER_NOT_FOUND, f"cannot open {self.port}: {err}") from err
        return self

    def close(self) -> None:
        port, self._serial = self._serial, None
        self._assembler.drop_partial()
        self._lines.clear()
        if port is not None:
            try:
                port.close()
            except (serial.SerialException, OSError):
                pass  # already gone (unplugged): nothing left to release

    def read(self, timeout: float | None) -> Scan | None:
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._lines:
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            data = self._read_some(remaining)
            self._lines.extend(self._assembler.feed(data))
            if not data and remaining is not None and remaining <= 0:
                return None
        return Scan(self._lines.popleft(), self.source, time.time())

    def _read_some(self, timeout: float | None) -> bytes:
        port = self._serial
        if port is None:
            raise ScannerError(SCANNER_CLOSED, f"{self.port} is not open")
        try:
            if port.timeout != timeout:
                port.timeout = timeout  # pyserial reapplies termios on every change
            first: bytes = port.read(1)
            rest: bytes = port.read(min(port.in_waiting, _CHUNK)) if first else b""
            return first + rest
        except (serial.SerialException, OSError) as err:
            self.close()
            raise ScannerError(SCANNER_UNPLUGGED, f"{self.port}: {err}") from err

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
