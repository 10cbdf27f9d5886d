"""HidKeypad: a small USB HID keypad through evdev, grabbed so its keys never reach the UI.

The key-code mapping and the device choice are pure functions (`button_for_event`,
`select_device`) so they are tested without /dev/uinput.
"""

from __future__ import annotations

import logging
import os
import select
import stat
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from drivers.buttons._model import Button, KeypadError, KeypadUnplugged, Press

if TYPE_CHECKING:
    from evdev import InputDevice

log = logging.getLogger(__name__)

EV_KEY = 1  # linux/input-event-codes.h; fixed ABI, saves importing evdev for pure use
KEY_DOWN = 1  # 0 is up, 2 is autorepeat: neither is a press


@dataclass(frozen=True, slots=True)
class HidSelector:
    """Which input device: by path, else by vendor:product, else by exact name."""

    path: str | None = None
    vendor_product: tuple[int, int] | None = None
    name: str | None = None

    def __post_init__(self) -> None:
        if self.path is None and self.vendor_product is None and self.name is None:
            raise ValueError("HidSelector needs path, vendor_product or name")

    def describe(self) -> str:
        if self.path is not None:
            return self.path
        if self.vendor_product is not None:
            return "{:04x}:{:04x}".format(*self.vendor_product)
        return repr(self.name)


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    path: str
    name: str
    vendor: int
    product: int


def select_device(candidates: Iterable[DeviceInfo], selector: HidSelector) -> DeviceInfo | None:
    """The first candidate matching every field the selector sets."""
    for info in candidates:
        if selector.path is not None and info.path != selector.path:
            continue
        if selector.vendor_product is not None and (
            (info.vendor, info.product) != selector.vendor_product
        ):
            continue
        if selector.name is not None and info.name != selector.name:
            continue
        return info
    return None


def button_for_event(
    ev_type: int, code: int, value: int, keymap: Mapping[int, Button]
) -> Button | None:
    """The button an input event presses, or None (other event types, releases, repeats)."""
    if ev_type != EV_KEY or value != KEY_DOWN:
        return None
    return keymap.get(code)


def parse_key_code(name: str) -> int:
    """`"KEY_KP1"` or `"79"` -> 79; ValueError if unknown."""
    if name.isdigit():
        return int(name)
    from evdev import ecodes

    code = ecodes.ecodes.get(name)
    if not isinstance(code, int) or not name.startswith(("KEY_", "BTN_")):
        raise ValueError(f"unknown key code {name!r}")
    return code


class HidKeypad:
    def __init__(
        self,
        selector: HidSelector,
        keymap: Mapping[int, Button],
        *,
        grab: bool = True,
        source: str | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.selector = selector
        self.keymap = dict(keymap)
        self.grab = grab
        self.source = source or f"hid:{selector.describe()}"
        self._clock = clock
        self._device: InputDevice | None = None
        self._pending: deque[Press] = deque()

    def open(self) -> None:
        self.close()
        device = _open_matching(self.selector)
        if device is None:
            raise KeypadUnplugged(f"{self.source}: no input device matches")
        if self.grab:
            try:
                device.grab()
            except OSError as err:
                device.close()
                raise KeypadError(f"{self.source}: cannot grab {device.path!r}: {err}") from err
        self._device = device

    def read(self, timeout: float) -> Press | None:
        if not self._pending:
            self._poll(timeout)
        return self._pending.popleft() if self._pending else None

    def close(self) -> None:
        device, self._device = self._device, None
        self._pending.clear()
        if device is not None:
            try:
                device.close()
            except OSError as err:
                log.debug("%s: close failed: %s", self.source, err)

    def _poll(self, timeout: float) -> None:
        device = self._device
        if device is None:
            raise KeypadUnplugged(f"{self.source}: not open")
        try:
            ready, _, _ = select.select([device], [], [], timeout)
            while ready and (event := device.read_one()) is not None:
                self._handle(event.type, event.code, event.value)
        except OSError as err:
            raise KeypadUnplugged(f"{self.source}: read failed: {err}") from err

    def _handle(self, ev_type: int, code: int, value: int) -> None:
        button = button_for_event(ev_type, code, value, self.keymap)
        if button is not None:
            self._pending.append(Press(button, self._clock(), self.source))
        elif ev_type == EV_KEY and value == KEY_DOWN:
            log.info("%s: unmapped key code %d", self.source, code)


def _open_matching(selector: HidSelector) -> InputDevice | None:
    """Open the matching evdev.InputDevice (others are closed again), or None."""
    import evdev

    paths = [selector.path] if selector.path is not None else evdev.list_devices()
    for path in paths:
        if not _is_char_device(path):
            continue  # evdev would leave the fd of a failed open to its __del__
        try:
            device = evdev.InputDevice(path)
        except OSError:
            continue
        info = DeviceInfo(
            os.fsdecode(device.path), device.name, device.info.vendor, device.info.product
        )
        if select_device([info], selector) is not None:
            return device
        device.close()
    return None


def _is_char_device(path: str) -> bool:
    try:
        return stat.S_ISCHR(os.stat(path).st_mode)
    except OSError:
        return False
