"""Keyboard-wedge (HID) scanners through evdev, with an exclusive grab.

The grab (EVIOCGRAB) makes this process the only reader of the device, so scanned
keystrokes never reach the compositor or the kiosk UI.
"""

from __future__ import annotations

import errno
import select
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Self

from ._keymap import KeyTranslator, Layout
from ._types import (
    SCANNER_CLOSED,
    SCANNER_CONFIG,
    SCANNER_NOT_FOUND,
    SCANNER_UNPLUGGED,
    Scan,
    ScannerError,
)


@dataclass(frozen=True, slots=True)
class HidMatch:
    """Which input device is the scanner: any given field must match."""

    name: str | None = None
    vendor_id: int | None = None
    product_id: int | None = None
    path: str | None = None

    def matches(self, device: Any) -> bool:
        """`device` has .name, .path and .info.vendor/.product (like evdev.InputDevice)."""
        checks = (
            (self.name, device.name),
            (self.path, device.path),
            (self.vendor_id, device.info.vendor),
            (self.product_id, device.info.product),
        )
        return all(want is None or want == have for want, have in checks)


def select_device(devices: Iterable[Any], match: HidMatch) -> Any:
    """The first device that matches; the others are closed."""
    found = None
    for device in devices:
        if found is None and match.matches(device):
            found = device
        else:
            device.close()
    if found is None:
        raise ScannerError(SCANNER_NOT_FOUND, f"no input device matches {match}")
    return found


def _evdev_devices(match: HidMatch) -> list[Any]:
    import evdev

    paths = [match.path] if match.path else evdev.list_devices()
    devices = []
    for path in paths:
        try:
            devices.append(evdev.InputDevice(path))
        except OSError as err:
            if match.path:
                raise ScannerError(SCANNER_NOT_FOUND, f"cannot open {path}: {err}") from err
    return devices


class HidScanner:
    """Reads scans typed by a keyboard-wedge scanner, grabbing the device exclusively."""

    def __init__(self, match: HidMatch, *, layout: Layout, grab: bool = True) -> None:
        if match == HidMatch():
            raise ScannerError(SCANNER_CONFIG, "hid: give name, vendor_id/product_id or path")
        self.match = match
        self.source = "hid"
        self._grab = grab
        self._translator = KeyTranslator(layout)
        self._lines: deque[str] = deque()
        self._device: Any = None

    def open(self) -> Self:
        self.close()
        device = select_device(_evdev_devices(self.match), self.match)
        try:
            if self._grab:
                device.grab()
        except OSError as err:
            device.close()
            raise ScannerError(SCANNER_NOT_FOUND, f"cannot grab {device.path}: {err}") from err
        self._device, self.source = device, f"hid:{device.path}"
        return self

    def attach(self, device: Any) -> Self:
        """Use an already opened device (grabbed here when grab is on)."""
        self.close()
        if self._grab:
            device.grab()
        self._device, self.source = device, f"hid:{device.path}"
        return self

    def close(self) -> None:
        device, self._device = self._device, None
        self._translator.reset()
        self._lines.clear()
        if device is None:
            return
        try:
            if self._grab:
                device.ungrab()
        except OSError:
            pass  # unplugged: the grab went with the device
        device.close()

    def read(self, timeout: float | None) -> Scan | None:
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._lines:
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            got_events = self._read_events(remaining)
            if not got_events and remaining is not None and remaining <= 0:
                return None
        return Scan(self._lines.popleft(), self.source, time.time())

    def _read_events(self, timeout: float | None) -> bool:
        device = self._device
        if device is None:
            raise ScannerError(SCANNER_CLOSED, "hid scanner is not open")
        try:
            ready, _, _ = select.select([device.fd], [], [], timeout)
            if not ready:
                return False
            events = list(device.read())
        except BlockingIOError:
            return False
        except OSError as err:
            self.close()
            code = SCANNER_UNPLUGGED if err.errno in (errno.ENODEV, errno.EIO) else SCANNER_CLOSED
            raise ScannerError(code, f"{self.source}: {err}") from err
        for event in events:
            line = self._translator.feed(event.type, event.code, event.value)
            if line:
                self._lines.append(line)
        return True

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
