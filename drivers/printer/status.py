"""ESC/POS real-time status (DLE EOT n), shared by the driver and the simulator.

Each reply is one byte with bits 1 and 4 set and bits 0 and 7 clear (Epson ESC/POS):
n=1 printer: 0x08 offline.  n=2 offline cause: 0x04 cover open, 0x20 stopped on paper end,
0x40 error.  n=3 error cause: 0x08 cutter, 0x20 unrecoverable, 0x40 auto-recoverable.
n=4 roll sensor: 0x0C near end, 0x60 paper end.
"""

from __future__ import annotations

from collections.abc import Callable

from drivers.printer.model import Paper, PrinterState, PrinterStatus

DLE_EOT = b"\x10\x04"
FIXED = 0x12
FIXED_MASK = 0x93
QUERIES = (1, 2, 3, 4)


def query_bytes(n: int) -> bytes:
    return DLE_EOT + bytes((n,))


def encode_reply(
    n: int,
    *,
    cover_open: bool = False,
    paper_out: bool = False,
    near_end: bool = False,
    error: bool = False,
) -> bytes:
    """The byte a printer in this condition answers to DLE EOT n (used by the simulator)."""
    bits = FIXED
    if n == 1 and (cover_open or paper_out or error):
        bits |= 0x08
    elif n == 2:
        bits |= (0x04 if cover_open else 0) | (0x20 if paper_out else 0) | (0x40 if error else 0)
    elif n == 3 and error:
        bits |= 0x08
    elif n == 4:
        bits |= (0x0C if near_end or paper_out else 0) | (0x60 if paper_out else 0)
    return bytes((bits,))


def read_status(ask: Callable[[int], bytes], *, near_end_sensor: bool = True) -> PrinterStatus:
    """Query DLE EOT 1..4 through `ask(n) -> reply`; an empty reply means offline."""
    replies: dict[int, int] = {}
    for n in QUERIES:
        reply = ask(n)
        if not reply:
            return PrinterStatus(PrinterState.OFFLINE, online=False)
        replies[n] = reply[-1]
    return decode(replies, near_end_sensor=near_end_sensor)


def decode(replies: dict[int, int], *, near_end_sensor: bool = True) -> PrinterStatus:
    if any(b & FIXED_MASK != FIXED for b in replies.values()):
        return PrinterStatus(PrinterState.ERROR, online=True, error=True)
    cover_open = bool(replies[2] & 0x04)
    error = bool(replies[2] & 0x40 or replies[3] & 0x68)
    paper = _paper(replies[4], replies[2], near_end_sensor=near_end_sensor)
    if cover_open:
        state = PrinterState.COVER_OPEN
    elif paper is Paper.OUT:
        state = PrinterState.PAPER_OUT
    elif error:
        state = PrinterState.ERROR
    elif paper is Paper.NEAR_END:
        state = PrinterState.PAPER_NEAR_END
    else:
        state = PrinterState.READY
    return PrinterStatus(state, online=True, paper=paper, cover_open=cover_open, error=error)


def _paper(roll: int, cause: int, *, near_end_sensor: bool) -> Paper:
    if roll & 0x60 or cause & 0x20:
        return Paper.OUT
    if roll & 0x0C and near_end_sensor:
        return Paper.NEAR_END
    return Paper.OK
