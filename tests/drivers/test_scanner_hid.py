"""Keyboard-wedge scanners: key events -> text (pure), device selection, the grab.

/dev/uinput does not exist in the CI sandbox (no uinput module), so no virtual keyboard can
be created: the translation is tested as a pure function, and HidScanner against a small
fake input device (a pipe's fd for select(), events handed over in memory) at the
hardware edge.
"""

from __future__ import annotations

import errno
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from evdev import ecodes

from drivers.scanner import (
    LAYOUTS,
    SCANNER_CONFIG,
    SCANNER_NOT_FOUND,
    SCANNER_UNPLUGGED,
    HidMatch,
    HidScanner,
    KeyTranslator,
    ScannerError,
    select_device,
    translate_events,
)
from drivers.scanner._keymap import DE, US

EV_KEY, EV_SYN, EV_MSC = ecodes.EV_KEY, ecodes.EV_SYN, ecodes.EV_MSC
SHIFT = ecodes.KEY_LEFTSHIFT

# Characters a US-layout wedge types, and the keys (with shift) that produce them.
_US_KEYS = {
    **{chr(ord("a") + i): (f"KEY_{chr(ord('A') + i)}", False) for i in range(26)},
    **{chr(ord("A") + i): (f"KEY_{chr(ord('A') + i)}", True) for i in range(26)},
    **{str(d): (f"KEY_{d}", False) for d in range(10)},
    "-": ("KEY_MINUS", False),
    "_": ("KEY_MINUS", True),
    ":": ("KEY_SEMICOLON", True),
    ";": ("KEY_SEMICOLON", False),
    "/": ("KEY_SLASH", False),
    "?": ("KEY_SLASH", True),
    ".": ("KEY_DOT", False),
    "=": ("KEY_EQUAL", False),
    "&": ("KEY_7", True),
    " ": ("KEY_SPACE", False),
}


def typed(text: str, *, enter: str = "KEY_ENTER") -> list[tuple[int, int, int]]:
    """The events a US wedge scanner sends for `text`: shift down/up around shifted keys,
    MSC_SCAN and SYN_REPORT noise, key down then up, then Enter."""
    events: list[tuple[int, int, int]] = []
    for ch in text:
        name, shifted = _US_KEYS[ch]
        code = ecodes.ecodes[name]
        if shifted:
            events.append((EV_KEY, SHIFT, 1))
        events += [(EV_MSC, ecodes.MSC_SCAN, 458756), (EV_KEY, code, 1), (EV_SYN, 0, 0)]
        events += [(EV_KEY, code, 0), (EV_SYN, 0, 0)]
        if shifted:
            events.append((EV_KEY, SHIFT, 0))
    code = ecodes.ecodes[enter]
    return [*events, (EV_KEY, code, 1), (EV_KEY, code, 0)]


# --------------------------------------------------------------------------- pure translation


def test_us_layout_codes_agree_with_evdev_names() -> None:
    for ch, (name, shifted) in _US_KEYS.items():
        assert US[ecodes.ecodes[name]][int(shifted)] == ch, name


@pytest.mark.parametrize(
    "text",
    [
        "MPP1:mpp-makassar:APT-2026-000123",
        "MPP1:T:0123456789abcdef0123456789abcdef",
        "AB12CD",
        "https://mpp.example/a?b=1&c=2",
    ],
)
def test_scanned_text_round_trips(text: str) -> None:
    assert translate_events(typed(text)) == ([text], "")


def test_keypad_enter_ends_a_scan_and_partial_text_is_reported() -> None:
    events = typed("AB12CD", enter="KEY_KPENTER") + typed("XY")[:-2]
    assert translate_events(events) == (["AB12CD"], "XY")


def test_right_shift_and_auto_repeat() -> None:
    a = ecodes.KEY_A
    events = [
        (EV_KEY, ecodes.KEY_RIGHTSHIFT, 1),
        (EV_KEY, a, 1),
        (EV_KEY, a, 2),  # auto-repeat: ignored
        (EV_KEY, a, 0),
        (EV_KEY, ecodes.KEY_RIGHTSHIFT, 0),
        (EV_KEY, a, 1),
        (EV_KEY, ecodes.KEY_ENTER, 1),
    ]
    assert translate_events(events) == (["Aa"], "")


def test_caps_lock_inverts_letters_only() -> None:
    events = [(EV_KEY, ecodes.KEY_CAPSLOCK, 1), *typed("ab1-")]
    assert translate_events(events) == (["AB1-"], "")


def test_unknown_keys_are_ignored() -> None:
    events = [(EV_KEY, ecodes.KEY_F1, 1), (EV_KEY, ecodes.KEY_LEFTCTRL, 1), *typed("ok")]
    assert translate_events(events) == (["ok"], "")


def test_german_layout_swaps_y_and_z() -> None:
    events = typed("zy-")  # the keys a US user would press for "zy-"
    assert translate_events(events, DE) == (["yzß"], "")
    assert set(LAYOUTS) >= {"us", "de"}


