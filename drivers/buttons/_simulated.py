"""SimulatedKeypad: a real Keypad for tests and the demo, with unplug/replug faults."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from drivers.buttons._model import Button, KeypadUnplugged, Press


class SimulatedKeypad:
    """`press()` from any thread; `unplug()` makes open/read fail until `replug()`."""

    def __init__(
        self, source: str = "simulated", *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.source = source
        self._clock = clock
        self._cond = threading.Condition()
        self._queue: deque[Press] = deque()
        self._plugged = True
        self._open = False
        self.open_count = 0

    def press(self, button: Button, at: float | None = None) -> None:
        """Queue a press (stamped `at`, default the clock). Lost while unplugged or closed."""
        with self._cond:
            if not (self._plugged and self._open):
                return
            stamp = self._clock() if at is None else at
            self._queue.append(Press(button, stamp, self.source))
            self._cond.notify_all()

    def unplug(self) -> None:
        with self._cond:
            self._plugged = False
            self._queue.clear()
            self._cond.notify_all()

    def replug(self) -> None:
        with self._cond:
            self._plugged = True
            self._cond.notify_all()

    @property
    def is_open(self) -> bool:
        return self._open

    def open(self) -> None:
        with self._cond:
            if not self._plugged:
                raise KeypadUnplugged(f"{self.source}: not plugged in")
            self._open = True
            self.open_count += 1
            self._cond.notify_all()

    def read(self, timeout: float) -> Press | None:
        with self._cond:
            self._cond.wait_for(lambda: self._queue or not self._plugged, timeout)
            if not self._plugged:
                raise KeypadUnplugged(f"{self.source}: unplugged")
            return self._queue.popleft() if self._queue else None

    def close(self) -> None:
        with self._cond:
            self._open = False
            self._queue.clear()
