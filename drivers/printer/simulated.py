"""A simulated thermal printer that receives the real ESC/POS byte stream.

`PrinterSimulator` is the device: feed it bytes with `receive()`, it answers DLE EOT status
queries the way an Epson printer does, parses everything else and renders each cut ticket
to a PNG. Faults are injected through `faults`. It sits behind any transport: in process
(`transports.SimulatedTransport`, the `simulated` config type), behind a TCP socket (port 9100
protocol) or on the master side of a pty (serial).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from drivers.printer.escpos_parser import Command, EscposParser
from drivers.printer.status import encode_reply

if TYPE_CHECKING:
    from drivers.printer.render import RenderedTicket


class SimulatedDisconnect(BrokenPipeError):
    """The simulated printer is unplugged (offline fault or `fail_after_bytes` reached)."""


@dataclass
class Faults:
    """Injectable faults. `fail_after_bytes`: accept that many more bytes, then go offline.
    `paper_out_after_bytes`: print that many more bytes (status queries not counted), then
    the roll ends: paper out, the page being printed is lost, later bytes are dropped."""

    paper_out: bool = False
    paper_near_end: bool = False
    cover_open: bool = False
    error: bool = False
    offline: bool = False
    fail_after_bytes: int | None = None
    paper_out_after_bytes: int | None = None


@dataclass
class PrinterSimulator:
    width_dots: int = 576
    output_dir: Path | None = None
    name: str = "sim"
    max_tickets: int = 50  # the oldest are forgotten (a demo kiosk runs all day)
    faults: Faults = field(default_factory=Faults)
    tickets: list[RenderedTicket] = field(default_factory=list)
    unknown_commands: list[bytes] = field(default_factory=list)
    dropped_bytes: int = 0
    lost_pages: int = 0  # pages the roll ended in the middle of (paper_out_after_bytes)

    def __post_init__(self) -> None:
        from drivers.printer.render import TicketBuilder  # Pillow: when a simulator is made

        self._parser = EscposParser()
        self._builder = TicketBuilder(self.width_dots)
        self._page = bytearray()

    @property
    def pending_bytes(self) -> int:
        return self._parser.pending

    def receive(self, data: bytes) -> bytes:
        """Take bytes from the host; return the bytes the printer sends back."""
        accepted = self._accept(data)
        replies = bytearray()
        for cmd in self._parser.feed(accepted):
            if cmd.name == "status":
                replies += self.status_reply(cmd.args[0])
                continue
            self._use_paper(len(cmd.raw))
            if self._printable():
                self._page += cmd.raw
                self._apply(cmd)
            else:
                self.dropped_bytes += len(cmd.raw)
        if len(accepted) < len(data):
            self.faults.offline = True
            raise SimulatedDisconnect(f"{self.name}: connection lost mid-print")
        return bytes(replies)

    def _use_paper(self, size: int) -> None:
        """The `paper_out_after_bytes` fault: the roll ends in the middle of a page, and
        what was printed of that page tears off unfinished (no ticket comes out)."""
        left = self.faults.paper_out_after_bytes
        if left is None:
            return
        if size <= left:
            self.faults.paper_out_after_bytes = left - size
            return
        from drivers.printer.render import TicketBuilder

        self.faults.paper_out, self.faults.paper_out_after_bytes = True, None
        if self._page:
            self.lost_pages += 1
        self._page.clear()
        self._builder = TicketBuilder(self.width_dots)

    def tear_off(self) -> RenderedTicket | None:
        """Finish the page by hand, as a citizen tears paper off a printer with no cutter
        (python-escpos sends no GS V for profiles without one, e.g. POS-5890)."""
        if not self._page:
            return None
        self._apply(Command("cut", (0, 0)))
        return self.tickets[-1]

    def status_reply(self, n: int) -> bytes:
        f = self.faults
        return encode_reply(
            n,
            cover_open=f.cover_open,
            paper_out=f.paper_out,
            near_end=f.paper_near_end,
            error=f.error,
        )

    def _accept(self, data: bytes) -> bytes:
        """Apply the offline and fail-after faults; return the part the printer got."""
        if self.faults.offline:
            raise SimulatedDisconnect(f"{self.name}: printer offline")
        left = self.faults.fail_after_bytes
        if left is not None:
            self.faults.fail_after_bytes = max(0, left - len(data))
            data = data[:left]
        return data

    def _printable(self) -> bool:
        f = self.faults
        return not (f.paper_out or f.cover_open or f.error)

    def _apply(self, cmd: Command) -> None:
        if cmd.name == "unknown":
            self.unknown_commands.append(cmd.args[0])
        if cmd.name != "cut":
            self._builder.apply(cmd)
            return
        ticket = self._builder.cut(bytes(self._page))
        self._page.clear()
        if self.output_dir is not None:
            ticket.png_path = self.output_dir / f"{self.name}-{len(self.tickets) + 1:04d}.png"
            ticket.image.save(ticket.png_path)
        self.tickets.append(ticket)
        del self.tickets[: -self.max_tickets]
