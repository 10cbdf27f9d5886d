"""Scanner side of the kiosk: the --scanner option, what a scanned line means, re-reads of
a code held under the scanner, and the reader thread handing scans to the Qt thread.

A scan becomes either an appointment code to check in or a refusal code for the message
screen. The refusal codes are stable (they name the message shown):

    scan_garbage            unreadable: control characters, not ASCII, no known format
    scan_too_long           longer than drivers.scanner.MAX_SCAN_LENGTH
    scan_not_appointment    a ticket QR (MPP1:T:...), not an appointment
    appointment_other_site  an appointment QR of another service mall
    personal_data           a code holding a NIK (16 digits): never sent, never logged
"""

from __future__ import annotations

import json
import logging
import threading
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from drivers.scanner import (
    SCANNER_CONFIG,
    HidConfig,
    Scan,
    ScanKind,
    ScannerConfig,
    ScannerError,
    ScannerReader,
    build_scanner,
    parse_scan,
    parse_scanner_config,
)
from queue_server.protocol.personal import carries_nik

log = logging.getLogger("mpp.kiosk")

SCAN_NOT_APPOINTMENT = "scan_not_appointment"
APPOINTMENT_OTHER_SITE = "appointment_other_site"
PERSONAL_DATA = "personal_data"  # the server's error code for the same refusal
REPEAT_SCAN_S = 5.0  # the same code again this soon after its answer: a re-read


@dataclass(frozen=True)
class Verdict:
    """`code` to check in, or `refusal` (one of the codes above)."""

    code: str = ""
    refusal: str = ""


def verdict(text: str, site: str) -> Verdict:
    """What the kiosk does with one scanned line."""
    parsed = parse_scan(text)
    if parsed.kind is ScanKind.APPOINTMENT:
        if parsed.site is not None and parsed.site != site:
            return Verdict(refusal=APPOINTMENT_OTHER_SITE)
        if carries_nik(str(parsed.code)):  # appointment codes are random: this is a NIK
            return Verdict(refusal=PERSONAL_DATA)
        return Verdict(code=str(parsed.code))
    if parsed.kind is ScanKind.TICKET:
        return Verdict(refusal=SCAN_NOT_APPOINTMENT)
    return Verdict(refusal=parsed.kind.error_code or "scan_garbage")


class RepeatGate:
    """A code held under the scanner is read again and again: within REPEAT_SCAN_S of the
    answer to a text, that text again is a re-read, to ignore (it must not replace the
    citizen's ticket with "already used")."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._text, self._until = "", 0.0

    def hold(self, text: str) -> None:
        self._text, self._until = text, self._clock() + REPEAT_SCAN_S

    def release(self) -> None:
        """After no answer: the same code may be scanned again at once."""
        self._text, self._until = "", 0.0

    def held(self, text: str) -> bool:
        return text == self._text and self._clock() < self._until


def scanner_config(spec: str) -> ScannerConfig | None:
    """`--scanner`: "none", "simulated" or the path of a TOML/JSON file holding the
    driver's config (a `[scanner]` table or the keys at top level)."""
    if spec == "none":
        return None
    if spec == "simulated":
        return parse_scanner_config({"type": "simulated"}, source="--scanner")
    path = Path(spec)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise ScannerError(SCANNER_CONFIG, f"scanner config {path}: {err.strerror}") from err
    try:
        data: dict[str, Any] = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as err:
        raise ScannerError(SCANNER_CONFIG, f"scanner config {path}: {err}") from err
    if isinstance(data.get("scanner"), dict):
        data = data["scanner"]
    config = parse_scanner_config(data, source=str(path))
    if isinstance(config, HidConfig) and not config.grab:
        log.warning("%s: scanner.grab is false: scanned keystrokes also reach the screen", path)
    return config


def open_configured_scanner(spec: str) -> tuple[Any | None, bool]:
    """(scanner, opened): None for "none"; a scanner that is not there yet (unplugged,
    still enumerating at boot) comes back unopened, and ScanFeed keeps trying to open it."""
    config = scanner_config(spec)
    if config is None:
        return None, False
    scanner = build_scanner(config)
    try:
        scanner.open()
    except ScannerError as err:
        if err.code == SCANNER_CONFIG:
            raise
        log.error("scanner unavailable (will retry): %s", err)
        return scanner, False
    return scanner, True


OPEN_RETRY_S = (0.5, 10.0)  # first and longest wait between attempts to open


class ScanFeed(QObject):
    """Runs a ScannerReader; each line arrives as `scanned(text)` on the Qt thread (a
    signal emitted from the reader thread is delivered queued). A scanner given unopened
    is opened first, retrying with backoff until it appears or stop()."""

    scanned = Signal(str)
    failed = Signal(str)  # a scanner error code (unplugged...)
    reconnected = Signal()

    def __init__(self, scanner: Any, parent: QObject | None = None, *,
                 opened: bool = True) -> None:
        super().__init__(parent)
        self.scanner = scanner
        self._opened = opened
        self._stop = threading.Event()
        self._reader = ScannerReader(scanner, self._on_scan, self._on_error,
                                     on_reconnect=self.reconnected.emit,
                                     name="mpp-kiosk-scanner")
        self._opener = threading.Thread(target=self._open_then_read, daemon=True,
                                        name="mpp-kiosk-scanner-open")

    def start(self) -> None:
        if self._opened:
            self._reader.start()
        else:
            self.failed.emit("scanner_not_found")
            self._opener.start()

    def _open_then_read(self) -> None:
        delay, ceiling = OPEN_RETRY_S
        while not self._stop.wait(delay):
            try:
                self.scanner.open()
            except ScannerError as err:
                log.debug("scanner still away: %s", err.code)
                delay = min(delay * 2, ceiling)
                continue
            log.info("scanner found")
            self._reader.start()
            self.reconnected.emit()
            return

    def stop(self) -> None:
        self._stop.set()
        if self._opener.is_alive():
            self._opener.join(5.0)
        self._reader.stop()  # also closes the scanner (when never opened too)

    def _on_scan(self, scan: Scan) -> None:
        self.scanned.emit(scan.text)

    def _on_error(self, err: ScannerError) -> None:
        log.warning("scanner: %s", err)
        self.failed.emit(err.code)
