"""An incremental ESC/POS parser: bytes in, `Command`s out (the simulator's input side).

Covers what tickets use: text, LF, ESC @, ESC ! / GS ! sizes, ESC E bold, ESC - underline,
ESC a alignment, ESC t code page, ESC d / ESC J feeds, GS ( k QR (model, size, EC, store,
print), GS v 0 raster images, GS ( L graphics (skipped), GS V cut and DLE EOT n. Anything
else becomes an `unknown` command so tests can assert there is none.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ESC, GS, DLE = 0x1B, 0x1D, 0x10

# ESC commands with one parameter byte, mapped to a command name (None: accepted, no effect).
_ESC_ONE_ARG: dict[int, str | None] = {
    ord("!"): "mode",
    ord("E"): "bold",
    ord("-"): "underline",
    ord("a"): "align",
    ord("d"): "feed_lines",
    ord("J"): "feed_dots",
    ord("M"): "font",
    ord("G"): None,  # double strike
    ord("t"): None,  # code page (text is decoded as PC437)
    ord("R"): None,  # international character set
    ord("3"): "line_spacing",
    ord("{"): None,  # upside down
    ord("V"): None,  # 90 degree rotation
    ord("c"): None,
}
_GS_ONE_ARG: dict[int, str | None] = {
    ord("!"): "size",
    ord("B"): "invert",
    ord("b"): None,  # smoothing
    ord("h"): None,
    ord("w"): None,
    ord("H"): None,
    ord("f"): None,
}


class _Incomplete(Exception):
    """The buffer ends inside a command: wait for more bytes."""


@dataclass(frozen=True)
class Command:
    name: str
    args: tuple = ()
    raw: bytes = field(default=b"", compare=False, repr=False)


@dataclass
class _QrState:
    model: int = 2
    module: int = 3
    ec: int = 0
    data: bytes = b""


@dataclass
class EscposParser:
    """Feed bytes as they arrive; get back complete commands in order."""

    _buf: bytearray = field(default_factory=bytearray)
    _qr: _QrState = field(default_factory=_QrState)

    def feed(self, data: bytes) -> list[Command]:
        self._buf += data
        out: list[Command] = []
        i = start = 0
        while i < len(self._buf):
            try:
                cmd, i = self._one(i)
            except _Incomplete:
                break
            raw = bytes(self._buf[start:i])
            out.append(Command(cmd.name, cmd.args, raw) if cmd else Command("ignored", (), raw))
            start = i
        del self._buf[:i]
        return out

    @property
    def pending(self) -> int:
        """Bytes held back because they end inside a command."""
        return len(self._buf)

    def _need(self, i: int, n: int) -> bytes:
        if i + n > len(self._buf):
            raise _Incomplete
        return bytes(self._buf[i : i + n])

    def _one(self, i: int) -> tuple[Command | None, int]:
        b = self._buf[i]
        if b == ESC:
            return self._esc(i)
        if b == GS:
            return self._gs(i)
        if b == DLE:
            return self._dle(i)
        if b == 0x0A:
            return Command("lf"), i + 1
        if b < 0x20 or b == 0x7F:
            return None, i + 1  # CR, HT and other controls do not print on their own
        j = i
        while j < len(self._buf) and self._buf[j] >= 0x20 and self._buf[j] != 0x7F:
            j += 1
        return Command("text", (bytes(self._buf[i:j]).decode("cp437"),)), j

    def _esc(self, i: int) -> tuple[Command | None, int]:
        c = self._need(i + 1, 1)[0]
        if c == ord("@"):
            self._qr = _QrState()
            return Command("init"), i + 2
        if c == ord("2"):
            return Command("line_spacing", (None,)), i + 2
        if c in _ESC_ONE_ARG:
            n = self._need(i + 2, 1)[0]
            name = _ESC_ONE_ARG[c]
            return (Command(name, (n,)) if name else None), i + 3
        if c == ord("p"):
            self._need(i + 2, 3)
            return None, i + 5
        return Command("unknown", (self._need(i, 2),)), i + 2

    def _gs(self, i: int) -> tuple[Command | None, int]:
        c = self._need(i + 1, 1)[0]
        if c in _GS_ONE_ARG:
            n = self._need(i + 2, 1)[0]
            name = _GS_ONE_ARG[c]
            return (Command(name, (n,)) if name else None), i + 3
        if c == ord("V"):
            return self._cut(i)
        if c == ord("v"):
            return self._raster(i)
        if c == ord("("):
            return self._gs_paren(i)
        return Command("unknown", (self._need(i, 2),)), i + 2

    def _dle(self, i: int) -> tuple[Command | None, int]:
        c = self._need(i + 1, 1)[0]
        if c == 0x04:
            return Command("status", (self._need(i + 2, 1)[0],)), i + 3
        return None, i + 1

    def _cut(self, i: int) -> tuple[Command, int]:
        m = self._need(i + 2, 1)[0]
        if m in (65, 66, 97, 98, 103, 104):
            return Command("cut", (m, self._need(i + 3, 1)[0])), i + 4
        return Command("cut", (m, 0)), i + 3

    def _raster(self, i: int) -> tuple[Command, int]:
        head = self._need(i + 2, 6)  # '0' m xL xH yL yH
        width_bytes = head[2] | head[3] << 8
        height = head[4] | head[5] << 8
        size = width_bytes * height
        data = self._need(i + 8, size)
        from PIL import Image  # only raster images need Pillow

        # ESC/POS: bit 1 is a black dot; PIL mode "1": bit 1 is white.
        image = Image.frombytes("1", (width_bytes * 8, height), bytes(x ^ 0xFF for x in data))
        return Command("image", (image,)), i + 8 + size

    def _gs_paren(self, i: int) -> tuple[Command | None, int]:
        head = self._need(i + 2, 3)  # fn-letter pL pH
        length = head[1] | head[2] << 8
        body = self._need(i + 5, length)
        end = i + 5 + length
        if head[0] == ord("k") and length >= 2 and body[0] == ord("1"):
            return self._qr_fn(body[1], body[2:]), end
        if head[0] in (ord("k"), ord("L")):
            return None, end
        return Command("unknown", (self._need(i, 3),)), end

    def _qr_fn(self, fn: int, rest: bytes) -> Command | None:
        if fn == 65 and rest:
            self._qr.model = rest[0] - 48
        elif fn == 67 and rest:
            self._qr.module = rest[0]
        elif fn == 69 and rest:
            self._qr.ec = rest[0] - 48
        elif fn == 80 and rest:
            self._qr.data = rest[1:]  # after m = '0'
        elif fn == 81:
            q = self._qr
            return Command("qr", (q.data.decode("utf-8"), q.module, q.ec, q.model))
        return None
