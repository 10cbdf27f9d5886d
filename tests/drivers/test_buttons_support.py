"""Shared helpers for the button tests (no tests here): a thread-safe recorder of callbacks."""

from __future__ import annotations

import threading
from collections.abc import Callable

from drivers.buttons import Button, KeypadStatus, Press

WAIT_S = 5.0


class Recorder:
    """Collects on_press / on_error / on_status calls; tests wait on it, never sleep."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self.presses: list[Press] = []
        self.errors: list[BaseException] = []
        self.statuses: list[KeypadStatus] = []

    def on_press(self, press: Press) -> None:
        with self._cond:
            self.presses.append(press)
            self._cond.notify_all()

    def on_error(self, err: BaseException) -> None:
        with self._cond:
            self.errors.append(err)
            self._cond.notify_all()

    def on_status(self, status: KeypadStatus, detail: str) -> None:
        with self._cond:
            self.statuses.append(status)
            self._cond.notify_all()

    @property
    def buttons(self) -> list[Button]:
        with self._cond:
            return [p.button for p in self.presses]

    def wait(self, predicate: Callable[[], bool], what: str) -> None:
        with self._cond:
            if not self._cond.wait_for(predicate, WAIT_S):
                raise AssertionError(
                    f"timed out waiting for {what}: presses={self.presses} "
                    f"statuses={self.statuses} errors={self.errors}"
                )

    def wait_presses(self, count: int) -> None:
        self.wait(lambda: len(self.presses) >= count, f"{count} presses")

    def wait_status(self, status: KeypadStatus, occurrence: int = 1) -> None:
        self.wait(lambda: self.statuses.count(status) >= occurrence, f"{status} x{occurrence}")


class FakeClock:
    """A settable monotonic clock for keypads that stamp presses."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
