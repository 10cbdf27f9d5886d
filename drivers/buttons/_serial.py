"""SerialKeypad: the line protocol over pyserial (USB-serial adapters, RS-232, pty in tests)."""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING

from drivers.buttons._model import KeypadUnplugged, Press
from drivers.buttons._serial_protocol import (
    ButtonLine,
    HelloLine,
    LineSplitter,
    UnknownLine,
    parse_line,
)

if TYPE_CHECKING:
    import serial

log = logging.getLogger(__name__)

DEFAULT_BAUDRATE = 9600


class SerialKeypad:
    def __init__(
        self,
        port: str,
        *,
        baudrate: int = DEFAULT_BAUDRATE,
        source: str | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.port = port
        self.baudrate = baudrate
        self.source = source or f"serial:{port}"
        self.hello: HelloLine | None = None
        self._clock = clock
        self._serial: serial.Serial | None = None
        self._lines = LineSplitter()
        self._pending: deque[Press] = deque()

    def open(self) -> None:
        import serial  # lazily: a console with only a simulated keypad needs no pyserial

        self.close()
        try:
            self._serial = serial.Serial(self.port, self.baudrate, timeout=0, exclusive=True)
        except OSError as err:  # serial.SerialException is an OSError
            raise KeypadUnplugged(f"{self.source}: cannot open: {err}") from err

    def read(self, timeout: float) -> Press | None:
        if self._pending:
            return self._pending.popleft()
        port = self._serial
        if port is None:
            raise KeypadUnplugged(f"{self.source}: not open")
        try:
            if port.timeout != timeout:
                port.timeout = timeout  # pyserial re-applies termios on every set
            data = port.read(max(1, port.in_waiting))
        except OSError as err:
            raise KeypadUnplugged(f"{self.source}: read failed: {err}") from err
        self._handle(data)
        return self._pending.popleft() if self._pending else None

    def close(self) -> None:
        port, self._serial = self._serial, None
        self._lines.reset()
        self._pending.clear()
        if port is not None:
            try:
                port.close()
            except OSError as err:
                log.debug("%s: close failed: %s", self.source, err)

    def _handle(self, data: bytes) -> None:
        stamp = self._clock()
        for raw in self._lines.feed(data):
            message = parse_line(raw)
            if isinstance(message, ButtonLine):
                self._pending.append(Press(message.button, stamp, self.source))
            elif isinstance(message, HelloLine):
                self.hello = message
                log.info("%s: keypad %s firmware %s", self.source, message.model, message.firmware)
            elif raw == LineSplitter.OVERLONG:
                log.warning("%s: ignored an overlong line", self.source)
            else:
                assert isinstance(message, UnknownLine)
                log.warning("%s: ignored line %r (%s)", self.source, message.text, message.reason)
