"""Parsed ESC/POS commands to a paper roll: text lines, QR payloads and a Pillow image."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from drivers.printer._escpos import Dummy
from drivers.printer.escpos_parser import Command, EscposParser

CELL_W, CELL_H = 12, 24  # Font A on a 203 dpi head
DEFAULT_LINE_DOTS = 30
MARGIN_DOTS = 16
_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
_ALIGN = {0: "left", 1: "center", 2: "right", 48: "left", 49: "center", 50: "right"}


@dataclass(frozen=True)
class Run:
    text: str
    width: int
    height: int
    bold: bool


@dataclass
class _Line:
    runs: list[Run]
    align: str

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class _Style:
    bold: bool = False
    width: int = 1
    height: int = 1
    align: str = "left"
    line_dots: int = DEFAULT_LINE_DOTS


@dataclass
class RenderedTicket:
    """One cut ticket as the simulator saw it."""

    data: bytes
    lines: list[str]
    qr_payloads: list[str]
    image: Image.Image
    overflow: bool = False
    png_path: Path | None = None
    runs: list[list[Run]] = field(default_factory=list)


@cache
def _font(bold: bool, size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    name = "DejaVuSansMono-Bold.ttf" if bold else "DejaVuSansMono.ttf"
    try:
        return ImageFont.truetype(str(_FONT_DIR / name), size)
    except OSError:
        return ImageFont.load_default(size)


def qr_image(payload: str, module: int, ec: int) -> Image.Image:
    """The QR a printer would print, drawn by python-escpos's own image fallback (GS v 0)."""
    sink = Dummy(profile="TM-T20II")
    sink.qr(payload, ec=ec, size=module, native=False)
    images = [c.args[0] for c in EscposParser().feed(sink.output) if c.name == "image"]
    return images[0]


class TicketBuilder:
    """Lays commands out on a roll `width_dots` wide; `cut` returns the finished ticket."""

    def __init__(self, width_dots: int) -> None:
        self.width_dots = width_dots
        self._reset_page()

    def _reset_page(self) -> None:
        self.style = _Style()
        self._blocks: list[tuple[str, object, int]] = []  # (kind, payload, height)
        self._runs: list[Run] = []
        self._line_width = 0
        self._qrs: list[str] = []
        self._overflow = False

    def apply(self, cmd: Command) -> None:
        handler = getattr(self, f"_on_{cmd.name}", None)
        if handler is not None:
            handler(*cmd.args)

    def cut(self, data: bytes) -> RenderedTicket:
        self._end_line(force=False)
        lines = [b[1].text for b in self._blocks if b[0] == "line"]
        runs = [b[1].runs for b in self._blocks if b[0] == "line"]
        ticket = RenderedTicket(data, lines, self._qrs, self._draw(), self._overflow, runs=runs)
        self._reset_page()
        return ticket

    # command handlers
    def _on_init(self) -> None:
        self.style = _Style()

    def _on_mode(self, n: int) -> None:  # ESC ! also resets the size set by GS !
        self.style.bold = bool(n & 0x08)
        self.style.height = 2 if n & 0x10 else 1
        self.style.width = 2 if n & 0x20 else 1

    def _on_size(self, n: int) -> None:
        self.style.width = (n >> 4 & 0x07) + 1
        self.style.height = (n & 0x07) + 1

    def _on_bold(self, n: int) -> None:
        self.style.bold = bool(n & 1)

    def _on_align(self, n: int) -> None:
        self.style.align = _ALIGN.get(n, "left")

    def _on_line_spacing(self, n: int | None) -> None:
        self.style.line_dots = DEFAULT_LINE_DOTS if n is None else round(n * 203 / 180)

    def _on_text(self, text: str) -> None:
        cell = CELL_W * self.style.width
        while text:
            room = (self.width_dots - self._line_width) // cell
            if room <= 0:
                if not self._runs:  # wider than the paper even alone: printers drop it
                    self._overflow = True
                    return
                self._overflow = True
                self._end_line(force=True)
                continue
            part, text = text[:room], text[room:]
            self._add_run(Run(part, self.style.width, self.style.height, self.style.bold))
            self._line_width += len(part) * cell

    def _add_run(self, run: Run) -> None:
        last = self._runs[-1] if self._runs else None
        if last and (last.width, last.height, last.bold) == (run.width, run.height, run.bold):
            self._runs[-1] = Run(last.text + run.text, run.width, run.height, run.bold)
        else:
            self._runs.append(run)

    def _on_lf(self) -> None:
        self._end_line(force=True)

    def _on_feed_lines(self, n: int) -> None:
        self._end_line(force=False)
        self._blocks.extend(("feed", None, self.style.line_dots) for _ in range(n))

    def _on_feed_dots(self, n: int) -> None:
        self._end_line(force=False)
        self._blocks.append(("feed", None, round(n * 203 / 180)))

    def _on_image(self, image: Image.Image) -> None:
        self._end_line(force=False)
        self._blocks.append(("image", (image, self.style.align), image.height))

    def _on_qr(self, payload: str, module: int, ec: int, _model: int) -> None:
        self._qrs.append(payload)
        self._on_image(qr_image(payload, module, ec))

    # layout and drawing
    def _end_line(self, *, force: bool) -> None:
        if not self._runs and not force:
            return
        height = max((r.height for r in self._runs), default=self.style.height)
        dots = max(self.style.line_dots, CELL_H * height + 6)
        self._blocks.append(("line", _Line(self._runs, self.style.align), dots))
        self._runs, self._line_width = [], 0

    def _draw(self) -> Image.Image:
        total = sum(b[2] for b in self._blocks) + 2 * MARGIN_DOTS
        page = Image.new("L", (self.width_dots, total), 255)
        y = MARGIN_DOTS
        for kind, payload, height in self._blocks:
            if kind == "line":
                self._draw_line(page, payload, y, height)
            elif kind == "image":
                image, align = payload
                page.paste(image.convert("L"), (self._x(image.width, align), y))
            y += height
        return page

    def _draw_line(self, page: Image.Image, line: _Line, y: int, height: int) -> None:
        width = sum(len(r.text) * CELL_W * r.width for r in line.runs)
        x = self._x(width, line.align)
        for run in line.runs:
            glyphs = _run_image(run)
            page.paste(glyphs, (x, y + height - 6 - glyphs.height), glyphs.point(lambda v: 255 - v))
            x += glyphs.width

    def _x(self, width: int, align: str) -> int:
        if align == "center":
            return max(0, (self.width_dots - width) // 2)
        if align == "right":
            return max(0, self.width_dots - width)
        return 0


def _run_image(run: Run) -> Image.Image:
    """Text of one run, black on white, CELL_W*width by CELL_H*height dots per character."""
    scale = run.height
    font = _font(run.bold, 20 * scale)
    w, h = len(run.text) * CELL_W * scale, CELL_H * scale
    img = Image.new("L", (w, h), 255)
    draw = ImageDraw.Draw(img)
    for k, ch in enumerate(run.text):
        draw.text((k * CELL_W * scale, 0), ch, font=font, fill=0)
    target = (len(run.text) * CELL_W * run.width, h)
    return img if target == img.size else img.resize(target, Image.Resampling.LANCZOS)
