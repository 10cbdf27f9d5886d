"""Lines from a file: training kiosks and the demo. Data appended later is read too."""

from __future__ import annotations

import threading
import time
from collections import deque
from pathlib import Path
from typing import BinaryIO, Self

from ._lines import LineAssembler, terminator_bytes
from ._types import SCANNER_CLOSED, SCANNER_NOT_FOUND, Scan, ScannerError

#: How often the end of the file is checked again for appended lines.
POLL_INTERVAL_S = 0.05


class FileScanner:
    """Yields the file's lines in order, then waits for lines appended to it (like tail -f).

    A last line without a terminator is returned once the file has stopped growing for
    one read (`read` then flushes it), so hand-written files need no final newline.
    """

    def __init__(self, path: str | Path, *, terminator: str = "LF") -> None:
        self.path = Path(path)
        self.source = f"file:{self.path}"
        self._assembler = LineAssembler(terminator, stale_after=float("inf"))
        self._eol = terminator_bytes(terminator)
        self._lines: deque[str] = deque()
        self._file: BinaryIO | None = None
        self._closed = threading.Event()

    def open(self) -> Self:
        self.close()
        try:
            self._file = self.path.open("rb")
        except OSError as err:
            raise ScannerError(SCANNER_NOT_FOUND, f"cannot open {self.path}: {err}") from err
        self._closed.clear()
        return self

    def close(self) -> None:
        file, self._file = self._file, None
        self._closed.set()
        self._assembler.drop_partial()
        self._lines.clear()
        if file is not None:
            file.close()

    def read(self, timeout: float | None) -> Scan | None:
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._lines:
            if self._file is None:
                raise ScannerError(SCANNER_CLOSED, f"{self.path} is not open")
            try:
                data = self._file.read(4096)
            except (OSError, ValueError) as err:  # ValueError: closed by another thread
                raise ScannerError(SCANNER_CLOSED, f"{self.path}: {err}") from err
            self._lines.extend(self._assembler.feed(data))
            if data:
                continue
            self._lines.extend(self._assembler.feed(self._eol))  # flush a final line
            if self._lines:
                break
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                return None
            self._closed.wait(min(remaining or POLL_INTERVAL_S, POLL_INTERVAL_S))
        return Scan(self._lines.popleft(), self.source, time.time())

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
