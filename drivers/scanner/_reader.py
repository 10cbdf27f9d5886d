"""Runs a scanner in a background thread and hands scans to callbacks."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from typing import Self

from ._types import RECOVERABLE_CODES, ReopenableScanner, Scan, Scanner, ScannerError

log = logging.getLogger(__name__)

POLL_S = 0.1
BACKOFF_FIRST_S = 0.05
BACKOFF_MAX_S = 5.0


class ScannerReader:
    """Reads `scanner` on a daemon thread; calls `on_scan(scan)` for each line.

    On an unplug (a ScannerError with a recoverable code) it calls `on_error(err)`, closes
    the scanner and, when `reconnect` is on and the scanner has `open()`, reopens it with
    exponential backoff, then calls `on_reconnect()`. Any other error is reported and ends
    the thread. Callbacks run on the reader thread; an exception in one is logged and the
    reader carries on. `stop()` ends the thread and closes the scanner.
    """

    def __init__(
        self,
        scanner: Scanner,
        on_scan: Callable[[Scan], None],
        on_error: Callable[[ScannerError], None] | None = None,
        *,
        on_reconnect: Callable[[], None] | None = None,
        reconnect: bool = True,
        backoff: tuple[float, float] = (BACKOFF_FIRST_S, BACKOFF_MAX_S),
        name: str = "scanner-reader",
    ) -> None:
        self.scanner = scanner
        self._on_scan = on_scan
        self._on_error = on_error
        self._on_reconnect = on_reconnect
        self._reconnect = reconnect and isinstance(scanner, ReopenableScanner)
        self._backoff = backoff
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> Self:
        """Start the thread (once; a second call does nothing)."""
        if self._thread.ident is None:
            self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the thread (waits up to `timeout`) and close the scanner."""
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout)
        self.scanner.close()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                scan = self.scanner.read(POLL_S)
            except ScannerError as err:
                if self._stop.is_set():
                    return
                self._call(self._on_error, err)
                if not (self._reconnect and err.code in RECOVERABLE_CODES and self._reopen()):
                    return
                continue
            if scan is not None:
                self._call(self._on_scan, scan)

    def _reopen(self) -> bool:
        """Close, then open again until it works or stop() is called."""
        self.scanner.close()
        delay, ceiling = self._backoff
        while not self._stop.wait(delay):
            try:
                self.scanner.open()  # type: ignore[attr-defined]
            except ScannerError as err:
                log.debug("scanner still away: %s", err.code)
                delay = min(delay * 2, ceiling)
                continue
            self._call(self._on_reconnect)
            return True
        return False

    def _call(self, callback: Callable[..., None] | None, *args: object) -> None:
        if callback is None:
            return
        try:
            callback(*args)
        except Exception:
            log.exception("scanner callback %r failed", callback)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def iter_scans(scanner: Scanner, *, idle_timeout: float | None = None) -> Iterator[Scan]:
    """Scans from `scanner` until it stays silent for `idle_timeout` seconds (None: forever).

    For scripts and tools; apps use ScannerReader.
    """
    while (scan := scanner.read(idle_timeout)) is not None:
        yield scan
