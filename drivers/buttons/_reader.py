"""KeypadReader: one background thread per keypad, with reconnect, backoff and the filter."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from drivers.buttons._filter import PressFilter, Verdict
from drivers.buttons._model import Keypad, KeypadStatus, KeypadUnplugged, Press

log = logging.getLogger(__name__)

PressCallback = Callable[[Press], None]
ErrorCallback = Callable[[BaseException], None]
StatusCallback = Callable[[KeypadStatus, str], None]


class KeypadReader:
    """Reads `keypad` on a thread; calls `on_press` for every press the filter accepts.

    `on_status(status, detail)` is called on changes only: CONNECTED after each successful
    open, UNPLUGGED once per outage (not once per retry), STOPPED at the end. A transport
    error that is not an unplug goes to `on_error` and is then handled like an unplug; a
    callback that raises goes to `on_error` and reading goes on. The reader never dies.
    Callbacks run on the reader thread.
    """

    def __init__(
        self,
        keypad: Keypad,
        on_press: PressCallback,
        on_error: ErrorCallback,
        on_status: StatusCallback | None = None,
        *,
        press_filter: PressFilter | None = None,
        backoff_initial_s: float = 0.5,
        backoff_max_s: float = 10.0,
        poll_s: float = 0.1,
    ) -> None:
        self._keypad = keypad
        self._on_press = on_press
        self._on_error = on_error
        self._on_status = on_status
        self._filter = press_filter if press_filter is not None else PressFilter()
        self._backoff_initial_s = backoff_initial_s
        self._backoff_max_s = backoff_max_s
        self._poll_s = poll_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._status: KeypadStatus | None = None

    @property
    def status(self) -> KeypadStatus | None:
        return self._status

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("KeypadReader already started")
        self._thread = threading.Thread(
            target=self._run, name=f"keypad-reader-{self._keypad.source}", daemon=False
        )
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the thread and close the keypad; returns once the thread has ended."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                raise RuntimeError(f"keypad reader {self._keypad.source} did not stop")

    def __enter__(self) -> KeypadReader:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _run(self) -> None:
        backoff = self._backoff_initial_s
        while not self._stop.is_set():
            if self._session():
                backoff = self._backoff_initial_s
            self._keypad.close()
            if self._stop.wait(backoff):
                break
            backoff = min(backoff * 2, self._backoff_max_s)
        self._keypad.close()
        self._set_status(KeypadStatus.STOPPED, "reader stopped")

    def _session(self) -> bool:
        """Open and read until unplug or stop; True if the open succeeded."""
        try:
            self._keypad.open()
        except KeypadUnplugged as err:
            self._set_status(KeypadStatus.UNPLUGGED, str(err))
            return False
        except Exception as err:
            self._report(err)
            self._set_status(KeypadStatus.UNPLUGGED, f"open failed: {err}")
            return False
        self._set_status(KeypadStatus.CONNECTED, f"{self._keypad.source} open")
        self._read_until_gone()
        return True

    def _read_until_gone(self) -> None:
        while not self._stop.is_set():
            try:
                press = self._keypad.read(self._poll_s)
                if press is not None:
                    self._deliver(press)
            except KeypadUnplugged as err:
                self._set_status(KeypadStatus.UNPLUGGED, str(err))
                return
            except Exception as err:
                self._report(err)
                self._set_status(KeypadStatus.UNPLUGGED, f"read failed: {err}")
                return

    def _deliver(self, press: Press) -> None:
        verdict = self._filter.feed(press)
        if verdict is not Verdict.ACCEPTED:
            log.info("keypad %s: %s dropped (%s)", press.source, press.button.name, verdict.value)
            return
        try:
            self._on_press(press)
        except Exception as err:
            log.exception("keypad %s: on_press failed", press.source)
            self._report(err)

    def _report(self, err: BaseException) -> None:
        try:
            self._on_error(err)
        except Exception:
            log.exception("keypad %s: on_error failed", self._keypad.source)

    def _set_status(self, status: KeypadStatus, detail: str) -> None:
        if status is self._status:
            return
        self._status = status
        log.info("keypad %s: %s (%s)", self._keypad.source, status.value, detail)
        if self._on_status is None:
            return
        try:
            self._on_status(status, detail)
        except Exception as err:
            log.exception("keypad %s: on_status failed", self._keypad.source)
            self._report(err)
