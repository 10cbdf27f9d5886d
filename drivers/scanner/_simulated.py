"""An in-process scanner for tests and the demo, with injectable faults.

It is a real implementation of the interface: fed bytes go through the same line
assembly as the serial transport.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Self

from ._lines import DEFAULT_STALE_AFTER_S, LineAssembler, terminator_bytes
from ._types import SCANNER_CLOSED, SCANNER_NOT_FOUND, SCANNER_UNPLUGGED, Scan, ScannerError

DEFAULT_GARBAGE = b"\x00\xff\xfe\x1b[2J\x80\x81"


class SimulatedScanner:
    """Feed it with `feed(text)`; break it with `feed_garbage`, `feed_truncated`, `unplug`.

    After `unplug()` a pending or next `read` raises ScannerError "scanner_unplugged" and
    `open()` raises "scanner_not_found" until `replug()`; anything fed while unplugged is
    lost, as with a real cable.
    """

    def __init__(
        self,
        *,
        terminator: str = "CR",
        name: str = "sim",
        clock: Callable[[], float] = time.monotonic,
        stale_after: float = DEFAULT_STALE_AFTER_S,
    ) -> None:
        self.source = f"simulated:{name}"
        self._term = terminator_bytes(terminator)
        self._assembler = LineAssembler(terminator, clock=clock, stale_after=stale_after)
        self._cond = threading.Condition()
        self._lines: deque[str] = deque()
        self._plugged = True
        self._open = True
        self.opens = 0

    # ------------------------------------------------------------------ device side

    def feed(self, text: str) -> None:
        """The scanner reads a code: `text` plus the terminator, UTF-8 encoded."""
        self.feed_bytes(text.encode("utf-8") + self._term)

    def feed_bytes(self, data: bytes) -> None:
        """Raw bytes on the wire (any encoding, split anywhere)."""
        with self._cond:
            if not (self._plugged and self._open):
                return
            self._lines.extend(self._assembler.feed(data))
            self._cond.notify_all()

    def feed_garbage(self, data: bytes = DEFAULT_GARBAGE) -> None:
        """Line noise or a misconfigured scanner: `data` then the terminator."""
        self.feed_bytes(data + self._term)

    def feed_truncated(self, text: str, keep: int | None = None) -> None:
        """A scan cut off before its terminator (first `keep` bytes, default half)."""
        raw = text.encode("utf-8")
        self.feed_bytes(raw[: len(raw) // 2 if keep is None else keep])

    def unplug(self) -> None:
        with self._cond:
            self._plugged = False
            self._cond.notify_all()

    def replug(self) -> None:
        with self._cond:
            self._plugged = True
            self._cond.notify_all()

    # ------------------------------------------------------------------ Scanner

    def open(self) -> Self:
        with self._cond:
            if not self._plugged:
                raise ScannerError(SCANNER_NOT_FOUND, f"{self.source} is unplugged")
            self._open = True
            self.opens += 1
        return self

    def close(self) -> None:
        with self._cond:
            self._open = False
            self._lines.clear()
            self._assembler.drop_partial()
            self._cond.notify_all()

    def read(self, timeout: float | None) -> Scan | None:
        with self._cond:
            self._cond.wait_for(self._readable, timeout)
            if not self._open:
                raise ScannerError(SCANNER_CLOSED, f"{self.source} is closed")
            if not self._plugged:
                self._lines.clear()
                self._assembler.drop_partial()
                raise ScannerError(SCANNER_UNPLUGGED, f"{self.source} was unplugged")
            if not self._lines:
                return None
            return Scan(self._lines.popleft(), self.source, time.time())

    def _readable(self) -> bool:
        return bool(self._lines) or not (self._plugged and self._open)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
