"""Bytes to lines: reassembly across reads, terminators, decoding, control characters."""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Callable

from ._types import SCANNER_CONFIG, ScannerError

TERMINATORS: dict[str, bytes] = {"CR": b"\r", "LF": b"\n", "CRLF": b"\r\n"}

#: A partial line with no byte for this long is dropped before new data is added: a scanner
#: sends a whole code within milliseconds, so an old fragment is a truncated line, and
#: gluing it to the next scan could form a different, valid-looking code.
DEFAULT_STALE_AFTER_S = 1.0

#: A buffer this long without a terminator is flushed as one line (classify() then calls
#: it too long), so a stream of garbage cannot grow memory without bound.
DEFAULT_MAX_BUFFER = 4096


def terminator_bytes(name: str) -> bytes:
    """The bytes of a terminator name ("CR", "LF", "CRLF")."""
    try:
        return TERMINATORS[name.upper()]
    except KeyError:
        choices = ", ".join(TERMINATORS)
        raise ScannerError(SCANNER_CONFIG, f"terminator {name!r}: use one of {choices}") from None


def decode_line(raw: bytes) -> str:
    """UTF-8 when the bytes are valid UTF-8, else latin-1; control characters removed."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return strip_control(text)


def strip_control(text: str) -> str:
    """`text` without control characters (Unicode category Cc: C0, DEL, C1)."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cc")


class LineAssembler:
    """Collects bytes from a transport and returns each completed, decoded line.

    Empty lines (after removing control characters) are not returned: a bare terminator is
    not a scan.
    """

    def __init__(
        self,
        terminator: str = "CR",
        *,
        stale_after: float = DEFAULT_STALE_AFTER_S,
        max_buffer: int = DEFAULT_MAX_BUFFER,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._term = terminator_bytes(terminator)
        self._stale_after = stale_after
        self._max_buffer = max_buffer
        self._clock = clock
        self._buf = bytearray()
        self._last = 0.0
        self.dropped_partials = 0

    def feed(self, data: bytes) -> list[str]:
        """Add received bytes; return the lines they complete, in order."""
        now = self._clock()
        if self._buf and data and now - self._last > self._stale_after:
            self.drop_partial()
        if data:
            self._last = now
        self._buf.extend(data)
        return self._take_lines()

    def drop_partial(self) -> None:
        """Forget a line begun but not ended (on timeout, unplug or close)."""
        if self._buf:
            self.dropped_partials += 1
            self._buf.clear()

    def _take_lines(self) -> list[str]:
        raws = bytes(self._buf).split(self._term)
        self._buf[:] = raws.pop()
        if len(self._buf) > self._max_buffer:
            raws.append(bytes(self._buf))
            self._buf.clear()
        return [line for line in map(decode_line, raws) if line]
