"""The kiosk's hardware health: the printer (opened and its status read on the worker,
polled while idle) and the scanner (ready, unplugged, absent), both published in the
kiosk's presence (`device/{id}`, docs/kiosk.md)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from kiosk.choices import PRINTABLE
from qtkit.bridge import CONNECTED, StateBridge
from qtkit.worker import Worker

log = logging.getLogger("mpp.kiosk")

PRINTER_POLL_MS = 15_000  # printer status while idle


class DeviceHealth(QObject):
    """`check()` reads the printer's status on the worker (when `may_check()` says so:
    never in the middle of a ticket) and republishes the presence; so does a change of the
    scanner's state and every reconnect. Properties for the model: `printer_state`,
    `printer_ok`, `scanner_ok`."""

    printerChanged = Signal()
    scannerChanged = Signal()
    _status = Signal(object)  # from the worker thread, delivered queued

    def __init__(self, bridge: StateBridge, worker: Worker, printer: Any | None, *,
                 has_scanner: bool, may_check: Callable[[], bool],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bridge, self._worker, self._printer = bridge, worker, printer
        self._may_check = may_check
        self.has_scanner = has_scanner
        self._scanner_state = "ready" if has_scanner else "none"
        self._printer_state: dict[str, Any] | None = None
        self._no_printer: dict[str, Any] = {"state": "offline"}  # status while there is none
        self._status.connect(self._on_status, Qt.ConnectionType.QueuedConnection)
        bridge.statusChanged.connect(self._on_bridge_status)
        self.poll_timer = QTimer(self)
        self.poll_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.poll_timer.setInterval(PRINTER_POLL_MS)
        self.poll_timer.timeout.connect(self.check)

    def start(self, open_printer: Callable[[], Any] | None) -> None:
        """Open the printer first when given an opener (the window need not wait), then
        read its status, and again every PRINTER_POLL_MS."""
        self.poll_timer.start()
        if open_printer is not None:
            self._worker.submit(lambda: self._open(open_printer))
        self.check()

    def close(self) -> None:
        self.poll_timer.stop()

    @property
    def printer(self) -> Any | None:
        """The printer (opened on the worker when given as `open_printer`)."""
        return self._printer

    @Slot()
    def check(self) -> None:
        if self._may_check():
            self._worker.submit(self.read)

    @Slot()
    def _on_bridge_status(self) -> None:
        if str(self._bridge.status) == CONNECTED:
            self.check()

    # -- worker thread ----------------------------------------------------------------

    def _open(self, opener: Callable[[], Any]) -> None:
        """Open the printer (python-escpos is imported here, off the start path). A bad
        config or an absent printer leaves the kiosk issuing numbers on screen, the reason
        in the log and in the presence."""
        try:
            self._printer = opener()
        except Exception as err:
            code = getattr(err, "code", None) or (
                "printer_config" if isinstance(err, ValueError) else "printer_offline")
            log.error("printer unavailable (%s): %s", code, err)
            self._no_printer = {"state": "offline", "error": str(code)}

    def read(self) -> None:
        """Read the printer's status, hand it to the Qt thread and publish the presence
        (the bridge sends it when it changed, and after each reconnect)."""
        if self._printer is None:
            status = dict(self._no_printer)
        else:
            try:
                status = self._printer.status().as_dict()
            except Exception:  # a driver bug must not stop the kiosk
                log.exception("printer status failed")
                status = {"state": "offline"}
        self._status.emit(status)
        health: dict[str, Any] = {"printer": status}
        if self.has_scanner:
            health["scanner"] = {"state": self._scanner_state}
        self._bridge.publish_presence(health)

    # -- Qt thread --------------------------------------------------------------------

    @Slot(object)
    def _on_status(self, status: dict[str, Any] | None) -> None:
        if status != self._printer_state:
            self._printer_state = status
            self.printerChanged.emit()

    @property
    def printer_state(self) -> str:
        return str((self._printer_state or {}).get("state") or "unknown")

    @property
    def printer_ok(self) -> bool:
        return self.printer_state in PRINTABLE

    @property
    def scanner_ok(self) -> bool:
        return self._scanner_state == "ready"

    def scanner_failed(self, code: str) -> None:
        """The scanner went away (unplugged, not found): hide the hint, tell the hall."""
        self._set_scanner_state("unplugged" if code == "scanner_unplugged" else "absent")

    def scanner_back(self) -> None:
        self._set_scanner_state("ready")

    def _set_scanner_state(self, state: str) -> None:
        if state != self._scanner_state:
            self._scanner_state = state
            self.scannerChanged.emit()
            self.check()  # republishes the presence (on the worker)
