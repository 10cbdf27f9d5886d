"""Key events to text for keyboard-wedge scanners: pure, no evdev needed.

Key codes are the Linux input codes (linux/input-event-codes.h), which evdev.ecodes mirrors.
A scan is the characters typed until Enter (KEY_ENTER or KEY_KPENTER).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

EV_KEY = 1
KEY_UP, KEY_DOWN, KEY_REPEAT = 0, 1, 2
KEY_ENTER, KEY_KPENTER = 28, 96
KEY_LEFTSHIFT, KEY_RIGHTSHIFT, KEY_CAPSLOCK = 42, 54, 58
_SHIFTS = frozenset({KEY_LEFTSHIFT, KEY_RIGHTSHIFT})
_ENTERS = frozenset({KEY_ENTER, KEY_KPENTER})

#: A layout maps a key code to (unshifted, shifted) characters.
Layout = Mapping[int, tuple[str, str]]


def _row(first_code: int, plain: str, shifted: str) -> dict[int, tuple[str, str]]:
    return {first_code + i: (p, s) for i, (p, s) in enumerate(zip(plain, shifted, strict=True))}


US: Layout = {
    **_row(2, "1234567890-=", "!@#$%^&*()_+"),  # KEY_1 .. KEY_EQUAL
    **_row(16, "qwertyuiop[]", "QWERTYUIOP{}"),  # KEY_Q .. KEY_RIGHTBRACE
    **_row(30, "asdfghjkl;'`", 'ASDFGHJKL:"~'),  # KEY_A .. KEY_GRAVE
    43: ("\\", "|"),  # KEY_BACKSLASH
    **_row(44, "zxcvbnm,./", "ZXCVBNM<>?"),  # KEY_Z .. KEY_SLASH
    57: (" ", " "),  # KEY_SPACE
    **_row(71, "789-456+1230.", "789-456+1230."),  # keypad (num lock assumed on)
    98: ("/", "/"),  # KEY_KPSLASH
    55: ("*", "*"),  # KEY_KPASTERISK
}

#: German QWERTZ (z/y swapped, other punctuation): an example of a non-US wedge setting.
DE: Layout = {
    **US,
    **_row(2, "1234567890ß", '!"§$%&/()=?'),
    21: ("z", "Z"),
    44: ("y", "Y"),
    12: ("ß", "?"),
    13: ("´", "`"),
    26: ("ü", "Ü"),
    27: ("+", "*"),
    39: ("ö", "Ö"),
    40: ("ä", "Ä"),
    41: ("^", "°"),
    43: ("#", "'"),
    51: (",", ";"),
    52: (".", ":"),
    53: ("-", "_"),
}

LAYOUTS: dict[str, Layout] = {"us": US, "de": DE}


class KeyTranslator:
    """Feeds key events one by one; returns a finished line when Enter is pressed.

    Shift is tracked from press/release; Caps Lock toggles letters only. Auto-repeat and
    unknown keys are ignored. `pending` is the text typed since the last Enter.
    """

    def __init__(self, layout: Layout = US) -> None:
        self._layout = layout
        self._shift: set[int] = set()
        self._caps = False
        self._chars: list[str] = []

    @property
    def pending(self) -> str:
        return "".join(self._chars)

    def reset(self) -> None:
        """Forget modifiers and a partial line (after an unplug or a regrab)."""
        self._shift.clear()
        self._caps = False
        self._chars.clear()

    def feed(self, ev_type: int, code: int, value: int) -> str | None:
        """One input event; returns the completed line on Enter, else None."""
        if ev_type != EV_KEY:
            return None
        if code in _SHIFTS:
            self._set_shift(code, value)
            return None
        if value != KEY_DOWN:
            return None
        if code in _ENTERS:
            line, self._chars = "".join(self._chars), []
            return line
        if code == KEY_CAPSLOCK:
            self._caps = not self._caps
        elif code in self._layout:
            self._chars.append(self._char(code))
        return None

    def _set_shift(self, code: int, value: int) -> None:
        if value == KEY_UP:
            self._shift.discard(code)
        else:
            self._shift.add(code)

    def _char(self, code: int) -> str:
        plain, shifted = self._layout[code]
        shift = bool(self._shift)
        if self._caps and plain.isalpha():
            shift = not shift
        return shifted if shift else plain


def translate_events(
    events: Iterable[tuple[int, int, int]], layout: Layout = US
) -> tuple[list[str], str]:
    """(type, code, value) events -> (completed lines, text left without an Enter)."""
    translator = KeyTranslator(layout)
    lines = [line for ev in events if (line := translator.feed(*ev)) is not None]
    return lines, translator.pending
