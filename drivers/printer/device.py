"""A Printer over any python-escpos transport: status before print, errors translated."""

from __future__ import annotations

import logging
import socket
from typing import TYPE_CHECKING

from drivers.printer.layout import RenderOptions, ticket_bytes
from drivers.printer.model import (
    UNKNOWN_STATUS,
    PrinterError,
    PrinterStatus,
    TicketLayout,
)
from drivers.printer.status import query_bytes, read_status

if TYPE_CHECKING:  # python-escpos is imported where a printer is opened, not on import
    from escpos.escpos import Escpos

    from drivers.printer.simulated import PrinterSimulator

log = logging.getLogger(__name__)

_TIMEOUT_NAMES = frozenset({"SerialTimeoutException", "USBTimeoutError", "TimeoutError"})


def _is_timeout(err: BaseException) -> bool:
    return isinstance(err, TimeoutError) or type(err).__name__ in _TIMEOUT_NAMES


class EscposPrinter:
    """Implements `Printer` on an opened python-escpos printer object (the byte sink)."""

    def __init__(
        self,
        esc: Escpos,
        options: RenderOptions,
        *,
        can_read: bool,
        near_end_sensor: bool = True,
        simulator: PrinterSimulator | None = None,
    ) -> None:
        self._esc = esc
        self.simulator = simulator  # the device behind a `simulated` transport, for tests
        self.options = options
        self.can_read = can_read
        self.near_end_sensor = near_end_sensor

    def status(self) -> PrinterStatus:
        if not self.can_read:
            return UNKNOWN_STATUS
        self._drain()
        return read_status(self._ask, near_end_sensor=self.near_end_sensor)

    def print_ticket(self, layout: TicketLayout) -> None:
        self.print_raw(ticket_bytes(layout, self.options))

    def print_raw(self, data: bytes) -> None:
        """Check the status, send already-built ESC/POS bytes, then check again: a roll
        that ended (or a cover opened) while printing left the ticket incomplete, and the
        caller must know it (the kiosk offers a copy)."""
        self._require_printable("printer is")
        from drivers.printer._escpos import escpos_exceptions

        try:
            self._esc._raw(data)
            self._flush()
        except (OSError, escpos_exceptions.Error) as err:
            code = "printer_timeout" if _is_timeout(err) else "printer_offline"
            raise PrinterError(code, f"write failed: {err!r}") from err
        self._require_printable("ticket may be incomplete: printer became")

    def _require_printable(self, what: str) -> None:
        current = self.status()
        if not current.can_print:
            code = current.error_code or "printer_error"
            raise PrinterError(code, f"{what} {current.state.value}")

    def close(self) -> None:
        try:
            self._esc.close()
        except OSError as err:  # closing a vanished device must not mask the real error
            log.debug("printer close failed: %r", err)

    def __enter__(self) -> EscposPrinter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _flush(self) -> None:
        flush = getattr(self._esc, "flush", None)
        if callable(flush):
            flush()

    def _ask(self, n: int) -> bytes:
        """One DLE EOT n round trip; a failure or a missing reply reads as offline (b"")."""
        from drivers.printer._escpos import escpos_exceptions

        try:
            self._esc._raw(query_bytes(n))
            return self._read_reply()
        except (OSError, escpos_exceptions.Error) as err:
            log.debug("status query %d failed: %r", n, err)
            return b""

    def _drain(self) -> None:
        """Drop replies that arrived after an earlier query timed out."""
        from drivers.printer._escpos import Serial
        from drivers.printer.transports import SimulatedTransport

        device = getattr(self._esc, "_device", None)
        try:
            if isinstance(self._esc, Serial) and device:
                device.reset_input_buffer()
            elif isinstance(device, socket.socket):
                _drain_socket(device)
            elif isinstance(self._esc, SimulatedTransport):
                self._esc._read()  # returns and clears pending replies
        except OSError as err:
            log.debug("status drain failed: %r", err)

    def _read_reply(self) -> bytes:
        from drivers.printer._escpos import Serial

        if isinstance(self._esc, Serial):
            # escpos's Serial._read waits for 16 bytes (the whole timeout); the reply is one.
            return bytes(self._esc.device.read(1))
        return bytes(self._esc._read())


def _drain_socket(sock: socket.socket) -> None:
    timeout = sock.gettimeout()
    sock.setblocking(False)
    try:
        while sock.recv(64):
            pass
    except BlockingIOError:
        pass
    finally:
        sock.settimeout(timeout)
