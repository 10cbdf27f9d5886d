"""The keypad seam: buttons, presses, status, errors and the button -> command table."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, Protocol


class Button(enum.Enum):
    """A key. A counter's call buttons: the first four on every keypad, START, TRANSFER and
    PAUSE on bigger ones. A kiosk's voice-guidance keypad: VOICE (starts the guidance),
    NEXT, PREVIOUS, CHOOSE, BACK, REPEAT, HELP. The app gives a key its meaning."""

    NEXT = "NEXT"
    RECALL = "RECALL"
    NO_SHOW = "NO_SHOW"
    COMPLETE = "COMPLETE"
    START = "START"
    TRANSFER = "TRANSFER"
    PAUSE = "PAUSE"
    VOICE = "VOICE"
    PREVIOUS = "PREVIOUS"
    CHOOSE = "CHOOSE"
    BACK = "BACK"
    REPEAT = "REPEAT"
    HELP = "HELP"


CORE_BUTTONS = frozenset({Button.NEXT, Button.RECALL, Button.NO_SHOW, Button.COMPLETE})
KIOSK_BUTTONS = frozenset({Button.VOICE, Button.NEXT, Button.PREVIOUS, Button.CHOOSE,
                           Button.BACK, Button.REPEAT, Button.HELP})


@dataclass(frozen=True, slots=True)
class Press:
    """One button press: which button, when (monotonic seconds), and from which keypad."""

    button: Button
    at: float
    source: str


class KeypadStatus(enum.Enum):
    CONNECTED = "connected"
    UNPLUGGED = "unplugged"
    STOPPED = "stopped"


class KeypadError(Exception):
    """Base of every error this package raises; `code` is stable and may go on the wire."""

    code = "keypad_error"


class KeypadUnplugged(KeypadError):
    """The device is absent or went away; the reader retries with backoff."""

    code = "keypad_unplugged"


class KeypadConfigError(KeypadError):
    """A profile or config is invalid; the message names the file and the key."""

    code = "keypad_config"


class NoDirectCommand(KeypadError, LookupError):
    """The button sends no counter command: TRANSFER opens a dialog on the console, and the
    kiosk's keys are the kiosk's."""

    code = "keypad_no_direct_command"


class Keypad(Protocol):
    """What every transport implements. Only the reader thread calls `read`."""

    source: str

    def open(self) -> None:
        """Open the device; raise KeypadUnplugged if it is not there."""

    def read(self, timeout: float) -> Press | None:
        """Wait up to `timeout` s for one raw (unfiltered) press; KeypadUnplugged if gone."""

    def close(self) -> None:
        """Release the device. Safe to call twice and after a failed open."""


_OPS: dict[Button, str] = {
    Button.NEXT: "counter.call_next",
    Button.RECALL: "counter.recall",
    Button.NO_SHOW: "counter.no_show",
    Button.COMPLETE: "counter.complete",
    Button.START: "counter.start",
    Button.PAUSE: "counter.pause",
}


def command_for(button: Button, counter_id: str) -> tuple[str, dict[str, Any]]:
    """The (op, args) the console sends for `button`, the same as its on-screen button."""
    try:
        op = _OPS[button]
    except KeyError:
        why = ("opens the console's service chooser" if button is Button.TRANSFER
               else "is a kiosk key")
        raise NoDirectCommand(f"{button.name} {why}") from None
    return op, {"counter": counter_id}


def parse_button(name: str) -> Button:
    """`"next"`, `"NEXT"`, `"no-show"` -> Button; ValueError for anything else."""
    key = name.strip().upper().replace("-", "_")
    try:
        return Button[key]
    except KeyError:
        raise ValueError(f"unknown button {name!r}") from None
