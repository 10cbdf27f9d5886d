"""open_keypad: a Keypad from its config, chosen by the type string."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from drivers.buttons._config import (
    GpioConfig,
    HidConfig,
    KeypadConfig,
    SerialConfig,
    SimulatedConfig,
)
from drivers.buttons._gpio import GpioKeypad
from drivers.buttons._hid import HidKeypad
from drivers.buttons._model import Keypad, KeypadConfigError
from drivers.buttons._serial import SerialKeypad
from drivers.buttons._simulated import SimulatedKeypad

if TYPE_CHECKING:
    from gpiozero import Factory


def open_keypad(
    config: KeypadConfig,
    *,
    pin_factory: Factory | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Keypad:
    """Build (not yet open) the keypad `config` describes; KeypadReader opens it.

    `pin_factory` only matters for `gpio` (tests pass gpiozero's MockFactory).
    """
    t = config.transport
    if config.type == "hid" and isinstance(t, HidConfig):
        return HidKeypad(t.selector, t.keys, grab=t.grab, source=config.source, clock=clock)
    if config.type == "serial" and isinstance(t, SerialConfig):
        return SerialKeypad(t.port, baudrate=t.baudrate, source=config.source, clock=clock)
    if config.type == "gpio" and isinstance(t, GpioConfig):
        return GpioKeypad(
            t.pins,
            pull_up=t.pull_up,
            bounce_time_s=t.bounce_time_s,
            pin_factory=pin_factory,
            source=config.source or "gpio",
            clock=clock,
        )
    if config.type == "simulated" and isinstance(t, SimulatedConfig):
        return SimulatedKeypad(config.source or "simulated", clock=clock)
    raise KeypadConfigError(f"keypad type {config.type!r} does not match {type(t).__name__}")
