"""The serial keypad line protocol, as pure functions (no I/O). See docs/drivers-buttons.md.

Keypad -> host, ASCII, one message per line, `\\n` terminated (`\\r\\n` tolerated):

    HELLO <model> <firmware>     at power-up / after reset
    BTN <BUTTON>                 a press, BUTTON one of NEXT RECALL NO_SHOW COMPLETE START
                                 TRANSFER PAUSE (counters), VOICE PREVIOUS CHOOSE BACK
                                 REPEAT HELP (a kiosk's voice guidance; NEXT too)

Anything else (and any line longer than MAX_LINE bytes) is ignored with a log line.
"""

from __future__ import annotations

from dataclasses import dataclass

from drivers.buttons._model import Button, parse_button

MAX_LINE = 64


@dataclass(frozen=True, slots=True)
class ButtonLine:
    button: Button


@dataclass(frozen=True, slots=True)
class HelloLine:
    model: str
    firmware: str


@dataclass(frozen=True, slots=True)
class UnknownLine:
    text: str
    reason: str


Message = ButtonLine | HelloLine | UnknownLine


def parse_line(raw: bytes) -> Message:
    """One line without its terminator -> a message. Never raises."""
    try:
        text = raw.decode("ascii").strip()
    except UnicodeDecodeError:
        return UnknownLine(raw.decode("ascii", "backslashreplace"), "not ASCII")
    words = text.split()
    if not words:
        return UnknownLine(text, "empty")
    verb = words[0].upper()
    if verb == "BTN" and len(words) == 2:
        try:
            return ButtonLine(parse_button(words[1]))
        except ValueError:
            return UnknownLine(text, "unknown button")
    if verb == "HELLO" and len(words) == 3:
        return HelloLine(words[1], words[2])
    return UnknownLine(text, "unknown message")


class LineSplitter:
    """Bytes in (any chunking) -> complete lines out; overlong lines become one marker."""

    OVERLONG = b"\x00overlong"

    def __init__(self) -> None:
        self._buf = bytearray()
        self._discarding = False

    def feed(self, data: bytes) -> list[bytes]:
        lines: list[bytes] = []
        self._buf += data
        while (nl := self._buf.find(b"\n")) >= 0:
            line = bytes(self._buf[:nl]).rstrip(b"\r")
            del self._buf[: nl + 1]
            lines.append(self.OVERLONG if self._discarding or len(line) > MAX_LINE else line)
            self._discarding = False
        if len(self._buf) > MAX_LINE:
            self._buf.clear()
            self._discarding = True
        return lines

    def reset(self) -> None:
        self._buf.clear()
        self._discarding = False
