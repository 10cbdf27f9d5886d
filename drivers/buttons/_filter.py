"""PressFilter: contact bounce and nervous double presses, as a pure function of timestamps."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from drivers.buttons._model import Button, Press

DEFAULT_DEBOUNCE_S = 0.05
DEFAULT_REPEAT_WINDOW_S = 1.5


class Verdict(enum.Enum):
    ACCEPTED = "accepted"
    BOUNCE = "bounce"  # same button again within debounce_s of its last press
    REPEAT = "repeat"  # same button again within repeat_window_s of its last accepted press


@dataclass
class _Seen:
    last_seen: float
    last_accepted: float


@dataclass
class PressFilter:
    """Decides per press; keeps state per button, so different buttons never merge.

    Timestamps come from the press (`Press.at`), never from a clock read here. A timestamp
    earlier than the button's last one (a clock stepped back) is accepted and restarts that
    button's windows: losing a press would be worse than a rare double.
    """

    debounce_s: float = DEFAULT_DEBOUNCE_S
    repeat_window_s: float = DEFAULT_REPEAT_WINDOW_S
    _state: dict[Button, _Seen] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.debounce_s < 0 or self.repeat_window_s < 0:
            raise ValueError("debounce_s and repeat_window_s must be >= 0")

    def feed(self, press: Press) -> Verdict:
        seen = self._state.get(press.button)
        verdict = self._judge(seen, press.at)
        if verdict is Verdict.ACCEPTED:
            self._state[press.button] = _Seen(press.at, press.at)
        else:
            assert seen is not None
            seen.last_seen = press.at
        return verdict

    def accept(self, press: Press) -> bool:
        return self.feed(press) is Verdict.ACCEPTED

    def reset(self) -> None:
        """Forget history, e.g. after the keypad was replugged."""
        self._state.clear()

    def _judge(self, seen: _Seen | None, at: float) -> Verdict:
        if seen is None or at < seen.last_seen or at < seen.last_accepted:
            return Verdict.ACCEPTED
        if at - seen.last_seen < self.debounce_s:
            return Verdict.BOUNCE
        if at - seen.last_accepted < self.repeat_window_s:
            return Verdict.REPEAT
        return Verdict.ACCEPTED
