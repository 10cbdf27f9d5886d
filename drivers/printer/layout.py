"""A TicketLayout as ESC/POS commands, written through python-escpos's command logic."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING

from drivers.printer.model import TicketLayout

if TYPE_CHECKING:
    from escpos.escpos import Escpos

FONT_A_DOTS = 12  # Font A is 12 x 24 dots on 203 dpi heads
QR_EC_M = 1  # escpos QR_ECLEVEL_M


@dataclass(frozen=True)
class RenderOptions:
    """What the layout needs to know about the printer."""

    escpos_profile: str = "default"
    width_dots: int = 576
    native_qr: bool = True

    @property
    def columns(self) -> int:
        return self.width_dots // FONT_A_DOTS

    @property
    def qr_module_dots(self) -> int:
        return 6 if self.width_dots >= 512 else 5


def ticket_bytes(layout: TicketLayout, options: RenderOptions) -> bytes:
    """The whole ticket, from init to cut, as one byte string."""
    from drivers.printer._escpos import Dummy

    sink = Dummy(profile=options.escpos_profile)
    write_ticket(sink, layout, options)
    return sink.output


def number_size(number: str, options: RenderOptions) -> int:
    """The character multiplier for the big number: quad size when it fits the roll."""
    return max(1, min(4, options.width_dots // (FONT_A_DOTS * max(1, len(number)))))


def write_ticket(esc: Escpos, layout: TicketLayout, options: RenderOptions) -> None:
    esc.hw("INIT")
    _copy_mark(esc, layout, options)
    _header(esc, layout, options)
    _number(esc, layout, options)
    _details(esc, layout, options)
    _qr(esc, layout, options)
    esc.set(align="center", bold=False, normal_textsize=True)
    _lines(esc, layout.footer_lines, options)
    esc.cut()


def _copy_mark(esc: Escpos, layout: TicketLayout, options: RenderOptions) -> None:
    """A reprint says so at its top, double size, so nobody takes it for a second number."""
    if not layout.copy_mark:
        return
    size = 2 if len(layout.copy_mark) * FONT_A_DOTS * 2 <= options.width_dots else 1
    esc.set(align="center", bold=True, custom_size=True, width=size, height=size)
    esc.textln(layout.copy_mark)
    esc.set(bold=False, normal_textsize=True)


def _header(esc: Escpos, layout: TicketLayout, options: RenderOptions) -> None:
    esc.set(align="center", bold=True, normal_textsize=True)
    _lines(esc, [layout.mall_name], options)
    esc.set(bold=False)
    _lines(esc, [layout.agency_name], options)
    esc.set(bold=True)
    _lines(esc, [layout.service_name], options)
    esc.set(bold=False)
    esc.textln("-" * options.columns)


def _number(esc: Escpos, layout: TicketLayout, options: RenderOptions) -> None:
    _lines(esc, [layout.number_label], options)
    size = number_size(layout.number, options)
    esc.set(bold=True, custom_size=True, width=size, height=size)
    esc.textln(layout.number)
    esc.set(bold=False, normal_textsize=True)


def _details(esc: Escpos, layout: TicketLayout, options: RenderOptions) -> None:
    _lines(esc, [layout.issued_at], options)
    esc.textln("-" * options.columns)
    _lines(esc, [layout.ahead_label, str(layout.ahead)], options)
    _lines(esc, [layout.wait_label, layout.wait_text], options)


def _qr(esc: Escpos, layout: TicketLayout, options: RenderOptions) -> None:
    if not layout.qr_payload:
        return
    esc.ln()
    size = options.qr_module_dots
    if options.native_qr:
        esc.qr(layout.qr_payload, ec=QR_EC_M, size=size, native=True)
        esc.ln()
    else:
        esc.qr(layout.qr_payload, ec=QR_EC_M, size=size, native=False, center=True)


def _lines(esc: Escpos, texts: list[str] | tuple[str, ...], options: RenderOptions) -> None:
    for text in texts:
        for line in textwrap.wrap(text, options.columns) or [""]:
            esc.textln(line)
