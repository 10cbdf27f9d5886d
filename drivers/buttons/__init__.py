"""Hardware call buttons: keypads that yield presses, behind one small interface.

See docs/drivers-buttons.md. Imports no Qt, MQTT or SQLAlchemy; evdev and gpiozero are
imported only when a hid or gpio keypad is opened.
"""

from drivers.buttons._config import (
    FilterConfig,
    GpioConfig,
    HidConfig,
    KeypadConfig,
    SerialConfig,
    SimulatedConfig,
    load_keypad_profile,
    parse_keypad_config,
)
from drivers.buttons._factory import open_keypad
from drivers.buttons._filter import PressFilter, Verdict
from drivers.buttons._gpio import GpioKeypad
from drivers.buttons._hid import DeviceInfo, HidKeypad, HidSelector, button_for_event
from drivers.buttons._model import (
    CORE_BUTTONS,
    KIOSK_BUTTONS,
    Button,
    Keypad,
    KeypadConfigError,
    KeypadError,
    KeypadStatus,
    KeypadUnplugged,
    NoDirectCommand,
    Press,
    command_for,
)
from drivers.buttons._reader import KeypadReader
from drivers.buttons._serial import SerialKeypad
from drivers.buttons._serial_protocol import ButtonLine, HelloLine, UnknownLine, parse_line
from drivers.buttons._simulated import SimulatedKeypad

__all__ = [
    "CORE_BUTTONS",
    "KIOSK_BUTTONS",
    "Button",
    "ButtonLine",
    "DeviceInfo",
    "FilterConfig",
    "GpioConfig",
    "GpioKeypad",
    "HelloLine",
    "HidConfig",
    "HidKeypad",
    "HidSelector",
    "Keypad",
    "KeypadConfig",
    "KeypadConfigError",
    "KeypadError",
    "KeypadReader",
    "KeypadStatus",
    "KeypadUnplugged",
    "NoDirectCommand",
    "Press",
    "PressFilter",
    "SerialConfig",
    "SerialKeypad",
    "SimulatedConfig",
    "SimulatedKeypad",
    "UnknownLine",
    "Verdict",
    "button_for_event",
    "command_for",
    "load_keypad_profile",
    "open_keypad",
    "parse_keypad_config",
    "parse_line",
]