def test_reset_forgets_shift_and_partial_text() -> None:
    translator = KeyTranslator()
    translator.feed(EV_KEY, SHIFT, 1)
    translator.feed(EV_KEY, ecodes.KEY_A, 1)
    translator.reset()
    translator.feed(EV_KEY, ecodes.KEY_B, 1)
    assert translator.feed(EV_KEY, ecodes.KEY_ENTER, 1) == "b"


# --------------------------------------------------------------------------- device edge


def _info(name: str, vendor: int, product: int, path: str) -> SimpleNamespace:
    return SimpleNamespace(
        name=name, path=path, info=SimpleNamespace(vendor=vendor, product=product), closed=False
    )


@pytest.fixture
def devices() -> list[SimpleNamespace]:
    devs = [
        _info("AT Translated Set 2 keyboard", 0x0001, 0x0001, "/dev/input/event0"),
        _info("Honeywell Imaging & Mobility 1450g", 0x0C2E, 0x0B87, "/dev/input/event3"),
        _info("Symbol Bar Code Scanner", 0x05E0, 0x1200, "/dev/input/event4"),
    ]
    for dev in devs:
        dev.close = lambda dev=dev: setattr(dev, "closed", True)
    return devs


@pytest.mark.parametrize(
    ("match", "path"),
    [
        (HidMatch(name="Symbol Bar Code Scanner"), "/dev/input/event4"),
        (HidMatch(vendor_id=0x0C2E, product_id=0x0B87), "/dev/input/event3"),
        (HidMatch(vendor_id=0x05E0), "/dev/input/event4"),
        (HidMatch(path="/dev/input/event3"), "/dev/input/event3"),
    ],
)
def test_select_device_by_name_ids_or_path(
    devices: list[SimpleNamespace], match: HidMatch, path: str
) -> None:
    chosen = select_device(devices, match)
    assert chosen.path == path
    assert all(d.closed for d in devices if d is not chosen)
    assert not chosen.closed


def test_select_device_none_matches(devices: list[SimpleNamespace]) -> None:
    with pytest.raises(ScannerError) as info:
        select_device(devices, HidMatch(vendor_id=0x1EAB))
    assert info.value.code == SCANNER_NOT_FOUND
    assert all(d.closed for d in devices)


def test_hid_scanner_needs_a_selector() -> None:
    with pytest.raises(ScannerError) as info:
        HidScanner(HidMatch(), layout=US)
    assert info.value.code == SCANNER_CONFIG


@dataclass
class FakeInputDevice:
    """The evdev.InputDevice surface HidScanner uses; readiness through a real pipe."""

    path: str = "/dev/input/event9"
    grabbed: bool = False
    closed: bool = False
    unplugged: bool = False
    _pending: list[SimpleNamespace] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.fd, self._wake = os.pipe()

    def send(self, events: list[tuple[int, int, int]]) -> None:
        with self._lock:
            self._pending += [SimpleNamespace(type=t, code=c, value=v) for t, c, v in events]
        os.write(self._wake, b"x")

    def unplug(self) -> None:
        self.unplugged = True
        os.write(self._wake, b"x")

    def read(self) -> Iterator[SimpleNamespace]:
        if self.unplugged:
            raise OSError(errno.ENODEV, "No such device")
        os.read(self.fd, 4096)
        with self._lock:
            events, self._pending = self._pending, []
        return iter(events)

    def grab(self) -> None:
        self.grabbed = True

    def ungrab(self) -> None:
        if self.unplugged:
            raise OSError(errno.ENODEV, "No such device")
        self.grabbed = False

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            os.close(self.fd)
            os.close(self._wake)


def test_hid_scanner_grabs_reads_and_releases() -> None:
    # GIVEN a wedge scanner attached with the exclusive grab
    device = FakeInputDevice()
    scanner = HidScanner(HidMatch(path=device.path), layout=US).attach(device)
    try:
        assert device.grabbed
        # WHEN it types two codes in one burst
        device.send(typed("AB12CD") + typed("MPP1:T:0123456789abcdef0123456789abcdef"))
        # THEN both come out in order, then nothing
        first = scanner.read(timeout=2)
        second = scanner.read(timeout=2)
        assert first is not None and first.text == "AB12CD"
        assert first.source == "hid:/dev/input/event9"
        assert second is not None and second.text.startswith("MPP1:T:")
        assert scanner.read(timeout=0) is None
    finally:
        scanner.close()
    assert not device.grabbed and device.closed


def test_hid_unplug_raises_scanner_unplugged() -> None:
    device = FakeInputDevice()
    scanner = HidScanner(HidMatch(path=device.path), layout=US).attach(device)
    device.unplug()
    with pytest.raises(ScannerError) as info:
        scanner.read(timeout=2)
    assert info.value.code == SCANNER_UNPLUGGED
    assert device.closed
    scanner.close()
