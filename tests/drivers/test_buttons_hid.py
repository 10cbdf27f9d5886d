"""USB HID keypad. /dev/uinput is absent in CI, so no virtual evdev device can be made:
the key-code mapping and the device choice are tested as pure functions, and the device
path as far as "no such device" (unplugged) through the real evdev code.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from evdev import ecodes

from drivers.buttons import (
    Button,
    DeviceInfo,
    HidKeypad,
    HidSelector,
    KeypadReader,
    KeypadStatus,
    KeypadUnplugged,
    button_for_event,
)
from drivers.buttons._hid import parse_key_code, select_device
from tests.drivers.test_buttons_support import Recorder

KEYMAP = {
    ecodes.KEY_KP1: Button.NEXT,
    ecodes.KEY_KP2: Button.RECALL,
    ecodes.KEY_KP3: Button.NO_SHOW,
    ecodes.KEY_KP4: Button.COMPLETE,
}


@pytest.mark.parametrize(
    ("ev_type", "code", "value", "expected"),
    [
        pytest.param(ecodes.EV_KEY, ecodes.KEY_KP1, 1, Button.NEXT, id="key down"),
        pytest.param(ecodes.EV_KEY, ecodes.KEY_KP4, 1, Button.COMPLETE, id="other key"),
        pytest.param(ecodes.EV_KEY, ecodes.KEY_KP1, 0, None, id="key up"),
        pytest.param(ecodes.EV_KEY, ecodes.KEY_KP1, 2, None, id="autorepeat"),
        pytest.param(ecodes.EV_KEY, ecodes.KEY_A, 1, None, id="unmapped key"),
        pytest.param(ecodes.EV_SYN, 0, 0, None, id="sync report"),
        pytest.param(ecodes.EV_MSC, ecodes.MSC_SCAN, 1, None, id="scan code"),
    ],
)
def test_button_for_event(ev_type: int, code: int, value: int, expected: Button | None) -> None:
    assert button_for_event(ev_type, code, value, KEYMAP) is expected


PAD = DeviceInfo("/dev/input/event5", "CH552 Keypad", 0x1189, 0x8890)
KBD = DeviceInfo("/dev/input/event2", "AT Translated Set 2 keyboard", 0x0001, 0x0001)


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        (HidSelector(vendor_product=(0x1189, 0x8890)), PAD),
        (HidSelector(name="CH552 Keypad"), PAD),
        (HidSelector(path="/dev/input/event2"), KBD),
        (HidSelector(name="CH552 Keypad", vendor_product=(0x0001, 0x0001)), None),
        (HidSelector(vendor_product=(0xDEAD, 0xBEEF)), None),
    ],
)
def test_select_device(selector: HidSelector, expected: DeviceInfo | None) -> None:
    assert select_device([KBD, PAD], selector) == expected


def test_selector_needs_a_field() -> None:
    with pytest.raises(ValueError, match="needs"):
        HidSelector()


@pytest.mark.parametrize(("name", "code"), [("KEY_KP1", 79), ("79", 79), ("BTN_0", ecodes.BTN_0)])
def test_parse_key_code(name: str, code: int) -> None:
    assert parse_key_code(name) == code


@pytest.mark.parametrize("name", ["KEY_NOPE", "EV_KEY", "kp1"])
def test_parse_key_code_rejects(name: str) -> None:
    with pytest.raises(ValueError, match="unknown key code"):
        parse_key_code(name)


def test_missing_device_is_unplugged(tmp_path: Path) -> None:
    keypad = HidKeypad(HidSelector(path=str(tmp_path / "event99")), KEYMAP)
    with pytest.raises(KeypadUnplugged, match="no input device matches"):
        keypad.open()
    keypad.close()


def test_not_an_input_device_is_unplugged(tmp_path: Path) -> None:
    # a regular file at the path is not an input device: skipped, never opened
    fake = tmp_path / "event0"
    fake.write_bytes(b"")
    keypad = HidKeypad(HidSelector(path=str(fake)), KEYMAP)
    with pytest.raises(KeypadUnplugged):
        keypad.open()


def test_reader_reports_absent_hid_keypad(tmp_path: Path) -> None:
    rec = Recorder()
    keypad = HidKeypad(HidSelector(path=str(tmp_path / "event99")), KEYMAP, source="hid-kp")
    with KeypadReader(keypad, rec.on_press, rec.on_error, rec.on_status, backoff_initial_s=0.01):
        rec.wait_status(KeypadStatus.UNPLUGGED)
    assert rec.statuses == [KeypadStatus.UNPLUGGED, KeypadStatus.STOPPED]
    assert rec.errors == []
